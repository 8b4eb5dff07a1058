"""Open prospects as of a date: lead tables, call lists and after-sale follow-up.

A *lead table* has one row per open prospect (an A-card customer who visited
within the lookback window and has paid no deposit yet) as of a date, with
features computed **only from records dated on or before that date** and the
label "paid a deposit within ``horizon_days`` after it". Stacking monthly
snapshots (:func:`lead_snapshots`) gives training data with no leakage from
the future; :class:`pondstats.scoring.LeadScorer` learns from it and
:func:`call_list` turns the scores into a list consultants can work through.

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

import logging
import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pondstats.errors import DataQualityWarning, InputError
from pondstats.privacy import mask_personal

if TYPE_CHECKING:
    from pondstats.scoring import LeadScorer

__all__ = [
    "LEAD_FEATURES",
    "DEFAULT_TIERS",
    "DEFAULT_CADENCE",
    "AFTERCARE_STEPS",
    "lead_table",
    "lead_snapshots",
    "call_list",
    "aftercare_list",
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

#: Minimum calibrated probability (of a deposit within the horizon) per tier;
#: below the lowest threshold a lead is tier C.
DEFAULT_TIERS: dict[str, float] = {"H": 0.25, "A": 0.10, "B": 0.03}

#: Days between contacts per tier (DOMAIN.md: H weekly, A every ~2 weeks,
#: B monthly, C every ~3 months).
DEFAULT_CADENCE: dict[str, int] = {"H": 7, "A": 14, "B": 30, "C": 90}

#: The 2-4-8 rule after a sale: (day, action).
AFTERCARE_STEPS: tuple[tuple[int, str], ...] = ((2, "call"), (4, "call"), (8, "visit"))

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_ONE_DAY = pd.Timedelta(days=1)


# ---------------------------------------------------------------------------
# validation
# ---------------------------------------------------------------------------


def _as_date(as_of: Any, name: str = "as_of") -> pd.Timestamp:
    try:
        ts = pd.Timestamp(as_of)
    except (TypeError, ValueError) as exc:
        raise InputError(
            f"{name} must be a date such as '2026-10-01', got {as_of!r}. "
            "Pass a string YYYY-MM-DD, a datetime or a pandas Timestamp."
        ) from exc
    if pd.isna(ts):
        raise InputError(
            f"{name} must be a date such as '2026-10-01', got a missing value."
        )
    return ts.normalize()


def _check_table(df: Any, kind: str, required: tuple[str, ...], date_col: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(f"{kind} must be a pandas DataFrame, got {type(df).__name__}.")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise InputError(
            f"{kind} lacks the column(s) {missing}; found {list(df.columns)}. "
            f"Clean the export first with ps.clean_{kind}(ps.read_{kind}(path)).data."
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
            stacklevel=3,
        )
    return df.loc[~bad]


# ---------------------------------------------------------------------------
# lead table
# ---------------------------------------------------------------------------


def _region_close_rates(
    seen_visits: pd.DataFrame,
    seen_deposits: pd.DataFrame,
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
    """
    start = cutoff - pd.Timedelta(days=window_days)
    in_win = (first_date >= start) & (first_date < cutoff)
    a = first_region[in_win].dropna().value_counts()
    dep = seen_deposits.loc[seen_deposits["deposit_date"] >= start]
    dep_region = (
        dep["region"]
        if "region" in dep
        else pd.Series(pd.NA, index=dep.index, dtype="str")
    )
    dep_region = dep_region.fillna(dep["customer_key"].map(first_region))
    c = dep_region.dropna().value_counts()
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
    day = _as_date(as_of)
    for name, val in (
        ("horizon_days", horizon_days),
        ("lookback_days", lookback_days),
        ("rate_window_days", rate_window_days),
    ):
        if not isinstance(val, (int, np.integer)) or val < 1:
            raise InputError(
                f"{name} must be a positive whole number of days, got {val!r}."
            )
    cutoff = day + _ONE_DAY  # records dated before the cutoff are "on or before as_of"
    label_end = cutoff + pd.Timedelta(days=horizon_days)

    v_all = _usable(visits, "visits", "visit_date")
    d_all = _usable(deposits, "deposits", "deposit_date")
    v = v_all.loc[v_all["visit_date"] < cutoff].sort_values(
        ["customer_key", "visit_date"], kind="stable"
    )
    d_seen = d_all.loc[d_all["deposit_date"] < cutoff]

    g = v.groupby("customer_key", sort=True)
    first = g["visit_date"].min()
    last = g["visit_date"].max()
    region_first = g["region"].first() if "region" in v else pd.Series(dtype="str")
    rates = _region_close_rates(
        v, d_seen, region_first, first, cutoff, rate_window_days, rate_prior
    )

    open_ = (last >= cutoff - pd.Timedelta(days=lookback_days)) & ~last.index.isin(
        d_seen["customer_key"].unique()
    )
    keys = last.index[open_]
    v = v.loc[v["customer_key"].isin(keys)]
    g = v.groupby("customer_key", sort=True)

    out = pd.DataFrame(index=pd.Index(keys, name="customer_key"))
    for col in ("name", "phone"):
        out[col] = (
            g[col].last() if col in v else pd.Series(pd.NA, index=keys, dtype="str")
        )
    out["as_of"] = day
    out["label_end"] = label_end - _ONE_DAY
    out["first_visit"] = first.reindex(keys)
    out["last_visit"] = last.reindex(keys)
    out["n_visits"] = g.size().astype("int64")
    out["visits_30d"] = (
        v.loc[v["visit_date"] >= cutoff - pd.Timedelta(days=30)]
        .groupby("customer_key")
        .size()
        .reindex(keys, fill_value=0)
        .astype("int64")
    )
    out["days_since_first"] = (cutoff - out["first_visit"].dt.normalize()).dt.days - 1
    out["days_since_last"] = (cutoff - out["last_visit"].dt.normalize()).dt.days - 1
    out["returned"] = (out["n_visits"] > 1).astype("int64")
    if "test_drive" in v:
        td = v["test_drive"].astype("Float64").astype(float)
        out["test_drive"] = td.groupby(v["customer_key"]).max()
    else:
        out["test_drive"] = np.nan
    # source of the first visit; the rest: latest known value (groupby skips NA)
    for col in ("source", "model", "grade", "consultant", "store", "region"):
        if col in v:
            agg = g[col].first() if col == "source" else g[col].last()
            out[col] = agg.astype("str")
        else:
            out[col] = pd.Series(pd.NA, index=keys, dtype="str")
    out["region_close_rate"] = out["region"].map(rates).astype(float)
    out["first_weekday"] = out["first_visit"].dt.day_of_week.map(
        dict(enumerate(_WEEKDAYS))
    )
    out["first_weekday"] = out["first_weekday"].astype("str")
    out["first_month"] = out["first_visit"].dt.strftime("%m").astype("str")

    data_end = max(
        v_all["visit_date"].max() if len(v_all) else pd.NaT,
        d_all["deposit_date"].max() if len(d_all) else pd.NaT,
    )
    window = d_all.loc[
        (d_all["deposit_date"] >= cutoff) & (d_all["deposit_date"] < label_end)
    ]
    conv = pd.Series(
        keys.isin(window["customer_key"].unique()).astype("int64"), index=keys
    )
    converted = conv.astype("Int64")
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
    dates = sorted({_as_date(d, "as_of_dates") for d in as_of_dates})
    if not dates:
        raise InputError(
            "as_of_dates is empty; give at least one date, e.g. "
            "pd.date_range('2025-06-01', '2026-06-01', freq='MS')."
        )
    tables = [lead_table(visits, deposits, d, **kwargs) for d in dates]
    out = pd.concat(tables, ignore_index=True)
    if complete_only:
        out = out.loc[out["converted"].notna()].reset_index(drop=True)
    return out


