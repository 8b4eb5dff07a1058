"""Benchmark: the history store, and a DuckDB SQL reference of the CSV -> rates path.

For each size the messy GBK exports of ``benchmarks/run.py`` are used (made
once, cached under ``benchmarks/_data/``, not timed). Each size runs in fresh
subprocesses (so that each peak resident memory, ``ru_maxrss``, is its own):

* ``pandas``: the CSV -> rates path (``read_visits`` + ``clean_visits`` +
  ``read_deposits`` + ``clean_deposits`` + ``close_rates(by="region",
  period="M")``);
* ``duckdb``: a DuckDB SQL reference doing the same work: read the GBK CSVs
  (decoded to UTF-8 by a streamed Python decoder, as DuckDB reads no GBK
  without an extension), normalise phones, dates (four formats and Excel
  serials), regions (suffix-insensitive) and status words, drop rejected
  rows, merge duplicates (exact and same customer + day + consultant;
  deposits by order and customer, terminal status first), number visits per
  customer, link each deposit to its customer's first visit and count
  A-/C-cards by region x month;
* ``ingest``: both exports into an empty store (``Store.ingest``);
* ``rates --store``: ``Store.visits(columns=...)`` + ``Store.deposits(...)`` +
  ``close_rates`` from the store just built;
* ``store_counts``: ``ps.close_rates(store)``: the A-/C-cards counted by
  region x month inside the store file by DuckDB
  (``Store.close_rate_counts``), nothing loaded into pandas: how a
  50M-visit store answers.

``ratio`` = pandas / duckdb time (wall and CPU seconds; ``--repeat N`` runs N
rounds of duckdb / pandas / ingest and keeps the best of each). Imports are
not timed. On the shared 2-CPU machine (docs/performance.md has the loads):

======  ===============  ===============  ===============  ===========  ==========
size    pandas           duckdb           ingest           rates-store  counted
======  ===============  ===============  ===============  ===========  ==========
100k    1.5 s            1.3 s            2.1 s            0.6 s        0.2 s
1M      3.7 s            4.2 s            6.4 s            1.5 s        0.5 s
10M     136 s (52 CPU)   64 s (56 CPU)    69 s (66 CPU)    48 s         17 s
======  ===============  ===============  ===============  ===========  ==========

(10M: best of 2-3 rounds at load averages from 2 to 10; peak RSS pandas 5.4 GB, DuckDB
1.7 GB, ingest 5.4 GB, rates from the store 4.1 GB, counted in the store
2.3 GB; all paths give the same A-card total.) Sizes are visit rows (k/M
suffixes); the exports are cached where ``PONDSTATS_BENCH_DATA`` says
(default ``benchmarks/_data/``)::

    python benchmarks/bench_store.py                  # 100k
    python benchmarks/bench_store.py --sizes 100k 1M
    python benchmarks/bench_store.py --sizes 10M --repeat 2 --store /tmp/s10M.duckdb

``benchmarks/bench_store_big.py`` grows the 10M store to 50M visits and
times close rates on it.
"""

from __future__ import annotations

import argparse
import codecs
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's pondstats
sys.path.insert(0, str(HERE))

from run import _paths, generate, label, parse_size  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ---------------------------------------------------------------------------
# the DuckDB SQL reference
# ---------------------------------------------------------------------------


def _to_utf8(src: Path, dst: Path) -> None:
    dec = codecs.getincrementaldecoder("gb18030")("strict")
    with open(src, "rb") as f, open(dst, "w", encoding="utf-8") as g:
        while chunk := f.read(1 << 24):
            g.write(dec.decode(chunk))
        g.write(dec.decode(b"", final=True))


_FW = "０１２３４５６７８９"

_SQL_VISITS = r"""
CREATE TEMP TABLE v AS
WITH raw AS (
  SELECT * FROM read_csv('{path}', skip=1, header=true, all_varchar=true)
), norm AS (
  SELECT
    nullif(regexp_replace(regexp_replace(translate("联系电话", '{fw}', '0123456789'),
      '[^0-9+]', '', 'g'), '^\+?86', ''), '') AS phone,
    coalesce(
      try_strptime("来店日期", '%Y-%m-%d %H:%M'),
      try_strptime("来店日期", '%Y/%m/%d %H:%M'),
      try_strptime("来店日期", '%Y年%m月%d日'),
      CASE WHEN regexp_matches("来店日期", '^[0-9]+(\.[0-9]+)?$')
        THEN TIMESTAMP '1899-12-30' + to_microseconds(
          CAST(round(CAST("来店日期" AS DOUBLE) * 86400e6) AS BIGINT)) END
    ) AS visit_date,
    regexp_replace(trim("所属区域"), '(区|县|市|片区)$', '') AS core,
    nullif(trim("销售顾问"), '') AS consultant,
    nullif(trim("门店"), '') AS store,
    nullif(trim("信息来源"), '') AS source
  FROM raw
), ok AS (
  SELECT * FROM norm
  WHERE phone IS NOT NULL AND length(phone) = 11 AND visit_date IS NOT NULL
    AND visit_date < TIMESTAMP '{today}' + INTERVAL 1 DAY
), dedup AS (
  SELECT * FROM ok
  QUALIFY row_number() OVER (
    PARTITION BY phone, CAST(visit_date AS DATE), coalesce(consultant, store, '')
    ORDER BY (source IS NOT NULL) DESC, (hour(visit_date) + minute(visit_date) > 0) DESC
  ) = 1
)
SELECT *, row_number() OVER (PARTITION BY phone ORDER BY visit_date) AS visit_no
FROM dedup
"""

