"""Cohort close rates and return visits (re-exported by :mod:`pondstats.rates._close`)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pondstats.dates import parse_day
from pondstats.errors import DataQualityWarning, InputError
from pondstats.rates._linking import (
    _as_list,
    _check_by,
    _dates,
    _key_codes,
    _period_of,
    _require,
)
from pondstats.rates.stats import wilson_interval

__all__ = ["cohort_rates", "return_visit_rates"]

# ---------------------------------------------------------------------------
# cohorts and return visits
# ---------------------------------------------------------------------------


def _prospects(
    visits: pd.DataFrame, deposits: pd.DataFrame, by_cols: list[str]
) -> pd.DataFrame:
    """One row per customer with a first visit: group, first date, visits, first deposit."""
    _require(visits, ["customer_key", "visit_date", "visit_no"], "visits")
    _require(deposits, ["customer_key", "deposit_date", "status"], "deposits")
    _check_by(visits, by_cols)
    _dates(visits["visit_date"], "visits['visit_date']")
    _dates(deposits["deposit_date"], "deposits['deposit_date']")
    live = deposits[deposits["status"].astype("str") != "cancelled"]
    codes, dcodes, first_pos = _key_codes(visits, live)
    ok = np.flatnonzero(first_pos >= 0)  # customers with a visit
    rank = np.full(len(first_pos), -1, dtype="int64")
    rank[ok] = np.arange(len(ok))
    pos = first_pos[ok]
    pros = visits[by_cols].iloc[pos].reset_index(drop=True)
    pros["first_date"] = visits["visit_date"].to_numpy()[pos]
    vr = rank[codes[codes >= 0]]
    pros["visits"] = np.bincount(vr[vr >= 0], minlength=len(ok))
    hit = np.where(dcodes >= 0, rank[np.maximum(dcodes, 0)], -1)
    dd = live["deposit_date"].to_numpy(dtype="datetime64[ns]")
    m = hit >= 0
    # earliest deposit on or after the first visit (same day counts)
    fd = pros["first_date"].to_numpy(dtype="datetime64[ns]")
    valid = m.copy()
    valid[m] = dd[m].astype("datetime64[D]") >= fd[hit[m]].astype("datetime64[D]")
    first_dep = pd.Series(dd[valid]).groupby(hit[valid]).min()
    pros["first_deposit"] = pd.Series(pd.NaT, index=pros.index, dtype="datetime64[ns]")
    pros.loc[first_dep.index, "first_deposit"] = first_dep.to_numpy()
    return pros


def cohort_rates(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "region",
    period: str = "M",
    horizon_days: int = 90,
    as_of: str | pd.Timestamp | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Cohort close rates: of the first visitors of a period, who paid in time.

    A prospect belongs to the cohort of the period of their first visit and
    to that visit's group; they count as converted when a non-cancelled
    deposit follows within ``horizon_days`` (same day included).

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical tables.
    by : str, list of str or None, default "region"
    period : str, default "M"
        Cohort frequency.
    horizon_days : int, default 90
        Days after the first visit in which a deposit counts.
    as_of : date-like, optional
        Date the data runs to (default: the latest visit or deposit date).
        A cohort is ``complete`` when the last day of its period plus the
        horizon is on or before ``as_of``; incomplete cohorts understate the
        rate.
    level : float, default 0.95
        Coverage of the Wilson interval.

    Returns
    -------
    DataFrame
        ``by`` columns, ``cohort`` (Period), ``prospects``, ``converted``,
        ``cohort_rate``, ``ci_low``, ``ci_high``, ``complete``.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats import cohort_rates
    >>> v = pd.DataFrame({"customer_key": ["a", "b", "c"],
    ...     "visit_date": pd.to_datetime(["2026-01-03", "2026-01-09", "2026-05-01"]),
    ...     "visit_no": [1, 1, 1], "region": ["东湖区"] * 3})
    >>> d = pd.DataFrame({"customer_key": ["a", "b"],
    ...     "deposit_date": pd.to_datetime(["2026-02-01", "2026-06-01"]),
    ...     "status": ["active", "active"]})
    >>> cohort_rates(v, d)[["region", "cohort", "prospects", "converted",
    ...     "cohort_rate", "complete"]]
      region   cohort  prospects  converted  cohort_rate  complete
    0    东湖区  2026-01          2          1          0.5      True
    1    东湖区  2026-05          1          0          0.0     False
    """
    by_cols = _as_list(by)
    if horizon_days < 0:
        raise InputError(f"horizon_days must be >= 0, got {horizon_days}.")
    pros = _prospects(visits, deposits, by_cols)
    if as_of is None:
        as_of = max(visits["visit_date"].max(), deposits["deposit_date"].max())
    as_of = parse_day(as_of, name="as_of")
    lag = (pros["first_deposit"] - pros["first_date"]).dt.days
    pros["converted"] = (lag <= horizon_days).fillna(False).astype("int64")
    pros["cohort"] = _period_of(pros["first_date"], period)
    keys = [*by_cols, "cohort"]
    g = pros.groupby(keys, observed=True, dropna=False, sort=True)
    out = g.agg(
        prospects=("converted", "size"), converted=("converted", "sum")
    ).reset_index()
    out["cohort"] = out["cohort"].astype(pros["cohort"].dtype)
    n = out["prospects"].to_numpy()
    k = out["converted"].to_numpy()
    out["cohort_rate"] = np.where(n > 0, k / np.maximum(n, 1), np.nan)
    out["ci_low"], out["ci_high"] = wilson_interval(k, n, level=level)
    end = out["cohort"].dt.end_time.dt.normalize()
    out["complete"] = (end + pd.Timedelta(days=horizon_days)) <= as_of
    out = out.sort_values(["cohort", *by_cols], kind="stable").reset_index(drop=True)
    out.attrs = {"horizon_days": horizon_days, "as_of": str(as_of.date())}
    return out


