"""Quota pacing: month to date against the target, and the projected month end."""

from __future__ import annotations

import warnings
from difflib import get_close_matches

import numpy as np
import pandas as pd
from scipy import stats

from pondstats._checks import check_frame, shown
from pondstats.dates import parse_day
from pondstats.errors import DataQualityWarning, InputError
from pondstats.rates._linking import _dates, _require, link_deposits

__all__ = ["quota_pacing", "day_profile"]

#: Target levels, finest last.
TARGET_LEVELS: tuple[str, ...] = ("region", "store", "consultant")


def day_profile(deposits: pd.DataFrame, months) -> np.ndarray:
    """Share of each month's C-cards dated on or before each day of the month.

    Parameters
    ----------
    deposits : DataFrame
        Deposits with ``deposit_date`` and ``status``.
    months : sequence of Period
        The months to profile.

    Returns
    -------
    ndarray, shape (len(months), 31)
        Row ``j``, column ``d - 1``: the share of month ``j``'s non-cancelled
        deposits dated on day 1..d (1 from the last day of the month on; NaN
        for a month without deposits).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.rates._pacing import day_profile
    >>> d = pd.DataFrame({"deposit_date": pd.to_datetime(["2026-09-01", "2026-09-10",
    ...     "2026-09-10", "2026-09-30"]), "status": ["active"] * 4})
    >>> day_profile(d, [pd.Period("2026-09", "M")])[0, [0, 9, 29]]
    array([0.25, 0.75, 1.  ])
    """
    live = deposits[deposits["status"].astype("str") != "cancelled"]
    dm = live["deposit_date"].dt.to_period("M")
    out = np.full((len(months), 31), np.nan)
    for j, m in enumerate(months):
        days = live.loc[(dm == m).to_numpy(), "deposit_date"].dt.day.to_numpy()
        if len(days):
            cum = np.cumsum(np.bincount(days, minlength=32)[1:32])
            out[j] = cum / cum[-1]
    return out


def _nb_mixture(x: np.ndarray, shares: np.ndarray, a0: np.ndarray, b0: float,
                probs: list[float], target: np.ndarray):  # fmt: skip
    """Quantiles, mean and P(total >= target) of the month end per group.

    The month's total rate ``lam`` has a Gamma(a0, b0) prior; month to date
    ``x ~ Poisson(lam F)``, the rest ``~ Poisson(lam (1 - F))``: given ``F``
    the rest is negative binomial (``r = a0 + x``, ``p = (b0 + F) / (b0 + 1)``).
    ``F`` is each earlier month's share by the as-of day, equally weighted.
    """
    r = (a0 + x)[:, None]
    p = ((b0 + shares) / (b0 + 1.0))[None, :]
    p = np.clip(p, 1e-9, 1.0)
    mean = (r * (1 - p) / p).mean(axis=1)
    hi_all = stats.nbinom.ppf(0.99999, r, p)
    top = int(np.nanmax(hi_all)) + 1 if hi_all.size else 1
    grid = np.arange(top + 1)
    q = np.empty((len(x), len(probs)))
    reach = np.empty(len(x))
    for i in range(len(x)):
        cdf = stats.nbinom.cdf(grid[:, None], r[i], p[0]).mean(axis=1)
        for jj, pr in enumerate(probs):
            q[i, jj] = grid[min(np.searchsorted(cdf, pr - 1e-12), top)]
        need = target[i] - x[i]
        if not np.isfinite(need):
            reach[i] = np.nan
        elif need <= 0:
            reach[i] = 1.0
        else:
            k = int(np.ceil(need)) - 1  # P(rest >= need) = 1 - cdf(need - 1)
            reach[i] = 1.0 - (cdf[k] if k <= top else 1.0)
    return mean, q, reach


