"""Budget planning speed and memory: history, fit (bootstrap and Laplace), plan.

Run: ``python benchmarks/bench_budget.py [n_zones ...]`` (default 16 and 24, the largest sample).
Prints wall seconds per step and the process's peak resident memory so far
(``ru_maxrss``; tracemalloc is not used: it slows the many small numpy calls
of the optimiser several-fold).
"""

from __future__ import annotations

import resource
import sys
import time

import pondstats as ps


def timed(label, func, *args, **kwargs):
    t0 = time.perf_counter()
    out = func(*args, **kwargs)
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  {label:<32} {seconds:7.2f} s  peak RSS {peak:7.0f} MiB")
    return out


def main(sizes: list[int]) -> None:
    for n in sizes:
        sample = ps.make_sample(0, n_zones=n)
        print(f"{n} zones x 24 months ({len(sample.visits):,} visits)")
        h = timed(
            "budget_history",
            ps.budget_history,
            sample.spend,
            sample.visits,
            sample.deposits,
        )
        total = h.loc[h["month"] == h["month"].max(), "spend"].sum()
        timed("fit_response (laplace)", ps.fit_response, h, uncertainty="laplace")
        fit = timed("fit_response (bootstrap, 100)", ps.fit_response, h)
        timed("plan_budget (given the fit)", ps.plan_budget, fit, total)


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [16, 24])
