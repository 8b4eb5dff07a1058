"""Benchmark: the monthly PDF report on the sample dealer and on a 50-zone network.

* **sample**: ``ps.load_sample(as_cleaned=True)`` with the sample zones and
  spend (16 zones, 24 months, ~31k visits), the full report.
* **50 zones**: ``make_sample`` simulates at most 24 zones, so a 50-zone
  network is stitched from three simulated dealers (24 + 24 + 2 zones, seeds
  0, 1, 2): zone names get a suffix, codes run Z01..Z50, customer keys are
  made unique per dealer and the polygons are shifted side by side.

Cases:

* **cli**: ``pondstats report --out DIR`` (the README's command) in a fresh
  process: imports, loading the sample, the report; wall and CPU (user + sys)
  time of the child.
* **stages**: the CLI's sample report (with the sample targets) in this
  process, each library step and page timed by wrapping it (:data:`STAGES`),
  wall and CPU.
* **sample** / **50**: the full report, and without the call lists
  (``leads=False`` skips training the lead scorer); the 50-zone network also
  without spend (no budget page) and with ``budget_options={"uncertainty":
  "laplace"}``. Wall time, CPU time of this process (wall time on a shared
  machine includes waiting for a core) and peak resident memory.

The load average is printed for context: on a shared machine compare CPU
times, not wall times.

Recorded (12 pages, lang "both"; docs/performance.md has the whole table):
the CLI at load 0.8-1.0, median wall 8.3 s (8.2-8.8, five runs; in a fresh
install by the README's first command 8.3 s, 8.0-8.5, nine runs): the target,
under 10 s, is met. Against the previous release run in turn, five pairs:
0.86. Stages (CPU s): load the sample 0.62, call list 0.96, lead review 1.16,
pages 0.91, write the PDF 2.77; the imports 1.6 more in a fresh process.

Run from the repository root::

    python benchmarks/bench_report.py                  # every case
    python benchmarks/bench_report.py --case cli       # the CLI, fresh process (5 runs)
    python benchmarks/bench_report.py --case stages    # the sample, step by step
    python benchmarks/bench_report.py --case 50        # only the 50-zone network
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
from shapely import affinity

sys.path.insert(
    0, str(Path(__file__).resolve().parents[1])
)  # this checkout's pondstats
import pondstats as ps


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def network_50() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Visits, deposits, zones, spend of a 50-zone network (3 simulated dealers)."""
    parts = []
    for k, n in enumerate((24, 24, 2)):
        s = ps.make_sample(random_state=k, n_zones=n)
        suffix = "" if k == 0 else "甲乙"[k - 1]
        rename = {r: f"{r}{suffix}" for r in s.zones["region"]}
        v = s.visits.assign(
            region=s.visits["region"].map(rename),
            customer_key=f"{k}:" + s.visits["customer_key"],
        )
        d = s.deposits.assign(
            region=s.deposits["region"].map(rename),
            customer_key=f"{k}:" + s.deposits["customer_key"],
        )
        z = s.zones.assign(region=s.zones["region"].map(rename))
        z["geometry"] = z.geometry.apply(
            lambda g, k=k: affinity.translate(g, xoff=0.7 * k)
        )
        sp = s.spend.assign(region=s.spend["region"].map(rename))
        parts.append((v, d, z, sp))
    visits = pd.concat([p[0] for p in parts], ignore_index=True)
    deposits = pd.concat([p[1] for p in parts], ignore_index=True)
    zones = pd.concat([p[2] for p in parts], ignore_index=True)
    zones["code"] = [f"Z{i + 1:02d}" for i in range(len(zones))]
    spend = pd.concat([p[3] for p in parts], ignore_index=True)
    return visits, deposits, zones, spend


