"""close_rates, link_deposits, cohort_rates, return_visit_rates on tiny frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import pondstats as ps
from pondstats.errors import InputError
from pondstats.schema import RATE_COLUMNS

S = "str"


def _visits():
    # 东湖区 Jan: a b c d e (first visits); b comes back in Feb (not an A-card)
    # 西湖区 Jan: f g
    return pd.DataFrame(
        {
            "visit_id": ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8"],
            "customer_key": ["a", "b", "c", "d", "e", "f", "g", "b"],
            "visit_date": pd.to_datetime(
                [
                    "2026-01-02",
                    "2026-01-03",
                    "2026-01-04",
                    "2026-01-05",
                    "2026-01-06",
                    "2026-01-07",
                    "2026-01-08",
                    "2026-02-02",
                ]
            ),
            "visit_no": [1, 1, 1, 1, 1, 1, 1, 2],
            "region": pd.array(["东湖区"] * 5 + ["西湖区"] * 2 + ["东湖区"], dtype=S),
            "consultant": pd.array(list("XXYYYXYX"), dtype=S),
        }
    )


def _deposits():
    return pd.DataFrame(
        {
            "deposit_id": ["d1", "d2", "d3", "d4", "d5", "d6"],
            "customer_key": ["a", "b", "c", "f", "z", "y"],
            "deposit_date": pd.to_datetime(
                [
                    "2026-01-20",
                    "2026-02-03",
                    "2026-01-25",
                    "2026-01-10",
                    "2026-01-15",
                    "2026-01-16",
                ]
            ),
            "status": pd.array(
                ["active", "delivered", "cancelled", "active", "active", "active"],
                dtype=S,
            ),
            # d4: own region wins over the first visit's (西湖区); d5 unlinked, own
            # region; d6 unlinked, no region
            "region": pd.array([None, None, None, "东湖区", "西湖区", None], dtype=S),
        }
    )


def _row(t, region, period):
    sel = (t["period"] == pd.Period(period, "M")) & (
        t["region"].isna() if region is None else t["region"] == region
    )
    assert sel.sum() == 1
    return t[sel].iloc[0]


def test_close_rates_columns_and_counts_by_hand():
    t = ps.close_rates(_visits(), _deposits())
    assert list(t.columns) == ["region", "period", *RATE_COLUMNS]
    assert len(t) == 4
    r = _row(t, "东湖区", "2026-01")
    # a-e first visits; d1 (a) and d4 (f, own region 东湖区); d3 cancelled
    assert (r.a_cards, r.c_cards, r.cancelled, r.unlinked) == (5, 2, 1, 0)
    assert r.ac_ratio == 2.5 and r.close_rate == 0.4
    r = _row(t, "西湖区", "2026-01")
    assert (r.a_cards, r.c_cards, r.cancelled, r.unlinked) == (2, 1, 0, 1)
    assert r.ac_ratio == 2.0 and r.close_rate == 0.5
    r = _row(t, None, "2026-01")  # d6: no region, no A-card: kept, not dropped
    assert (r.a_cards, r.c_cards, r.cancelled, r.unlinked) == (0, 1, 0, 1)
    assert np.isnan(r.close_rate) and r.status == "too_few"
    r = _row(t, "东湖区", "2026-02")  # d2 (b's return month); no A-card in Feb
    assert (r.a_cards, r.c_cards) == (0, 1)
    for col in (
        "close_rate",
        "ci_low",
        "ci_high",
        "shrunk_rate",
        "p_value",
        "p_adjusted",
    ):
        assert np.isnan(r[col])
    assert r.status == "too_few"
    assert t["a_cards"].sum() == 7
    assert t["c_cards"].sum() + t["cancelled"].sum() == len(_deposits())


def test_close_rates_statistics_by_hand():
    t = ps.close_rates(_visits(), _deposits(), min_expected=0)
    jan = t[(t["period"] == pd.Period("2026-01", "M")) & t["region"].notna()]
    e, w = jan.iloc[0], jan.iloc[1]
    assert (e.region, w.region) == ("东湖区", "西湖区")
    lo, hi = proportion_confint([2, 1], [5, 2], method="wilson")
    assert (e.ci_low, e.ci_high) == pytest.approx((lo[0], hi[0]), abs=1e-12)
    assert (w.ci_low, w.ci_high) == pytest.approx((lo[1], hi[1]), abs=1e-12)
    # only two groups with A-cards in January: Jeffreys prior, no pooling
    assert e.shrunk_rate == pytest.approx(2.5 / 6)
    assert w.shrunk_rate == pytest.approx(1.5 / 3)
    assert e.shrunk_low == pytest.approx(stats.beta.ppf(0.025, 2.5, 3.5))
    assert w.shrunk_high == pytest.approx(stats.beta.ppf(0.975, 1.5, 1.5))
    # both above 13%: one-sided P(X >= k | n, 0.13)
    p_e = 1 - 0.87**5 - 5 * 0.13 * 0.87**4
    p_w = 1 - 0.87**2
    assert e.p_value == pytest.approx(p_e) and w.p_value == pytest.approx(p_w)
    # BH over the two January groups (the unlinked no-region row has no A-card)
    assert e.p_adjusted == pytest.approx(min(p_e * 2, p_w))
    assert w.p_adjusted == pytest.approx(p_w)
    assert set(jan["status"]) == {"on_track"}
    assert t.attrs["benchmark"] == ps.Benchmark()
    assert t.attrs["correction"] == "bh"


def test_period_none_by_list_and_by_none():
    t = ps.close_rates(_visits(), _deposits(), period=None)
    assert list(t.columns) == ["region", *RATE_COLUMNS]
    assert list(t["region"].iloc[:2]) == ["东湖区", "西湖区"]
    assert list(t["c_cards"]) == [3, 1, 1]
    t = ps.close_rates(_visits(), _deposits(), by=["region", "consultant"], period=None)
    assert list(t.columns[:2]) == ["region", "consultant"]
    assert t["a_cards"].sum() == 7
    t = ps.close_rates(_visits(), _deposits(), by=None, period=None)
    assert list(t.columns) == list(RATE_COLUMNS)
    assert (t["a_cards"].iloc[0], t["c_cards"].iloc[0], t["unlinked"].iloc[0]) == (
        7,
        5,
        2,
    )


def test_strong_and_weak_statuses():
    n = 400
    keys = [f"k{i}" for i in range(3 * n)]
    v = pd.DataFrame(
        {
            "customer_key": keys,
            "visit_date": pd.Timestamp("2026-03-01"),
            "visit_no": 1,
            "region": np.repeat(["甲区", "乙区", "丙区"], n),
        }
    )
    buy = keys[:20] + keys[n : n + 52] + keys[2 * n : 2 * n + 120]  # 5%, 13%, 30%
    d = pd.DataFrame(
        {
            "customer_key": buy,
            "deposit_date": pd.Timestamp("2026-03-10"),
            "status": "active",
        }
    )
    t = ps.close_rates(v, d, period=None).set_index("region")
    assert t.loc["甲区", "status"] == "weak"
    assert t.loc["乙区", "status"] == "on_track"
    assert t.loc["丙区", "status"] == "strong"
    assert t.loc["甲区", "p_value"] == pytest.approx(stats.binom.cdf(20, n, 0.13))
    holm = ps.close_rates(v, d, period=None, correction="holm")
    assert list(holm["status"]) == list(
        t.sort_index()["status"].reindex(holm["region"])
    )


def test_inputs_not_mutated():
    v, d = _visits(), _deposits()
    v0, d0 = v.copy(), d.copy()
    ps.close_rates(v, d)
    ps.link_deposits(v, d)
    ps.cohort_rates(v, d)
    ps.return_visit_rates(v, d)
    pd.testing.assert_frame_equal(v, v0)
    pd.testing.assert_frame_equal(d, d0)


def test_link_deposits_attribution():
    out = ps.link_deposits(_visits(), _deposits())
    assert list(out["region"].fillna("-")) == [
        "东湖区",
        "东湖区",
        "东湖区",
        "东湖区",
        "西湖区",
        "-",
    ]
    assert list(out["linked"]) == [True, True, True, True, False, False]
    assert list(out["first_visit_id"].fillna("-")) == ["v1", "v2", "v3", "v6", "-", "-"]
    # no visit_no == 1 for a customer: the earliest visit is the first
    v = pd.DataFrame(
        {
            "visit_id": ["x2", "x1"],
            "customer_key": ["p", "p"],
            "visit_date": pd.to_datetime(["2026-02-01", "2026-01-01"]),
            "visit_no": [3, 2],
            "region": ["乙区", "甲区"],
        }
    )
    d = pd.DataFrame(
        {
            "customer_key": ["p"],
            "deposit_date": pd.to_datetime(["2026-03-01"]),
            "status": ["active"],
        }
    )
    assert ps.link_deposits(v, d)["region"].iloc[0] == "甲区"


def test_cohort_rates_by_hand():
    v, d = _visits(), _deposits()
    t = ps.cohort_rates(v, d, horizon_days=20)
    e = t[t["region"] == "东湖区"].iloc[0]
    # a: 18 days (in); b: 31 days (out); c: cancelled
    assert (e.prospects, e.converted, e.cohort_rate) == (5, 1, 0.2)
    w = t[t["region"] == "西湖区"].iloc[0]
    assert (w.prospects, w.converted) == (2, 1)  # f: 3 days
    assert bool(e.complete) is False  # Jan 31 + 20 days > Feb 3 (latest date)
    t = ps.cohort_rates(v, d, horizon_days=20, as_of="2026-02-20")
    assert bool(t["complete"].iloc[0]) is True
    lo, hi = proportion_confint(1, 5, method="wilson")
    assert (e.ci_low, e.ci_high) == pytest.approx((lo, hi))
    assert (
        ps.cohort_rates(v, d)[lambda x: x.region == "东湖区"]["converted"].iloc[0] == 2
    )


def test_return_visit_rates_by_hand():
    t = ps.return_visit_rates(_visits(), _deposits()).set_index("region")
    e = t.loc["东湖区"]
    # b returns (and closes); a closes without returning; c's deposit cancelled
    assert (e.prospects, e.returning, e.return_rate) == (5, 1, 0.2)
    assert (e.one_time_closed, e.one_time_rate) == (1, 0.25)
    assert (e.returning_closed, e.returning_rate, e.lift) == (1, 1.0, 4.0)
    w = t.loc["西湖区"]
    assert (w.returning, w.one_time_rate) == (0, 0.5)
    assert np.isnan(w.returning_rate) and np.isnan(w.lift)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (
            lambda v, d: ps.close_rates(v.drop(columns="visit_no"), d),
            r"visits has no column\(s\) \['visit_no'\]",
        ),
        (
            lambda v, d: ps.close_rates(v, d.drop(columns="status")),
            r"deposits has no column\(s\) \['status'\]",
        ),
        (lambda v, d: ps.close_rates(v, d, by="store"), r"cannot group by \['store'\]"),
        (
            lambda v, d: ps.close_rates(v, d, period="fortnight"),
            "period must be a pandas period frequency",
        ),
        (
            lambda v, d: ps.close_rates(v, d.assign(status="退订")),
            "must be active, cancelled or delivered",
        ),
        (
            lambda v, d: ps.close_rates(v.assign(visit_date="2026-01-01"), d),
            "must be datetime64",
        ),
        (lambda v, d: ps.close_rates(v.to_dict(), d), "must be a pandas DataFrame"),
        (
            lambda v, d: ps.cohort_rates(v, d, horizon_days=-1),
            "horizon_days must be >= 0",
        ),
        (
            lambda v, d: ps.close_rates(v.assign(period=1), d, by="period"),
            "'period' is reserved",
        ),
    ],
)
def test_errors(call, match):
    with pytest.raises(InputError, match=match):
        call(_visits(), _deposits())


keys = st.sampled_from(list("abcdefgh"))
dates = st.dates(
    min_value=pd.Timestamp("2026-01-01").date(),
    max_value=pd.Timestamp("2026-04-30").date(),
)


# arbitrary data: data-quality warnings are expected, the invariants are tested
@pytest.mark.filterwarnings("ignore::pondstats.errors.DataQualityWarning")
@settings(deadline=None)
@given(
    st.lists(
        st.tuples(keys, dates, st.sampled_from(["甲区", "乙区", None])),
        min_size=1,
        max_size=25,
    ),
    st.lists(
        st.tuples(
            st.sampled_from(list("abcdefghxyz")),
            dates,
            st.sampled_from(["active", "cancelled", "delivered"]),
            st.sampled_from(["甲区", "乙区", None]),
        ),
        max_size=15,
    ),
)
def test_invariants(vis, dep):
    v = pd.DataFrame(vis, columns=["customer_key", "visit_date", "region"])
    v["visit_date"] = pd.to_datetime(v["visit_date"])
    v["region"] = v["region"].astype(S)
    v = v.sort_values("visit_date", kind="stable")
    v["visit_no"] = v.groupby("customer_key").cumcount() + 1
    d = pd.DataFrame(dep, columns=["customer_key", "deposit_date", "status", "region"])
    d["deposit_date"] = pd.to_datetime(d["deposit_date"])
    d["region"] = d["region"].astype(S)
    for period in ("M", None):
        t = ps.close_rates(v, d, period=period)
        assert t["a_cards"].sum() == v["customer_key"].nunique()
        assert t["c_cards"].sum() + t["cancelled"].sum() == len(d)
        assert (t["unlinked"] <= t["c_cards"]).all()
        for col in (
            "close_rate",
            "ci_low",
            "ci_high",
            "shrunk_rate",
            "shrunk_low",
            "shrunk_high",
        ):
            x = t[col].dropna()
            assert ((x >= 0) & (x <= 1)).all()
            assert np.isfinite(x).all()
        assert t["close_rate"].isna().eq(t["a_cards"] == 0).all()
        assert set(t["status"]) <= set(ps.schema.RATE_STATUSES)
        assert not np.isinf(t["ac_ratio"]).any()
