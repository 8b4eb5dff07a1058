"""schedule_calls / call_list(capacity=...) and grade_disagreements, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.errors import InputError
from pondstats.leads._schedule import capacity_from_visits, schedule_calls


def _calls() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "consultant": ["刘", "陈", "刘", "刘", None, "陈"],
            "probability": [0.50, 0.40, 0.30, 0.20, 0.15, 0.05],
            "next_contact": pd.to_datetime(
                [
                    "2026-10-01",
                    "2026-10-02",
                    "2026-10-01",
                    "2026-10-01",
                    "2026-10-01",
                    "2026-10-30",
                ]
            ),
            "grade": ["C", "H", "A", None, "B", "H"],
            "tier": ["H", "B", "A", "C", "H", "C"],
        }
    )


def test_schedule_by_hand():
    calls = _calls()
    before = calls.copy()
    s = schedule_calls(calls, "2026-10-01", capacity=1, days=2, lang="en")
    pd.testing.assert_frame_equal(calls, before)  # input unchanged
    # 刘: three due on 10-01, one a day: 0.50 on 10-01, 0.30 on 10-02, 0.20 waits;
    # 陈: due 10-02, booked that day; 0.05 due 10-30 is later;
    # no consultant: its own queue
    assert s["call_day"].dt.strftime("%m-%d").fillna("-").tolist() == [
        "10-01",
        "10-02",
        "10-02",
        "-",
        "10-01",
        "-",
    ]
    assert s["call_state"].tolist() == [
        "scheduled",
        "scheduled",
        "scheduled",
        "waiting",
        "scheduled",
        "later",
    ]
    assert s["call_state_text"].iloc[3] == "waiting beyond capacity"
    assert s.attrs["capacity"] == 1


@settings(max_examples=30, deadline=None)
@given(
    cap=st.integers(1, 4),
    days=st.integers(1, 6),
    probs=st.lists(st.floats(0, 1), min_size=1, max_size=30),
)
def test_schedule_never_exceeds_capacity_and_calls_the_likeliest_first(
    cap, days, probs
):
    n = len(probs)
    calls = pd.DataFrame(
        {
            "consultant": ["刘", "陈"] * (n // 2) + ["刘"] * (n % 2),
            "probability": probs,
            "next_contact": pd.Timestamp("2026-10-01"),
        }
    )
    s = schedule_calls(calls, "2026-10-01", capacity=cap, days=days)
    per_day = s.dropna(subset=["call_day"]).groupby(["consultant", "call_day"]).size()
    assert (per_day <= cap).all()
    for _, g in s.groupby("consultant"):
        booked = g.loc[g["call_state"] == "scheduled", "probability"]
        waiting = g.loc[g["call_state"] == "waiting", "probability"]
        if len(booked) and len(waiting):
            assert booked.min() >= waiting.max()
        assert len(booked) == min(len(g), cap * days)


def test_capacity_from_visits_and_errors():
    v = pd.DataFrame(
        {
            "consultant": ["刘"] * 5 + ["陈"],
            "visit_date": pd.to_datetime(
                ["2026-09-29"] * 4 + ["2026-08-01", "2026-09-30"]
            ),
        }
    )
    # 刘 4 on one day (the August visit is outside the 28 days), 陈 1: mean 2.5 -> 3
    assert capacity_from_visits(v, "2026-09-30") == 3
    s = schedule_calls(_calls(), "2026-10-01", capacity="auto", visits=v)
    assert s.attrs["capacity"] == 3
    with pytest.raises(InputError, match="capacity='auto' reads the consultants"):
        schedule_calls(_calls(), "2026-10-01")
    with pytest.raises(InputError, match="capacity must be a whole number"):
        schedule_calls(_calls(), "2026-10-01", capacity=0)
    with pytest.raises(InputError, match="capacity must be a number of calls"):
        schedule_calls(_calls(), "2026-10-01", capacity="lots")
    with pytest.raises(InputError, match="days must be a positive whole number"):
        schedule_calls(_calls(), "2026-10-01", capacity=2, days=0)
    with pytest.raises(InputError, match=r"lacks the column\(s\) \['next_contact'\]"):
        schedule_calls(_calls().drop(columns="next_contact"), "2026-10-01", capacity=2)


def test_call_list_with_capacity():
    visits = pd.DataFrame(
        {
            "customer_key": ["13800000001", "13800000002", "13800000003"],
            "name": ["张三", "李四", "王五"],
            "phone": ["13800000001", "13800000002", "13800000003"],
            "visit_date": pd.to_datetime(["2026-09-20", "2026-09-25", "2026-09-28"]),
            "consultant": ["刘", "刘", "陈"],
        }
    )
    deposits = visits.iloc[:0][["customer_key"]].assign(
        deposit_date=pd.Series(dtype="datetime64[ns]")
    )
    X = pd.DataFrame({"days_since_last": [1, 5, 10, 20, 40, 60] * 5})
    y = [1, 1, 0, 1, 0, 0] * 5
    scorer = ps.LeadScorer(calibration=None).fit(X, y)
    calls = ps.call_list(
        scorer, visits, deposits, "2026-09-30", capacity=1, schedule_days=1
    )
    plain = ps.call_list(scorer, visits, deposits, "2026-09-30")
    pd.testing.assert_frame_equal(calls[plain.columns], plain)
    # 刘 has two leads and one call a day
    booked = calls.loc[calls["call_state"] == "scheduled"]
    assert booked.groupby("consultant").size().max() == 1
    assert set(calls["call_state"]) <= {"scheduled", "waiting", "later"}


def test_grade_disagreements_by_hand():
    d = ps.grade_disagreements(_calls(), lang="en")
    # C vs H (3 levels, model higher), H vs B (2, consultant higher), B vs H (2);
    # A vs A agrees, a blank grade is left out, H vs C (3)
    assert d[["grade", "tier", "gap"]].values.tolist() == [
        ["C", "H", 3],
        ["H", "C", 3],
        ["H", "B", 2],
        ["B", "H", 2],
    ]
    assert d["direction"].tolist() == [
        "model_higher",
        "consultant_higher",
        "consultant_higher",
        "model_higher",
    ]
    assert d["direction_text"].iloc[0] == "model grades higher"
    assert len(ps.grade_disagreements(_calls(), min_levels=3)) == 2
    with pytest.raises(InputError, match="min_levels must be 1, 2 or 3"):
        ps.grade_disagreements(_calls(), min_levels=5)
    with pytest.raises(InputError, match="lacks the column 'tier'"):
        ps.grade_disagreements(_calls().drop(columns="tier"))
    assert np.isin(d["tier"], ["H", "A", "B", "C"]).all()


def test_call_list_with_horizon_tiers():
    from pondstats.leads._horizons import HorizonScorer, horizon_tiers

    visits = pd.DataFrame(
        {
            "customer_key": ["13800000001", "13800000002", "13800000003"],
            "name": ["张三", "李四", "王五"],
            "phone": ["13800000001", "13800000002", "13800000003"],
            "visit_date": pd.to_datetime(["2026-09-20", "2026-09-25", "2026-09-29"]),
            "consultant": ["刘", "刘", "陈"],
        }
    )
    deposits = visits.iloc[:0][["customer_key"]].assign(
        deposit_date=pd.Series(dtype="datetime64[ns]")
    )
    rng = np.random.default_rng(0)
    X = pd.DataFrame({"days_since_last": rng.integers(0, 60, 600)})
    days = np.where(
        rng.random(600) < 0.5 - X["days_since_last"] / 150,
        rng.integers(1, 60, 600),
        np.nan,
    )
    hs = HorizonScorer(random_state=0).fit(X, days)
    scorer = ps.LeadScorer(random_state=0).fit(X, ~np.isnan(days))
    calls = ps.call_list(scorer, visits, deposits, "2026-09-30", horizons=hs)
    p = calls[["p_7", "p_15", "p_30", "p_90"]]
    assert (np.diff(p.to_numpy(), axis=1) >= 0).all()
    assert calls["tier"].tolist() == horizon_tiers(p).tolist()
    custom = {"H": (7, 0.99), "A": (15, 0.0)}
    calls = ps.call_list(
        scorer, visits, deposits, "2026-09-30", horizons=hs, horizon_tiers=custom
    )
    assert set(calls["tier"]) == {"A"}
    with pytest.raises(InputError, match="horizons= needs a HorizonScorer fitted on"):
        bad = HorizonScorer().fit(X.rename(columns={"days_since_last": "x"}), days)
        ps.call_list(scorer, visits, deposits, "2026-09-30", horizons=bad)


def test_grade_disagreements_leave_out_lapsed_grades():
    # as of 2026-10-01: H lapses after 7 days, A 15, B 30, C 90 (the grade's horizon)
    calls = pd.DataFrame(
        {
            "consultant": ["a", "b", "c", "d", "e", "f"],
            "grade": ["H", "H", "A", "A", "C", "C"],
            "tier": ["C", "C", "C", "C", "H", "H"],
            "last_visit": pd.to_datetime(
                [
                    "2026-09-24",  # 7 days: current
                    "2026-09-23",  # 8 days: lapsed
                    "2026-09-16",  # 15 days: current
                    "2026-09-15",  # 16 days: lapsed
                    "2026-07-03",  # 90 days: current
                    "2026-07-02",  # 91 days: lapsed
                ]
            ),
        }
    )
    d = ps.grade_disagreements(calls, as_of="2026-10-01", lang="en")
    assert sorted(d["consultant"]) == ["a", "c", "e"]
    # the day comes from the call list (attrs) when not given
    calls.attrs["as_of"] = pd.Timestamp("2026-10-01")
    assert len(ps.grade_disagreements(calls)) == 3
    # without last_visit every grade is kept
    assert len(ps.grade_disagreements(calls.drop(columns="last_visit"))) == 6
    with pytest.raises(InputError, match="as_of"):
        ps.grade_disagreements(calls, as_of="soon")


@pytest.mark.slow
def test_sample_disagreements_are_a_small_share():
    """The report's call list (score_open_leads) on the sample: the tiers
    spread over H/A/B/C and the review list is a few percent of the leads."""
    vis, dep = ps.load_sample()
    calls = ps.score_open_leads(vis, dep, "2026-11-01").calls
    share = calls["tier"].value_counts(normalize=True)
    assert 0 < share["H"] < share["A"] < share["B"] < share["C"] < 0.9
    d = ps.grade_disagreements(calls)
    assert 0 < len(d) < 0.06 * len(calls)
    assert set(d["direction"]) == {"model_higher", "consultant_higher"}
    # one rule: the tier is horizon_tiers of the list's own probabilities
    from pondstats.leads import horizon_tiers

    p = calls[["p_7", "p_15", "p_30", "p_90"]]
    assert calls["tier"].tolist() == horizon_tiers(p).tolist()
    # factors in the vocabulary's words; no calendar month among them
    from pondstats.leads._explain import FEATURE_LABELS

    labels = set(FEATURE_LABELS["zh"].values())
    shown = {f.split(": ")[0] for t in calls["factors"] for f in t.split("; ") if f}
    assert shown and shown <= labels
    assert FEATURE_LABELS["zh"]["first_month"] not in shown