def return_visit_rates(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "region",
    level: float = 0.95,
    start: str | pd.Timestamp | None = None,
) -> pd.DataFrame:
    """Return-visit rate and close rate of one-time vs returning prospects.

    Each prospect (customer with a first visit) is placed in the group of
    their first visit; they are *returning* when they have more than one
    visit row, and *closed* when a non-cancelled deposit follows their first
    visit (same day included). Descriptive, over the whole range: prospects
    who close may stop coming back, so the lift is an association, not an
    effect.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical tables.
    by : str, list of str or None, default "region"
    level : float, default 0.95
        Coverage of the Wilson intervals.
    start : date-like, optional
        Keep only the prospects whose first visit is on or after this day
        (e.g. the first day of a 12-month window). Pass the full visits, not
        a window of them: a customer who first came before ``start`` and came
        back in the window is no new prospect. When the visits begin after
        ``start``, a :class:`~pondstats.errors.DataQualityWarning` says that
        customers who first came before the export look new.

    Returns
    -------
    DataFrame
        ``by`` columns, ``prospects``, ``returning``, ``return_rate``,
        ``one_time_closed``, ``one_time_rate``, ``one_time_low``,
        ``one_time_high``, ``returning_closed``, ``returning_rate``,
        ``returning_low``, ``returning_high``, ``lift``
        (``returning_rate / one_time_rate``).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats import return_visit_rates
    >>> v = pd.DataFrame({"customer_key": ["a", "a", "b", "c", "d"],
    ...     "visit_date": pd.to_datetime(["2026-01-03", "2026-01-10", "2026-01-04",
    ...                                   "2026-01-05", "2026-01-06"]),
    ...     "visit_no": [1, 2, 1, 1, 1], "region": ["东湖区"] * 5})
    >>> d = pd.DataFrame({"customer_key": ["a", "b"],
    ...     "deposit_date": pd.to_datetime(["2026-01-12", "2026-01-04"]),
    ...     "status": ["active", "active"]})
    >>> t = return_visit_rates(v, d)
    >>> t[["region", "prospects", "returning", "return_rate"]]
      region  prospects  returning  return_rate
    0    东湖区          4          1         0.25
    >>> t[["one_time_rate", "returning_rate", "lift"]]
       one_time_rate  returning_rate  lift
    0       0.333333             1.0   3.0
    """
    by_cols = _as_list(by)
    pros = _prospects(visits, deposits, by_cols)
    if start is not None:
        day = parse_day(start, name="start")
        begins = pd.Series(visits["visit_date"]).min()
        if pd.notna(begins) and begins.normalize() > day:
            warnings.warn(
                f"the visits begin on {begins.date()}, after start={day.date()}: "
                "customers whose first visit was before the export look new. Export "
                f"visits from {day.date()} or earlier, or pass a later start.",
                DataQualityWarning,
                stacklevel=2,
            )
        pros = pros[pros["first_date"] >= day].reset_index(drop=True)
    pros["closed"] = pros["first_deposit"].notna().astype("int64")
    pros["ret"] = (pros["visits"] > 1).astype("int64")
    pros["one_closed"] = pros["closed"] * (1 - pros["ret"])
    pros["ret_closed"] = pros["closed"] * pros["ret"]
    if not by_cols:
        pros["_all"] = 0
    keys = by_cols or ["_all"]
    out = (
        pros.groupby(keys, observed=True, dropna=False, sort=True)
        .agg(
            prospects=("ret", "size"),
            returning=("ret", "sum"),
            one_time_closed=("one_closed", "sum"),
            returning_closed=("ret_closed", "sum"),
        )
        .reset_index()
        .drop(columns=["_all"], errors="ignore")
    )
    n = out["prospects"].to_numpy()
    r = out["returning"].to_numpy()
    one = n - r
    with np.errstate(divide="ignore", invalid="ignore"):
        out["return_rate"] = np.where(n > 0, r / n, np.nan)
        out["one_time_rate"] = np.where(one > 0, out["one_time_closed"] / one, np.nan)
        out["returning_rate"] = np.where(r > 0, out["returning_closed"] / r, np.nan)
        out["lift"] = np.where(
            out["one_time_rate"] > 0,
            out["returning_rate"] / out["one_time_rate"],
            np.nan,
        )
    out["one_time_low"], out["one_time_high"] = wilson_interval(
        out["one_time_closed"].to_numpy(), one, level=level
    )
    out["returning_low"], out["returning_high"] = wilson_interval(
        out["returning_closed"].to_numpy(), r, level=level
    )
    cols = [
        *by_cols,
        "prospects",
        "returning",
        "return_rate",
        "one_time_closed",
        "one_time_rate",
        "one_time_low",
        "one_time_high",
        "returning_closed",
        "returning_rate",
        "returning_low",
        "returning_high",
        "lift",
    ]
    return out[cols]
