"""Open prospects as of a date: lead tables, call lists and after-sale follow-up.

A *lead table* has one row per open prospect (an A-card customer who visited
within the lookback window and has paid no deposit yet) as of a date, with
features computed **only from records dated on or before that date** and the
label "paid a deposit within ``horizon_days`` after it". Stacking monthly
snapshots (:func:`lead_snapshots`) gives training data with no leakage from
the future; :class:`pondstats.leads._scorer.LeadScorer` learns from it and
:func:`pondstats.leads._calls.call_list` turns the scores into a list consultants
can work through.

Two facts of the exports shape the rules here:

* a deposit's ``status`` is today's status, not the status it had on
  ``as_of`` (a deposit paid in March and cancelled in May looked active in
  April). Status is therefore never used: any deposit dated on or before
  ``as_of`` closes the prospect, and any deposit in the horizon counts as a
  conversion;
* ``visit_no`` is computed over the whole export, so visit counts are
  recounted from the rows dated on or before ``as_of``.
"""

from __future__ import annotations

import dataclasses
import logging
import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from pondstats._checks import check_frame
from pondstats.dates import parse_day
from pondstats.errors import DataQualityWarning, InputError

__all__ = [
    "LEAD_FEATURES",
    "CALL_FEATURES",
    "lead_table",
    "lead_snapshots",
]

log = logging.getLogger(__name__)

#: Feature columns of a lead table (the label is ``converted``).
LEAD_FEATURES: tuple[str, ...] = (
    "n_visits",
    "visits_30d",
    "days_since_first",
    "days_since_last",
    "returned",
    "test_drive",
    "source",
    "model",
    "grade",
    "consultant",
    "store",
    "region",
    "region_close_rate",
    "first_weekday",
    "first_month",
)

#: Features the scorers of the call list, the back-test and the report train on:
#: :data:`LEAD_FEATURES` less the calendar month of the first visit (a season
#: artefact a consultant cannot act on; the snapshots' months would make it a
#: proxy for the date).
CALL_FEATURES: tuple[str, ...] = tuple(f for f in LEAD_FEATURES if f != "first_month")

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ONE_DAY = pd.Timedelta(days=1)


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _check_table(df: Any, kind: str, required: tuple[str, ...], date_col: str) -> None:
    check_frame(
        df,
        kind,
        required,
        fix=f"Read and clean the export first: ps.clean_{kind}(ps.read_{kind}(path)).data.",
    )
    if not pd.api.types.is_datetime64_any_dtype(df[date_col]):
        raise InputError(
            f"{kind}['{date_col}'] must hold datetimes, found dtype {df[date_col].dtype}. "
            f"Use ps.clean_{kind}(...) or pd.to_datetime(df['{date_col}'])."
        )


def _usable(df: pd.DataFrame, kind: str, date_col: str) -> pd.DataFrame:
    """Rows with a customer key and a date; the others are counted and reported."""
    bad = df["customer_key"].isna() | df[date_col].isna()
    if bad.any():
        warnings.warn(
            f"{int(bad.sum())} of {len(df)} {kind} rows have no customer_key or no "
            f"{date_col} and are left out of the lead table; fix them in the export "
            "or with ps.clean_" + kind + ".",
            DataQualityWarning,
            stacklevel=4,  # _usable < _Rows.of < lead_table or lead_snapshots < caller
        )
    return df.loc[~bad]


# ---------------------------------------------------------------------------
# lead table
# ---------------------------------------------------------------------------