# ---------------------------------------------------------------------------
# call list
# ---------------------------------------------------------------------------


def _tier(prob: pd.Series, tiers: Mapping[str, float]) -> pd.Series:
    order = sorted(tiers.items(), key=lambda kv: -kv[1])
    out = pd.Series("C", index=prob.index, dtype="str")
    for name, threshold in reversed(order):
        out = out.mask(prob >= threshold, name)
    return out


def _check_tiers(tiers: Mapping[str, float], cadence: Mapping[str, int]) -> None:
    for name, thr in tiers.items():
        if not 0.0 <= float(thr) <= 1.0:
            raise InputError(
                f"tier {name!r} has threshold {thr!r}; thresholds are probabilities "
                "between 0 and 1 (write 0.4 for 40%)."
            )
    names = [*tiers, "C"]
    missing = [t for t in names if t not in cadence]
    if missing:
        raise InputError(
            f"cadence has no entry for tier(s) {missing}; give days between contacts "
            f"for every tier, e.g. {DEFAULT_CADENCE}."
        )


def call_list(
    scorer: LeadScorer,
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of: Any,
    *,
    tiers: Mapping[str, float] | None = None,
    cadence: Mapping[str, int] | None = None,
    mask: bool = True,
    lang: str = "zh",
    n_factors: int = 3,
    **kwargs: Any,
) -> pd.DataFrame:
    """Open prospects on ``as_of``, most likely to pay a deposit first.

    Parameters
    ----------
    scorer : LeadScorer
        A fitted scorer (trained on :func:`lead_snapshots` before ``as_of``).
    visits, deposits : DataFrame
        Cleaned A-cards and C-cards.
    as_of : str or Timestamp
        The day the list is made for.
    tiers : mapping, optional
        Minimum probability per tier, default :data:`DEFAULT_TIERS`
        (H >= 25%, A >= 10%, B >= 3%, else C).
    cadence : mapping, optional
        Days between contacts per tier, default :data:`DEFAULT_CADENCE`.
        ``next_contact`` is the last visit plus the tier's cadence, or
        ``as_of`` when that date has already passed.
    mask : bool
        Mask phones and names (``pondstats.privacy``) and leave out the
        customer key (it is the phone). ``mask=False`` only for people
        entitled to the raw contacts.
    lang : {"zh", "en"}
        Language of the ``factors`` text.
    n_factors : int
        Factors listed per lead.
    **kwargs
        Passed to :func:`lead_table` (``horizon_days``, ``lookback_days``).

    Returns
    -------
    DataFrame
        ``rank, name, phone, consultant, store, region, model, grade,
        n_visits, last_visit, probability, score (0-100), tier, factors,
        next_contact``; ordered by probability, highest first.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> visits = pd.DataFrame({
    ...     "customer_key": ["13800000001", "13800000002", "13800000003"],
    ...     "name": ["张三", "李四", "王五"],
    ...     "phone": ["13800000001", "13800000002", "13800000003"],
    ...     "visit_date": pd.to_datetime(["2026-09-20", "2026-09-25", "2026-09-28"]),
    ...     "consultant": ["刘", "刘", "陈"],
    ... })
    >>> deposits = visits.iloc[:0][["customer_key"]].assign(
    ...     deposit_date=pd.Series(dtype="datetime64[ns]"))
    >>> X = pd.DataFrame({"days_since_last": [1, 5, 10, 20, 40, 60] * 5})
    >>> y = [1, 1, 0, 1, 0, 0] * 5
    >>> scorer = ps.LeadScorer(calibration=None).fit(X, y)
    >>> calls = ps.call_list(scorer, visits, deposits, "2026-09-30")
    >>> calls[["rank", "name", "phone", "score", "tier", "next_contact"]]
       rank name        phone  score tier next_contact
    0     1   王*  138****0003     79    H   2026-10-05
    1     2   李*  138****0002     76    H   2026-10-02
    2     3   张*  138****0001     68    H   2026-09-30
    """
    tiers = dict(DEFAULT_TIERS if tiers is None else tiers)
    cadence = dict(DEFAULT_CADENCE if cadence is None else cadence)
    _check_tiers(tiers, cadence)
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
    day = _as_date(as_of)
    leads = lead_table(visits, deposits, day, **kwargs)
    cols = [
        "rank",
        "customer_key",
        "name",
        "phone",
        "consultant",
        "store",
        "region",
        "model",
        "grade",
        "n_visits",
        "last_visit",
        "probability",
        "score",
        "tier",
        "factors",
        "next_contact",
    ]
    if leads.empty:
        out = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
        return out.drop(columns="customer_key") if mask else out
    feats = list(getattr(scorer, "feature_names_in_", []))
    lacking = [c for c in feats if c not in leads.columns]
    if not feats or lacking:
        raise InputError(
            "call_list needs a LeadScorer fitted on a DataFrame of lead-table columns "
            f"(e.g. snapshots[list(ps.leads.LEAD_FEATURES)]); the lead table lacks {lacking}"
            if feats
            else "call_list needs a LeadScorer fitted on a DataFrame with named columns, "
            "e.g. LeadScorer().fit(snapshots[list(ps.leads.LEAD_FEATURES)], y)."
        )
    X = leads[feats]
    prob = pd.Series(scorer.predict_proba(X)[:, 1], index=leads.index)
    reasons = scorer.explain(X, n_factors=n_factors, lang=lang)
    out = leads.assign(
        probability=prob.round(4),
        score=(prob * 100).round().astype("int64"),
        tier=_tier(prob, tiers),
        factors=reasons["factors"],
    )
    days = out["tier"].map(cadence).astype("int64")
    nxt = out["last_visit"].dt.normalize() + pd.to_timedelta(days, unit="D")
    out["next_contact"] = nxt.where(nxt > day, day)
    out = out.sort_values(
        ["probability", "last_visit"], ascending=[False, False], kind="stable"
    )
    out["rank"] = np.arange(1, len(out) + 1)
    out = out[cols].reset_index(drop=True)
    if mask:
        out = mask_personal(out).drop(columns="customer_key")
    return out