_SQL_DEPOSITS = r"""
CREATE TEMP TABLE d AS
WITH raw AS (
  SELECT * FROM read_csv('{path}', skip=1, header=true, all_varchar=true)
), norm AS (
  SELECT
    nullif(trim("订单号"), '') AS deposit_id,
    nullif(regexp_replace(regexp_replace(translate("联系电话", '{fw}', '0123456789'),
      '[^0-9+]', '', 'g'), '^\+?86', ''), '') AS phone,
    coalesce(
      try_strptime("下订日期", '%Y-%m-%d %H:%M:%S'),
      try_strptime("下订日期", '%Y-%m-%d'),
      try_strptime("下订日期", '%Y/%m/%d'),
      try_strptime("下订日期", '%Y年%m月%d日'),
      CASE WHEN regexp_matches("下订日期", '^[0-9]+$')
        THEN TIMESTAMP '1899-12-30' + to_days(CAST("下订日期" AS INTEGER)) END
    ) AS deposit_date,
    CASE WHEN trim("订单状态") IN ('退订') THEN 'cancelled'
         WHEN trim("订单状态") IN ('已交车') THEN 'delivered'
         ELSE 'active' END AS status,
    regexp_replace(trim("所属区域"), '(区|县|市|片区)$', '') AS core
  FROM raw
), ok AS (
  SELECT * FROM norm WHERE phone IS NOT NULL AND length(phone) = 11
    AND deposit_date IS NOT NULL AND deposit_date < TIMESTAMP '{today}' + INTERVAL 1 DAY
)
SELECT * FROM ok
QUALIFY row_number() OVER (
  PARTITION BY coalesce(deposit_id, phone || CAST(deposit_date AS VARCHAR)), phone
  ORDER BY (status <> 'active') DESC) = 1
"""

_SQL_RATES = """
WITH first AS (SELECT phone, core FROM v WHERE visit_no = 1),
a AS (
  SELECT core, date_trunc('month', visit_date) AS m, count(*) AS a_cards
  FROM v WHERE visit_no = 1 GROUP BY ALL
),
c AS (
  SELECT coalesce(nullif(d.core, ''), f.core) AS core,
         date_trunc('month', deposit_date) AS m,
         count(*) FILTER (WHERE status <> 'cancelled') AS c_cards
  FROM d LEFT JOIN first f USING (phone) GROUP BY ALL
)
SELECT core, m, coalesce(a_cards, 0) AS a_cards, coalesce(c_cards, 0) AS c_cards
FROM a FULL JOIN c USING (core, m)
"""


def duckdb_reference(vpath: Path, dpath: Path, today: str) -> dict:
    import duckdb

    r = {}
    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        vu, du = Path(tmp) / "v.csv", Path(tmp) / "d.csv"
        _to_utf8(vpath, vu)
        _to_utf8(dpath, du)
        r["decode"] = time.perf_counter() - t
        con = duckdb.connect()
        con.execute(_SQL_VISITS.format(path=vu.as_posix(), fw=_FW, today=today))
        r["sql_visits"] = time.perf_counter() - t - r["decode"]
        con.execute(_SQL_DEPOSITS.format(path=du.as_posix(), fw=_FW, today=today))
        rates = con.sql(_SQL_RATES).df()
        con.close()
    r["duckdb"] = time.perf_counter() - t
    r["duckdb_rows"] = len(rates)
    r["duckdb_a_cards"] = int(rates["a_cards"].sum())
    return r


# ---------------------------------------------------------------------------
# the stages (one fresh process each)
# ---------------------------------------------------------------------------