def run(
    name: str,
    visits,
    deposits,
    zones,
    spend,
    *,
    leads: bool = True,
    budget_options=None,
    targets=None,
    label: str = "",
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        t0, c0 = time.perf_counter(), time.process_time()
        out = ps.write_monthly_report(
            "2026-10",
            visits,
            deposits,
            zones=zones,
            spend=spend,
            path=tmp,
            leads=leads,
            budget_options=budget_options,
            targets=targets,
        )
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
        pages = len(re.findall(rb"/Type\s*/Page[^s]", out.read_bytes()))
        size = out.stat().st_size / 2**20
    print(
        f"{name:<9} {label:<22} wall {wall:6.1f} s  cpu {cpu:6.1f} s  "
        f"{pages:3d} pages  {size:5.1f} MB  peak RSS {_peak_mb():6.0f} MB",
        flush=True,
    )


#: The library steps of one report, timed by wrapping them (module, name, stage).
STAGES: tuple[tuple[str, str, str], ...] = (
    ("pondstats.report._data", "_rates", "data: close rates"),
    ("pondstats.report._data", "return_visit_rates", "data: return visits"),
    ("pondstats.report._data", "assess_zones", "data: verdicts (assess_zones)"),
    ("pondstats.report._data", "_call_list", "data: call list (score_open_leads)"),
    ("pondstats.report._data", "_lead_review", "data: lead review (back-test)"),
    ("pondstats.report._data", "_plan", "data: budget plan"),
    ("pondstats.report._sections", "summary_pages", "page: summary"),
    ("pondstats.report._sections", "map_funnel_pages", "page: map + funnel"),
    ("pondstats.report._sections", "zone_table_pages", "page: zone table"),
    ("pondstats.report._sections", "quadrant_pages", "page: quadrant"),
    ("pondstats.report._sections", "kpi_pages", "page: KPI board"),
    ("pondstats.report._sections", "leads_pages", "page: leads"),
    ("pondstats.report._sections", "budget_pages", "page: budget"),
    ("pondstats.report._report", "quality_pages", "page: data quality"),
    ("pondstats.report._sections", "zone_pages", "page: zone pages"),
    ("pondstats.report._report", "write_pdf", "write the PDF (draw + embed fonts)"),
)


@contextlib.contextmanager
def timed_stages() -> Iterator[dict[str, list[float]]]:
    """Wrap the report's steps (:data:`STAGES`) to sum their wall and CPU time.

    Yields ``{stage: [wall, cpu, calls]}``; times of nested stages are not
    subtracted (no stage here calls another).
    """
    import importlib

    acc: dict[str, list[float]] = {}
    saved = []
    for mod_name, attr, stage in STAGES:
        mod = importlib.import_module(mod_name)
        fn = getattr(mod, attr, None)
        if fn is None:  # an older checkout without this step
            continue

        def wrapper(*a, _fn=fn, _stage=stage, **k):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return _fn(*a, **k)
            finally:
                row = acc.setdefault(_stage, [0.0, 0.0, 0])
                row[0] += time.perf_counter() - t0
                row[1] += time.process_time() - c0
                row[2] += 1

        saved.append((mod, attr, fn))
        setattr(mod, attr, wrapper)
    try:
        yield acc
    finally:
        for mod, attr, fn in saved:
            setattr(mod, attr, fn)


#: The sample report's target: ``pondstats report`` in under 10 s (median wall).
TARGET_SECONDS = 10.0


def cli_sample(repeat: int = 5) -> None:
    """``pondstats report --out DIR`` on the sample in a fresh process (the
    README's command): imports, loading the sample, the report. One warm-up
    run (it compiles the bytecode a pip-installed package ships), then
    ``repeat`` runs; min, median and max of the wall and CPU time of each
    child, and the load average before and after (the target: a median wall
    time under 10 s).

    The children run without ``PYTHONDONTWRITEBYTECODE``: an install by pip
    compiles the bytecode of the packages it installs, and the warm-up run
    compiles pondstats' own (an editable install). With the variable set on
    an environment that was installed without compiling (uv's default), every
    run compiles some 2,000 modules again, about 3 s on the 2-core machine,
    which is not what a user's install does."""
    walls, cpus = [], []
    load0 = os.getloadavg()[0]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for i in range(repeat + 1):
        with tempfile.TemporaryDirectory() as tmp:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "pondstats", "report", "--out", tmp],
                check=True,
                cwd=Path(__file__).resolve().parents[1],
                stdout=subprocess.DEVNULL,
                env=env,
            )
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if i:  # the first run is the warm-up
            walls.append(wall)
            cpus.append(
                (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            )

    def spread(x: list[float]) -> str:
        x = sorted(x)
        return f"{x[0]:5.1f} / {x[len(x) // 2]:5.1f} / {x[-1]:5.1f} s"

    print(
        f"{'sample':<9} {'CLI, fresh process':<22} min / median / max of {repeat}: "
        f"wall {spread(walls)}, cpu {spread(cpus)} "
        f"(load {load0:.1f} -> {os.getloadavg()[0]:.1f})",
        flush=True,
    )
    median = sorted(walls)[len(walls) // 2]
    verdict = "met" if median < TARGET_SECONDS else "NOT met"
    print(f"target, median wall under {TARGET_SECONDS:.0f} s: {verdict}", flush=True)


def stages_sample() -> None:
    """The CLI's sample report in this process, stage by stage."""
    t0, c0 = time.perf_counter(), time.process_time()
    v, d = ps.load_sample(as_cleaned=True)
    z, sp = ps.load_sample_zones(), ps.load_sample_spend()
    targets = ps.load_sample_targets()
    load = (time.perf_counter() - t0, time.process_time() - c0)
    with tempfile.TemporaryDirectory() as tmp, timed_stages() as acc:
        t0, c0 = time.perf_counter(), time.process_time()
        ps.write_monthly_report(
            "2026-10", v, d, zones=z, spend=sp, targets=targets, path=tmp
        )
        total = (time.perf_counter() - t0, time.process_time() - c0)
    print(f"{'stage':<40} {'wall s':>7} {'cpu s':>7}")
    print(f"{'load the sample (read + clean)':<40} {load[0]:7.2f} {load[1]:7.2f}")
    for stage, (w, c, n) in acc.items():
        calls = f" (x{n})" if n > 1 else ""
        print(f"{stage + calls:<40} {w:7.2f} {c:7.2f}")
    rest = (
        total[0] - sum(r[0] for r in acc.values()),
        total[1] - sum(r[1] for r in acc.values()),
    )
    print(f"{'other (layout, glue)':<40} {rest[0]:7.2f} {rest[1]:7.2f}")
    print(f"{'write_monthly_report total':<40} {total[0]:7.2f} {total[1]:7.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--case", choices=("sample", "stages", "cli", "50", "all"), default="all"
    )
    ap.add_argument(
        "--repeat", type=int, default=5, help="runs of the CLI case (after a warm-up)"
    )
    args = ap.parse_args()
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True
    )
    if args.case in ("cli", "all"):
        cli_sample(args.repeat)
    if args.case in ("stages", "all"):
        stages_sample()
    if args.case in ("sample", "all"):
        v, d = ps.load_sample(as_cleaned=True)
        z, sp = ps.load_sample_zones(), ps.load_sample_spend()
        print(
            f"sample: {len(v.data):,} visits, {len(d.data):,} deposits, {len(z)} zones"
        )
        t = ps.load_sample_targets()  # as the CLI does
        run("sample", v, d, z, sp, targets=t, label="full")
        run("sample", v, d, z, sp, targets=t, leads=False, label="leads=False")
    if args.case in ("50", "all"):
        v, d, z, sp = network_50()
        print(f"50 zones: {len(v):,} visits, {len(d):,} deposits, {len(z)} zones")
        run("50 zones", v, d, z, sp, label="full")
        run("50 zones", v, d, z, sp, leads=False, label="leads=False")
        run("50 zones", v, d, z, None, label="no spend (no budget)")
        run(
            "50 zones",
            v,
            d,
            z,
            sp,
            budget_options={"uncertainty": "laplace"},
            label="budget laplace",
        )
    print(f"load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
