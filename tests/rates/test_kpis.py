"""The KPI board: kpi_table and compare_periods on tiny hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from kpi_frames import tiny
from scipy import stats

import pondstats as ps
from pondstats.errors import DataQualityWarning, InputError
from pondstats.rates.stats import wilson_interval
from pondstats.vocab import KPI_BY_ID, KPI_DEFINITIONS, KPIS

JAN = pd.Period("2026-01", "M")


def _row(t, **keys):
    m = np.ones(len(t), dtype=bool)
    for k, v in keys.items():
        m &= (t[k] == v).to_numpy()
    assert m.sum() == 1, keys
    return t[m].iloc[0]


def test_every_kpi_by_hand():
    v, d = tiny()
    t = ps.kpi_table(v, d)
    r = _row(t, region="R1", period=JAN)
    assert (r.a_cards, r.c_cards, r.cancelled, r.unlinked) == (5, 3, 1, 1)
    assert r.close_rate == pytest.approx(3 / 5)
    assert r.ac_ratio == pytest.approx(5 / 3)
    assert r.cancel_rate == pytest.approx(1 / 4)
    assert r.test_drives == 2  # a and c; d has no flag: no test drive
    assert r.test_drive_rate == pytest.approx(2 / 5)
    assert r.test_drive_closed == 1  # a
    assert r.test_drive_close_rate == pytest.approx(1 / 2)
    assert r.no_test_drive_closed == 1  # e (b cancelled, d after 134 days)
    assert r.no_test_drive_close_rate == pytest.approx(1 / 3)
    assert r.test_drive_lift == pytest.approx(1.5)
    assert r.returning == 1  # a
    assert r.return_rate == pytest.approx(1 / 5)
    lo, hi = wilson_interval(2, 5)
    assert (r.test_drive_rate_low, r.test_drive_rate_high) == pytest.approx((lo, hi))
    lo, hi = wilson_interval(3, 5)
    assert (r.close_rate_low, r.close_rate_high) == pytest.approx((lo, hi))
    assert (r.ac_ratio_low, r.ac_ratio_high) == pytest.approx((1 / hi, 1 / lo))
    may = _row(t, region="R1", period=pd.Period("2026-05", "M"))
    assert (may.a_cards, may.c_cards) == (0, 1) and np.isnan(may.close_rate)
    r2 = _row(t, region="R2", period=JAN)
    assert (r2.a_cards, r2.test_drive_rate, r2.test_drive_close_rate) == (1, 1.0, 0.0)
    assert np.isnan(r2.no_test_drive_close_rate) and np.isnan(r2.test_drive_lift)


def test_horizon_and_whole_period():
    v, d = tiny()
    t = ps.kpi_table(v, d, by=None, period=None, horizon_days=200)
    assert len(t) == 1
    r = t.iloc[0]
    assert (r.a_cards, r.c_cards, r.test_drives) == (6, 4, 3)
    assert r.no_test_drive_closed == 2  # d now closes within 200 days
    assert bool(r.follow_up_complete) is False  # 2026-01-08 + 200 days > 2026-05-20


def test_spend_costs_and_unknown_keys_kept():
    v, d = tiny()
    spend = pd.DataFrame(
        {
            "region": ["R1", "R2", "R9"],
            "month": pd.PeriodIndex(["2026-01"] * 3, freq="M"),
            "spend": [1000.0, 500.0, 300.0],
        }
    )
    with pytest.warns(
        DataQualityWarning, match=r"region value\(s\) that match no visit: \['R9'\]"
    ):
        t = ps.kpi_table(v, d, spend=spend)
    r1 = _row(t, region="R1", period=JAN)
    assert r1.cost_per_a_card == pytest.approx(200.0)
    assert r1.cost_per_c_card == pytest.approx(1000 / 3)
    lo, hi = stats.chi2.ppf(0.025, 6) / 2, stats.chi2.ppf(0.975, 8) / 2
    assert (r1.cost_per_c_card_low, r1.cost_per_c_card_high) == pytest.approx(
        (1000 / hi, 1000 / lo)
    )
    r2 = _row(t, region="R2", period=JAN)
    assert r2.cost_per_a_card == 500.0 and np.isnan(r2.cost_per_c_card)
    r9 = _row(t, region="R9", period=JAN)  # nothing dropped
    assert (r9.a_cards, r9.c_cards, r9.spend) == (0, 0, 300.0)
    assert t["spend"].sum() == 1800.0


def test_spend_errors():
    v, d = tiny()
    spend = pd.DataFrame({"region": ["R1"], "month": ["2026-01"], "spend": [1.0]})
    with pytest.raises(InputError, match="monthly periods"):
        ps.kpi_table(v, d, spend=spend)
    spend["month"] = pd.PeriodIndex(["2026-01"], freq="M")
    with pytest.raises(InputError, match=r"spend has no column\(s\) \['source'\]"):
        ps.kpi_table(v, d, by="source", spend=spend)
    with pytest.raises(InputError, match="cannot be summed into period='W'"):
        ps.kpi_table(v, d, period="W", spend=spend)
    with pytest.raises(InputError, match="horizon_days must be >= 0"):
        ps.kpi_table(v, d, horizon_days=-1)


def test_no_test_drive_column_means_unknown():
    v, d = tiny()
    t = ps.kpi_table(v.drop(columns="test_drive"), d, by=None, period=None)
    cols = ["test_drives", "test_drive_rate", "no_test_drive_close_rate"]
    assert t[cols].isna().to_numpy().all()
    assert t["return_rate"].iloc[0] == pytest.approx(1 / 6)


def test_input_not_changed():
    v, d = tiny()
    v0, d0 = v.copy(), d.copy()
    ps.kpi_table(v, d, by="source")
    pd.testing.assert_frame_equal(v, v0)
    pd.testing.assert_frame_equal(d, d0)


# arbitrary data trips close_rates' data-quality warnings (lagged deposits, 100%
# groups); the invariants hold all the same
@pytest.mark.filterwarnings("ignore::pondstats.errors.DataQualityWarning")
@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3), st.integers(0, 40), st.booleans(), st.integers(-1, 120)
        ),
        min_size=1,
        max_size=30,
    )
)
def test_rates_in_unit_interval_and_counts_add_up(rows):
    """Per customer: region, first-visit day, test drive, deposit lag (-1: none)."""
    base = pd.Timestamp("2026-01-01")
    v = pd.DataFrame(
        {
            "customer_key": [f"k{i}" for i in range(len(rows))],
            "visit_date": [base + pd.Timedelta(days=r[1]) for r in rows],
            "visit_no": 1,
            "region": [f"R{r[0]}" for r in rows],
            "test_drive": pd.array([r[2] for r in rows], dtype="boolean"),
        }
    )
    dep = [
        (f"k{i}", base + pd.Timedelta(days=r[1] + r[3]))
        for i, r in enumerate(rows)
        if r[3] >= 0
    ]
    d = pd.DataFrame(
        {
            "customer_key": [x[0] for x in dep],
            "deposit_date": pd.to_datetime([x[1] for x in dep]),
            "status": "active",
        }
    )
    t = ps.kpi_table(v, d)
    assert t["a_cards"].sum() == len(rows)
    assert t["test_drives"].sum() == sum(r[2] for r in rows)
    for k in KPI_DEFINITIONS:
        if k.unit == "share" and k.id in t.columns:
            x = t[k.id].dropna()
            assert ((x >= 0) & (x <= 1)).all(), k.id
    closed = t["test_drive_closed"].sum() + t["no_test_drive_closed"].sum()
    assert closed == sum(0 <= r[3] <= 90 for r in rows)


# -- compare_periods ---------------------------------------------------------


def _two_months():
    t = pd.DataFrame(
        {
            "region": ["R1", "R1", "R2", "R2"],
            "period": pd.PeriodIndex(["2026-02", "2026-03"] * 2, freq="M"),
            "a_cards": [100, 100, 50, 50],
            "c_cards": [10, 25, 5, 5],
        }
    )
    t["close_rate"] = t["c_cards"] / t["a_cards"]
    t.attrs["by"] = ["region"]
    return t


def test_compare_periods_by_hand():
    c = ps.compare_periods(_two_months(), "2026-03", against=("previous",))
    r = c[(c["region"] == "R1") & (c["kpi"] == "close_rate")].iloc[0]
    assert (r.now, r.then, r.change) == pytest.approx((0.25, 0.10, 0.15))
    pool = 35 / 200
    z = 0.15 / np.sqrt(pool * (1 - pool) * (2 / 100))
    assert r.p_value == pytest.approx(2 * stats.norm.sf(z))
    assert r.then_period == pd.Period("2026-02", "M")
    cc = c[(c["region"] == "R1") & (c["kpi"] == "c_cards")].iloc[0]
    assert cc.p_value == pytest.approx(stats.binomtest(25, 35).pvalue)
    same = c[(c["region"] == "R2") & (c["kpi"] == "close_rate")].iloc[0]
    assert same.p_value == pytest.approx(1.0) and not same.changed
    # BH across the two regions of one KPI and comparison
    rates = c[c["kpi"] == "close_rate"].sort_values("p_value")
    assert rates["p_adjusted"].iloc[0] == pytest.approx(rates["p_value"].iloc[0] * 2)
    assert bool(r.changed)


def test_compare_periods_year_ago_missing_and_errors():
    t = _two_months()
    c = ps.compare_periods(t, "2026-03")
    ya = c[c["against"] == "year_ago"]
    assert ya["then"].isna().all() and ya["p_value"].isna().all()
    assert not ya["changed"].any()
    with pytest.raises(
        InputError, match="against must name 'previous' and/or 'year_ago'"
    ):
        ps.compare_periods(t, "2026-03", against=("last_week",))
    with pytest.raises(InputError, match="no rows for month 2026-07"):
        ps.compare_periods(t, "2026-07")
    quarterly = t.assign(period=t["period"].dt.asfreq("Q"))
    with pytest.raises(InputError, match="needs a monthly table"):
        ps.compare_periods(quarterly, "2026-03")
    with pytest.raises(InputError, match="no 'period' column"):
        ps.compare_periods(t.drop(columns="period"), "2026-03")
    with pytest.raises(InputError, match=r"kpis \['spend'\] are not KPI columns"):
        ps.compare_periods(t, "2026-03", kpis=["spend"])


# -- the KPI dictionary ------------------------------------------------------


def test_kpis_table_and_vocab_names_come_from_it():
    assert list(ps.KPIS.index) == [k.id for k in KPI_DEFINITIONS]
    assert ps.KPIS.loc["close_rate", "benchmark"] == "13% (8%–20%)"
    for k in KPI_DEFINITIONS:
        assert KPIS[k.id].name == k.name
        assert k.unit in (
            "count",
            "share",
            "ratio",
            "yuan",
            "probability",
            "rank",
            "per_day",
        )
        assert k.better in (None, "higher", "lower")
        for col in (k.numerator, *k.denominator):
            if col is not None:
                assert col.lstrip("-") in KPI_BY_ID, (k.id, col)


#: Columns that identify a row or qualify it, not KPIs.
IDENTIFIERS = {"region", "store", "consultant", "source", "period", "month", "status",
               "follow_up_complete", "too_few"}  # fmt: skip


def assert_kpi_columns(frame: pd.DataFrame) -> None:
    """Every column is an identifier, a KPI of ps.KPIS, or a KPI's interval."""
    for col in frame.columns:
        if col in IDENTIFIERS:
            continue
        base = col.removesuffix("_low").removesuffix("_high")
        if col != base and base.startswith("shrunk"):
            base = "shrunk_rate"
        assert base in ps.KPIS.index, col
        if col != base:
            assert ps.KPIS.loc[base, "interval"], col