def _region_close_rates(
    seen_deposits: pd.DataFrame,
    deposit_codes: np.ndarray,
    first_region: pd.Series,
    first_date: pd.Series,
    cutoff: pd.Timestamp,
    window_days: int,
    prior_strength: float,
) -> pd.Series:
    """Smoothed period close rate per region over ``window_days`` before ``cutoff``.

    A-cards: customers whose first visit falls in the window, by the region of
    that visit. C-cards: deposits dated in the window, by their own region or,
    without one, the region of the customer's first visit. The rate is
    shrunk toward the pooled rate: ``(c + m p0) / (a + m)``.
    ``first_region`` and ``first_date`` are indexed by customer code, and
    ``deposit_codes`` gives each deposit's (-1: a customer without visits).
    """
    start = cutoff - pd.Timedelta(days=window_days)
    in_win = (first_date >= start) & (first_date < cutoff)
    a = first_region[in_win].dropna().value_counts()
    recent = (seen_deposits["deposit_date"] >= start).to_numpy()
    dep = seen_deposits.loc[recent]
    dep_region = (
        dep["region"]
        if "region" in dep
        else pd.Series(pd.NA, index=dep.index, dtype="str")
    )
    of_customer = first_region.reindex(deposit_codes[recent]).set_axis(dep.index)
    c = dep_region.fillna(of_customer).dropna().value_counts()
    regions = a.index.union(c.index)
    a = a.reindex(regions, fill_value=0).astype(float)
    c = c.reindex(regions, fill_value=0).astype(float)
    if a.sum() == 0:
        return pd.Series(np.nan, index=regions, dtype=float)
    p0 = min(c.sum() / a.sum(), 1.0)
    return ((c + prior_strength * p0) / (a + prior_strength)).clip(upper=1.0)


def lead_table(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of: Any,
    *,
    horizon_days: int = 30,
    lookback_days: int = 180,
    rate_window_days: int = 365,
    rate_prior: float = 30.0,
) -> pd.DataFrame:
    """One row per open prospect on ``as_of``, with features and label.

    A prospect is *open* on ``as_of`` when their last visit dated on or before
    ``as_of`` lies within ``lookback_days`` and they have no deposit dated on
    or before ``as_of``. Every feature uses only rows dated on or before
    ``as_of``; the label ``converted`` is 1 when a deposit is dated in the
    ``horizon_days`` after ``as_of``, and missing (``<NA>``) when the data end
    before that window does.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned A-cards and C-cards (``schema.VISIT_COLUMNS`` /
        ``schema.DEPOSIT_COLUMNS``); at least ``customer_key`` and the date.
    as_of : str or Timestamp
        The snapshot date (a day; times are ignored).
    horizon_days : int
        Days after ``as_of`` in which a deposit counts as a conversion.
    lookback_days : int
        A prospect whose last visit is older than this is no longer open.
    rate_window_days : int
        Window before ``as_of`` over which ``region_close_rate`` is computed.
    rate_prior : float
        Prior strength (in A-cards) shrinking small regions' rates toward
        the pooled rate.

    Returns
    -------
    DataFrame
        ``customer_key, name, phone, as_of, label_end, first_visit,
        last_visit``, then :data:`LEAD_FEATURES`, then ``converted`` (Int64).
        ``label_end`` is the first day after the label window.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> visits = pd.DataFrame({
    ...     "customer_key": ["a", "a", "b", "c"],
    ...     "visit_date": pd.to_datetime(["2026-09-01", "2026-09-20", "2026-09-10",
    ...                                   "2026-10-20"]),
    ...     "region": ["东湖区", "东湖区", "西湖区", "东湖区"],
    ...     "test_drive": pd.array([False, True, None, False], dtype="boolean"),
    ... })
    >>> deposits = pd.DataFrame({
    ...     "customer_key": ["a"],
    ...     "deposit_date": pd.to_datetime(["2026-10-12"]),
    ... })
    >>> t = ps.lead_table(visits, deposits, "2026-09-30", horizon_days=14)
    >>> t[["customer_key", "n_visits", "returned", "test_drive", "converted"]]
      customer_key  n_visits  returned  test_drive  converted
    0            a         2         1         1.0          1
    1            b         1         0         NaN          0
    """
    _check_table(visits, "visits", ("customer_key", "visit_date"), "visit_date")
    _check_table(deposits, "deposits", ("customer_key", "deposit_date"), "deposit_date")
    day = parse_day(as_of, name="as_of")
    options = _options(
        horizon_days=horizon_days,
        lookback_days=lookback_days,
        rate_window_days=rate_window_days,
        rate_prior=rate_prior,
    )
    return _lead_table(_Rows.of(visits, deposits), day, **options)


def _options(
    *,
    horizon_days: int = 30,
    lookback_days: int = 180,
    rate_window_days: int = 365,
    rate_prior: float = 30.0,
) -> dict[str, Any]:
    """The options of :func:`lead_table`, checked."""
    for name, val in (
        ("horizon_days", horizon_days),
        ("lookback_days", lookback_days),
        ("rate_window_days", rate_window_days),
    ):
        if not isinstance(val, (int, np.integer)) or val < 1:
            raise InputError(
                f"{name} must be a positive whole number of days, got {val!r}."
            )
    return {
        "horizon_days": horizon_days,
        "lookback_days": lookback_days,
        "rate_window_days": rate_window_days,
        "rate_prior": rate_prior,
    }