# ---------------------------------------------------------------------------
# after-sale follow-up (2-4-8)
# ---------------------------------------------------------------------------


def aftercare_list(
    deposits: pd.DataFrame,
    as_of: Any,
    *,
    steps: Iterable[tuple[int, str]] = AFTERCARE_STEPS,
    overdue_days: int = 7,
    mask: bool = True,
) -> pd.DataFrame:
    """After-sale contacts due or overdue on ``as_of`` (the 2-4-8 rule).

    Each deposit that is not cancelled is anchored on its delivery date when
    the car was delivered on or before ``as_of``, otherwise on its deposit
    date. The steps (default: call on day 2, call on day 4, visit on day 8)
    fall on the anchor plus their day. A step is listed when it falls on
    ``as_of`` (``due``) or within ``overdue_days`` before it (``overdue``);
    older steps are assumed handled (the exports carry no contact log).

    Parameters
    ----------
    deposits : DataFrame
        Cleaned C-cards: ``deposit_id``, ``deposit_date``, ``status``,
        ``delivery_date`` (others such as name, phone, consultant are carried).
    as_of : str or Timestamp
        The working day.
    steps : iterable of (day, action)
        The follow-up rule, default :data:`AFTERCARE_STEPS`.
    overdue_days : int
        How far back overdue steps are still listed.
    mask : bool
        Mask phones and names.

    Returns
    -------
    DataFrame
        ``deposit_id, name, phone, consultant, store, model, anchor
        (delivery/deposit), anchor_date, day, action, due_date,
        days_overdue, state (due/overdue)``; most overdue first.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> deposits = pd.DataFrame({
    ...     "deposit_id": ["D1", "D2", "D3"],
    ...     "deposit_date": pd.to_datetime(["2026-09-01", "2026-10-06", "2026-10-01"]),
    ...     "status": ["delivered", "active", "cancelled"],
    ...     "delivery_date": pd.to_datetime(["2026-10-02", None, None]),
    ... })
    >>> ps.aftercare_list(deposits, "2026-10-10")[["deposit_id", "anchor", "day",
    ...                                           "action", "state", "days_overdue"]]
      deposit_id    anchor  day action    state  days_overdue
    0         D1  delivery    2   call  overdue             6
    1         D1  delivery    4   call  overdue             4
    2         D2   deposit    2   call  overdue             2
    3         D1  delivery    8  visit      due             0
    4         D2   deposit    4   call      due             0
    """
    if not isinstance(deposits, pd.DataFrame):
        raise InputError(
            f"deposits must be a pandas DataFrame, got {type(deposits).__name__}."
        )
    needed = ("deposit_id", "deposit_date", "status")
    missing = [c for c in needed if c not in deposits.columns]
    if missing:
        raise InputError(
            f"deposits lacks the column(s) {missing}; found {list(deposits.columns)}. "
            "Clean the export first with ps.clean_deposits(ps.read_deposits(path)).data."
        )
    steps = tuple(steps)
    if not steps or any(int(d) < 0 for d, _ in steps):
        raise InputError(
            f"steps must be (day, action) pairs with day >= 0, got {steps!r}."
        )
    day = _as_date(as_of)
    d = deposits.loc[deposits["status"] != "cancelled"]
    no_date = d["deposit_date"].isna()
    if no_date.any():
        warnings.warn(
            f"{int(no_date.sum())} deposits have no deposit_date and get no follow-up "
            "steps; fix their dates in the export.",
            DataQualityWarning,
            stacklevel=2,
        )
        d = d.loc[~no_date]
    delivery = (
        d["delivery_date"] if "delivery_date" in d else pd.Series(pd.NaT, index=d.index)
    )
    delivered = delivery.notna() & (delivery.dt.normalize() <= day)
    anchor_date = delivery.where(delivered, d["deposit_date"]).dt.normalize()
    carry = [
        c
        for c in ("deposit_id", "name", "phone", "consultant", "store", "model")
        if c in d
    ]
    base = d[carry].assign(
        anchor=np.where(delivered, "delivery", "deposit"), anchor_date=anchor_date
    )
    rows = [
        base.assign(
            day=int(n),
            action=str(act),
            due_date=anchor_date + pd.Timedelta(days=int(n)),
        )
        for n, act in steps
    ]
    tasks = pd.concat(rows, ignore_index=True)
    tasks["days_overdue"] = (day - tasks["due_date"]).dt.days
    tasks = tasks.loc[
        (tasks["days_overdue"] >= 0) & (tasks["days_overdue"] <= overdue_days)
    ]
    tasks["state"] = np.where(tasks["days_overdue"] > 0, "overdue", "due")
    tasks["anchor"] = tasks["anchor"].astype("str")
    tasks = tasks.sort_values(
        ["days_overdue", "deposit_id", "day"],
        ascending=[False, True, True],
        kind="stable",
    )
    tasks = tasks.reset_index(drop=True)
    return mask_personal(tasks) if mask else tasks
