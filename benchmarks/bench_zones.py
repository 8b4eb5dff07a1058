"""Speed and peak memory of the zone functions on the sample's 16 zones.

    python benchmarks/bench_zones.py [n_points]

assign_regions on n random points (default 500,000) around the sample's
zones, and plot_zone_map + savefig of the sample's latest month.
"""

from __future__ import annotations

import resource
import sys
import time
import tracemalloc
import warnings

import matplotlib

matplotlib.use("Agg")
import io

import numpy as np
import pandas as pd

import pondstats as ps


def timed(label, func):
    tracemalloc.start()
    t0 = time.perf_counter()
    out = func()
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label}: {seconds:.2f} s, peak traced memory {peak / 2**20:.0f} MiB")
    return out


def main(n: int = 500_000) -> None:
    zones = ps.load_sample_zones()
    rng = np.random.default_rng(0)
    minx, miny, maxx, maxy = zones.total_bounds
    visits = pd.DataFrame(
        {
            "region": pd.Series([None] * n, dtype="str"),
            "lat": rng.uniform(miny - 0.05, maxy + 0.05, n),
            "lon": rng.uniform(minx - 0.05, maxx + 0.05, n),
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = timed(
            f"assign_regions, {n:,} points", lambda: ps.assign_regions(visits, zones)
        )
    print("  ", out.attrs["pondstats"]["assign_regions"])
    v, d = ps.load_sample()
    rates = ps.close_rates(v, d, by="region", period="M")
    month = str(rates["period"].max())

    def draw():
        ax = ps.plot_zone_map(zones, rates, period=month)
        ax.figure.savefig(io.BytesIO(), format="png", dpi=150)

    timed("plot_zone_map + savefig (16 zones)", draw)
    timed(
        "close_rates + diagnose_zones (whole range)",
        lambda: ps.diagnose_zones(
            ps.close_rates(v, d, by="region", period=None), zones
        ),
    )
    print(
        f"max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 500_000)
