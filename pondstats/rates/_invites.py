"""Before the visit: invite-to-visit rates (邀约到店率) and the whole funnel table.

* :func:`invite_rates`: of the inquiries (online and phone leads), the share
  that produced the customer's first showroom visit within ``within_days``;
* :func:`funnel_table`: inquiry -> first visit -> deposit -> delivery in one
  table, per group.

Both follow each inquiry as a cohort: an inquiry counts once its window is
complete on ``as_of`` (the last day in the data by default); the others are
counted as ``incomplete`` and left out of the rates, so that recent leads do
not drag the rate down. The helpers :func:`_proportion` and :func:`_first_dates`
are shared by the other funnel modules of this stage.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pondstats.dates import parse_day
from pondstats.errors import DataQualityWarning, InputError
from pondstats.rates._intervals import shrink, wilson_interval
from pondstats.rates._linking import _as_list, _check_status, _dates, _require

__all__ = ["invite_rates", "funnel_table"]


# ---------------------------------------------------------------------------
# helpers shared by the funnel modules (_deliveries, _lost, _grades, _audit)
# ---------------------------------------------------------------------------


def _proportion(k, n, *, level: float = 0.95) -> pd.DataFrame:
    """``rate, ci_low, ci_high, shrunk_rate`` for counts ``k`` of ``n`` per row.

    The interval is Wilson's; the shrunk rate is the empirical-Bayes posterior
    mean with a beta prior fitted across the rows
    (:func:`pondstats.rates.stats.shrink`). NaN where ``n == 0``.
    """
    k = np.asarray(k, dtype="float64")
    n = np.asarray(n, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n > 0, k / n, np.nan)
    lo, hi = wilson_interval(k, n, level=level)
    sh = shrink(k, n, level=level)["shrunk_rate"].to_numpy() if len(n) else rate
    return pd.DataFrame({"rate": rate, "ci_low": lo, "ci_high": hi, "shrunk_rate": sh})


def _check_window(value, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
        raise InputError(
            f"{name} must be a whole number of days (0 or more) or None for no "
            f"limit, got {value!r}."
        )
    return int(value)


def _check_group_cols(df: pd.DataFrame, by: list[str], what: str) -> None:
    missing = [c for c in by if c not in df.columns]
    if missing:
        raise InputError(
            f"cannot group by {missing}: {what} has no such column; available: "
            f"{list(df.columns)}. Use e.g. by='source' or by=['region', 'source']."
        )


def _first_dates(visits: pd.DataFrame) -> pd.Series:
    """Each customer's first visit day (``visit_no == 1``, the earliest if several).

    Customers whose export shows only later visits (``visit_no > 1``: the first
    came before the export) are left out: they are no new visitors.
    """
    first = visits["visit_no"].to_numpy(dtype="float64", na_value=np.nan) == 1
    v = visits.loc[first & visits["customer_key"].notna().to_numpy()]
    return v.groupby("customer_key", sort=False)["visit_date"].min().dt.normalize()


def _lookup_dates(keys: pd.Series, dates: pd.Series) -> pd.Series:
    """``dates[key]`` per key (NaT where absent), indexed like ``keys``."""
    found = dates.reindex(keys.to_numpy()).to_numpy(dtype="datetime64[ns]")
    return pd.Series(found, index=keys.index, dtype="datetime64[ns]")


def _as_of(value, *frames: tuple[pd.DataFrame | None, str]) -> pd.Timestamp:
    if value is not None:
        return parse_day(value, name="as_of")
    days = [
        df[col].max() for df, col in frames if df is not None and len(df) and col in df
    ]
    days = [d for d in days if pd.notna(d)]
    if not days:
        raise InputError(
            "as_of cannot be told from empty tables: give as_of='YYYY-MM-DD'."
        )
    return pd.Timestamp(max(days)).normalize()


def _group_frame(units: pd.DataFrame, by: list[str]) -> tuple[pd.DataFrame, list[str]]:
    if by:
        return units, by
    return units.assign(_all=0), ["_all"]


# ---------------------------------------------------------------------------
# invite rates
# ---------------------------------------------------------------------------


def _invited(
    inquiries: pd.DataFrame, visits: pd.DataFrame, within_days: int | None
) -> tuple[pd.Series, pd.Series]:
    """(visited within the window, days from inquiry to first visit) per inquiry."""
    first = _first_dates(visits)
    day = inquiries["inquiry_date"].dt.normalize()
    fv = _lookup_dates(inquiries["customer_key"], first)
    if len(first) and inquiries["customer_key"].notna().any() and fv.isna().all():
        warnings.warn(
            "no inquiry's customer has a visit: the customer keys of the two tables "
            "do not meet (a phone in one, a customer id in the other?). Read both "
            "with the same key column, e.g. column_map={'<id header>': 'customer_id'}.",
            DataQualityWarning,
            stacklevel=3,
        )
    lag = (fv - day).dt.days
    ok = lag.ge(0)
    if within_days is not None:
        ok &= lag.le(within_days)
    ok = ok.fillna(False).astype(bool)
    return ok, lag.where(ok)


def invite_rates(
    inquiries: pd.DataFrame,
    visits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "source",
    within_days: int | None = 30,
    as_of=None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Invite-to-visit rates (邀约到店率): inquiries that produced a first visit.

    An inquiry (an online or phone lead) is *invited* when the customer's first
    showroom visit ever (``visit_no == 1``) falls on the inquiry day or within
    ``within_days`` after it. Customers who had visited before the inquiry are
    no invitation (the lead was an existing prospect). Inquiries whose window
    is not complete on ``as_of`` are counted as ``incomplete`` and left out of
    the rate.

    Parameters
    ----------
    inquiries : DataFrame
        Cleaned inquiries (:func:`pondstats.clean_inquiries`): ``customer_key``,
        ``inquiry_date`` and the ``by`` columns.
    visits : DataFrame
        Cleaned visits: ``customer_key``, ``visit_date``, ``visit_no``.
    by : str, list of str or None, default "source"
        Columns of ``inquiries`` to group by (source, region, consultant, ...);
        None for one row.
    within_days : int or None, default 30
        The invitation window; None counts a first visit at any later time.
    as_of : date-like, optional
        The day the data runs to (default: the last inquiry or visit day).
    level : float, default 0.95
        Coverage of the Wilson interval.

    Returns
    -------
    DataFrame
        One row per group: the ``by`` columns, ``inquiries`` (complete ones),
        ``visited``, ``invite_rate``, ``ci_low``, ``ci_high``, ``shrunk_rate``
        (empirical Bayes across the groups), ``median_days`` and ``mean_days``
        (inquiry to first visit, among the visited) and ``incomplete``.
        Sorted by the group columns.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> inq = pd.DataFrame({"customer_key": ["a", "b", "c", "d"],
    ...     "inquiry_date": pd.to_datetime(["2026-09-01"] * 4),
    ...     "source": ["汽车之家", "汽车之家", "懂车帝", "懂车帝"]})
    >>> vis = pd.DataFrame({"customer_key": ["a", "c"], "visit_no": [1, 1],
    ...     "visit_date": pd.to_datetime(["2026-09-05", "2026-11-20"])})
    >>> t = ps.invite_rates(inq, vis, as_of="2026-12-01")
    >>> t[["source", "inquiries", "visited", "invite_rate", "median_days"]]
      source  inquiries  visited  invite_rate  median_days
    0    懂车帝          2        0          0.0          NaN
    1   汽车之家          2        1          0.5          4.0
    """
    by_cols = _as_list(by)
    _require(inquiries, ["customer_key", "inquiry_date"], "inquiries")
    _require(visits, ["customer_key", "visit_date", "visit_no"], "visits")
    _check_group_cols(inquiries, by_cols, "inquiries")
    _dates(inquiries["inquiry_date"], "inquiries['inquiry_date']")
    _dates(visits["visit_date"], "visits['visit_date']")
    within = _check_window(within_days, "within_days")
    day = _as_of(as_of, (inquiries, "inquiry_date"), (visits, "visit_date"))
    visited, lag = _invited(inquiries, visits, within)
    units = inquiries[by_cols].copy()
    units["visited"] = visited.to_numpy()
    units["days"] = lag.to_numpy()
    start = inquiries["inquiry_date"].dt.normalize()
    complete = (
        np.ones(len(units), dtype=bool)
        if within is None
        else (start + pd.Timedelta(days=within) <= day).to_numpy()
    )
    units["complete"] = complete
    units, keys = _group_frame(units, by_cols)
    g = units[complete].groupby(keys, dropna=False, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "inquiries": g.size(),
            "visited": g["visited"].sum(),
            "median_days": g["days"].median(),
            "mean_days": g["days"].mean(),
        }
    )
    inc = units[~complete].groupby(keys, dropna=False, observed=True).size()
    out = out.reindex(out.index.union(inc.index)).fillna({"inquiries": 0, "visited": 0})
    out["incomplete"] = inc.reindex(out.index).fillna(0)
    out = out.reset_index()
    p = _proportion(out["visited"], out["inquiries"], level=level)
    out["invite_rate"] = p["rate"].to_numpy()
    for c in ("ci_low", "ci_high", "shrunk_rate"):
        out[c] = p[c].to_numpy()
    cols = [
        *by_cols,
        "inquiries",
        "visited",
        "invite_rate",
        "ci_low",
        "ci_high",
        "shrunk_rate",
        "median_days",
        "mean_days",
        "incomplete",
    ]
    out = out[cols].astype(
        {"inquiries": "int64", "visited": "int64", "incomplete": "int64"}
    )
    out.attrs = {"within_days": within, "as_of": day, "level": level}
    return out