@dataclasses.dataclass(frozen=True)
class _Rows:
    """The usable visits and deposits, customers as integer codes.

    Built once per :func:`lead_table` or :func:`lead_snapshots` call: the
    customer keys are factorised in key order and the visits sorted by key
    and date (stable), so each snapshot groups and looks up small integers
    instead of text keys.
    """

    visits: pd.DataFrame  # sorted by (customer_key, visit_date), stable
    codes: np.ndarray  # code of each visit's customer (int64, sorted)
    keys: pd.Index  # customer_key of each code, in key order
    deposits: pd.DataFrame
    deposit_codes: np.ndarray  # code of each deposit's customer, -1 if no visit
    data_end: pd.Timestamp

    @classmethod
    def of(cls, visits: pd.DataFrame, deposits: pd.DataFrame) -> _Rows:
        v = _usable(visits, "visits", "visit_date")
        d = _usable(deposits, "deposits", "deposit_date")
        codes, keys = pd.factorize(v["customer_key"], sort=True)
        order = np.lexsort((v["visit_date"].to_numpy(), codes))
        keys = pd.Index(keys, name="customer_key")
        data_end = max(
            v["visit_date"].max() if len(v) else pd.NaT,
            d["deposit_date"].max() if len(d) else pd.NaT,
        )
        return cls(
            visits=v.iloc[order],
            codes=codes[order].astype("int64"),
            keys=keys,
            deposits=d,
            deposit_codes=keys.get_indexer(d["customer_key"]),
            data_end=data_end,
        )


def _lead_table(
    rows: _Rows,
    day: pd.Timestamp,
    *,
    horizon_days: int,
    lookback_days: int,
    rate_window_days: int,
    rate_prior: float,
) -> pd.DataFrame:
    """:func:`lead_table` on prepared rows (the arguments checked)."""
    cutoff = day + _ONE_DAY  # records dated before the cutoff are "on or before as_of"
    label_end = cutoff + pd.Timedelta(days=horizon_days)
    n_keys = len(rows.keys)

    seen = (rows.visits["visit_date"] < cutoff).to_numpy()
    v, codes = rows.visits.loc[seen], rows.codes[seen]
    d_seen_rows = (rows.deposits["deposit_date"] < cutoff).to_numpy()
    d_seen = rows.deposits.loc[d_seen_rows]

    g = v.groupby(codes, sort=True)
    first = g["visit_date"].min()
    last = g["visit_date"].max()
    present = first.index.to_numpy()  # codes of the customers seen so far
    region_first = g["region"].first() if "region" in v else pd.Series(dtype="str")
    rates = _region_close_rates(
        d_seen,
        rows.deposit_codes[d_seen_rows],
        region_first,
        first,
        cutoff,
        rate_window_days,
        rate_prior,
    )

    paid = np.zeros(n_keys, dtype=bool)
    paid_codes = rows.deposit_codes[d_seen_rows]
    paid[paid_codes[paid_codes >= 0]] = True
    recent = (last >= cutoff - pd.Timedelta(days=lookback_days)).to_numpy()
    open_codes = present[recent & ~paid[present]]
    is_open = np.zeros(n_keys, dtype=bool)
    is_open[open_codes] = True
    keep = is_open[codes]
    v, codes = v.loc[keep], codes[keep]
    g = v.groupby(codes, sort=True)
    keys = rows.keys[open_codes]

    def by_lead(s: pd.Series) -> pd.Series:
        return s.set_axis(keys)

    out = pd.DataFrame(index=keys)
    for col in ("name", "phone"):
        out[col] = (
            by_lead(g[col].last())
            if col in v
            else pd.Series(pd.NA, index=keys, dtype="str")
        )
    out["as_of"] = day
    out["label_end"] = label_end - _ONE_DAY
    out["first_visit"] = by_lead(first.loc[open_codes])
    out["last_visit"] = by_lead(last.loc[open_codes])
    out["n_visits"] = by_lead(g.size()).astype("int64")
    recent_visits = (v["visit_date"] >= cutoff - pd.Timedelta(days=30)).to_numpy()
    out["visits_30d"] = np.bincount(
        np.searchsorted(open_codes, codes[recent_visits]), minlength=len(open_codes)
    ).astype("int64")
    out["days_since_first"] = (cutoff - out["first_visit"].dt.normalize()).dt.days - 1
    out["days_since_last"] = (cutoff - out["last_visit"].dt.normalize()).dt.days - 1
    out["returned"] = (out["n_visits"] > 1).astype("int64")
    if "test_drive" in v:
        td = v["test_drive"].astype("Float64").astype(float)
        out["test_drive"] = by_lead(td.groupby(codes, sort=True).max())
    else:
        out["test_drive"] = np.nan
    # source of the first visit; the rest: latest known value (groupby skips NA)
    for col in ("source", "model", "grade", "consultant", "store", "region"):
        if col in v:
            agg = g[col].first() if col == "source" else g[col].last()
            out[col] = by_lead(agg).astype("str")
        else:
            out[col] = pd.Series(pd.NA, index=keys, dtype="str")
    out["region_close_rate"] = out["region"].map(rates).astype(float)
    out["first_weekday"] = out["first_visit"].dt.day_of_week.map(
        dict(enumerate(_WEEKDAYS))
    )
    out["first_weekday"] = out["first_weekday"].astype("str")
    out["first_month"] = out["first_visit"].dt.strftime("%m").astype("str")

    in_window = (
        (rows.deposits["deposit_date"] >= cutoff)
        & (rows.deposits["deposit_date"] < label_end)
    ).to_numpy()
    paid_in_window = np.zeros(n_keys, dtype=bool)
    window_codes = rows.deposit_codes[in_window]
    paid_in_window[window_codes[window_codes >= 0]] = True
    converted = pd.Series(
        paid_in_window[open_codes].astype("int64"), index=keys, dtype="Int64"
    )
    data_end = rows.data_end
    if pd.isna(data_end) or data_end.normalize() + _ONE_DAY < label_end:
        converted[:] = pd.NA
    out["converted"] = converted
    return out.reset_index()


