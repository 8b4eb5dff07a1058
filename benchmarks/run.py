"""Scale benchmark: read, clean, link and measure 100k / 1M / 10M visits.

For each size, a messy dealer export in the sample's format is generated (once,
cached under ``benchmarks/_data/``, not timed): the sample dealer
(:func:`pondstats.make_sample` with ``scale``) written with the sample's own
mess (:func:`pondstats.datasets._exports.messy_visits` / ``messy_deposits``):
a GBK CSV with a title line, Chinese headers, phones as ``+86 138-...`` or
full-width digits, dates in four formats, placeholders, region names without
their suffix, duplicated rows and a few invalid rows. Deposits are topped up
to 13% of the visit rows (repeat orders of sampled customers) and written as
a GBK CSV too, not as the sample's ``.xlsx``: openpyxl needs minutes to write
and read 1.3M rows, which would measure openpyxl, not pondstats.

Each size then runs in a fresh subprocess (so that the peak resident memory,
``ru_maxrss``, is that run's own) which times each stage:

* ``read``: ``read_visits`` + ``read_deposits`` (CSV -> text frames);
* ``clean``: ``clean_visits`` + ``clean_deposits`` (visits are read and
  cleaned, and the raw visits released, before the deposits are read);
* ``link``: ``link_deposits`` (deposits attached to first visits);
* ``rates``: ``close_rates(by="region", period="M")`` (links again inside);
* ``cohort``: ``cohort_rates(by="region")``;

and prints a table. ``to rates`` = read + clean + rates: the time from the CSV
files to the region x month close-rate table.

    python benchmarks/run.py                       # 100k, 1M, 10M
    python benchmarks/run.py --sizes 100k 1M       # any sizes (k/M suffixes)
    python benchmarks/run.py --sizes 10M --repeat 3

Sizes are visit rows in the export (duplicates and invalid rows included,
within ~0.5%).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Where the generated exports are cached (``PONDSTATS_BENCH_DATA`` overrides).
DATA = Path(os.environ.get("PONDSTATS_BENCH_DATA") or HERE / "_data")
# measure this checkout's pondstats, not whichever is installed
sys.path.insert(0, str(HERE.parent))

#: Bump when the generated files change, to invalidate the cache.
GENERATOR_VERSION = 1
#: Visit rows per generated chunk (bounds the generator's memory).
CHUNK_ROWS = 1_000_000
#: Deposits as a share of visit rows (the FAW-Toyota 13%).
DEPOSIT_SHARE = 0.13
#: make_sample(scale=1) gives about this many visit rows.
VISITS_PER_SCALE = 31_562


def parse_size(text: str) -> int:
    """'100k' -> 100000, '1M' -> 1000000, '2500' -> 2500."""
    t = text.strip().lower().replace("_", "").replace(",", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t.rstrip("km")) * mult)


def label(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


# ---------------------------------------------------------------------------
# generation (not timed, cached)
# ---------------------------------------------------------------------------


def _paths(n: int) -> tuple[Path, Path, Path]:
    stem = f"v{GENERATOR_VERSION}_{label(n)}"
    return (
        DATA / f"{stem}_visits.csv",
        DATA / f"{stem}_deposits.csv",
        DATA / f"{stem}_meta.json",
    )


def _top_up_deposits(deposits, n_target: int, rng):
    """Add repeat orders of sampled customers until there are ``n_target``."""
    import pandas as pd

    extra = n_target - len(deposits)
    if extra <= 0:
        return deposits
    pick = rng.integers(0, len(deposits), extra)
    more = deposits.iloc[pick].copy()
    more["deposit_id"] = pd.array([f"SR{i:09d}" for i in range(extra)], dtype="str")
    return pd.concat([deposits, more], ignore_index=True).sort_values(
        "deposit_date", kind="stable", ignore_index=True
    )


def generate(n: int, *, random_state: int = 0) -> dict:
    """Write the visits and deposits exports for ``n`` visit rows (cached)."""
    import numpy as np
    import pandas as pd

    import pondstats as ps
    from pondstats.datasets import GROUP_NAME
    from pondstats.datasets._exports import export_date, messy_deposits, messy_visits

    vpath, dpath, mpath = _paths(n)
    if vpath.exists() and dpath.exists() and mpath.exists():
        return json.loads(mpath.read_text())
    DATA.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    # the export adds ~3% duplicates: aim the simulation a little lower
    sample = ps.make_sample(random_state, scale=n / 1.03 / VISITS_PER_SCALE)
    today = export_date(sample)
    rng = np.random.default_rng(random_state)
    visits = sample.visits.sort_values("visit_date", kind="stable", ignore_index=True)
    deposits = _top_up_deposits(
        sample.deposits, round(DEPOSIT_SHARE * len(visits) * 1.03), rng
    )
    del sample
    title = f"{GROUP_NAME} 来店登记表 导出时间:{today:%Y-%m-%d} 08:30"
    rows_v = _write_chunks(
        visits, vpath, title, lambda part: messy_visits(part, rng, today)[0]
    )
    del visits
    title = f"{GROUP_NAME} 订单明细 导出时间:{today:%Y-%m-%d} 08:30"
    rows_d = _write_chunks(
        deposits, dpath, title, lambda part: messy_deposits(part, rng, today)[0]
    )
    meta = {
        "visit_rows": rows_v,
        "deposit_rows": rows_d,
        "today": f"{today:%Y-%m-%d}",
        "generate_s": round(time.perf_counter() - t0, 1),
        "visits_mb": round(vpath.stat().st_size / 2**20, 1),
        "deposits_mb": round(dpath.stat().st_size / 2**20, 1),
    }
    mpath.write_text(json.dumps(meta))
    del pd
    return meta


def _write_chunks(table, path: Path, title: str, mess) -> int:
    """Write ``mess(chunk)`` for row chunks of ``table`` as one GBK CSV."""
    tmp = path.with_suffix(".tmp")
    rows = 0
    with open(tmp, "wb") as f:
        f.write((title + "\r\n").encode("gbk"))
        for i, start in enumerate(range(0, len(table), CHUNK_ROWS)):
            part = mess(table.iloc[start : start + CHUNK_ROWS])
            body = part.to_csv(index=False, header=i == 0, lineterminator="\r\n")
            f.write(body.encode("gbk"))
            rows += len(part)
    tmp.replace(path)
    return rows


# ---------------------------------------------------------------------------
# measuring (one fresh process per size)
# ---------------------------------------------------------------------------


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(n: int) -> dict:
    """Run every stage on the cached files for ``n``; seconds and peak RSS."""
    import pondstats as ps

    vpath, dpath, mpath = _paths(n)
    meta = json.loads(mpath.read_text())
    today = meta["today"]
    r: dict = {"size": label(n)}
    cpu0 = time.process_time()
    # visits are read and cleaned before the deposits are read, so that the
    # raw visits are released before the deposits arrive (lower peak memory)
    t = time.perf_counter()
    raw_v = ps.read_visits(vpath)
    r["read"] = time.perf_counter() - t
    r["peak_read"] = _peak_mb()
    t = time.perf_counter()
    cv = ps.clean_visits(raw_v, today=today)
    del raw_v
    r["clean"] = time.perf_counter() - t
    t = time.perf_counter()
    raw_d = ps.read_deposits(dpath)
    r["read"] += time.perf_counter() - t
    t = time.perf_counter()
    cd = ps.clean_deposits(raw_d, today=today)
    del raw_d
    r["clean"] += time.perf_counter() - t
    r["peak_clean"] = _peak_mb()
    visits, deposits = cv.data, cd.data
    r["visits_read"], r["visits_kept"] = cv.summary.rows_read, cv.summary.rows_kept
    r["deposits_read"], r["deposits_kept"] = cd.summary.rows_read, cd.summary.rows_kept
    del cv, cd
    t, c = time.perf_counter(), time.process_time()
    ps.link_deposits(visits, deposits)
    r["link"] = time.perf_counter() - t
    r["_cpu_link"] = time.process_time() - c
    t = time.perf_counter()
    rates = ps.close_rates(visits, deposits, by="region", period="M")
    r["rates"] = time.perf_counter() - t
    r["cpu_to_rates"] = time.process_time() - cpu0 - r.pop("_cpu_link")
    r["peak_rates"] = _peak_mb()
    r["rate_rows"] = len(rates)
    t = time.perf_counter()
    ps.cohort_rates(visits, deposits, by="region")
    r["cohort"] = time.perf_counter() - t
    r["peak"] = _peak_mb()
    r["cpu_total"] = time.process_time() - cpu0
    r["to_rates"] = r["read"] + r["clean"] + r["rates"]
    r["total"] = r["read"] + r["clean"] + r["link"] + r["rates"] + r["cohort"]
    return r


COLUMNS = (
    ("size", "size", "{}"),
    ("visits_read", "visits", "{:,}"),
    ("deposits_read", "deposits", "{:,}"),
    ("read", "read s", "{:.1f}"),
    ("clean", "clean s", "{:.1f}"),
    ("link", "link s", "{:.1f}"),
    ("rates", "rates s", "{:.1f}"),
    ("cohort", "cohort s", "{:.1f}"),
    ("to_rates", "CSV->rates s", "{:.1f}"),
    ("cpu_to_rates", "(CPU s)", "{:.1f}"),
    ("peak_rates", "peak MB (to rates)", "{:,.0f}"),
    ("peak", "peak MB", "{:,.0f}"),
)


def _table(results: list[dict]) -> str:
    heads = [h for _, h, _ in COLUMNS]
    rows = [[fmt.format(r[k]) for k, _, fmt in COLUMNS] for r in results]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(heads)]

    def line(cells: list[str]) -> str:
        padded = (c.rjust(w) for c, w in zip(cells, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    sep = "|" + "|".join("-" * (w + 1) + ":" for w in widths) + "|"
    return "\n".join([line(heads), sep, *(line(row) for row in rows)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes",
        nargs="+",
        default=["100k", "1M", "10M"],
        help="visit rows per run, e.g. 100k 1M 10M (default)",
    )
    ap.add_argument("--repeat", type=int, default=1, help="runs per size (best kept)")
    ap.add_argument("--json", metavar="FILE", help="also write every run as JSON")
    ap.add_argument("--measure", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure is not None:
        print(json.dumps(measure(args.measure)))
        return 0
    best, runs = [], []
    for text in args.sizes:
        n = parse_size(text)
        meta = generate(n)
        print(
            f"{label(n)}: visits {meta['visits_mb']} MB, deposits "
            f"{meta['deposits_mb']} MB (GBK CSV, cached in {DATA})",
            file=sys.stderr,
        )
        mine = []
        for k in range(args.repeat):
            load = os.getloadavg()[0]
            out = subprocess.run(
                [sys.executable, __file__, "--measure", str(n)],
                capture_output=True,
                text=True,
            )
            if out.returncode != 0:
                sys.stderr.write(out.stderr)
                return out.returncode
            r = json.loads(out.stdout.strip().splitlines()[-1])
            r["load_before"] = round(load, 1)
            print(
                f"  run {k + 1}: CSV->rates {r['to_rates']:.1f} s, all stages "
                f"{r['total']:.1f} s, peak {r['peak']:,.0f} MB (load avg {load:.1f})",
                file=sys.stderr,
            )
            mine.append(r)
        runs += mine
        best.append(min(mine, key=lambda r: r["total"]))
    print(_table(best))
    print(
        f"\n{os.cpu_count()} CPUs, load average before runs: "
        + ", ".join(f"{r['size']} {r['load_before']}" for r in best)
    )
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
