"""Quota pacing: month to date, the projected month end and its interval."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.errors import DataQualityWarning, InputError


def _deposits():
    """Three earlier months (Jul-Sep 2026) with half their C-cards by the 15th,
    and October with 6 C-cards by the 15th in R1 and 2 in R2."""
    days = []
    for m in ("2026-07", "2026-08", "2026-09"):
        start = pd.Period(m, "M").start_time
        days += [(start + pd.Timedelta(days=k), "R1") for k in (0, 5, 16, 25)]
    oct1 = pd.Timestamp("2026-10-01")
    days += [(oct1 + pd.Timedelta(days=k), "R1") for k in (0, 1, 3, 7, 12, 14)]
    days += [(oct1 + pd.Timedelta(days=k), "R2") for k in (2, 9)]
    days += [(oct1 + pd.Timedelta(days=20), "R1")]  # after as_of: not counted
    return pd.DataFrame(
        {
            "customer_key": [f"k{i}" for i in range(len(days))],
            "deposit_date": [d for d, _ in days],
            "status": "active",
            "region": [r for _, r in days],
        }
    )


def _targets(**by_region):
    return pd.DataFrame(
        {
            "region": list(by_region),
            "month": pd.PeriodIndex(["2026-10"] * len(by_region), freq="M"),
            "target": [float(x) for x in by_region.values()],
        }
    )


def test_pacing_by_hand():
    p = ps.quota_pacing(
        _deposits(), _targets(R1=20, R2=4), "2026-10-15", prior_months=0.0
    )
    r1, r2 = p.iloc[0], p.iloc[1]
    assert (r1.region, r1.month_to_date, r1.target) == ("R1", 6, 20.0)
    assert r1.expected_share == pytest.approx(0.5)  # 2 of 4 by the 15th, every month
    # rest ~ NegBin(r = 0.5 + 6, p = F = 1/2): mean 6.5, projected 12.5
    assert r1.projected == pytest.approx(12.5)
    assert r1.gap == pytest.approx(12.5 - 20)
    assert r1.days_left == 16
    assert r1.needed_per_day == pytest.approx(14 / 16)
    assert r2.projected == pytest.approx(2 + 2.5)
    assert r2.needed_per_day == pytest.approx(2 / 16)
    assert r1.projected_low <= r1.projected <= r1.projected_high
    assert r1.projected_low >= r1.month_to_date
    assert 0 < r1.p_reach < 0.1 and 0.1 < r2.p_reach < 0.9


def test_target_reached_and_last_day():
    p = ps.quota_pacing(_deposits(), _targets(R1=5, R2=1), "2026-10-31")
    r = p.iloc[0]
    assert r.month_to_date == 7 and r.p_reach == 1.0 and r.needed_per_day == 0.0
    assert r.projected == pytest.approx(7.0) and r.days_left == 0


def test_whole_dealer_target():
    t = pd.DataFrame({"month": pd.PeriodIndex(["2026-10"], freq="M"), "target": [10.0]})
    p = ps.quota_pacing(_deposits(), t, "2026-10-15", prior_months=0.0)
    assert p["month_to_date"].tolist() == [8]
    assert p["projected"].iloc[0] == pytest.approx(8 + 8.5)


def test_bad_targets_are_named_and_kept():
    with pytest.warns(
        DataQualityWarning,
        match=r"no deposit or visit has: \['R11 \(did you mean R1\?\)'\]",
    ):
        p = ps.quota_pacing(_deposits(), _targets(R1=20, R2=3, R11=5), "2026-10-15")
    assert p.set_index("region").loc["R11", "month_to_date"] == 0
    with pytest.warns(
        DataQualityWarning, match=r"C-cards in 2026-10 but no target: \['R2'\]"
    ):
        p = ps.quota_pacing(_deposits(), _targets(R1=20), "2026-10-15")
    r2 = p.set_index("region").loc["R2"]
    assert np.isnan(r2["target"]) and r2["month_to_date"] == 2
    with pytest.raises(
        InputError, match=r"targets have no row for 2026-11 .* cover 2026-10"
    ):
        ps.quota_pacing(_deposits(), _targets(R1=20), "2026-11-03")
    dup = pd.concat([_targets(R1=20), _targets(R1=25)], ignore_index=True)
    with pytest.raises(
        InputError, match=r"several rows for 2026-10 and region \['R1'\]"
    ):
        ps.quota_pacing(_deposits(), dup, "2026-10-15")
    two = _targets(R1=20).assign(store="S1")
    with pytest.raises(InputError, match="several group columns"):
        ps.quota_pacing(_deposits(), two, "2026-10-15")
    with pytest.raises(InputError, match="as_of: expected a day"):
        ps.quota_pacing(_deposits(), _targets(R1=20), "2026-10")
    with pytest.raises(InputError, match="history must be at least 1 month"):
        ps.quota_pacing(_deposits(), _targets(R1=20), "2026-10-15", history=0)
    with pytest.raises(InputError, match="level must be between 0 and 1"):
        ps.quota_pacing(_deposits(), _targets(R1=20), "2026-10-15", level=95)
    with pytest.raises(InputError, match="prior_months must be >= 0"):
        ps.quota_pacing(_deposits(), _targets(R1=20), "2026-10-15", prior_months=-1)
    with pytest.raises(InputError, match="targets has no column"):
        ps.quota_pacing(
            _deposits(), _targets(R1=20).drop(columns="target"), "2026-10-15"
        )
    no_region = _deposits().drop(columns="region")
    with pytest.raises(InputError, match="pass visits=... "):
        ps.quota_pacing(no_region, _targets(R1=20), "2026-10-15")


def test_straight_line_without_history():
    d = _deposits()
    d = d[d["deposit_date"] >= "2026-10-01"]
    with pytest.warns(DataQualityWarning, match="straight line"):
        p = ps.quota_pacing(d, _targets(R1=20, R2=4), "2026-10-15")
    assert p["expected_share"].iloc[0] == pytest.approx(15 / 31)


@settings(max_examples=20, deadline=None)
@given(
    days=st.lists(st.integers(0, 30), min_size=3, max_size=40),
    now=st.lists(st.integers(0, 19), max_size=15),
    target=st.integers(0, 30),
    as_of=st.integers(1, 31),
)
def test_projection_invariants(days, now, target, as_of):
    """Earlier months' deposits on ``days`` (day offsets, spread over Jul-Sep),
    October's on ``now``: the interval holds the projection, which is at least
    the month to date; P(reach) is a probability."""
    starts = [pd.Timestamp(m) for m in ("2026-07-01", "2026-08-01", "2026-09-01")]
    dates = [starts[i % 3] + pd.Timedelta(days=min(x, 29)) for i, x in enumerate(days)]
    dates += [starts[i] + pd.Timedelta(days=5) for i in range(3)]  # every month has one
    dates += [pd.Timestamp("2026-10-01") + pd.Timedelta(days=x) for x in now]
    d = pd.DataFrame(
        {"customer_key": [f"k{i}" for i in range(len(dates))], "deposit_date": dates,
         "status": "active", "region": "R1"}
    )  # fmt: skip
    p = ps.quota_pacing(d, _targets(R1=target), f"2026-10-{as_of:02d}").iloc[0]
    mtd = sum(x + 1 <= as_of for x in now)
    assert p.month_to_date == mtd
    assert mtd <= p.projected_low <= p.projected <= p.projected_high
    assert 0.0 <= p.p_reach <= 1.0
    assert p.days_left == 31 - as_of


@pytest.mark.slow
def test_backtest_interval_covers_the_month_end():
    """Over the sample's last 12 months, at days 10 and 20: the 95% interval of
    the projected month end covers the true month end at least 10 times of 12."""
    visits, deposits = ps.load_sample()
    live = deposits[deposits["status"] != "cancelled"]
    true = live.groupby(live["deposit_date"].dt.to_period("M")).size()
    months = pd.period_range(end="2026-10", periods=12, freq="M")
    regions = sorted(visits["region"].dropna().unique())
    by_zone = live.groupby([live["deposit_date"].dt.to_period("M"), "region"]).size()
    for day in (10, 20):
        hits, zone_hits, zones = 0, 0, 0
        for m in months:
            as_of = m.start_time + pd.Timedelta(days=day - 1)
            t = pd.DataFrame({"month": pd.PeriodIndex([m], freq="M"), "target": [1.0]})
            p = ps.quota_pacing(deposits, t, as_of).iloc[0]
            hits += p.projected_low <= true[m] <= p.projected_high
            tz = pd.DataFrame(
                {"region": regions, "month": pd.PeriodIndex([m] * len(regions), freq="M"),
                 "target": 1.0}
            )  # fmt: skip
            pz = ps.quota_pacing(deposits, tz, as_of)
            tr = np.array([by_zone.get((m, r), 0) for r in pz["region"]])
            zone_hits += int(
                ((pz["projected_low"] <= tr) & (tr <= pz["projected_high"])).sum()
            )
            zones += len(tr)
        assert hits >= 10, (day, hits)
        assert zone_hits / zones >= 0.9, (day, zone_hits, zones)