def stage(name: str, n: int, store_path: str) -> dict:
    import warnings

    import pondstats as ps
    from pondstats.store import Store

    vpath, dpath, mpath = _paths(n)
    today = json.loads(mpath.read_text())["today"]
    # imports are not timed (the rates stage loads scipy: ~2-3 s here)
    _ = (ps.close_rates, ps.clean_visits, ps.read_visits, Store)

    t, cpu = time.perf_counter(), time.process_time()
    r: dict = {}
    if name == "pandas":
        v = ps.clean_visits(ps.read_visits(vpath), today=today).data
        d = ps.clean_deposits(ps.read_deposits(dpath), today=today).data
        rates = ps.close_rates(v, d, by="region", period="M")
        r["a_cards"] = int(rates["a_cards"].sum())
    elif name == "duckdb":
        r.update(duckdb_reference(vpath, dpath, today))
    elif name == "ingest":
        with Store(store_path) as store, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            store.ingest(vpath, kind="visits", today=today)
            r["ingest_visits"] = time.perf_counter() - t
            store.ingest(dpath, kind="deposits", today=today)
        r["store_mb"] = round(os.path.getsize(store_path) / 2**20, 1)
    elif name == "store_rates":
        with Store(store_path, read_only=True) as store:
            v = store.visits(
                columns=["customer_key", "visit_date", "visit_no", "region"]
            )
            d = store.deposits(
                columns=[
                    "deposit_id",
                    "customer_key",
                    "deposit_date",
                    "status",
                    "region",
                ]
            )
        rates = ps.close_rates(v, d, by="region", period="M")
        r["a_cards"] = int(rates["a_cards"].sum())
    elif name == "store_counts":
        with Store(store_path, read_only=True) as store, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            rates = ps.close_rates(store, by="region", period="M")
        r["a_cards"] = int(rates["a_cards"].sum())
    r["seconds"] = time.perf_counter() - t
    r["cpu"] = time.process_time() - cpu  # every thread of the process
    r["peak_mb"] = _peak_mb()
    return r


def _run_stage(name: str, n: int, store_path: str) -> dict:
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, __file__, "--stage", name, str(n), store_path],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        sys.stderr.write(out.stderr)
        raise SystemExit(out.returncode)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    r["load"] = round(load, 2)
    print(
        f"| {label(n)} | {name} | {r['seconds']:.1f} | {r['cpu']:.1f} "
        f"| {r['peak_mb']:,.0f} | {load:.1f} |",
        flush=True,
    )
    return r


#: the stages timed against each other, once per round (best round kept)
PAIRED = ("duckdb", "pandas", "ingest")
#: the reads of the store just built (once)
READS = ("store_rates", "store_counts")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sizes", nargs="+", default=["100k"], help="visit rows, e.g. 100k 1M"
    )
    ap.add_argument(
        "--repeat", type=int, default=1, help="rounds of duckdb/pandas/ingest"
    )
    ap.add_argument(
        "--store", metavar="PATH", help="keep the ingested store here (one size)"
    )
    ap.add_argument("--json", metavar="FILE", help="also write every run as JSON")
    ap.add_argument("--stage", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage:
        name, n, path = args.stage
        print(json.dumps(stage(name, int(n), path)))
        return 0
    print("| size | stage | seconds | CPU s | peak MB | load avg |")
    print("|---|---|---:|---:|---:|---:|")
    everything = []
    for text in args.sizes:
        n = parse_size(text)
        generate(n)
        with tempfile.TemporaryDirectory() as tmp:
            store_path = args.store or str(Path(tmp) / "bench.duckdb")
            runs: dict[str, list[dict]] = {k: [] for k in (*PAIRED, *READS)}
            for _ in range(args.repeat):
                for name in PAIRED:
                    if name == "ingest" and os.path.exists(store_path):
                        os.remove(store_path)
                    runs[name].append(_run_stage(name, n, store_path))
            for name in READS:
                runs[name].append(_run_stage(name, n, store_path))
        everything.append({"size": label(n), **runs})
        best = {k: min(v, key=lambda r: r["seconds"]) for k, v in runs.items()}
        ratio = best["pandas"]["seconds"] / best["duckdb"]["seconds"]
        ingest = best["ingest"]["seconds"] / best["duckdb"]["seconds"]
        cpu = {k: min(r["cpu"] for r in v) for k, v in runs.items()}
        print(
            f"\n{label(n)} (best of {args.repeat}): pandas CSV->rates / DuckDB SQL "
            f"reference = {ratio:.2f}x; ingest / DuckDB = {ingest:.2f}x (CPU seconds: "
            f"{cpu['pandas'] / cpu['duckdb']:.2f}x, {cpu['ingest'] / cpu['duckdb']:.2f}x)"
            "; A-cards "
            f"pandas {best['pandas']['a_cards']:,}, DuckDB "
            f"{best['duckdb']['duckdb_a_cards']:,}, store "
            f"{best['store_rates']['a_cards']:,} (counted in the store "
            f"{best['store_counts']['a_cards']:,}); store file "
            f"{best['ingest']['store_mb']} MB; {os.cpu_count()} CPUs\n"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
