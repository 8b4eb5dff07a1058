"""Benchmark: a 50M-visit store (five years of a national brand) answering close rates.

The store is grown from a store built by ``bench_store.py --sizes 10M --store
PATH`` (the 10M-visit / 1.34M-deposit exports ingested): its current visits
and deposits are copied ``--copies - 1`` more times inside DuckDB, each copy
as other customers (``customer_key``, ``phone``, order and visit ids
prefixed with the copy's number) and moved 12 months earlier per copy, with
one manifest row per copied import. The copies are canonical rows written
straight into the store's tables (one transaction), not cleaned again: the
exports would take an hour to generate and ingest on a shared 2-core
machine, and the query below only reads the tables.

Then, each in a fresh process (peak resident memory, ``ru_maxrss``, its own):

* ``counts``: ``ps.close_rates(store, by="region", period="M")``: the cards
  counted inside the store (:meth:`Store.close_rate_counts`) and turned
  into rates;
* ``cli``: ``pondstats rates --store PATH`` (the month and the whole
  period, as printed for an analyst).

A watchdog stops a stage whose resident memory passes ``--max-gb`` (default
12), and ``--duckdb-memory`` sets DuckDB's ``memory_limit`` for the counts
stage (DuckDB's default is 80% of the machine's memory)::

    python benchmarks/bench_store.py --sizes 10M --store /tmp/s10M.duckdb
    python benchmarks/bench_store_big.py --from /tmp/s10M.duckdb --out /tmp/s50M.duckdb
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # this checkout's pondstats

_VISITS = """
INSERT INTO visits BY NAME
SELECT * REPLACE (
  row_id + {k} * {rows} AS row_id, valid_from + {shift} AS valid_from,
  '{k}' || visit_id AS visit_id, '{k}' || customer_key AS customer_key,
  '{k}' || phone AS phone, visit_date - INTERVAL {months} MONTH AS visit_date,
  as_of - INTERVAL {months} MONTH AS as_of)
FROM visits WHERE valid_to IS NULL AND valid_from <= {last}
"""
_DEPOSITS = """
INSERT INTO deposits BY NAME
SELECT * REPLACE (
  row_id + {k} * {rows} AS row_id, valid_from + {shift} AS valid_from,
  '{k}-' || deposit_id AS deposit_id, '{k}' || customer_key AS customer_key,
  '{k}' || phone AS phone, deposit_date - INTERVAL {months} MONTH AS deposit_date,
  delivery_date - INTERVAL {months} MONTH AS delivery_date,
  as_of - INTERVAL {months} MONTH AS as_of)
FROM deposits WHERE valid_to IS NULL AND valid_from <= {last}
"""
_IMPORTS = """
INSERT INTO imports BY NAME
SELECT * REPLACE (
  import_id + {shift} AS import_id, 'copy {k} of ' || file_name AS file_name,
  sha256 || '-copy{k}' AS sha256, data_from - INTERVAL {months} MONTH AS data_from,
  data_to - INTERVAL {months} MONTH AS data_to)
FROM imports WHERE import_id <= {last}
"""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(src: Path, out: Path, copies: int) -> dict:
    import duckdb

    t = time.perf_counter()
    shutil.copyfile(src, out)
    con = duckdb.connect(str(out))
    con.execute("SET memory_limit = '6GB'")
    last = con.execute("SELECT max(import_id) FROM imports").fetchone()[0]
    rows = {
        t: con.execute(f"SELECT max(row_id) FROM {t}").fetchone()[0] + 1
        for t in ("visits", "deposits")
    }
    con.execute("BEGIN TRANSACTION")
    for k in range(1, copies):
        p = {"k": k, "shift": k * last, "months": 12 * k, "last": last}
        con.execute(_VISITS.format(rows=rows["visits"], **p))
        con.execute(_DEPOSITS.format(rows=rows["deposits"], **p))
        con.execute(_IMPORTS.format(**p))
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    r = {
        "visits": con.execute("SELECT count(*) FROM visits").fetchone()[0],
        "deposits": con.execute("SELECT count(*) FROM deposits").fetchone()[0],
        "months": con.execute(
            "SELECT strftime(min(visit_date), '%Y-%m') || '..' || "
            "strftime(max(visit_date), '%Y-%m') FROM visits"
        ).fetchone()[0],
    }
    con.close()
    r["seconds"] = time.perf_counter() - t
    r["peak_mb"] = _peak_mb()
    r["store_mb"] = round(out.stat().st_size / 2**20)
    return r


def counts(path: str, memory: str | None) -> dict:
    import warnings

    import pondstats as ps
    from pondstats.store import Store

    _ = (ps.close_rates, Store)  # imports not timed
    t, cpu = time.perf_counter(), time.process_time()
    with Store(path, read_only=True) as store, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if memory:
            store._con.execute(f"SET memory_limit = '{memory}'")
        rates = ps.close_rates(store, by="region", period="M")
    return {
        "seconds": time.perf_counter() - t,
        "cpu": time.process_time() - cpu,
        "peak_mb": _peak_mb(),
        "rows": len(rates),
        "a_cards": int(rates["a_cards"].sum()),
        "c_cards": int(rates["c_cards"].sum()),
        "periods": rates["period"].nunique(),
    }


def _rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` and its children (e.g. under /usr/bin/time), KB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        rss = next((int(x.split()[1]) for x in status if x.startswith("VmRSS:")), 0)
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0
    return rss + sum(_rss_kb(int(k)) for k in kids)


def _watched(
    cmd: list[str], max_gb: float
) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``cmd``; kill it if its resident memory passes ``max_gb``."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    while proc.poll() is None:
        if _rss_kb(proc.pid) > max_gb * 2**20:
            proc.kill()
            sys.stderr.write(f"stopped: resident memory passed {max_gb} GB\n")
        time.sleep(0.5)
    out, err = proc.communicate()
    done = subprocess.CompletedProcess(cmd, proc.returncode, out.decode(), err.decode())
    return done, time.perf_counter() - t


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="src", help="a 10M store from bench_store.py")
    ap.add_argument("--out", required=True, help="the big store (built if missing)")
    ap.add_argument("--copies", type=int, default=5)
    ap.add_argument("--max-gb", type=float, default=12.0)
    ap.add_argument("--duckdb-memory", help="e.g. 6GB (DuckDB's memory_limit)")
    ap.add_argument("--stage", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.stage == "counts":
        print(json.dumps(counts(args.out, args.duckdb_memory)))
        return 0
    out = Path(args.out)
    if not out.exists():
        if not args.src:
            ap.error("--from PATH is needed to build the big store")
        print(f"load {os.getloadavg()[0]:.1f}; building {out} ...", flush=True)
        print("build:", json.dumps(build(Path(args.src), out, args.copies)), flush=True)
    cmd = [sys.executable, __file__, "--out", str(out), "--stage", "counts"]
    if args.duckdb_memory:
        cmd += ["--duckdb-memory", args.duckdb_memory]
    load = os.getloadavg()[0]
    done, _ = _watched(cmd, args.max_gb)
    if done.returncode:
        sys.stderr.write(done.stderr)
        return done.returncode
    r = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"counts (load {load:.1f}):", json.dumps(r), flush=True)
    load = os.getloadavg()[0]
    timed = ["/usr/bin/time", "-f", "%e s wall, %U+%S s CPU, %M KB peak"]
    cli = [sys.executable, "-m", "pondstats", "rates", "--store", str(out)]
    done, wall = _watched([*timed, *cli], args.max_gb)
    print(
        f"cli (load {load:.1f}): {done.stderr.strip().splitlines()[-1]} "
        f"(exit {done.returncode}, {wall:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