# ---------------------------------------------------------------------------
# the whole funnel
# ---------------------------------------------------------------------------

#: Columns of :func:`funnel_table` after the group columns.
FUNNEL_COLUMNS: tuple[str, ...] = (
    "inquiries",
    "visited",
    "deposited",
    "delivered",
    "invite_rate",
    "close_rate",
    "lead_close_rate",
    "delivery_rate",
    "incomplete",
)


def _first_deposit(
    units: pd.DataFrame, deposits: pd.DataFrame, start: pd.Series, horizon: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """(deposited, delivered) per unit: the customer's first deposit that is
    not cancelled, dated on or after ``start`` and within ``horizon`` days."""
    d = deposits.loc[
        _check_status(deposits).ne("cancelled").to_numpy()
        & deposits["customer_key"].notna().to_numpy(),
        ["customer_key", "deposit_date", "status"],
    ]
    d = d.assign(deposit_day=d["deposit_date"].dt.normalize())
    u = pd.DataFrame(
        {"customer_key": units["customer_key"].to_numpy(), "start": start.to_numpy()}
    ).reset_index(names="_u")
    m = u.merge(d, on="customer_key", how="inner")
    lag = (m["deposit_day"] - m["start"]).dt.days
    ok = lag.ge(0)
    if horizon is not None:
        ok &= lag.le(horizon)
    m = m[ok.to_numpy()].sort_values(["_u", "deposit_day"], kind="stable")
    m = m.drop_duplicates("_u")
    deposited = np.zeros(len(u), dtype=bool)
    delivered = np.zeros(len(u), dtype=bool)
    deposited[m["_u"].to_numpy()] = True
    delivered[m["_u"].to_numpy()] = m["status"].eq("delivered").to_numpy()
    return deposited, delivered


def funnel_table(
    inquiries: pd.DataFrame | None,
    visits: pd.DataFrame | None,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    within_days: int | None = 30,
    horizon_days: int | None = 90,
    as_of=None,
) -> pd.DataFrame:
    """The whole funnel, inquiry -> first visit -> deposit -> delivery, per group.

    Each inquiry is followed as a cohort: ``visited`` when the customer's first
    visit came within ``within_days`` (as :func:`invite_rates`), ``deposited``
    when the customer paid a deposit that was not cancelled within
    ``horizon_days`` of the inquiry, ``delivered`` when that deposit has been
    delivered. Inquiries whose horizon is not over on ``as_of`` are counted
    as ``incomplete`` and left out.

    Without ``inquiries`` the funnel starts at the showroom: every first visit
    (A-card) is a unit, followed for ``horizon_days``. Without ``visits``
    (a CRM that records leads and orders only) the ``visited`` stage is
    missing and the deposits are followed from the inquiry.

    Parameters
    ----------
    inquiries : DataFrame or None
        Cleaned inquiries.
    visits : DataFrame or None
        Cleaned visits.
    deposits : DataFrame
        Cleaned deposits (``customer_key``, ``deposit_date``, ``status``).
    by : str, list of str or None, default None
        Group columns of the units (of ``inquiries``, or of the first visits).
    within_days : int or None, default 30
        The invitation window.
    horizon_days : int or None, default 90
        Days from the inquiry (or first visit) within which a deposit counts;
        None for any later deposit.
    as_of : date-like, optional
        The day the data runs to (default: the last day in the tables).

    Returns
    -------
    DataFrame
        The ``by`` columns, then ``inquiries`` (units: inquiries, or first
        visits), ``visited``, ``deposited``, ``delivered``, ``invite_rate``
        (visited / inquiries), ``close_rate`` (deposited among the visited /
        visited), ``lead_close_rate`` (deposited / inquiries),
        ``delivery_rate`` (delivered / deposited) and ``incomplete``.
        ``attrs["stages"]`` names the stages present.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> inq = pd.DataFrame({"customer_key": list("abcd"),
    ...     "inquiry_date": pd.to_datetime(["2026-06-01"] * 4)})
    >>> vis = pd.DataFrame({"customer_key": list("abc"), "visit_no": [1, 1, 1],
    ...     "visit_date": pd.to_datetime(["2026-06-03", "2026-06-10", "2026-06-20"])})
    >>> dep = pd.DataFrame({"customer_key": ["a", "b"], "status": ["delivered", "active"],
    ...     "deposit_date": pd.to_datetime(["2026-06-15", "2026-07-01"])})
    >>> t = ps.funnel_table(inq, vis, dep, as_of="2026-12-01")
    >>> t[["inquiries", "visited", "deposited", "delivered", "invite_rate", "close_rate"]]
       inquiries  visited  deposited  delivered  invite_rate  close_rate
    0          4        3          2          1         0.75    0.666667
    """
    by_cols = _as_list(by)
    if inquiries is None and visits is None:
        raise InputError(
            "funnel_table needs inquiries, visits or both: pass inquiries= (leads) "
            "and/or visits= (A-cards) besides the deposits."
        )
    _require(deposits, ["customer_key", "deposit_date", "status"], "deposits")
    _dates(deposits["deposit_date"], "deposits['deposit_date']")
    within = _check_window(within_days, "within_days")
    horizon = _check_window(horizon_days, "horizon_days")
    if visits is not None:
        _require(visits, ["customer_key", "visit_date", "visit_no"], "visits")
        _dates(visits["visit_date"], "visits['visit_date']")
    if inquiries is not None:
        _require(inquiries, ["customer_key", "inquiry_date"], "inquiries")
        _check_group_cols(inquiries, by_cols, "inquiries")
        _dates(inquiries["inquiry_date"], "inquiries['inquiry_date']")
        units = inquiries
        start = inquiries["inquiry_date"].dt.normalize()
    else:
        _check_group_cols(visits, by_cols, "visits")
        first = visits["visit_no"].to_numpy(dtype="float64", na_value=np.nan) == 1
        units = visits.loc[first]
        start = units["visit_date"].dt.normalize()
    day = _as_of(
        as_of,
        (inquiries, "inquiry_date"),
        (visits, "visit_date"),
        (deposits, "deposit_date"),
    )
    out_units = units[by_cols].copy()
    if inquiries is None:
        out_units["visited"] = True
        stages = ["inquiries", "deposited", "delivered"]
    elif visits is None:
        out_units["visited"] = np.nan
        stages = ["inquiries", "deposited", "delivered"]
    else:
        out_units["visited"] = _invited(inquiries, visits, within)[0].to_numpy()
        stages = ["inquiries", "visited", "deposited", "delivered"]
    deposited, delivered = _first_deposit(units, deposits, start, horizon)
    out_units["deposited"] = deposited
    out_units["delivered"] = delivered
    out_units["dep_visited"] = deposited & out_units["visited"].eq(True).to_numpy()
    window = max(within or 0, horizon or 0) if (within, horizon) != (None, None) else 0
    complete = (
        (start + pd.Timedelta(days=window) <= day).to_numpy()
        if horizon is not None or within is not None
        else np.ones(len(units), dtype=bool)
    )
    out_units, keys = _group_frame(out_units, by_cols)
    g = out_units[complete].groupby(keys, dropna=False, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "inquiries": g.size(),
            "visited": g["visited"].sum(min_count=1),
            "deposited": g["deposited"].sum(),
            "delivered": g["delivered"].sum(),
            "dep_visited": g["dep_visited"].sum(),
        }
    )
    inc = out_units[~complete].groupby(keys, dropna=False, observed=True).size()
    out = out.reindex(out.index.union(inc.index))
    out["incomplete"] = inc.reindex(out.index).fillna(0)
    out = out.reset_index()
    for c in ("inquiries", "deposited", "delivered", "dep_visited", "incomplete"):
        out[c] = out[c].fillna(0).astype("int64")
    if visits is None:
        out["visited"] = pd.array([pd.NA] * len(out), dtype="Int64")
    else:
        out["visited"] = out["visited"].fillna(0).astype("int64")
    with np.errstate(divide="ignore", invalid="ignore"):
        n = out["inquiries"].to_numpy(dtype="float64")
        vis = out["visited"].to_numpy(dtype="float64", na_value=np.nan)
        dep = out["deposited"].to_numpy(dtype="float64")
        out["invite_rate"] = np.where(n > 0, vis / n, np.nan)
        out["close_rate"] = np.where(
            vis > 0, out["dep_visited"].to_numpy(dtype="float64") / vis, np.nan
        )
        out["lead_close_rate"] = np.where(n > 0, dep / n, np.nan)
        out["delivery_rate"] = np.where(
            dep > 0, out["delivered"].to_numpy(dtype="float64") / dep, np.nan
        )
    out = out[[*by_cols, *FUNNEL_COLUMNS]]
    out.attrs = {
        "stages": stages,
        "start": "inquiry" if inquiries is not None else "first_visit",
        "within_days": within,
        "horizon_days": horizon,
        "as_of": day,
    }
    return out
