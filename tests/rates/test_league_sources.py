"""The consultant league and the cost of a card per lead source."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from kpi_frames import tiny
from scipy import stats

import pondstats as ps
from pondstats.errors import DataQualityWarning, InputError


def _consultants(spec, store="S1"):
    """visits/deposits with ``spec`` = [(consultant, A-cards, C-cards), ...]."""
    rows, deps = [], []
    for name, a, c in spec:
        for i in range(a):
            key = f"{name}-{i}"
            rows.append((key, name))
            if i < c:
                deps.append(key)
    v = pd.DataFrame(
        {
            "customer_key": [r[0] for r in rows],
            "visit_date": pd.Timestamp("2026-03-02"),
            "visit_no": 1,
            "store": store,
            "consultant": [r[1] for r in rows],
        }
    )
    d = pd.DataFrame(
        {
            "customer_key": deps,
            "deposit_date": pd.Timestamp("2026-03-10"),
            "status": "active",
        }
    )
    return v, d


SPEC = [("big1", 1000, 130), ("big2", 1000, 100), ("big3", 1000, 160), ("tiny", 5, 2)]


def test_small_consultant_is_never_first():
    v, d = _consultants(SPEC)
    league = ps.consultant_league(v, d)
    tiny_row = league[league["consultant"] == "tiny"].iloc[0]
    assert bool(tiny_row["too_few"]) and pd.isna(tiny_row["rank"])
    assert league["consultant"].tolist() == ["big3", "big1", "big2", "tiny"]
    assert league["rank"].tolist()[:3] == [1, 2, 3]
    # even ranked on purpose, 2 of 5 is pulled back towards the store's 13%
    ranked = ps.consultant_league(v, d, min_expected=0)
    t = ranked[ranked["consultant"] == "tiny"].iloc[0]
    assert t["rank"] != 1
    pool = (130 + 100 + 160 + 2) / 3005
    assert t["pool_rate"] == pytest.approx(pool)
    assert pool < t["shrunk_rate"] < 0.4


def test_shrinkage_by_hand_with_the_fitted_concentration():
    v, d = _consultants(SPEC)
    league = ps.consultant_league(v, d, min_expected=0)
    kappa = league.attrs["kappa"]
    pool = 392 / 3005
    for r in league.itertuples():
        a = pool * kappa + r.c_cards
        b = (1 - pool) * kappa + r.a_cards - r.c_cards
        assert r.shrunk_rate == pytest.approx(a / (a + b))
        assert r.shrunk_low == pytest.approx(stats.beta.ppf(0.025, a, b))
        assert r.shrunk_low <= r.shrunk_rate <= r.shrunk_high


def test_quarter_probabilities():
    spec = [(f"c{i}", 400, 30 + 5 * i) for i in range(8)]
    v, d = _consultants(spec)
    league = ps.consultant_league(v, d, random_state=3)
    # two of eight in each quarter in every draw
    assert league["p_top"].sum() == pytest.approx(2.0)
    assert league["p_bottom"].sum() == pytest.approx(2.0)
    assert league.iloc[0]["consultant"] == "c7"
    assert league.iloc[0]["p_top"] > league.iloc[-1]["p_top"]
    again = ps.consultant_league(v, d, random_state=3)
    pd.testing.assert_frame_equal(league, again)


def test_pooling_per_store_and_overall():
    v1, d1 = _consultants([("a", 500, 100), ("b", 500, 90)], store="S1")
    v2, d2 = _consultants([("c", 500, 40), ("e", 500, 50)], store="S2")
    v, d = (
        pd.concat([v1, v2], ignore_index=True),
        pd.concat([d1, d2], ignore_index=True),
    )
    per_store = ps.consultant_league(v, d)
    assert per_store.set_index("consultant")["pool_rate"].to_dict() == pytest.approx(
        {"a": 0.19, "b": 0.19, "c": 0.09, "e": 0.09}
    )
    overall = ps.consultant_league(v, d, by_store=False)
    assert "store" not in overall.columns
    assert overall["pool_rate"].unique() == pytest.approx([0.14])
    with pytest.raises(InputError, match="pass by_store=False"):
        ps.consultant_league(v.drop(columns="store"), d)


def test_league_of_one_month():
    v, d = _consultants(SPEC)
    league = ps.consultant_league(v, d, period="2026-03")
    assert league["a_cards"].sum() == 3005
    with pytest.raises(InputError, match="no A- or C-cards in period 2026-04"):
        ps.consultant_league(v, d, period="2026-04")


def test_league_recovers_planted_best_and_worst(sample_dealer):
    v, d = ps.load_sample()
    sample_truth = sample_dealer.truth
    league = ps.consultant_league(v, d)
    truth = sample_truth.consultants.merge(league, on=["consultant", "store"])
    enough = truth[truth["a_cards"] >= 500].sort_values("odds")
    q = league.attrs["quarter"]
    top = set(league.loc[league["rank"] <= q, "consultant"])
    bottom = set(league.loc[league["rank"] > league["rank"].max() - q, "consultant"])
    best, worst = enough.tail(4), enough.head(4)
    assert len(set(best["consultant"]) & top) >= 3
    assert len(set(worst["consultant"]) & bottom) >= 3
    half = league["rank"].max() / 2
    assert (best["rank"] <= half).all() and (worst["rank"] > half).all()
    assert (worst["p_bottom"] > 0.4).sum() >= 3


# -- sources -------------------------------------------------------------------


def _spend(**by_source):
    return pd.DataFrame(
        {
            "region": "R1",
            "month": pd.PeriodIndex(["2026-01"] * len(by_source), freq="M"),
            "source": list(by_source),
            "spend": list(by_source.values()),
        }
    )


def test_source_roi_by_hand():
    v, d = tiny()
    roi = ps.source_roi(v, d, _spend(网络=900.0, 转介绍=400.0, 车展=100.0))
    r = roi.set_index("source")
    # 网络: a, c, e first visits; a and e paid in January
    assert (r.loc["网络", "a_cards"], r.loc["网络", "c_cards"]) == (3, 2)
    assert r.loc["网络", "cost_per_a_card"] == pytest.approx(300.0)
    assert r.loc["网络", "cost_per_c_card"] == pytest.approx(450.0)
    # 转介绍: b (cancelled), d (pays in May: not a January C-card)
    assert r.loc["转介绍", "c_cards"] == 0 and np.isnan(
        r.loc["转介绍", "cost_per_c_card"]
    )
    assert r.loc["车展", "cost_per_a_card"] == pytest.approx(100.0)
    # the unlinked deposit has no source: kept on its own row
    assert roi["c_cards"].sum() == 3
    assert r["deposit_share"].sum() == pytest.approx(1.0)
    assert r.loc["网络", "deposit_share"] == pytest.approx(2 / 3)
    assert roi["source"].iloc[0] == "网络"  # the only cost per C-card: first


def test_source_roi_bad_input():
    v, d = tiny()
    with pytest.warns(DataQualityWarning, match=r"match no visit source: \['抖音'\]"):
        roi = ps.source_roi(v, d, _spend(网络=900.0, 抖音=50.0))
    r = roi.set_index("source")
    assert r.loc["抖音", "spend"] == 50.0 and r.loc["抖音", "a_cards"] == 0
    with pytest.raises(InputError, match="spend has no 'source' column"):
        ps.source_roi(v, d, _spend(网络=1.0).drop(columns="source"))
    with pytest.raises(InputError, match="spend has no row for month 2026-02"):
        ps.source_roi(v, d, _spend(网络=1.0), month="2026-02")


def test_cheapest_planted_source_is_cheapest(sample_dealer):
    v, d = ps.load_sample()
    sample_truth = sample_dealer.truth
    roi = ps.source_roi(v, d, ps.load_sample_spend(by_source=True))
    costs = sample_truth.source_costs.dropna(subset=["cost_per_deposit"])
    cheapest = costs.sort_values("cost_per_deposit")["source"].iloc[0]
    assert roi["source"].iloc[0] == cheapest
    dearest = costs.sort_values("cost_per_deposit")["source"].iloc[-1]
    paid = roi.dropna(subset=["cost_per_c_card"])
    assert paid["source"].iloc[-1] == dearest
