"""evaluate_horizons: the call list's own horizon model on a time split, no outcome leaking."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from scipy.stats import rankdata

import pondstats as ps
from pondstats.errors import InputError


@pytest.fixture(scope="module")
def scored():
    visits, deposits = ps.load_sample()
    return ps.score_open_leads(visits, deposits, "2026-11-01")


@pytest.fixture(scope="module")
def evaluation(scored):
    return ps.evaluate_horizons(scored.snapshots, horizon_days=30)


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    """ROC AUC as the Mann-Whitney statistic (ties count half)."""
    r = rankdata(p)
    n1 = int(y.sum())
    n0 = len(y) - n1
    return (r[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)


def test_the_model_evaluated_is_the_call_lists(scored, evaluation):
    ev = evaluation
    assert isinstance(ev.scorer, ps.HorizonScorer)
    assert ev.scorer.horizons_ == scored.horizons.horizons_
    assert ev.scorer.scorer.model == "auto"
    # six snapshot days (2026-05-01 .. 2026-10-01), all with 30 days observed:
    # the last quarter (the 5th day on) is the test set
    assert ev.metrics["split"] == pd.Timestamp("2026-09-01")


def test_test_rows_and_labels_are_the_later_snapshots_with_30_days_seen(
    scored, evaluation
):
    s = scored.snapshots
    later = s.loc[(s["as_of"] >= "2026-09-01") & (s["observed_days"] >= 30)]
    assert evaluation.metrics["n_test"] == len(later)
    assert evaluation.test.index.equals(later.index)
    expected = (later["days_to_deposit"] <= 30).astype(int).to_numpy()
    np.testing.assert_array_equal(evaluation.test["y"].to_numpy(), expected)
    assert evaluation.metrics["n_train"] == int((s["as_of"] < "2026-09-01").sum())


def test_metrics_match_an_independent_computation(evaluation):
    y = evaluation.test["y"].to_numpy()
    p = evaluation.test["proba"].to_numpy()
    assert evaluation.metrics["roc_auc"] == pytest.approx(_auc(y, p), abs=1e-12)
    assert evaluation.metrics["brier"] == pytest.approx(np.mean((p - y) ** 2))
    assert evaluation.metrics["base_rate"] == pytest.approx(y.mean())
    # the model ranks the later leads better than the region's close rate alone
    assert evaluation.metrics["roc_auc"] > evaluation.metrics["baseline_auc"] + 0.1


def test_outcomes_after_the_split_do_not_reach_the_training_rows(scored, evaluation):
    s = scored.snapshots
    split = evaluation.metrics["split"]
    train = s["as_of"] < split
    after = train & (s["as_of"] + pd.to_timedelta(s["days_to_deposit"], "D") >= split)
    assert after.sum() > 20  # training leads who paid only after the split exist
    # rewrite everything a training row could only learn after the split: their
    # late deposits vanish and their windows look fully observed
    rewritten = s.copy()
    rewritten.loc[after, "days_to_deposit"] = np.nan
    rewritten.loc[train, "observed_days"] = 90
    ev2 = ps.evaluate_horizons(rewritten, horizon_days=30)
    np.testing.assert_array_equal(ev2.test["proba"], evaluation.test["proba"])
    # while a deposit the training rows did know of (before the split) matters
    before = s.index[train & ~after & s["days_to_deposit"].notna()]
    changed = s.copy()
    changed.loc[before[::2], "days_to_deposit"] = np.nan
    ev3 = ps.evaluate_horizons(changed, horizon_days=30)
    assert not np.allclose(ev3.test["proba"], evaluation.test["proba"])


def test_missing_columns_and_unobserved_horizon_are_input_errors(scored):
    snaps = scored.snapshots
    with pytest.raises(InputError, match=r"score_open_leads\(\.\.\.\)\.snapshots"):
        ps.evaluate_horizons(snaps.drop(columns="observed_days"))
    with pytest.raises(
        InputError, match=r"no snapshot has its 120 days observed.*--horizon"
    ):
        ps.evaluate_horizons(snaps, horizon_days=120)


@pytest.mark.slow
def test_pondstats_score_prints_the_evaluation_of_its_own_model(
    tmp_path, capsys, scored, evaluation
):
    from pondstats.cli import main

    argv = ["score", "--as-of", "2026-11-01", "--out", str(tmp_path / "c.csv")]
    assert main([*argv, "--lang", "en"]) == 0
    text = capsys.readouterr().out
    line = next(x for x in text.splitlines() if x.startswith("evaluation"))
    assert "P(deposit within 30 days)" in line and "before 2026-09-01" in line
    auc = float(re.search(r"ROC AUC (\d\.\d{3})", line).group(1))
    assert auc == round(evaluation.metrics["roc_auc"], 3)
    lift = float(re.search(r"top-decile lift ([\d.]+)x", line).group(1))
    assert lift == round(evaluation.gains["lift"].iloc[0], 1)
