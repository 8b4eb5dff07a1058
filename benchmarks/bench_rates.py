"""Benchmark: close_rates by region x month on 10M visits + 1.3M deposits.

The data are synthesised in memory in canonical form (str keys and regions,
datetime64[ns] dates, int64 visit numbers), then ``ps.close_rates`` is timed.
Peak memory is the process's peak resident set size (``ru_maxrss``) before and
after the call; the difference is what ``close_rates`` needed on top of the data.

Run from the repository root::

    python benchmarks/bench_rates.py            # 10M visits, 1.3M deposits
    python benchmarks/bench_rates.py --visits 1e6 --deposits 1.3e5
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# this checkout's pondstats, not an installed one
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import pondstats as ps


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _str(values: pa.Array) -> pd.Series:
    return pd.Series(
        pd.array(values.cast(pa.large_string()).cast(pa.string()), dtype="str")
    )


def synthesise(
    n_visits: int,
    n_deposits: int,
    *,
    n_regions: int = 200,
    months: int = 24,
    random_state: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Canonical visits and deposits of a big dealer group, made in memory."""
    rng = np.random.default_rng(random_state)
    # customers with 1 + geometric extra visits until n_visits rows
    n_cust = int(n_visits / 1.6)
    per = 1 + rng.geometric(0.62, n_cust) - 1
    per = per[np.cumsum(per) <= n_visits]
    short = n_visits - per.sum()
    per = np.r_[per, np.ones(short, dtype=per.dtype)]
    n_cust = len(per)
    cust = np.repeat(np.arange(n_cust), per)
    starts = np.r_[0, np.cumsum(per)[:-1]]
    visit_no = np.arange(n_visits) - np.repeat(starts, per) + 1
    first_day = rng.integers(0, months * 30, n_cust)
    day = np.repeat(first_day, per) + (visit_no - 1) * rng.integers(1, 20, n_visits)
    t0 = np.datetime64("2024-11-01", "ns")
    region_of = rng.integers(0, n_regions, n_cust)
    names = pa.array([f"区域{i:03d}" for i in range(n_regions)])
    keys = pc.add(pa.array(np.arange(n_cust) + 13_000_000_000, pa.int64()), 0)
    key_str = keys.cast(pa.string())
    visits = pd.DataFrame(
        {
            "customer_key": _str(pc.take(key_str, pa.array(cust))),
            "visit_date": t0
            + (day * 86_400 + rng.integers(32_400, 72_000, n_visits))
            .astype("timedelta64[s]")
            .astype("timedelta64[ns]"),
            "visit_no": visit_no.astype("int64"),
            "region": _str(pc.take(names, pa.array(np.repeat(region_of, per)))),
        }
    )
    # deposits: 98% from visitors (their region, 10% missing), 2% unlinked
    linked = int(n_deposits * 0.98)
    who = rng.choice(n_cust, linked, replace=False)
    dkeys = pc.take(key_str, pa.array(who))
    other = pa.array(
        (np.arange(n_deposits - linked) + 19_000_000_000).astype("int64")
    ).cast(pa.string())
    reg = pc.take(
        names, pa.array(np.r_[region_of[who], rng.integers(0, n_regions, len(other))])
    )
    miss = rng.random(n_deposits) < 0.10
    reg = pc.if_else(pa.array(miss), pa.scalar(None, pa.string()), reg)
    ddays = np.r_[
        first_day[who], rng.integers(0, months * 30, len(other))
    ] + rng.integers(0, 60, n_deposits)
    deposits = pd.DataFrame(
        {
            "customer_key": _str(pa.concat_arrays([dkeys, other])),
            "deposit_date": t0
            + (ddays * 86_400).astype("timedelta64[s]").astype("timedelta64[ns]"),
            "status": pd.Series(
                pd.array(
                    rng.choice(
                        ["active", "delivered", "cancelled"],
                        n_deposits,
                        p=[0.45, 0.5, 0.05],
                    ),
                    dtype="str",
                )
            ),
            "region": _str(reg),
        }
    )
    return visits, deposits


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--visits", type=float, default=10e6)
    p.add_argument("--deposits", type=float, default=1.3e6)
    p.add_argument("--repeat", type=int, default=2)
    args = p.parse_args()
    t = time.perf_counter()
    visits, deposits = synthesise(int(args.visits), int(args.deposits))
    print(
        f"synthesised {len(visits):,} visits, {len(deposits):,} deposits "
        f"in {time.perf_counter() - t:.1f} s; data in memory "
        f"{(visits.memory_usage(deep=True).sum() + deposits.memory_usage(deep=True).sum()) / 2**20:,.0f} MB"
    )
    base_rss, base_peak = _rss_mb(), _peak_mb()
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        rates = ps.close_rates(visits, deposits, by="region", period="M")
        times.append(time.perf_counter() - t)
    peak = _peak_mb()
    print(
        f"close_rates by region x month: {len(rates):,} rows; "
        f"best {min(times):.1f} s, runs {', '.join(f'{x:.1f}' for x in times)} s"
    )
    print(
        f"RSS before {base_rss:,.0f} MB; peak RSS {peak:,.0f} MB "
        f"(+{max(peak - max(base_rss, base_peak), 0):,.0f} MB during close_rates)"
    )
    assert rates["a_cards"].sum() == int((visits["visit_no"] == 1).sum())
    assert rates["c_cards"].sum() + rates["cancelled"].sum() == len(deposits)


if __name__ == "__main__":
    main()
