"""The whole funnel's plants in the bundled sample: recorded and recovered.

Lost reasons and an inaccurate grader (in ``make_sample``), deliveries and
cancellations with lags, the order history (repeat, returning and lapsed
customers) and the joining store that registers mostly its buyers; the
truth is ``plants_truth.json``.
"""

import json

import numpy as np
import pandas as pd
import pytest

import pondstats as ps
from pondstats.datasets import PLANT_FILES, sample_dir, write_sample_plants
from pondstats.datasets._orders import make_sample_history
from pondstats.datasets._plants import (
    LOST_REASONS,
    LOST_REASONS_EV,
    plant_bad_grader,
    plant_lost_reasons,
)


@pytest.fixture(scope="module")
def truth():
    return json.loads((sample_dir() / "plants_truth.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def group():
    visits, deposits = ps.load_sample()
    jv, jd = ps.load_sample_joining_store()
    return visits, deposits, jv, jd


# ---------------------------------------------------------------------------
# the plant functions on tiny frames
# ---------------------------------------------------------------------------


def _tiny_visits():
    return pd.DataFrame(
        {
            "customer_key": ["a", "a", "b", "c", "d"],
            "visit_date": pd.to_datetime(
                ["2026-08-01", "2026-09-01", "2026-10-25", "2026-07-01", "2026-07-02"]
            ),
            "visit_no": [1, 2, 1, 1, 1],
            "consultant": ["王", "王", "李", "李", "王"],
            "model": ["悦行S5", "悦行S5", "悦行EV", "悦行EV", None],
            "grade": pd.array(["H", None, "B", "C", "A"], dtype="str"),
        }
    )


class _AlwaysRecorded:
    """A random stream whose every silent prospect is recorded as lost."""

    def __init__(self):
        self._rng = np.random.default_rng(0)

    def random(self, n):
        return np.zeros(n)

    def choice(self, *args, **kwargs):
        return self._rng.choice(*args, **kwargs)


def test_lost_reasons_only_on_the_silent_prospects_latest_visit():
    v = _tiny_visits()
    d = pd.DataFrame({"customer_key": ["d"]})  # d paid a deposit: not lost
    out = plant_lost_reasons(v, d, pd.Timestamp("2026-10-31"), _AlwaysRecorded())
    got = out["lost_reason"].notna().tolist()
    # a: latest visit 09-01 (60 days silent); b: 6 days, too recent; c: lost
    assert got == [False, True, False, True, False]
    assert set(out["lost_reason"].dropna()) <= set(LOST_REASONS)
    pd.testing.assert_frame_equal(out.drop(columns="lost_reason"), v)  # not mutated
    assert "lost_reason" not in v


def test_bad_grader_changes_only_that_consultants_graded_visits():
    v = _tiny_visits()
    out, who = plant_bad_grader(v, np.random.default_rng(1), ["H", "A", "B", "C"],
                                [0.25, 0.25, 0.25, 0.25])  # fmt: skip
    other = out["consultant"].ne(who)
    pd.testing.assert_series_equal(out.loc[other, "grade"], v.loc[other, "grade"])
    assert out["grade"].isna().tolist() == v["grade"].isna().tolist()
    pd.testing.assert_frame_equal(out.drop(columns="grade"), v.drop(columns="grade"))


# ---------------------------------------------------------------------------
# the bundled files
# ---------------------------------------------------------------------------


@pytest.mark.slow
def test_plant_files_are_byte_reproducible(tmp_path, sample_dealer):
    write_sample_plants(sample_dealer, tmp_path)
    for name in PLANT_FILES:
        assert (tmp_path / name).read_bytes() == (sample_dir() / name).read_bytes(), (
            name
        )


def test_truth_records_the_in_memory_plants(truth, sample_dealer):
    t = sample_dealer.truth
    assert truth["inaccurate_grader"]["consultant"] == t.bad_grader
    assert truth["lost_reasons"]["mix"] == LOST_REASONS
    assert truth["lost_reasons"]["lost_prospects"] == int(
        sample_dealer.visits["lost_reason"].notna().sum()
    )
    assert truth["deliveries"]["delivery_days"] == list(t.delivery_days) == [7, 45]
    assert truth["deliveries"]["cancel_share"] == t.cancel_share == 0.05


def test_the_visits_export_carries_the_lost_reasons(sample_dealer):
    visits, _ = ps.load_sample()
    mine = sample_dealer.visits
    assert visits["lost_reason"].notna().sum() == mine["lost_reason"].notna().sum()
    assert visits["lost_reason"].value_counts().to_dict() == (
        mine["lost_reason"].value_counts().to_dict()
    )


# ---------------------------------------------------------------------------
# recovery
# ---------------------------------------------------------------------------


def test_deliveries_and_cancellations_match_the_planted_lags(truth):
    _, deposits = ps.load_sample()
    t = ps.delivery_funnel(deposits).iloc[0]
    rec = truth["deliveries"]
    assert t["cancelled"] == rec["cancelled"] and t["delivered"] == rec["delivered"]
    assert t["cancel_low"] <= rec["cancel_share"] <= t["cancel_high"]
    assert t["mean_days_to_delivery"] == pytest.approx(26, abs=1)  # uniform 7-45
    lag = (deposits["delivery_date"] - deposits["deposit_date"]).dt.days.dropna()
    assert lag.min() == 7 and lag.max() == 45


def test_lost_analysis_recovers_the_planted_reasons_mix(group, truth):
    visits = group[0]
    by_model = ps.lost_analysis(visits, by="model", mix=True)
    ev = by_model[by_model["model"].eq("悦行EV")].set_index("lost_reason")["share"]
    rest = by_model[by_model["model"].ne("悦行EV")]
    rest = rest.groupby("lost_reason")["lost"].sum()
    rest = rest / rest.sum()
    for reason, share in LOST_REASONS.items():
        assert rest[reason] == pytest.approx(share, abs=0.02), reason
    for reason, share in LOST_REASONS_EV.items():
        assert ev[reason] == pytest.approx(share, abs=0.04), reason
    assert ev.idxmax() == "无现车" and rest.idxmax() == "价格"
    t = ps.lost_analysis(visits, by=None).iloc[0]
    assert t["lost"] == truth["lost_reasons"]["lost_prospects"]
    assert t["top_reason"] == "价格"


def test_grade_accuracy_points_out_the_planted_inaccurate_grader(group, truth):
    visits, deposits = group[:2]
    t = ps.grade_accuracy(visits, deposits)
    flagged = t.loc[t["h_not_better"].fillna(False).astype(bool), "consultant"]
    assert flagged.unique().tolist() == [truth["inaccurate_grader"]["consultant"]]
    # everyone else's H grades close within a week more often than B in a month
    assert t["h_not_better"].notna().all()


def test_logging_audit_flags_the_joining_store_and_no_other(group, truth):
    visits, deposits, jv, jd = group
    v = pd.concat([visits, jv], ignore_index=True)
    d = pd.concat([deposits, jd], ignore_index=True)
    plant = truth["joining_store"]
    t = ps.logging_audit(v, d, by="store", lang="en")
    assert t.loc[t["suspect"], "store"].tolist() == [plant["store"]]
    assert "first registered on the deposit day" in t["reason"].iloc[0]
    t = ps.logging_audit(v, d, by="consultant")
    assert sorted(t.loc[t["suspect"], "consultant"]) == plant["consultants"]
    # the group alone: no suspect
    assert not ps.logging_audit(visits, deposits, by="store")["suspect"].any()


def test_joining_store_files_hold_what_the_truth_says(group, truth):
    _, _, jv, jd = group
    plant = truth["joining_store"]
    assert len(jv) == plant["a_card_rows"] and len(jd) == plant["deposits"]
    assert set(jv["region"]) == set(plant["zones"])
    assert jv["visit_date"].min() >= pd.Timestamp(plant["since"])


def test_lifecycle_finds_the_planted_repeat_and_lapsed_customers(truth, sample_dealer):
    visits, deposits = ps.load_sample()
    history = ps.load_sample_history()
    h = truth["history"]
    assert len(history) == h["orders"]
    st = ps.lifecycle_stages(
        visits, pd.concat([history, deposits], ignore_index=True), truth["as_of"]
    )
    _, roles = make_sample_history(
        sample_dealer, exclude=set(ps.load_sample_inquiries()["customer_key"])
    )
    m = st.merge(roles, on="customer_key", how="left")
    lapsed_cust = m["stage"].eq("lapsed") & m["was_customer"]
    assert lapsed_cust.sum() == h["lapsed_customers_at_as_of"]
    assert set(m.loc[lapsed_cust, "role"]) == {"quiet"}
    rep = m[m["role"].eq("repeat")]
    assert len(rep) == h["customers"]["repeat"]
    assert rep["stage"].eq("established").all() and rep["n_purchases"].ge(2).all()
    back = m[m["role"].eq("owner_back")]
    assert back["stage"].eq("established").all() and back["n_visits"].ge(1).all()
    assert m["n_purchases"].ge(2).sum() == (
        h["customers"]["repeat"] + h["bought_twice_before"]
    )
    # without the history nobody has lapsed as a customer
    st0 = ps.lifecycle_stages(visits, deposits, truth["as_of"])
    assert not (st0["stage"].eq("lapsed") & st0["was_customer"]).any()


def test_winback_list_puts_lapsed_repeat_customers_first_masked(truth):
    visits, deposits = ps.load_sample()
    d = pd.concat([ps.load_sample_history(), deposits], ignore_index=True)
    calls = ps.winback_list(visits, d, truth["as_of"])
    h = truth["history"]
    assert calls["was_customer"].sum() == h["lapsed_customers_at_as_of"]
    k = h["lapsed_repeat_customers_at_as_of"]
    assert calls["n_purchases"].head(k).eq(2).all()
    assert calls["phone"].str.fullmatch(r"\d{3}\*{4}\d{4}").all()
    assert calls["name"].str.contains(r"\*").all()
    assert "customer_key" not in calls
