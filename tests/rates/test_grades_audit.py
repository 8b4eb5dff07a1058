"""grade_accuracy and logging_audit: hand-computed, planted, honest networks."""

import pandas as pd
import pytest
from funnel_sim import simulate_network
from hypothesis import given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.errors import InputError

D = pd.to_datetime


def test_grade_accuracy_hand_computed():
    v = pd.DataFrame(
        {
            "customer_key": ["a", "b", "c", "d", "e", "a"],
            "consultant": ["王"] * 6,
            "visit_date": D(["2026-09-01", "2026-09-01", "2026-09-01", "2026-09-01",
                             "2026-12-28", "2026-09-20"]),
            # e's horizon is not over; a's second visit comes after its deposit
            "grade": ["H", "H", "B", "B", "H", "O"],
        }
    )  # fmt: skip
    d = pd.DataFrame(
        {
            "customer_key": ["a", "b", "c"],
            "deposit_date": D(["2026-09-08", "2026-09-09", "2026-09-25"]),
        }
    )
    t = ps.grade_accuracy(v, d, as_of="2026-12-31", min_graded=2).set_index("grade")
    assert t.loc["H", ["graded", "hits", "incomplete"]].tolist() == [2, 1, 1]
    assert t.loc["B", ["graded", "hits"]].tolist() == [2, 1]  # c in 24 days
    assert t.loc["H", "hit_rate"] == 0.5
    assert bool(t.loc["H", "h_not_better"]) is True
    t = ps.grade_accuracy(v, d, as_of="2026-12-31", min_graded=3)
    assert t["h_not_better"].isna().all()  # too little data: no verdict
    t = ps.grade_accuracy(v, d, horizons={"H": 8, "B": 30}, as_of="2026-12-31",
                          min_graded=2)  # fmt: skip
    assert t["grade"].tolist() == ["H", "B"]
    assert t["hits"].tolist() == [2, 1]
    assert not t["h_not_better"].any()


def test_grade_accuracy_errors():
    v = pd.DataFrame({"customer_key": ["a"], "visit_date": D(["2026-09-01"])})
    d = pd.DataFrame({"customer_key": ["a"], "deposit_date": D(["2026-09-02"])})
    with pytest.raises(InputError, match=r"visits has no column\(s\) \['grade'\]"):
        ps.grade_accuracy(v, d)
    with pytest.raises(InputError, match=r"horizons must map grades to whole numbers"):
        ps.grade_accuracy(v.assign(grade="H"), d, horizons={"H": "7"})


def test_the_planted_inaccurate_grader_is_pointed_out():
    _, v, d, truth = simulate_network(
        0, bad_grader=5, walk_ins_per_day=20, n_stores=2, n_consultants=6
    )
    t = ps.grade_accuracy(v, d)
    flagged = t.loc[t["h_not_better"].fillna(False).astype(bool), "consultant"]
    assert flagged.unique().tolist() == [truth["bad_grader"]]


def _tiny_audit():
    # S1 registers its buyers on the deposit day; S2 registers every visitor
    v = pd.DataFrame(
        {
            "customer_key": ["a", "b", "c", "d", "e", "f"],
            "visit_date": D(["2026-09-10", "2026-09-11", "2026-09-01", "2026-09-02",
                             "2026-09-03", "2026-09-04"]),
            "visit_no": [1] * 6,
            "store": ["S1", "S1", "S2", "S2", "S2", "S2"],
        }
    )  # fmt: skip
    d = pd.DataFrame(
        {
            "customer_key": ["a", "b", "c", "z"],
            "deposit_date": D(["2026-09-10", "2026-09-12", "2026-09-05", "2026-09-06"]),
            "status": ["active"] * 4,
            "store": ["S1", "S1", "S2", "S2"],
        }
    )
    return v, d


def test_logging_audit_hand_computed():
    v, d = _tiny_audit()
    t = ps.logging_audit(v, d, by="store", min_deposits=1, min_a_cards=1, lang="en")
    t = t.set_index("store")
    assert t.loc["S1", ["a_cards", "c_cards", "same_day"]].tolist() == [2, 2, 1]
    assert t.loc["S2", ["a_cards", "c_cards", "same_day"]].tolist() == [4, 2, 1]  # z
    assert t.loc["S1", "peer_same_day_share"] == 0.5
    assert t.loc["S1", "close_rate"] == 1.0
    assert t.loc["S1", "working_days"] == 3  # 09-10, 09-11, 09-12
    assert t.loc["S2", "visits_per_day"] == pytest.approx(4 / 6)
    assert not t["suspect"].any()  # 4 deposits prove nothing
    t = ps.logging_audit(v, d, by="store", lang="en")
    assert t["verdict"].tolist() == ["too_few", "too_few"]
    assert t["reason"].str.startswith("too little data").all()


def test_logging_audit_errors():
    v, d = _tiny_audit()
    with pytest.raises(InputError, match=r"give by='consultant' or by='store'"):
        ps.logging_audit(v, d, by=None)
    with pytest.raises(InputError, match=r"cannot group by \['consultant'\]"):
        ps.logging_audit(v, d)
    with pytest.raises(InputError, match=r"ratio must be 1 or more"):
        ps.logging_audit(v, d, by="store", ratio=0.5)


def test_the_planted_selective_store_is_found():
    _, v, d, truth = simulate_network(1, selective_store=1)
    t = ps.logging_audit(v, d, by="store")
    assert t.loc[t["suspect"], "store"].tolist() == [truth["selective_store"]]
    assert "下订当天" in t["reason"].iloc[0]
    t = ps.logging_audit(v, d, by="consultant")
    flagged = set(t.loc[t["suspect"], "consultant"])
    assert flagged and flagged <= set(truth["selective_consultants"])


@pytest.mark.slow
def test_no_honest_store_or_consultant_is_flagged_in_20_networks():
    flagged = []
    for seed in range(20):
        _, v, d, _ = simulate_network(100 + seed)
        for by in ("store", "consultant"):
            t = ps.logging_audit(v, d, by=by)
            flagged += t.loc[t["suspect"], by].tolist()
    assert flagged == []


@settings(max_examples=20, deadline=None)
@given(
    st.integers(0, 10_000),
    st.integers(1, 60),
    st.sampled_from([None, 0, 1]),
)
def test_no_verdict_below_the_minimum_counts(seed, min_deposits, selective):
    _, v, d, _ = simulate_network(
        seed, n_stores=2, n_consultants=3, days=120, selective_store=selective
    )
    t = ps.logging_audit(v, d, by="consultant", min_deposits=min_deposits)
    few = (t["c_cards"] < min_deposits) | (t["a_cards"] < 40)
    assert not t.loc[few, "suspect"].any()
    assert (t.loc[few, "verdict"] == "too_few").all()
    assert t["suspect"].eq(t["verdict"].eq("suspect")).all()
