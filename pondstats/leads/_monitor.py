"""Is the lead model still right? Drift of this month's leads, and a back-test
of the tiers given a month ago.

* :func:`population_stability` / :func:`lead_drift`: the population
  stability index (PSI) of each feature, and of the scores, between the
  training rows and the leads scored now. ``PSI = sum((a - e) * ln(a / e))``
  over bins (numeric: ten equal-width bins over the training values' 1st to
  99th percentiles, plus the tails; categorical: the training
  levels, new levels in one bin; missing values their own bin), with shares
  floored at 0.0001. Thresholds (:data:`PSI_THRESHOLDS`, the usual credit-
  scoring reading): below 0.10 *stable*, 0.10-0.25 *watch*, above 0.25
  *drift*: the model was trained on leads that no longer look like today's;
  retrain it, or check the export for a changed field.
* :func:`backtest_tiers`: the tiers a :class:`HorizonScorer` trained on what
  was known on ``as_of`` gave the leads open that day, against what they did:
  the share that paid a deposit within 7, 15 and 30 days, per tier (a
  horizon the data do not yet cover is left blank).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from pondstats.dates import parse_day, parse_month
from pondstats.errors import InputError
from pondstats.leads._horizons import (
    DEFAULT_HORIZON_TIERS,
    HORIZONS,
    HorizonScorer,
    days_to_deposit,
    fit_horizons,
    horizon_tiers,
)
from pondstats.leads._schedule import grade_disagreements
from pondstats.leads._table import lead_table
from pondstats.vocab import LEAD_WORDS, lang_table

__all__ = [
    "PSI_THRESHOLDS",
    "LeadReview",
    "lead_review",
    "backtest_tiers",
    "lead_drift",
    "population_stability",
]

#: PSI at or above ``watch`` is worth a look, at or above ``drift`` a reason
#: to retrain (or to check the export).
PSI_THRESHOLDS: dict[str, float] = {"watch": 0.10, "drift": 0.25}
_FLOOR = 1e-4
#: Features :func:`lead_review` leaves out of the drift check: the first-visit
#: month moves with the calendar by design (seasonality), and a region's close
#: rate takes one value per region in a month (ten spikes against a year of
#: snapshots); the region mix itself is watched through ``region``.
NOT_WATCHED: tuple[str, ...] = ("first_month", "region_close_rate")


def _shares(
    values: pd.Series, edges: np.ndarray | None, levels: list | None
) -> np.ndarray:
    na = values.isna().to_numpy()
    if edges is not None:
        x = values.astype("float64").to_numpy()
        idx = np.searchsorted(edges, x[~na], side="right")
        counts = np.bincount(idx, minlength=len(edges) + 1).astype(float)
    else:
        s = values[~na].astype("str")
        codes = s.map({v: i for i, v in enumerate(levels)})
        known = codes.notna().to_numpy()
        counts = np.append(
            np.bincount(codes[known].astype(int), minlength=len(levels)),
            (~known).sum(),  # levels not seen in training: one bin
        ).astype(float)
    counts = np.append(counts, na.sum())
    return counts / max(counts.sum(), 1.0)


def population_stability(expected: Any, actual: Any, *, bins: int = 10) -> float:
    """PSI of ``actual`` against ``expected`` (numbers or categories).

    Examples
    --------
    >>> from pondstats.leads._monitor import population_stability
    >>> round(population_stability(["a"] * 50 + ["b"] * 50, ["a"] * 80 + ["b"] * 20), 3)
    0.416
    >>> population_stability([1, 2, 3, 4] * 25, [1, 2, 3, 4] * 10)
    0.0
    """
    e, a = pd.Series(expected), pd.Series(actual)
    if e.notna().sum() == 0:
        return float("nan")
    numeric = pd.api.types.is_numeric_dtype(e.dtype) and not pd.api.types.is_bool_dtype(
        e.dtype
    )
    if numeric:
        # equal-width bins over the training values' 1st-99th percentiles:
        # quantile edges cut between the clumps of a lumpy feature (a region's
        # close rate takes one value per region) and flag a one-point move
        lo, hi = np.nanquantile(e.astype("float64"), [0.01, 0.99])
        edges = np.linspace(lo, hi, bins + 1)[1:-1] if hi > lo else np.array([lo])
        levels = None
    else:
        edges, levels = None, sorted(e.dropna().astype("str").unique())
    pe = np.maximum(_shares(e, edges, levels), _FLOOR)
    pa = np.maximum(_shares(a, edges, levels), _FLOOR)
    return float(np.sum((pa - pe) * np.log(pa / pe)))


def _status(psi: float) -> str:
    if not np.isfinite(psi) or psi < PSI_THRESHOLDS["watch"]:
        return "stable"
    return "watch" if psi < PSI_THRESHOLDS["drift"] else "drift"


def lead_drift(
    train: pd.DataFrame,
    current: pd.DataFrame,
    *,
    features: Sequence[str] | None = None,
    scorer: Any = None,
    bins: int = 10,
    lang: str = "zh",
) -> pd.DataFrame:
    """PSI per feature (and of the scores, with ``scorer``), worst first.

    Returns ``feature, psi, status (stable/watch/drift), status_text``; the
    row ``score`` compares the fitted ``scorer``'s probabilities.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.leads._monitor import lead_drift
    >>> old = pd.DataFrame({"source": ["walk-in"] * 80 + ["online"] * 20})
    >>> new = pd.DataFrame({"source": ["walk-in"] * 40 + ["online"] * 60})
    >>> lead_drift(old, new, lang="en")[["feature", "status"]]
      feature status
    0  source  drift
    """
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
    if features is None:
        features = [c for c in train.columns if c in current.columns]
    lacking = [c for c in features if c not in train or c not in current]
    if lacking:
        raise InputError(
            f"features {lacking} are missing from train or current; pass features= "
            "naming columns both tables have."
        )
    rows = [
        {"feature": c, "psi": population_stability(train[c], current[c], bins=bins)}
        for c in features
    ]
    if scorer is not None:
        names = list(getattr(scorer, "feature_names_in_", features))
        p_old = scorer.predict_proba(train[names])[:, 1]
        p_new = scorer.predict_proba(current[names])[:, 1]
        rows.append(
            {"feature": "score", "psi": population_stability(p_old, p_new, bins=bins)}
        )
    out = pd.DataFrame(rows)
    out["status"] = out["psi"].map(_status).astype("str")
    out["status_text"] = out["status"].map(lang_table(LEAD_WORDS)[lang]).astype("str")
    out = out.sort_values("psi", ascending=False, kind="stable", na_position="last")
    return out.reset_index(drop=True)


def _model_as_of(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    day: pd.Timestamp,
    history_months: int,
    horizons: Sequence[int],
    random_state: Any,
    **kwargs: Any,
) -> tuple[HorizonScorer, pd.DataFrame, list[str]]:
    """The horizon model of the call list made as ``day`` ended (the one
    training recipe, :func:`fit_horizons`: rows dated on or before ``day``)."""
    cutoff = day + pd.Timedelta(days=1)
    model, snaps = fit_horizons(
        visits,
        deposits,
        cutoff,
        history=history_months,
        horizons=horizons,
        random_state=random_state,
        **kwargs,
    )
    if model is None or int(snaps["observed_days"].max()) < model.horizons_[-1]:
        raise InputError(
            f"the snapshots before {day.date()} hold {len(snaps)} leads and "
            f"{int(snaps['days_to_deposit'].notna().sum())} deposits: too little "
            f"history to train on (a back-test wants a snapshot whose {horizons[-1]}-day "
            "outcome is known); raise history_months or choose a later as_of."
        )
    return model, snaps, list(model.feature_names_in_)


def backtest_tiers(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of: Any,
    *,
    history_months: int = 6,
    horizons: Sequence[int] = HORIZONS,
    tiers: Mapping[str, tuple[int, float]] | None = None,
    random_state: Any = 0,
    **kwargs: Any,
) -> pd.DataFrame:
    """How the leads open on ``as_of`` closed, per tier a model of that day gave them.

    The horizon model of the call list made as ``as_of`` ended is trained as
    :func:`pondstats.leads.score_open_leads` trains it
    (:func:`pondstats.leads._horizons.fit_horizons`: monthly snapshots of the
    ``history_months`` before, rows dated on or before ``as_of``, each
    counted for the days its outcome was known); it tiers the leads open on
    ``as_of`` with the same rule (``tiers``, default
    :data:`pondstats.leads.DEFAULT_HORIZON_TIERS`); their later deposits are
    the outcome.

    Returns
    -------
    DataFrame
        One row per tier (H, A, B, C): ``leads``, the mean predicted
        ``p_<h>`` and the observed ``within_<h>`` share for each horizon up to
        30 days (NaN when the data end before the horizon does), and
        ``median_days`` to the deposit of those who paid.
        ``attrs["as_of"]`` and ``attrs["observed_to"]`` give the window.

    Examples
    --------
    >>> import pondstats as ps
    >>> from pondstats.leads._monitor import backtest_tiers
    >>> vis, dep = ps.load_sample()
    >>> bt = backtest_tiers(vis, dep, "2026-09-30")
    >>> list(bt.index), bool(bt.loc["B", "within_30"] > 5 * bt.loc["C", "within_30"])
    (['H', 'A', 'B', 'C'], True)
    """
    day = parse_day(as_of, name="as_of")
    model, snaps, feats = _model_as_of(
        visits, deposits, day, history_months, horizons, random_state, **kwargs
    )
    return _backtest_table(model, feats, visits, deposits, day, tiers, **kwargs)


def _backtest_table(
    model: HorizonScorer,
    feats: list[str],
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    day: pd.Timestamp,
    tiers: Mapping[str, tuple[int, float]] | None,
    **kwargs: Any,
) -> pd.DataFrame:
    h = model.horizons_
    leads = lead_table(visits, deposits, day, horizon_days=h[0], **kwargs)
    p = model.predict_horizons(leads[feats])
    tier = horizon_tiers(p, tiers)
    days = days_to_deposit(leads, deposits)
    data_end = max(visits["visit_date"].max(), deposits["deposit_date"].max())
    observed_to = (data_end.normalize() - day).days
    frame = p.assign(tier=tier.to_numpy(), days=days.to_numpy())
    shown = [x for x in h if x <= 30]
    for x in shown:
        ok = x <= observed_to
        frame[f"within_{x}"] = (frame["days"] <= x).astype(float) if ok else np.nan
    g = frame.groupby("tier")
    out = pd.DataFrame({"leads": g.size()})
    for x in shown:
        out[f"p_{x}"] = g[f"p_{x}"].mean()
        out[f"within_{x}"] = g[f"within_{x}"].mean()
    paid = frame.loc[frame["days"] <= observed_to]
    out["median_days"] = paid.groupby("tier")["days"].median()
    order = [*dict(DEFAULT_HORIZON_TIERS if tiers is None else tiers), "C"]
    out = out.reindex(order)
    out["leads"] = out["leads"].fillna(0).astype("int64")
    out.index.name = "tier"
    out.attrs["as_of"] = day
    out.attrs["observed_to"] = day + pd.Timedelta(days=observed_to)
    return out


@dataclasses.dataclass
class LeadReview:
    """Result of :func:`lead_review`: the tier back-test and the drift table."""

    backtest: pd.DataFrame
    drift: pd.DataFrame
    as_of: pd.Timestamp
    current: pd.Timestamp
    #: Leads open at ``current`` whose consultant grade and model tier are two
    #: or more levels apart (:func:`grade_disagreements`; no names or phones).
    disagreements: pd.DataFrame | None = None

    @property
    def drifted(self) -> list[str]:
        """Features (or ``score``) whose PSI reaches the drift threshold."""
        return self.drift.loc[self.drift["status"] == "drift", "feature"].tolist()


def lead_review(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    month: Any,
    *,
    history_months: int = 6,
    calls: pd.DataFrame | None = None,
    tiers: Mapping[str, tuple[int, float]] | None = None,
    lang: str = "zh",
    **kwargs: Any,
) -> LeadReview:
    """The month's check of the lead tiers (the report's leads page).

    The back-test is :func:`backtest_tiers` on the last day before ``month``
    (the tiers of the call list made as the month began, against the
    deposits of the month); the drift compares that model's training
    snapshots with the leads open at the end of ``month`` (the features but
    :data:`NOT_WATCHED`, and the 30-day probability as ``score``). The
    disagreements are :func:`grade_disagreements` of ``calls`` (the report's
    call list, :func:`pondstats.leads.score_open_leads` on the first day after
    ``month``), or, without it, of the leads open at the end of ``month``
    tiered by the same model; one model is fitted either way.

    Examples
    --------
    >>> import pondstats as ps
    >>> from pondstats.leads._monitor import lead_review
    >>> vis, dep = ps.load_sample()
    >>> r = lead_review(vis, dep, "2026-10")
    >>> str(r.as_of.date()), str(r.current.date()), list(r.backtest.index)
    ('2026-09-30', '2026-10-31', ['H', 'A', 'B', 'C'])
    """
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
    period = parse_month(month, name="month")
    day = period.start_time - pd.Timedelta(days=1)
    current = period.end_time.normalize()
    model, snaps, feats = _model_as_of(
        visits, deposits, day, history_months, HORIZONS, 0, **kwargs
    )
    bt = _backtest_table(model, feats, visits, deposits, day, tiers, **kwargs)
    now = lead_table(visits, deposits, current, **kwargs)
    watched = [c for c in feats if c not in NOT_WATCHED]
    drift = lead_drift(snaps[watched], now[watched], lang=lang)
    p_old = model.predict_horizons(snaps[feats])["p_30"]
    p_now = model.predict_horizons(now[feats])
    psi = population_stability(p_old, p_now["p_30"])
    words = lang_table(LEAD_WORDS)[lang]
    score = {"feature": "score", "psi": psi, "status": _status(psi)}
    score["status_text"] = words[score["status"]]
    drift = pd.concat([pd.DataFrame([score]), drift], ignore_index=True)
    if calls is None:
        calls = now.assign(tier=horizon_tiers(p_now, tiers).to_numpy())
        as_of = current + pd.Timedelta(days=1)
    else:
        as_of = None
    keep = [c for c in ("consultant", "grade", "tier", "last_visit") if c in calls]
    disagree = (
        grade_disagreements(calls[keep], as_of=as_of, lang=lang)
        if "grade" in calls and "tier" in calls
        else None
    )
    return LeadReview(
        backtest=bt, drift=drift, as_of=day, current=current, disagreements=disagree
    )
