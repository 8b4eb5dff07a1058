"""population_stability, lead_drift and backtest_tiers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import InputError
from pondstats.leads._monitor import (
    PSI_THRESHOLDS,
    backtest_tiers,
    lead_drift,
    lead_review,
    population_stability,
)


def test_psi_by_hand():
    # two levels 50/50 -> 80/20: (.8-.5) ln(.8/.5) + (.2-.5) ln(.2/.5)
    expect = 0.3 * np.log(0.8 / 0.5) + (-0.3) * np.log(0.2 / 0.5)
    got = population_stability(["a"] * 50 + ["b"] * 50, ["a"] * 80 + ["b"] * 20)
    assert got == pytest.approx(expect, abs=1e-3)
    assert population_stability(list(range(100)), list(range(100))) == pytest.approx(0)
    # a new level and missing values are bins of their own
    assert population_stability(["a"] * 10, ["a"] * 5 + ["new"] * 5) > 1
    assert population_stability([1.0] * 10, [1.0] * 5 + [np.nan] * 5) > 1


def test_lead_drift_flags_a_shifted_feature_only():
    rng = np.random.default_rng(0)
    old = pd.DataFrame(
        {"days": rng.integers(0, 90, 2000), "source": rng.choice(["a", "b"], 2000)}
    )
    new = pd.DataFrame(
        {"days": rng.integers(0, 90, 2000) + 60, "source": rng.choice(["a", "b"], 2000)}
    )
    d = lead_drift(old, new, lang="en").set_index("feature")
    assert d.loc["days", "status"] == "drift"
    assert d.loc["days", "psi"] >= PSI_THRESHOLDS["drift"]
    assert d.loc["source", "status"] == "stable"
    assert d.loc["source", "status_text"] == "stable"
    y = (old["days"] < 30).astype(int)
    s = ps.LeadScorer(random_state=0).fit(old, y)
    d2 = lead_drift(old, new, scorer=s).set_index("feature")
    assert d2.loc["score", "status"] == "drift"
    with pytest.raises(InputError, match=r"features \['x'\] are missing"):
        lead_drift(old, new, features=["x"])


@pytest.mark.slow
def test_backtest_on_the_sample():
    vis, dep = ps.load_sample()
    bt = backtest_tiers(vis, dep, "2026-09-30")
    assert list(bt.index) == ["H", "A", "B", "C"]
    assert bt["leads"].sum() == len(ps.lead_table(vis, dep, "2026-09-30"))
    assert bt.loc["B", "within_30"] > 5 * bt.loc["C", "within_30"]
    # predicted and observed agree in total (calibrated): within 1 point at 30 days
    total_p = (bt["leads"] * bt["p_30"]).sum() / bt["leads"].sum()
    total_o = (bt["leads"] * bt["within_30"]).sum() / bt["leads"].sum()
    assert abs(total_p - total_o) < 0.01
    with pytest.raises(InputError, match="no monthly snapshot in the 0 months before"):
        backtest_tiers(vis, dep, "2025-05-03", history_months=0)
    with pytest.raises(InputError, match="too little history to train on"):
        backtest_tiers(vis, dep, "2024-12-31")


@pytest.mark.slow
def test_lead_review_on_the_sample():
    vis, dep = ps.load_sample()
    r = lead_review(vis, dep, "2026-10", lang="en")
    assert str(r.as_of.date()) == "2026-09-30" and str(r.current.date()) == "2026-10-31"
    assert r.drift["feature"].iloc[0] == "score"
    assert "first_month" not in set(r.drift["feature"])  # seasonality: not watched
    assert r.drifted == []
    d = r.disagreements
    assert (d["gap"] >= 2).all() and set(d.columns) >= {"consultant", "grade", "tier"}
    assert "phone" not in d and "name" not in d
