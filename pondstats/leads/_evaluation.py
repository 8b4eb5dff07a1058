"""Evaluating a lead scorer on a time split: discrimination, calibration, gains.

:func:`evaluate_scorer` trains a copy of a :class:`pondstats.leads._scorer.LeadScorer`
on earlier snapshots and scores later ones; :func:`evaluate_horizons` does the
same for the call list's horizon model (``pondstats score`` prints it); :func:`gains_table`,
:func:`calibration_table` and :func:`expected_calibration_error` work on any
labels and probabilities.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score

from pondstats.errors import InputError

if TYPE_CHECKING:
    from pondstats.leads._scorer import LeadScorer

__all__ = [
    "LeadEvaluation",
    "evaluate_scorer",
    "evaluate_horizons",
    "gains_table",
    "calibration_table",
    "expected_calibration_error",
]


# ---------------------------------------------------------------------------
# evaluation
# ---------------------------------------------------------------------------


def expected_calibration_error(y_true: Any, proba: Any, *, n_bins: int = 10) -> float:
    """Expected calibration error: the row-weighted mean gap between the
    predicted probability and the observed rate over equal-width bins.

    Examples
    --------
    >>> from pondstats.leads._evaluation import expected_calibration_error
    >>> expected_calibration_error([0, 0, 1, 1], [0.1, 0.1, 0.9, 0.9])
    0.1
    """
    cal = calibration_table(y_true, proba, n_bins=n_bins)
    return float(
        (cal["count"] * (cal["mean_predicted"] - cal["observed_rate"]).abs()).sum()
        / cal["count"].sum()
    )


def calibration_table(y_true: Any, proba: Any, *, n_bins: int = 10) -> pd.DataFrame:
    """Observed rate against mean predicted probability per equal-width bin.

    Returns ``bin_low, bin_high, count, mean_predicted, observed_rate``
    (bins without rows are left out).

    Examples
    --------
    >>> from pondstats.leads._evaluation import calibration_table
    >>> calibration_table([0, 1, 1, 0], [0.05, 0.15, 0.95, 0.92], n_bins=2)
       bin_low  bin_high  count  mean_predicted  observed_rate
    0      0.0       0.5      2           0.100            0.5
    1      0.5       1.0      2           0.935            0.5
    """
    y, p = _check_yp(y_true, proba)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.clip(np.digitize(p, edges[1:-1], right=False), 0, n_bins - 1)
    df = pd.DataFrame({"bin": idx, "p": p, "y": y})
    g = df.groupby("bin").agg(
        count=("y", "size"), mean_predicted=("p", "mean"), observed_rate=("y", "mean")
    )
    g.insert(0, "bin_high", edges[g.index + 1])
    g.insert(0, "bin_low", edges[g.index])
    return g.reset_index(drop=True).round({"mean_predicted": 12, "observed_rate": 12})


def gains_table(y_true: Any, proba: Any, *, n_bins: int = 10) -> pd.DataFrame:
    """Decile lift and cumulative gains: leads ranked by probability, cut into
    ``n_bins`` groups of (nearly) equal size, best first.

    Returns ``decile, leads, converted, rate, lift, cum_leads_share,
    cum_converted_share, cum_lift``. ``lift`` is the group's rate over the
    overall rate; ``cum_converted_share`` is the gains curve.

    Examples
    --------
    >>> from pondstats.leads._evaluation import gains_table
    >>> g = gains_table([1, 0, 1, 0, 0, 0, 0, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, 0],
    ...                 n_bins=5)
    >>> g[["decile", "leads", "converted", "lift", "cum_converted_share"]]
       decile  leads  converted  lift  cum_converted_share
    0       1      2          1   2.5                  0.5
    1       2      2          1   2.5                  1.0
    2       3      2          0   0.0                  1.0
    3       4      2          0   0.0                  1.0
    4       5      2          0   0.0                  1.0
    """
    y, p = _check_yp(y_true, proba)
    order = np.argsort(-p, kind="stable")
    groups = np.empty(len(p), dtype=int)
    groups[order] = np.arange(len(p)) * n_bins // len(p)
    df = pd.DataFrame({"decile": groups + 1, "y": y})
    g = (
        df.groupby("decile")
        .agg(leads=("y", "size"), converted=("y", "sum"))
        .reset_index()
    )
    g["converted"] = g["converted"].astype("int64")
    overall = y.mean()
    g["rate"] = g["converted"] / g["leads"]
    g["lift"] = g["rate"] / overall if overall > 0 else np.nan
    g["cum_leads_share"] = g["leads"].cumsum() / g["leads"].sum()
    total = g["converted"].sum()
    g["cum_converted_share"] = g["converted"].cumsum() / total if total > 0 else np.nan
    g["cum_lift"] = g["cum_converted_share"] / g["cum_leads_share"]
    return g


def _check_yp(y_true: Any, proba: Any) -> tuple[np.ndarray, np.ndarray]:
    y = np.asarray(y_true, dtype=float)
    p = np.asarray(proba, dtype=float)
    if y.shape != p.shape or y.ndim != 1 or len(y) == 0:
        raise InputError(
            f"y_true and proba must be 1-d and of the same non-zero length; got shapes "
            f"{y.shape} and {p.shape}."
        )
    if np.isnan(y).any() or not np.isin(y, (0.0, 1.0)).all():
        raise InputError(
            "y_true must hold only 0 and 1 (no missing labels); drop the "
            "rows whose label is unknown first."
        )
    if np.isnan(p).any() or (p < 0).any() or (p > 1).any():
        raise InputError(
            "proba must be probabilities between 0 and 1 without missing values."
        )
    return y, p


@dataclasses.dataclass
class LeadEvaluation:
    """Result of :func:`evaluate_scorer`.

    Attributes
    ----------
    metrics : pandas.Series
        ``roc_auc, pr_auc, brier, ece, base_rate, baseline_auc, n_train,
        n_test, split``.
    gains : DataFrame
        :func:`gains_table` on the test rows.
    calibration : DataFrame
        :func:`calibration_table` on the test rows.
    scorer : LeadScorer
        The scorer fitted on the training rows.
    test : DataFrame
        The test rows' ``y`` and ``proba``.
    """

    metrics: pd.Series
    gains: pd.DataFrame
    calibration: pd.DataFrame
    scorer: Any
    test: pd.DataFrame

    def summary(self, lang: str = "en") -> str:
        """The headline figures as text (for the CLI and notebooks)."""
        m = self.metrics
        names = {
            "en": (
                "ROC AUC",
                "PR AUC",
                "Brier",
                "calibration error",
                "baseline AUC",
                "top-decile lift",
                "train/test rows",
            ),
            "zh": (
                "ROC AUC",
                "PR AUC",
                "Brier 分数",
                "校准误差",
                "基线 AUC(区域成交率)",
                "前10%提升度",
                "训练/测试行数",
            ),
        }[lang]
        lift = self.gains["lift"].iloc[0]
        return (
            f"{names[0]} {m['roc_auc']:.3f} | {names[1]} {m['pr_auc']:.3f} | "
            f"{names[2]} {m['brier']:.4f} | {names[3]} {m['ece']:.3f} | "
            f"{names[4]} {m['baseline_auc']:.3f} | {names[5]} {lift:.1f}x | "
            f"{names[6]} {int(m['n_train'])}/{int(m['n_test'])}"
        )


def evaluate_scorer(
    scorer: LeadScorer,
    table: pd.DataFrame,
    *,
    target: str = "converted",
    time: str = "as_of",
    split: Any = None,
    features: Sequence[str] | None = None,
    baseline: str | None = "region_close_rate",
    n_bins: int = 10,
) -> LeadEvaluation:
    """Fit a copy of ``scorer`` on earlier rows and score later ones.

    Rows dated (``time``) on or after ``split`` are the test set. Training
    rows must have their label known before ``split``: when the table has a
    ``label_end`` column (as :func:`lead_snapshots` makes), rows whose label
    window ends on or after ``split`` are left out of training, so no future
    outcome leaks into the fit. Rows with a missing label are dropped.

    Parameters
    ----------
    scorer : LeadScorer
        Left unchanged; a clone is fitted.
    table : DataFrame
        Features, the ``target`` and the ``time`` column.
    target, time : str
        Label and date columns.
    split : date, optional
        First test date; default: the date that leaves the last quarter of
        the distinct dates for testing.
    features : sequence of str, optional
        Feature columns; default the :data:`pondstats.leads.LEAD_FEATURES`
        present in the table, or every column except target/time.
    baseline : str or None
        A column whose raw value is scored as a baseline (its AUC is
        ``baseline_auc``); default the region's past close rate.
    n_bins : int
        Groups in the gains table and bins of the calibration table.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from pondstats import LeadScorer, evaluate_scorer
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=400)
    >>> t = pd.DataFrame({"x": x, "as_of": np.repeat(pd.date_range("2026-01-01",
    ...                   periods=4, freq="MS"), 100),
    ...                   "converted": (x + rng.normal(size=400) > 1).astype(int)})
    >>> ev = evaluate_scorer(LeadScorer(random_state=0), t, baseline=None)
    >>> bool(ev.metrics["roc_auc"] > 0.7), int(ev.metrics["n_test"])
    (True, 100)
    """
    from pondstats.leads._table import LEAD_FEATURES

    for col in (target, time):
        if col not in table.columns:
            raise InputError(
                f"evaluate_scorer needs a {col!r} column; found {list(table.columns)}. "
                "Pass target=/time= naming your label and date columns."
            )
    t = table.loc[table[target].notna()]
    when = pd.to_datetime(t[time])
    split = _split_date(when, split, time)
    test = when >= split
    train = ~test
    if "label_end" in t:
        train &= pd.to_datetime(t["label_end"]) < split
    if features is None:
        features = [c for c in LEAD_FEATURES if c in t.columns]
        if not features:
            features = [c for c in t.columns if c not in (target, time, "label_end")]
    features = list(features)
    y = t[target].astype(int).to_numpy()
    if train.sum() == 0 or test.sum() == 0:
        raise InputError(
            f"the split at {split.date()} leaves {int(train.sum())} training and "
            f"{int(test.sum())} test rows; choose a split date inside the data."
        )
    fitted = clone(scorer).fit(t.loc[train, features], y[train.to_numpy()])
    p = fitted.predict_proba(t.loc[test, features])[:, 1]
    n_train = int(train.sum())
    yt = y[test.to_numpy()]
    return _evaluation(fitted, t.loc[test], yt, p, baseline, n_train, split, n_bins)


def _split_date(when: pd.Series, split: Any, time: str) -> pd.Timestamp:
    """``split``, or the date that leaves the last quarter of the distinct
    dates of ``when`` for testing."""
    if split is not None:
        return pd.Timestamp(split)
    dates = np.sort(when.unique())
    if len(dates) < 2:
        raise InputError(
            f"a time split needs at least 2 distinct {time!r} dates, found {len(dates)}; "
            "stack more snapshots with ps.lead_snapshots."
        )
    return pd.Timestamp(dates[min(len(dates) - 1, max(1, int(len(dates) * 0.75)))])


def _evaluation(
    fitted: Any,
    test: pd.DataFrame,
    yt: np.ndarray,
    p: np.ndarray,
    baseline: str | None,
    n_train: int,
    split: pd.Timestamp,
    n_bins: int,
) -> LeadEvaluation:
    """The metrics, gains and calibration of the test rows ``test`` (labels
    ``yt``, probabilities ``p``)."""
    two = len(np.unique(yt)) == 2
    base_auc = np.nan
    if baseline is not None and baseline in test and two:
        b = test[baseline].astype(float)
        base_auc = roc_auc_score(yt, b.fillna(b.median()))
    metrics = pd.Series(
        {
            "roc_auc": roc_auc_score(yt, p) if two else np.nan,
            "pr_auc": average_precision_score(yt, p) if two else np.nan,
            "brier": brier_score_loss(yt, p),
            "ece": expected_calibration_error(yt, p, n_bins=n_bins),
            "base_rate": yt.mean(),
            "baseline_auc": base_auc,
            "n_train": n_train,
            "n_test": len(yt),
            "split": split,
        },
        dtype=object,
    )
    return LeadEvaluation(
        metrics=metrics,
        gains=gains_table(yt, p, n_bins=n_bins),
        calibration=calibration_table(yt, p, n_bins=n_bins),
        scorer=fitted,
        test=pd.DataFrame({"y": yt, "proba": p}, index=test.index),
    )


def evaluate_horizons(
    snapshots: pd.DataFrame,
    *,
    horizon_days: int = 30,
    split: Any = None,
    horizons: Sequence[int] | None = None,
    model: str = "auto",
    max_rows: int | None = None,
    baseline: str | None = "region_close_rate",
    n_bins: int = 10,
    random_state: Any = 0,
) -> LeadEvaluation:
    """The call list's horizon model on a time split: its chance of a deposit
    within ``horizon_days`` for later snapshots.

    ``snapshots`` are the horizon model's training rows (``ScoredLeads.snapshots``
    of :func:`pondstats.leads.score_open_leads`, or
    :func:`pondstats.leads.horizon_snapshots` with ``complete_only=False``):
    features, ``as_of``, ``days_to_deposit`` and ``observed_days``. A
    :class:`pondstats.leads.HorizonScorer` is trained as the call list's is
    (same horizons, :class:`LeadScorer` ``model``, ``max_rows``,
    :data:`pondstats.leads.CALL_FEATURES`) on the snapshots dated before
    ``split``, each counted only for the days before ``split`` (a deposit
    that came on or after it is not known to the training rows: no outcome
    leaks); the test rows are the snapshots dated on or after ``split``
    whose ``horizon_days`` are observed, their label a deposit within them.

    Parameters
    ----------
    snapshots : DataFrame
        As above.
    horizon_days : int, default 30
        The horizon evaluated (``p_<horizon_days>``); added to the model's
        horizons if it is not one of them.
    split : date, optional
        First test date; default: the date that leaves the last quarter of
        the distinct snapshot dates whose ``horizon_days`` are observed.
    horizons : sequence of int, optional
        The model's horizons, default :data:`pondstats.leads.HORIZONS`.
    model, max_rows, random_state
        As :func:`pondstats.leads.score_open_leads` (``max_rows`` default
        :data:`pondstats.leads._horizons.HORIZON_TRAIN_ROWS`).
    baseline : str or None
        A column whose raw value is scored as a baseline (``baseline_auc``).
    n_bins : int
        Groups of the gains table and bins of the calibration table.

    Returns
    -------
    LeadEvaluation
        As :func:`evaluate_scorer`; ``scorer`` is the fitted
        :class:`HorizonScorer`, ``n_train`` the training snapshots.

    Examples
    --------
    >>> import pondstats as ps
    >>> from pondstats.leads import evaluate_horizons
    >>> vis, dep = ps.load_sample()
    >>> s = ps.score_open_leads(vis, dep, "2026-11-01")
    >>> ev = evaluate_horizons(s.snapshots, horizon_days=30)
    >>> str(ev.metrics["split"].date()), bool(ev.metrics["roc_auc"] > 0.8)
    ('2026-09-01', True)
    """
    from pondstats.leads._horizons import (
        HORIZON_TRAIN_ROWS,
        HORIZONS,
        HorizonScorer,
        _check_horizons,
    )
    from pondstats.leads._scorer import LeadScorer
    from pondstats.leads._table import CALL_FEATURES

    need = ["as_of", "days_to_deposit", "observed_days"]
    lacking = [c for c in need if c not in snapshots.columns]
    if lacking:
        raise InputError(
            f"evaluate_horizons needs the columns {need}; {lacking} are missing. Pass "
            "the snapshots of score_open_leads(...).snapshots, or horizon_snapshots("
            "..., complete_only=False)."
        )
    hd = int(horizon_days)
    h = _check_horizons(sorted({*(HORIZONS if horizons is None else horizons), hd}))
    when = pd.to_datetime(snapshots["as_of"])
    seen = snapshots["observed_days"].to_numpy(dtype=float)
    days = pd.to_numeric(snapshots["days_to_deposit"]).to_numpy(dtype=float)
    known = seen >= hd
    if not known.any():
        raise InputError(
            f"no snapshot has its {hd} days observed (at most "
            f"{int(np.max(seen, initial=0))}): evaluate a shorter horizon_days "
            "(CLI: --horizon), or give the snapshots a later end."
        )
    split = _split_date(when[known], split, "as_of")
    train = (when < split).to_numpy(copy=True)
    test = ~train & known
    # what the training rows knew as the split day began: the days before it
    # (a deposit dated on the split day is not known, as fit_horizons(day=split)
    # knows only the rows dated before its day)
    cap = np.minimum(seen, (split - when).dt.days.to_numpy(dtype=float) - 1)
    train &= cap >= h[0]
    if train.sum() == 0 or test.sum() == 0:
        raise InputError(
            f"the split at {split.date()} leaves {int(train.sum())} training and "
            f"{int(test.sum())} test snapshots; choose a split date inside the "
            "snapshots (a training snapshot needs its shortest horizon before it)."
        )
    feats = [c for c in CALL_FEATURES if c in snapshots.columns]
    y_days = np.where(days <= cap, days, np.nan)[train]
    paid = np.isfinite(y_days) & (y_days <= h[-1])
    if paid.all() or not paid.any():
        raise InputError(
            f"the training snapshots before {split.date()} hold "
            f"{'only' if paid.all() else 'no'} deposits: choose a later split."
        )
    fitted = HorizonScorer(
        h,
        scorer=LeadScorer(model=model, random_state=random_state),
        max_rows=HORIZON_TRAIN_ROWS if max_rows is None else max_rows,
        random_state=random_state,
    )
    fitted.fit(snapshots.loc[train, feats], y_days, observed=cap[train])
    rows = snapshots.loc[test]
    p = fitted.predict_horizons(rows[feats])[f"p_{hd}"].to_numpy(dtype=float)
    yt = (days[test] <= hd).astype(int)
    return _evaluation(fitted, rows, yt, p, baseline, int(train.sum()), split, n_bins)
