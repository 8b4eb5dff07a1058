"""Budget planning speed and memory: history, fit (bootstrap and Laplace), plan.

Run: ``python benchmarks/bench_budget.py [n_zones ...]`` (default 16 and 40).
Prints seconds per step and the peak traced memory of each step.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import pondstats as ps


def timed(label, func, *args, **kwargs):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<32} {seconds:7.2f} s  peak {peak / 2**20:7.1f} MiB")
    return out


def main(sizes: list[int]) -> None:
    for n in sizes:
        sample = ps.make_sample(0, n_zones=n)
        print(f"{n} zones x 24 months ({len(sample.visits):,} visits)")
        h = timed("budget_history", ps.budget_history, sample.spend, sample.visits,
                  sample.deposits)
        total = h.loc[h["month"] == h["month"].max(), "spend"].sum()
        timed("fit_response (laplace)", ps.fit_response, h, uncertainty="laplace")
        fit = timed("fit_response (bootstrap, 100)", ps.fit_response, h)
        timed("plan_budget (given the fit)", ps.plan_budget, fit, total)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [16, 40])