def test_kpis_cover_every_column_of_every_function():
    v, d = tiny()
    spend = pd.DataFrame(
        {"region": ["R1"], "source": ["网络"], "month": pd.PeriodIndex(["2026-01"], freq="M"),
         "spend": [1000.0]}
    )  # fmt: skip
    v = v.assign(store="S1", consultant=["c1", "c1", "c2", "c2", "c3", "c3", "c1"])
    d = d.assign(store="S1")
    targets = pd.DataFrame(
        {"region": ["R1", "R2"], "month": pd.PeriodIndex(["2026-01"] * 2, freq="M"),
         "target": [3.0, 1.0]}
    )  # fmt: skip
    frames = [
        ps.kpi_table(v, d, spend=spend.drop(columns="source")),
        ps.kpi_table(v, d, by=["store", "source"], period=None),
        ps.consultant_league(v, d, min_expected=0),
        ps.source_roi(v, d, spend),
    ]
    with pytest.warns(DataQualityWarning, match="fewer than 3 earlier months"):
        frames.append(ps.quota_pacing(d, targets, "2026-01-20", visits=v))
    for f in frames:
        assert_kpi_columns(f)
    c = ps.compare_periods(ps.kpi_table(v, d), "2026-01")
    assert set(c["kpi"]) <= set(ps.KPIS.index)


def test_open_follow_up_is_not_compared():
    v, d = tiny()
    t = ps.kpi_table(v, d, by=None)
    c = ps.compare_periods(
        t, "2026-05", kpis=["return_rate", "c_cards"], against=("previous",)
    )
    r = c.set_index("kpi")
    assert not r.loc["return_rate", "comparable"] and np.isnan(
        r.loc["return_rate", "p_value"]
    )
    assert r.loc["c_cards", "comparable"]