def quota_pacing(
    deposits: pd.DataFrame,
    targets: pd.DataFrame,
    as_of,
    *,
    visits: pd.DataFrame | None = None,
    history: int = 12,
    level: float = 0.95,
    prior_months: float = 0.1,
) -> pd.DataFrame:
    """Month to date against the C-card target, and the projected month end.

    The projection follows the day-of-month profile of C-cards in the
    ``history`` months before (not a straight line): by day ``d`` an earlier
    month ``j`` had a share ``F_j(d)`` of its C-cards. The month's C-card rate
    gets a weak prior (the group's mean month in that history, worth
    ``prior_months`` of a month) updated by the month to date; the rest of
    the month is then negative binomial for each ``F_j``, mixed over the
    earlier months. The interval is that mixture's equal-tailed interval.
    Only deposits dated up to ``as_of`` are used.

    Parameters
    ----------
    deposits : DataFrame
        Cleaned deposits (C-cards), with the target's group column
        (``region``, ``store`` or ``consultant``; borrowed from the first
        visit when ``visits`` is given).
    targets : DataFrame
        ``month`` (monthly periods), ``target`` and at most one of
        ``region`` / ``store`` / ``consultant`` (none: the whole dealer), as
        :func:`pondstats.read_targets` returns it.
    as_of : str or date
        The last day counted, ``"YYYY-MM-DD"``.
    visits : DataFrame, optional
        Visits, to attribute deposits without the group to their first visit's.
    history : int, default 12
        Earlier months the daily profile and the prior come from.
    level : float, default 0.95
        Coverage of the projection interval.
    prior_months : float, default 0.1
        Weight of the prior (the history's mean month), in months of data.

    Returns
    -------
    DataFrame
        One row per group with a target in the month (and per group with
        C-cards but no target, ``target`` missing): the group column,
        ``month``, ``target``, ``month_to_date``, ``expected_share``,
        ``projected``, ``projected_low``, ``projected_high``, ``gap``
        (projected - target), ``needed_per_day`` (C-cards per remaining day
        to reach the target), ``p_reach`` and ``days_left``.

    Warns
    -----
    DataQualityWarning
        Targets for groups no deposit or visit names, groups with C-cards but
        no target this month (both named).

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> targets = ps.load_sample_targets()
    >>> p = ps.quota_pacing(deposits, targets, "2026-10-20")
    >>> p[["region", "target", "month_to_date", "projected", "projected_low",
    ...    "projected_high"]].head(3).round(1)
      region  target  month_to_date  projected  projected_low  projected_high
    0    东湖区    46.0             12       19.4           13.0            28.0
    1    北岭县    12.0             12       18.3           13.0            26.0
    2    西江区    32.0             15       23.4           17.0            33.0
    """
    day = parse_day(as_of, name="as_of")
    month = day.to_period("M")
    _require(deposits, ["deposit_date", "status"], "deposits")
    check_frame(
        targets,
        "targets",
        ["month", "target"],
        fix="Read the file with ps.read_targets(path).",
    )
    _dates(deposits["deposit_date"], "deposits['deposit_date']")
    if history < 1:
        raise InputError(f"history must be at least 1 month, got {history}.")
    if not 0.0 < level < 1.0:
        raise InputError(
            f"level must be between 0 and 1, got {level!r}. Write 0.95 for 95%."
        )
    if not prior_months >= 0:
        raise InputError(
            f"prior_months must be >= 0 (the prior's weight in months), got {prior_months!r}."
        )
    keys = [c for c in TARGET_LEVELS if c in targets.columns]
    if len(keys) > 1:
        raise InputError(
            f"targets has several group columns {keys}; give one level per call "
            "(e.g. targets[['region', 'month', 'target']])."
        )
    if not isinstance(targets["month"].dtype, pd.PeriodDtype):
        raise InputError(
            f"targets['month'] must be monthly periods, found {targets['month'].dtype}; "
            "read the file with ps.read_targets(path)."
        )
    key = keys[0] if keys else None
    dep = deposits[deposits["deposit_date"] < day + pd.Timedelta(days=1)]
    if key is not None:
        if visits is not None:
            dep = link_deposits(visits, dep, by=key)
        elif key not in dep.columns:
            raise InputError(
                f"deposits have no '{key}' column for the targets' level; pass "
                f"visits=... to take it from each customer's first visit."
            )
    tg = targets[targets["month"] == month]
    if tg.empty:
        have = sorted({str(m) for m in targets["month"].dropna()})
        raise InputError(
            f"targets have no row for {month} (the month of as_of {day.date()}); "
            f"they cover {', '.join(have[:6])}{' ...' if len(have) > 6 else ''}. "
            "Add that month's targets."
        )
    live = dep[dep["status"].astype("str") != "cancelled"]
    lm = live["deposit_date"].dt.to_period("M")
    cur = live[(lm == month).to_numpy()]
    if key is not None:
        dup = tg[key].duplicated(keep=False)
        if dup.any():
            raise InputError(
                f"targets have several rows for {month} and {key} "
                f"{sorted(tg.loc[dup, key].astype('str').unique())}; keep one per {key}."
            )
        known = set(dep[key].dropna().astype("str"))
        if visits is not None and key in visits.columns:
            known |= set(visits[key].dropna().astype("str"))
        names = tg[key].astype("str")
        unknown = sorted(set(names) - known)
        if unknown:
            hints = [f"{u} (did you mean {m[0]}?)" if (m := get_close_matches(u, sorted(known), n=1)) else u
                     for u in unknown]  # fmt: skip
            warnings.warn(
                f"targets name {key}(s) that no deposit or visit has: {shown(hints)}; they "
                "are kept with 0 C-cards. Fix the names in the targets file.",
                DataQualityWarning,
                stacklevel=2,
            )
        untargeted = sorted(set(cur[key].dropna().astype("str")) - set(names))
        if untargeted:
            warnings.warn(
                f"{key}(s) with C-cards in {month} but no target: {shown(untargeted)}; they "
                "are listed with a missing target. Add their targets.",
                DataQualityWarning,
                stacklevel=2,
            )
        groups = list(names) + untargeted
        target = np.r_[
            tg["target"].to_numpy(dtype="float64"), np.full(len(untargeted), np.nan)
        ]
        kx = cur[key].astype("str")
        x = np.array([(kx == g).sum() for g in groups], dtype="float64")
    else:
        groups = [None]
        target = np.array([float(tg["target"].sum())])
        x = np.array([float(len(cur))])
    earlier = [month - i for i in range(history, 0, -1)]
    prof = day_profile(dep, earlier)
    ok = ~np.isnan(prof[:, 0])
    dim = month.days_in_month
    d = day.day
    if ok.sum() < 3:
        warnings.warn(
            f"fewer than 3 earlier months with C-cards before {month}: the projection "
            "uses a straight line (day / days in month).",
            DataQualityWarning,
            stacklevel=2,
        )
        shares = np.array([d / dim])
    else:
        shares = prof[ok, d - 1]
        if d == dim:
            shares = np.ones_like(shares)
    shares = np.clip(shares, 1e-6, 1.0)
    # prior: the group's mean month in the history (equally over the months used)
    used = set(np.array(earlier)[ok]) if ok.any() else set()
    hist = live[lm.isin(used).to_numpy()]
    n_used = max(len(used), 1)
    if key is not None:
        hk = hist[key].astype("str")
        mean_month = np.array([(hk == g).sum() / n_used for g in groups])
    else:
        mean_month = np.array([len(hist) / n_used])
    a0 = 0.5 + prior_months * mean_month
    tail = (1 - level) / 2
    mean, q, reach = _nb_mixture(x, shares, a0, prior_months, [tail, 1 - tail], target)
    out = pd.DataFrame({key: groups} if key is not None else {})
    if key is not None:
        out[key] = out[key].astype("str")
    out["month"] = pd.PeriodIndex([month] * len(x), freq="M")
    out["target"] = target
    out["month_to_date"] = x.astype("int64")
    out["expected_share"] = float(np.mean(shares))
    out["projected"] = x + mean
    out["projected_low"] = x + q[:, 0]
    out["projected_high"] = x + q[:, 1]
    out["gap"] = out["projected"] - out["target"]
    left = dim - d
    with np.errstate(divide="ignore", invalid="ignore"):
        need = np.maximum(target - x, 0.0)
        out["needed_per_day"] = np.where(
            left > 0, need / max(left, 1), np.where(need > 0, np.inf, 0.0)
        )
    out["needed_per_day"] = out["needed_per_day"].where(~np.isnan(target))
    out["p_reach"] = reach
    out["days_left"] = left
    out.attrs = {"as_of": str(day.date()), "month": str(month), "history": history,
                 "months_profiled": int(ok.sum()), "level": level}  # fmt: skip
    return out
