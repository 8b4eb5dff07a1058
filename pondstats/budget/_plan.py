"""Marketing budget planning: split next month's money where it buys deposits.

Three steps, each a function:

1. :func:`budget_history` joins spend, A-cards (first visits) and C-cards
   (non-cancelled deposits) per zone and month;
2. :func:`fit_response` (from :mod:`pondstats.budget._response`) fits each zone's
   diminishing-returns traffic curve, pooled across zones, and its shrunk
   close rate;
3. :func:`plan_budget` allocates a total to maximise expected deposits within
   the spend range each zone has actually seen, and compares the plan with
   keeping last month's split.

:func:`conversion_opportunity` is the other lever: deposits a zone loses
against the 13% benchmark with the traffic it already has.

Assumptions and limits (read before acting on a plan): the curves are fitted
to observational data, so they show association, not proof that spend causes
traffic (money raised for an already-busy month looks effective); competitor
actions, launches, prices and weather are not in the data; a zone's curve is
only trusted inside the spend range it has seen (the default bounds), and
saturation beyond it is unknown; close rates are assumed not to depend on
spend (extra traffic bought by advertising may close worse); intervals cover
model-parameter uncertainty, not these.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pondstats.budget._response import ResponseFit, _as_month, beta_prior, fit_response
from pondstats.errors import DataQualityWarning, InputError
from pondstats.rates._close import close_rates
from pondstats.schema import Benchmark

__all__ = [
    "BudgetPlan",
    "ResponseFit",
    "budget_history",
    "conversion_opportunity",
    "fit_response",
    "plan_budget",
]

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------
# history
# ---------------------------------------------------------------------------


def _check_spend(spend: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in ("region", "month", "spend") if c not in spend.columns]
    if missing:
        raise InputError(
            f"spend needs columns region, month, spend; missing {missing}. "
            "Read it with ps.read_spend(path) and ps.clean_spend(raw)."
        )
    s = spend.loc[:, ["region", "month", "spend"]].copy()
    amount = pd.to_numeric(s["spend"], errors="coerce")
    bad = s[amount.isna() | (amount < 0) | s["region"].isna() | s["month"].isna()]
    if len(bad):
        shown = ", ".join(
            f"{r} {m}: {v}" for r, m, v in bad.head(5).itertuples(index=False)
        )
        raise InputError(
            f"spend has {len(bad)} row(s) with a negative or missing amount, region or "
            f"month (e.g. {shown}). Enter 0 where nothing was spent, and drop rows "
            "whose spend is unknown (the model cannot guess it)."
        )
    s["spend"] = amount.astype(float)
    s["month"] = pd.PeriodIndex(s["month"], freq="M")
    return s


def budget_history(
    spend: pd.DataFrame, visits: pd.DataFrame, deposits: pd.DataFrame
) -> pd.DataFrame:
    """Spend, A-cards and C-cards per zone and month: the planner's input.

    Parameters
    ----------
    spend : DataFrame
        ``region, month, spend`` (yuan). Several rows for the same zone and
        month (e.g. one per channel) are added up.
    visits : DataFrame
        Cleaned visits; ``a_cards`` counts first visits (``visit_no == 1``).
    deposits : DataFrame
        Cleaned deposits; ``c_cards`` counts deposits not cancelled, in their
        own region or, where that is missing, the region of the customer's
        first visit. Both are counted by :func:`pondstats.close_rates`, so
        the numbers are the close-rate KPI's.

    Returns
    -------
    DataFrame
        ``region, month, spend, a_cards, c_cards``: one row per zone and month
        of the spend table (months with spend but no visits count 0).
        ``attrs["pondstats"]`` reports what could not be used: zones with
        visits but no spend (``zones_without_spend``, also warned about) and
        the A- and C-cards left out because they have no region or fall in a
        month without spend.

    Raises
    ------
    InputError
        When spend has negative or missing amounts, regions or months.

    Examples
    --------
    >>> spend = pd.DataFrame({"region": ["东区", "东区"],
    ...                       "month": pd.PeriodIndex(["2026-09", "2026-10"], freq="M"),
    ...                       "spend": [1000.0, 2000.0]})
    >>> visits = pd.DataFrame({"customer_key": ["a", "b", "a"], "visit_no": [1, 1, 2],
    ...     "visit_date": pd.to_datetime(["2026-09-03", "2026-10-05", "2026-10-09"]),
    ...     "region": ["东区", "东区", "东区"]})
    >>> deposits = pd.DataFrame({"customer_key": ["a", "b"],
    ...     "deposit_date": pd.to_datetime(["2026-10-09", "2026-10-20"]),
    ...     "region": [None, "东区"], "status": ["active", "cancelled"]})
    >>> budget_history(spend, visits, deposits)
      region    month   spend  a_cards  c_cards
    0     东区  2026-09  1000.0        1        0
    1     东区  2026-10  2000.0        1        1
    """
    s = _check_spend(spend)
    s = s.groupby(["region", "month"], as_index=False, sort=True)["spend"].sum()
    rates = close_rates(visits, deposits, by="region", period="M")
    counts = rates.rename(columns={"period": "month"}).set_index(["region", "month"])[
        ["a_cards", "c_cards"]
    ]
    out = s.join(counts, on=["region", "month"])
    out[["a_cards", "c_cards"]] = out[["a_cards", "c_cards"]].fillna(0).astype("int64")

    no_spend = sorted(
        set(rates.loc[rates["a_cards"] > 0, "region"].dropna()) - set(s["region"])
    )
    if no_spend:
        warnings.warn(
            f"zones with visits but no spend history are left out of the budget "
            f"plan: {no_spend}. Add their spend (0 where none) to plan them.",
            DataQualityWarning,
            stacklevel=2,
        )
    out.attrs["pondstats"] = {
        "zones_without_spend": no_spend,
        "a_cards_unused": int((visits["visit_no"] == 1).sum() - out["a_cards"].sum()),
        "c_cards_unused": int(
            (deposits["status"] != "cancelled").sum() - out["c_cards"].sum()
        ),
    }
    log.info(
        "budget history: %d zone-months, unused %s", len(out), out.attrs["pondstats"]
    )
    return out


# ---------------------------------------------------------------------------
# the plan
# ---------------------------------------------------------------------------


@dataclass
class BudgetPlan:
    """The result of :func:`plan_budget`.

    Attributes
    ----------
    table : DataFrame
        One row per zone: ``region, current_spend`` (last month of history),
        ``min_spend, max_spend`` (the bounds), ``planned_spend, change,
        a_expected, a_low, a_high, close_rate, c_expected, c_low, c_high``
        (expected A- and C-cards at the planned spend with intervals),
        ``c_current_split`` (expected C-cards when keeping last month's
        split) and ``marginal_cost`` (yuan for one more deposit at the planned
        spend; ``inf`` where spend buys nothing).
    totals : DataFrame
        Index ``current_split`` (last month's shares of the total), ``planned``
        and ``difference``; columns ``spend, a_expected, a_low, a_high,
        c_expected, c_low, c_high``.
    month : Period
        The month planned for.
    total : float
        The money split.
    prob_better : float
        Posterior probability that the plan brings more deposits than keeping
        last month's split.
    n_draws : int
        The number of posterior draws ``prob_better`` was counted on (a share
        of 1.0 means "more than 1 - 1/n_draws", not certainty).
    fit : ResponseFit
        The fitted curves behind the plan.
    """

    table: pd.DataFrame
    totals: pd.DataFrame
    month: pd.Period
    total: float
    prob_better: float
    fit: ResponseFit = field(repr=False)
    n_draws: int = 0

    def __repr__(self) -> str:
        t = self.totals
        return (
            f"BudgetPlan(month={self.month}, total={self.total:,.0f}, zones={len(self.table)}, "
            f"deposits planned={t.loc['planned', 'c_expected']:.1f} vs current split="
            f"{t.loc['current_split', 'c_expected']:.1f})"
        )


def _bounds_frame(fit: ResponseFit, bounds) -> pd.DataFrame:
    p = fit.params
    b = pd.DataFrame(
        {
            "min_spend": p["spend_min"].to_numpy(float),
            "max_spend": p["spend_max"].to_numpy(float),
        },
        index=p["region"],
    )
    if bounds is None:
        return b
    if isinstance(bounds, pd.DataFrame):
        need = {"region", "min_spend", "max_spend"}
        if not need <= set(bounds.columns):
            raise InputError(
                f"bounds as a DataFrame needs columns {sorted(need)}; "
                f"found {list(bounds.columns)}."
            )
        bounds = {
            r: (lo, hi)
            for r, lo, hi in bounds[["region", "min_spend", "max_spend"]].itertuples(
                index=False
            )
        }
    if not isinstance(bounds, dict):
        raise InputError(
            "bounds must be a dict {region: (min, max)} or a DataFrame with "
            f"region, min_spend, max_spend; got {type(bounds).__name__}."
        )
    unknown = sorted(set(bounds) - set(b.index))
    if unknown:
        raise InputError(
            f"bounds name zones without spend history: {unknown}. "
            f"Known zones: {list(b.index)}."
        )
    for region, pair in bounds.items():
        if isinstance(pair, str) or not hasattr(pair, "__len__") or len(pair) != 2:
            raise InputError(
                f"bounds for {region} must be a (min, max) pair of yuan, got {pair!r}; "
                f"e.g. bounds={{{region!r}: (None, {pair!r})}} for a maximum only "
                "(None keeps the zone's own limit)."
            )
        lo, hi = pair
        lo = b.loc[region, "min_spend"] if lo is None or pd.isna(lo) else float(lo)
        hi = b.loc[region, "max_spend"] if hi is None or pd.isna(hi) else float(hi)
        if lo < 0 or hi < lo:
            raise InputError(
                f"bounds for {region} must satisfy 0 <= min <= max, got ({lo}, {hi})."
            )
        b.loc[region] = [lo, hi]
    return b


def _water_fill(
    w: np.ndarray,
    gain: np.ndarray,
    scale: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    total: float,
) -> np.ndarray:
    """Maximise sum w*gain*(1-exp(-s/scale)) s.t. sum s = total, lo <= s <= hi.

    Marginal equalisation: at the optimum every zone strictly inside its bounds
    has the same marginal return ``lam``; bisection on ``log lam``.
    """
    slope0 = w * gain / scale  # marginal return at zero spend

    def spend_at(log_lam: float) -> np.ndarray:
        with np.errstate(divide="ignore"):
            s = scale * (np.log(slope0) - log_lam)
        return np.clip(np.nan_to_num(s, nan=-np.inf), lo, hi)

    if total <= lo.sum():
        return lo.copy()
    if total >= hi.sum():
        return hi.copy()
    pos = slope0[slope0 > 0]
    if pos.size == 0:  # spend buys nothing anywhere: spread the rest evenly
        return lo + (hi - lo) * (total - lo.sum()) / (hi - lo).sum()
    a, b = np.log(pos.min()) - (hi / scale).max() - 50, np.log(pos.max()) + 50
    for _ in range(200):
        mid = (a + b) / 2
        if spend_at(mid).sum() > total:
            a = mid
        else:
            b = mid
    s_hi, s_lo = spend_at(a), spend_at(b)  # sums bracket total
    if s_hi.sum() < total:  # every zone that responds is full: the rest goes
        flat = slope0 <= 0  # where it buys nothing, within bounds
        rest = total - s_hi.sum()
        s_hi[flat] += (hi - lo)[flat] * rest / (hi - lo)[flat].sum()
        return s_hi
    gap = s_hi.sum() - s_lo.sum()
    t = 0.0 if gap <= 0 else (total - s_lo.sum()) / gap
    return s_lo + t * (s_hi - s_lo)


def plan_budget(
    history: pd.DataFrame | ResponseFit,
    total: float,
    *,
    bounds=None,
    month: pd.Period | str | None = None,
    level: float = 0.95,
    fit_kwargs: dict | None = None,
) -> BudgetPlan:
    """Split ``total`` across zones to maximise expected deposits next month.

    Parameters
    ----------
    history : DataFrame or ResponseFit
        Per zone and month ``region, month, spend, a_cards, c_cards`` (see
        :func:`budget_history`); the curves are fitted with
        :func:`fit_response`. A :class:`ResponseFit` is used as it is.
    total : float
        Money to split (yuan).
    bounds : dict or DataFrame, optional
        ``{region: (min, max)}`` (``None`` in a pair keeps that default) or a
        DataFrame with ``region, min_spend, max_spend``. Default: each zone
        stays within the monthly spend range it has actually seen, so the
        plan never relies on the curve beyond the data. A zone with only one
        spend level (or none) keeps that level.
    month : Period or str, optional
        The month planned for (its seasonality scales all zones alike); by
        default the month after the history.
    level : float
        Level of the intervals.
    fit_kwargs : dict, optional
        Passed to :func:`fit_response`.

    Returns
    -------
    BudgetPlan
        ``table`` per zone, ``totals`` against keeping last month's split.

    Raises
    ------
    InputError
        When ``total`` is negative, below the sum of the minimum bounds or
        above the sum of the maxima (the message gives both sums and how to
        widen the bounds), or when bounds are malformed.

    Notes
    -----
    Expected deposits of zone ``z`` are ``r_z * S_m * (b_z + g_z (1 -
    exp(-s/c_z)))``, concave in ``s``; the optimum equalises the marginal
    deposits per yuan across zones not at a bound (water-filling), solved
    exactly by bisection. The plan uses the point estimates; the intervals
    come from the Laplace draws of the fit and the beta posterior of the
    close rates. See :mod:`pondstats.budget` for what the model cannot know.
    Zones without spend history cannot be planned: they are not in the fit
    (:func:`budget_history` warns about them).

    Examples
    --------
    >>> p = pd.DataFrame({"region": ["A", "B"], "base": [10.0, 10.0],
    ...                   "gain": [30.0, 30.0], "scale": [1000.0, 1000.0],
    ...                   "close_rate": [0.13, 0.13], "spend_min": [0.0, 0.0],
    ...                   "spend_max": [5000.0, 5000.0]})
    >>> plan = plan_budget(ResponseFit.from_params(p), 3000)
    >>> plan.table["planned_spend"].round().tolist()
    [1500.0, 1500.0]
    """
    fit = (
        history
        if isinstance(history, ResponseFit)
        else fit_response(history, **(fit_kwargs or {}))
    )
    try:
        total = float(total)
    except (TypeError, ValueError) as exc:
        raise InputError(f"total must be an amount in yuan, got {total!r}.") from exc
    if not np.isfinite(total) or total < 0:
        raise InputError(f"total must be a non-negative amount, got {total}.")
    month = _as_month(month, fit.last_month)
    b = _bounds_frame(fit, bounds)
    lo, hi = b["min_spend"].to_numpy(), b["max_spend"].to_numpy()
    if total < lo.sum() - 1e-6:
        raise InputError(
            f"total {total:,.0f} is below the sum of the zones' minimum spend "
            f"{lo.sum():,.0f}. Raise the total or lower the minima with "
            "bounds={region: (min, max)}."
        )
    if total > hi.sum() + 1e-6:
        raise InputError(
            f"total {total:,.0f} is above the sum of the zones' maximum spend "
            f"{hi.sum():,.0f} (by default the highest monthly spend each zone has "
            "seen; the curves are unknown beyond it). Lower the total, or raise the "
            "maxima with bounds={region: (min, max)} knowing the plan then extrapolates."
        )
    p = fit.params
    w = fit.season(month) * p["close_rate"].to_numpy()
    planned = _water_fill(w, p["gain"].to_numpy(), p["scale"].to_numpy(), lo, hi, total)

    current = _current_spend(fit)
    shares = (
        current / current.sum()
        if current.sum() > 0
        else np.full(len(current), 1 / len(current))
    )
    split = shares * total
    pred = fit.predict(planned, month, level=level)
    pred_cur = fit.predict(split, month, level=level)
    marg = fit.marginal_deposits(planned, month)
    with np.errstate(divide="ignore"):
        mcost = np.where(marg > 0, 1 / marg, np.inf)
    table = pd.DataFrame(
        {
            "region": fit.regions,
            "current_spend": current,
            "min_spend": lo,
            "max_spend": hi,
            "planned_spend": planned,
            "change": planned - current,
        }
    )
    table = pd.concat([table, pred.drop(columns=["region", "spend"])], axis=1)
    table["c_current_split"] = pred_cur["c_expected"].to_numpy()
    table["marginal_cost"] = mcost

    a_p, c_p = fit._draw_counts(planned, month)
    a_c, c_c = fit._draw_counts(split, month)
    q = [(1 - level) / 2, (1 + level) / 2]

    def row(spend_sum, a_hat, c_hat, a_d, c_d):
        aq, cq = np.quantile(a_d.sum(axis=1), q), np.quantile(c_d.sum(axis=1), q)
        return [spend_sum, a_hat, aq[0], aq[1], c_hat, cq[0], cq[1]]

    cols = ["spend", "a_expected", "a_low", "a_high", "c_expected", "c_low", "c_high"]
    totals = pd.DataFrame(
        [
            row(
                split.sum(),
                pred_cur["a_expected"].sum(),
                pred_cur["c_expected"].sum(),
                a_c,
                c_c,
            ),
            row(
                planned.sum(),
                pred["a_expected"].sum(),
                pred["c_expected"].sum(),
                a_p,
                c_p,
            ),
            row(
                planned.sum() - split.sum(),
                pred["a_expected"].sum() - pred_cur["a_expected"].sum(),
                pred["c_expected"].sum() - pred_cur["c_expected"].sum(),
                a_p - a_c,
                c_p - c_c,
            ),
        ],
        index=pd.Index(["current_split", "planned", "difference"], name="scenario"),
        columns=cols,
    )
    prob = float(((c_p - c_c).sum(axis=1) > 0).mean())
    return BudgetPlan(
        table=table,
        totals=totals,
        month=month,
        total=total,
        prob_better=prob,
        fit=fit,
        n_draws=int(c_p.shape[0]),
    )


def _current_spend(fit: ResponseFit) -> np.ndarray:
    """Spend per zone in the last month of the history (0 where absent)."""
    h = fit.history
    if h.empty:
        return np.zeros(len(fit.regions))
    last = h.loc[h["month"] == fit.last_month].groupby("region")["spend"].sum()
    return last.reindex(fit.regions).fillna(0.0).to_numpy(float)


# ---------------------------------------------------------------------------
# the other lever: conversion
# ---------------------------------------------------------------------------


def conversion_opportunity(
    rates: pd.DataFrame,
    *,
    benchmark: Benchmark | None = None,
    plan: BudgetPlan | None = None,
) -> pd.DataFrame:
    """Deposits each zone loses against the benchmark with its own traffic.

    Parameters
    ----------
    rates : DataFrame
        ``region, a_cards, c_cards``, one row per zone or per zone and period
        (e.g. ``ps.close_rates(...)`` or :func:`budget_history`); periods are
        added up and divided by their number to give a monthly figure.
    benchmark : Benchmark, optional
        The target close rate (13% by default).
    plan : BudgetPlan, optional
        When given, adds ``traffic_deposits``: the extra deposits per month the
        plan expects from moving money into the zone (planned minus current
        split), and ``lever``: ``"conversion"`` where fixing conversion is
        worth more than the extra traffic, ``"traffic"`` where the plan's
        extra traffic is worth more, ``"none"`` where neither adds deposits.

    Returns
    -------
    DataFrame
        Per zone, sorted by ``lost_deposits``: ``region, months, a_cards,
        c_cards`` (per month), ``shrunk_rate`` (beta-binomial empirical Bayes,
        so a small zone is not judged on noise), ``target``, ``gap`` (target
        minus shrunk rate, 0 when above) and ``lost_deposits`` (a_cards x gap,
        per month).

    Examples
    --------
    >>> r = pd.DataFrame({"region": ["A", "B"], "a_cards": [200, 200],
    ...                   "c_cards": [16, 30]})
    >>> out = conversion_opportunity(r)
    >>> out[["region", "lost_deposits"]].round(1)
      region  lost_deposits
    0      A            9.6
    1      B            0.0
    """
    benchmark = benchmark or Benchmark()
    missing = [c for c in ("region", "a_cards", "c_cards") if c not in rates.columns]
    if missing:
        raise InputError(
            f"rates needs columns region, a_cards, c_cards; missing {missing}. "
            "Use ps.close_rates(visits, deposits) or ps.budget_history(...)."
        )
    g = rates.dropna(subset=["region"]).groupby("region", sort=True)
    out = g[["a_cards", "c_cards"]].sum()
    out.insert(0, "months", g.size())
    k, n = out["c_cards"].to_numpy(float), out["a_cards"].to_numpy(float)
    alpha, beta = beta_prior(k, n)
    out["shrunk_rate"] = (alpha + np.minimum(k, n)) / (alpha + beta + n)
    out[["a_cards", "c_cards"]] = out[["a_cards", "c_cards"]].div(out["months"], axis=0)
    out["target"] = benchmark.target
    out["gap"] = (benchmark.target - out["shrunk_rate"]).clip(lower=0)
    out["lost_deposits"] = out["a_cards"] * out["gap"]
    out = out.reset_index()
    if plan is not None:
        t = plan.table.set_index("region")
        extra = (
            (t["c_expected"] - t["c_current_split"]).reindex(out["region"]).to_numpy()
        )
        out["traffic_deposits"] = extra
        extra0 = np.nan_to_num(extra)
        lost = out["lost_deposits"].to_numpy()
        out["lever"] = np.select(
            [lost > np.maximum(extra0, 0), extra0 > np.maximum(lost, 0)],
            ["conversion", "traffic"],
            default="none",
        )
    return out.sort_values("lost_deposits", ascending=False, kind="stable").reset_index(
        drop=True
    )