def lead_snapshots(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of_dates: Iterable[Any],
    *,
    complete_only: bool = False,
    **kwargs: Any,
) -> pd.DataFrame:
    """Stack :func:`lead_table` snapshots taken on several dates.

    Each snapshot sees only its own past, so the stack is leakage-free
    training data. A prospect appears once per snapshot in which they are open.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned A-cards and C-cards.
    as_of_dates : iterable of dates
        Snapshot dates, e.g. ``pd.date_range("2025-06-01", "2026-06-01", freq="MS")``.
    complete_only : bool
        Drop rows whose label window runs past the end of the data.
    **kwargs
        Passed to :func:`lead_table` (``horizon_days``, ``lookback_days``, ...).

    Returns
    -------
    DataFrame
        The snapshots stacked, in date order, with a fresh index.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> visits = pd.DataFrame({
    ...     "customer_key": ["a", "b", "c"],
    ...     "visit_date": pd.to_datetime(["2026-08-10", "2026-09-10", "2026-10-05"]),
    ... })
    >>> deposits = pd.DataFrame({"customer_key": ["b"],
    ...                          "deposit_date": pd.to_datetime(["2026-10-02"])})
    >>> s = ps.lead_snapshots(visits, deposits, ["2026-09-01", "2026-10-01"])
    >>> s[["as_of", "customer_key", "converted"]]  # October's window outruns the data
           as_of customer_key  converted
    0 2026-09-01            a          0
    1 2026-10-01            a       <NA>
    2 2026-10-01            b       <NA>
    """
    dates = sorted({parse_day(d, name="as_of_dates") for d in as_of_dates})
    if not dates:
        raise InputError(
            "as_of_dates is empty; give at least one date, e.g. "
            "pd.date_range('2025-06-01', '2026-06-01', freq='MS')."
        )
    _check_table(visits, "visits", ("customer_key", "visit_date"), "visit_date")
    _check_table(deposits, "deposits", ("customer_key", "deposit_date"), "deposit_date")
    options = _options(**kwargs)
    rows = _Rows.of(visits, deposits)  # once for all the snapshots
    tables = [_lead_table(rows, d, **options) for d in dates]
    out = pd.concat(tables, ignore_index=True)
    if complete_only:
        out = out.loc[out["converted"].notna()].reset_index(drop=True)
    return out
