"""From A-cards and C-cards to close rates: linking, period and cohort rates.

Definitions (DESIGN.md):

* ``a_cards``: first visits (``visit_no == 1``) dated in the period;
* ``c_cards``: deposits dated in the period whose status is not cancelled;
* a deposit is attributed to its own region (store, ...); where it has none,
  to the one on the customer's first visit; deposits whose customer has no
  A-card at all are counted and reported as ``unlinked``;
* ``close_rate = c_cards / a_cards`` is the *period rate* (the 13% KPI); the
  *cohort rate* (:func:`cohort_rates`) follows each first-visit month's
  prospects for ``horizon_days``.

Everything is vectorised (factorised keys, groupby on codes) so a table of
10M visits and 1.3M deposits takes seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from pondstats._normalize import _arrow, _key_numbers_arrow
from pondstats.errors import InputError
from pondstats.schema import RATE_COLUMNS, Benchmark
from pondstats.stats import assess_rates, wilson_interval

__all__ = ["link_deposits", "close_rates", "cohort_rates", "return_visit_rates"]

log = logging.getLogger(__name__)

#: Visit columns a deposit may borrow from the customer's first visit.
_GROUP_COLUMNS = ("region", "store", "consultant", "source", "model", "grade")


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _as_list(by: str | Sequence[str] | None) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _require(df: pd.DataFrame, cols: Sequence[str], what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(
            f"{what} must be a pandas DataFrame, got {type(df).__name__}. "
            f"Read and clean the export first, e.g. ps.clean_{what}(ps.read_{what}(path)).data."
        )
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(
            f"{what} has no column(s) {missing}; found {list(df.columns)}. "
            f"Pass the cleaned table (ps.clean_{what}(...).data) or rename the "
            "columns to the canonical names in pondstats.schema."
        )


def _check_by(visits: pd.DataFrame, by: list[str]) -> None:
    missing = [c for c in by if c not in visits.columns]
    if missing:
        raise InputError(
            f"cannot group by {missing}: visits has no such column; "
            f"available: {list(visits.columns)}. Use e.g. by='region' or "
            "by=['region', 'consultant']."
        )


def _dates(s: pd.Series, name: str) -> pd.Series:
    if not pd.api.types.is_datetime64_any_dtype(s):
        raise InputError(
            f"{name} must be datetime64, found dtype {s.dtype}. Clean the table "
            "first (ps.clean_visits / ps.clean_deposits) or pd.to_datetime it."
        )
    return s


# ---------------------------------------------------------------------------
# linking
# ---------------------------------------------------------------------------


def _key_codes(
    visits: pd.DataFrame, deposits: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, int]:
    """Integer codes of ``customer_key`` shared by visits and deposits (-1 = missing).

    Visits' keys get codes in order of first appearance, deposits-only keys
    after them. Arrow-backed keys are dictionary-encoded by pyarrow in one
    pass over both tables (no Python object per key).
    """
    v, d = visits["customer_key"], deposits["customer_key"]
    va, da = _arrow(v), _arrow(d)
    if va is not None and da is not None:
        if da.type != va.type:
            da = da.cast(va.type)
        both = pa.chunked_array([*va.chunks, *da.chunks], type=va.type)
        nums = _key_numbers_arrow(both)
    else:
        nums = pd.factorize(
            pd.concat([v.astype(object), d.astype(object)], ignore_index=True),
            use_na_sentinel=True,
        )[0].astype("int64")
    # dense codes in order of first appearance (visits first)
    codes = np.full(len(nums), -1, dtype="int64")
    ok = nums != -1
    dense, uniques = pd.factorize(nums[ok])
    codes[ok] = dense
    return codes[: len(v)], codes[len(v) :], len(uniques)


def _first_visits(visits: pd.DataFrame, codes: np.ndarray, n_keys: int) -> np.ndarray:
    """Per key code, the row position of the customer's first visit (-1: none).

    The first visit is the ``visit_no == 1`` row where there is one, else the
    earliest visit (the export may start after the customer's first visit).
    """
    vno = visits["visit_no"].to_numpy(dtype="float64", na_value=np.inf)
    date = visits["visit_date"].to_numpy(dtype="datetime64[ns]").view("int64")
    not_first = (vno != 1).astype("int8")
    order = np.lexsort((date, not_first, codes))
    sorted_codes = codes[order]
    starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
    first_pos = order[starts]
    first_codes = sorted_codes[starts]
    keep = first_codes >= 0  # drop the NaN-key bucket
    pos = np.full(n_keys, -1, dtype="int64")
    pos[first_codes[keep]] = first_pos[keep]
    return pos


def link_deposits(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] = "region",
) -> pd.DataFrame:
    """Attach each deposit (C-card) to its customer's first visit (A-card).

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical tables (``customer_key``, ``visit_date``,
        ``visit_no`` / ``customer_key``, ``deposit_date``, ``status``).
    by : str or list of str, default "region"
        Group columns to attribute: the deposit's own value where it has one,
        else the value on the customer's first visit.

    Returns
    -------
    DataFrame
        A copy of ``deposits`` with the ``by`` columns filled as described,
        plus ``linked`` (the customer has an A-card), ``first_visit_id`` and
        ``first_visit_date`` (missing when not linked). The input is not
        changed.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats import link_deposits
    >>> v = pd.DataFrame({"visit_id": ["v1", "v2"], "customer_key": ["a", "b"],
    ...     "visit_date": pd.to_datetime(["2026-01-03", "2026-01-05"]),
    ...     "visit_no": [1, 1], "region": ["东湖区", "西湖区"]})
    >>> d = pd.DataFrame({"deposit_id": ["d1", "d2"], "customer_key": ["a", "z"],
    ...     "deposit_date": pd.to_datetime(["2026-01-20", "2026-01-21"]),
    ...     "status": ["active", "active"], "region": [None, None]})
    >>> link_deposits(v, d)[["deposit_id", "region", "linked", "first_visit_id"]]
      deposit_id region  linked first_visit_id
    0         d1    东湖区    True             v1
    1         d2    NaN   False            NaN
    """
    by_cols = _as_list(by)
    _require(visits, ["customer_key", "visit_date", "visit_no"], "visits")
    _require(deposits, ["customer_key", "deposit_date", "status"], "deposits")
    _check_by(visits, by_cols)
    _dates(visits["visit_date"], "visits['visit_date']")
    _dates(deposits["deposit_date"], "deposits['deposit_date']")
    vcodes, hit, n_keys = _key_codes(visits, deposits)
    first_pos = _first_visits(visits, vcodes, n_keys)
    pos = np.where(hit >= 0, first_pos[np.maximum(hit, 0)], -1) if n_keys else hit
    linked = pos >= 0
    take = np.maximum(pos, 0)
    out = deposits.copy()
    out["linked"] = linked
    extra = {"first_visit_date": "visit_date"}
    if "visit_id" in visits.columns:
        extra["first_visit_id"] = "visit_id"
    for col in by_cols:
        src = visits[col].take(take).where(linked, None) if len(visits) else None
        borrowed = pd.Series(
            src.to_numpy() if src is not None else np.full(len(out), np.nan),
            index=out.index,
            dtype=visits[col].dtype,
        )
        if col in out.columns:
            out[col] = out[col].astype(visits[col].dtype).fillna(borrowed)
        else:
            out[col] = borrowed
    for new, col in extra.items():
        vals = (
            visits[col].take(take).to_numpy()
            if len(visits)
            else np.full(len(out), np.nan)
        )
        out[new] = pd.Series(vals, index=out.index, dtype=visits[col].dtype).where(
            linked
        )
    return out


# ---------------------------------------------------------------------------
# close rates
# ---------------------------------------------------------------------------


def _period_of(dates: pd.Series, period: str | None) -> pd.Series | None:
    if period is None:
        return None
    try:
        return dates.dt.to_period(period)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"period must be a pandas period frequency such as 'M' (month), "
            f"'Q' or 'Y', or None for the whole range; got {period!r}."
        ) from exc


def _count(frame: pd.DataFrame, keys: list[str], name: str) -> pd.Series:
    return (
        frame.groupby(keys, observed=True, dropna=False, sort=False).size().rename(name)
    )


def close_rates(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "region",
    period: str | None = "M",
    benchmark: Benchmark | None = None,
    interval: str = "wilson",
    level: float = 0.95,
    alpha: float = 0.05,
    correction: str = "bh",
    min_expected: float = 5.0,
) -> pd.DataFrame:
    """Period close rates per group against the benchmark, with uncertainty.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical visits (A-cards) and deposits (C-cards).
    by : str, list of str or None, default "region"
        Group columns of ``visits`` (region, store, consultant, source, model,
        ...). Deposits take their own value, else their first visit's.
    period : str or None, default "M"
        Period frequency (``"M"``, ``"Q"``, ``"Y"``, ``"W"``) or None for the
        whole date range.
    benchmark : Benchmark, optional
        Target (13%) and band (8%-20%); stored in ``attrs["benchmark"]``.
    interval : {"wilson", "jeffreys"}, default "wilson"
    level : float, default 0.95
        Coverage of the intervals.
    alpha : float, default 0.05
        False discovery rate per direction (weak / strong) within a period.
    correction : {"bh", "holm"}, default "bh"
        Benjamini-Hochberg or Holm across the groups of a period.
    min_expected : float, default 5
        Groups with ``a_cards * target < min_expected`` (fewer than 39 A-cards
        at 13%) are ``too_few``: not judged.

    Returns
    -------
    DataFrame
        One row per group (and period) with the ``by`` columns, ``period``
        (when asked for) and :data:`pondstats.schema.RATE_COLUMNS`. Groups
        with C-cards but no A-cards have a missing rate. Rows are sorted by
        period, then group. ``attrs`` holds ``benchmark``, ``interval``,
        ``alpha``, ``correction`` and ``priors`` (the fitted beta prior per
        period as ``(alpha, beta)``).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats import close_rates
    >>> v = pd.DataFrame({"customer_key": list("abcd"),
    ...     "visit_date": pd.to_datetime(["2026-01-03"] * 4),
    ...     "visit_no": [1, 1, 1, 1], "region": ["东湖区"] * 4})
    >>> d = pd.DataFrame({"customer_key": ["a", "b"],
    ...     "deposit_date": pd.to_datetime(["2026-01-20", "2026-01-21"]),
    ...     "status": ["active", "cancelled"], "region": [None, None]})
    >>> close_rates(v, d, period=None)[["region", "a_cards", "c_cards",
    ...     "cancelled", "close_rate", "status"]]
      region  a_cards  c_cards  cancelled  close_rate   status
    0    东湖区        4        1          1        0.25  too_few
    """
    b = benchmark or Benchmark()
    by_cols = _as_list(by)
    _require(visits, ["customer_key", "visit_date", "visit_no"], "visits")
    _require(deposits, ["customer_key", "deposit_date", "status"], "deposits")
    _check_by(visits, by_cols)
    if "period" in by_cols:
        raise InputError(
            "'period' is reserved for the period column; rename that column."
        )

    # A-cards: first visits dated in the period
    first = visits["visit_no"].to_numpy(dtype="float64", na_value=np.nan) == 1
    a = visits.loc[first, by_cols].copy()
    a_period = _period_of(
        _dates(visits["visit_date"], "visits['visit_date']")[first], period
    )
    keys = [*by_cols, "period"] if period is not None else list(by_cols)
    if a_period is not None:
        a["period"] = a_period
    # C-cards: linked and attributed
    dep = link_deposits(visits, deposits, by=by_cols)
    status = dep["status"].astype("str")
    unknown = ~status.isin(["active", "cancelled", "delivered"]) & status.notna()
    if unknown.any():
        raise InputError(
            f"deposits['status'] must be active, cancelled or delivered; found "
            f"{sorted(status[unknown].unique())[:5]}. Clean the table with "
            "ps.clean_deposits, which maps 退订/已交车/... to these words."
        )
    c = dep[by_cols].copy()
    if period is not None:
        c["period"] = _period_of(dep["deposit_date"], period)
    cancelled = (status == "cancelled").to_numpy()
    if not keys:  # by=None, period=None: one row
        a["_all"] = 0
        c["_all"] = 0
        keys = ["_all"]
    counts = pd.concat(
        [
            _count(a, keys, "a_cards"),
            _count(c[~cancelled], keys, "c_cards"),
            _count(c[cancelled], keys, "cancelled"),
            _count(c[~cancelled & ~dep["linked"].to_numpy()], keys, "unlinked"),
        ],
        axis=1,
    )
    counts = counts.fillna(0).astype("int64")
    counts = counts.reset_index()
    if "period" in counts.columns:
        counts["period"] = counts["period"].astype(a_period.dtype)
    sort_keys = (["period"] if "period" in counts.columns else []) + by_cols
    if sort_keys:
        counts = counts.sort_values(sort_keys, kind="stable", na_position="last")
    counts = counts.reset_index(drop=True)
    n = counts["a_cards"].to_numpy()
    k = counts["c_cards"].to_numpy()
    capped = int(((k > n) & (n > 0)).sum())
    if capped:
        log.warning(
            "%d group(s) have more C-cards than A-cards in the period (deposits "
            "from earlier visitors); their rate is capped at 1",
            capped,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        ac_ratio = np.where(k > 0, n / k, np.nan)
    groups = counts["period"].to_numpy() if "period" in counts.columns else None
    st = assess_rates(
        k,
        n,
        groups=groups,
        benchmark=b,
        interval=interval,
        level=level,
        alpha=alpha,
        correction=correction,
        min_expected=min_expected,
    )
    st.index = counts.index
    st.insert(0, "ac_ratio", ac_ratio)
    out = pd.concat([counts, st], axis=1)
    out = out.drop(columns=["_all"], errors="ignore")
    out = out[[*by_cols, *(["period"] if period is not None else []), *RATE_COLUMNS]]
    out.attrs = {
        "benchmark": b,
        "interval": interval,
        "level": level,
        "alpha": alpha,
        "correction": correction,
        "min_expected": min_expected,
        "capped": capped,
        "priors": {
            str(key): (p.alpha, p.beta) for key, p in st.attrs["priors"].items()
        },
    }
    return out


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
    vcodes, dcodes, n_keys = _key_codes(visits, deposits)
    first_pos = _first_visits(visits, vcodes, n_keys)
    ok = first_pos >= 0
    first_pos = first_pos[ok]
    renum = np.full(n_keys + 1, -1, dtype="int64")  # key code -> prospect (last: -1)
    renum[np.flatnonzero(ok)] = np.arange(len(first_pos))
    pros = visits[by_cols].iloc[first_pos].reset_index(drop=True)
    pros["first_date"] = visits["visit_date"].to_numpy()[first_pos]
    codes = renum[vcodes]
    pros["visits"] = np.bincount(codes[codes >= 0], minlength=len(first_pos))
    alive = (deposits["status"].astype("str") != "cancelled").to_numpy()
    live = deposits[alive]
    hit = renum[dcodes[alive]]
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
    as_of = pd.Timestamp(as_of)
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
