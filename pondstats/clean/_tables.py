"""Cleaning raw exports into the canonical visits, deposits and spend tables.

``clean_visits`` / ``clean_deposits`` / ``clean_spend`` take the raw text frames
from :mod:`pondstats.io` (or any frame with canonical column names) and return
a :class:`Cleaned`: the clean ``data``, the ``rejected`` rows (raw values plus
the source ``row`` and a readable ``reason``) and a :class:`CleanSummary` that
accounts for every input row::

    rows_read == rows_kept + rows_rejected + duplicates_merged

Cleaning is idempotent (cleaning ``data`` again changes nothing) and never
changes its input. The normalisers it uses (``normalize_phone`` ...) are
re-exported from :mod:`pondstats.clean`.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from pondstats import schema
from pondstats.clean._dates import normalize_date
from pondstats.clean._dedupe import (
    REASON_OTHER_AMOUNT,
    REASON_OTHER_END,
    order_conflicts,
    status_priority,
)
from pondstats.clean._normalize import (
    _as_text,
    customer_codes,
    normalize_amount,
    normalize_grade,
    normalize_region,
    normalize_status,
    normalize_yes_no,
    strip_placeholders,
    to_halfwidth,
)
from pondstats.clean._steps import (
    REASON_NO_ID,
    TodayLike,
    _begin,
    _by_count,
    _clean_extras,
    _date_reasons,
    _extras,
    _finish,
    _na_str,
    _note,
    _present,
    _present_among,
    _reject,
    _require,
    _start,
    _text_col,
)
from pondstats.clean._summary import Cleaned, CleanSummary
from pondstats.errors import DataQualityWarning

__all__ = ["clean_visits", "clean_deposits", "clean_spend"]

#: A deposits export of this many rows without a status column is warned about
#: (every deposit then counts as a live C-card); smaller ones get a note.
NO_STATUS_WARN_ROWS = 20

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------
# visits
# ---------------------------------------------------------------------------


def _visit_numbers(kept: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    """1, 2, ... per customer key by visit date (then row order): int codes, no string sort."""
    date = kept["visit_date"].to_numpy(dtype="datetime64[ns]").view("int64")
    order = np.lexsort((np.arange(len(kept)), date, codes))
    sorted_codes = codes[order]
    new_group = np.r_[True, sorted_codes[1:] != sorted_codes[:-1]]
    starts = np.flatnonzero(new_group)
    rank = np.arange(len(order)) - np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    out = np.empty(len(order), dtype="int64")
    out[order] = rank + 1
    return out


def clean_visits(
    raw: pd.DataFrame,
    *,
    today: TodayLike = None,
    region_aliases: Mapping[str, str] | None = None,
) -> Cleaned:
    """Clean a raw visits (A-card) export into the canonical visits table.

    Phones are normalised (``customer_key`` = mobile, else landline, else
    ``"id:" + customer_id``), dates parsed, placeholders turned into missing
    values, region names unified (see :func:`normalize_region`), ``test_drive``
    and ``grade`` normalised, duplicates merged (exact copies, and the same
    visit in two overlapping exports: same customer, same day, same consultant
    or store; the most complete copy is kept) and ``visit_no`` derived per
    customer by date when the export has none.

    Rows are rejected, with a reason, when they have no or an unparseable
    visit date, a date after ``today``, or no way to identify the customer.

    Parameters
    ----------
    raw : DataFrame
        From :func:`pondstats.read_visits`, or any frame with canonical names.
    today : date-like, optional
        Visits dated after this day are rejected (default: today).
    region_aliases : mapping, optional
        Extra region spellings -> canonical name.

    Returns
    -------
    Cleaned
        ``data`` (columns of :data:`pondstats.schema.VISIT_COLUMNS` with their
        dtypes, then any other columns of the export), ``rejected`` and
        ``summary``.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> raw = pd.DataFrame({
    ...     "phone": ["+86 138-0013-8000", "138 0013 8000", "13900139000", "请选择"],
    ...     "visit_date": ["2026/10/3", "2026年10月3日", "2026-10-05 14:05", "2026-10-06"],
    ...     "consultant": ["王五", "王五", "赵六", "王五"],
    ...     "region": ["东湖区", "东湖", "东湖区", "西山"],
    ... })
    >>> res = ps.clean_visits(raw, today="2026-11-01")
    >>> res.data[["customer_key", "visit_date", "visit_no", "region"]]
      customer_key          visit_date  visit_no region
    0  13800138000 2026-10-03 00:00:00         1    东湖区
    1  13900139000 2026-10-05 14:05:00         1    东湖区
    >>> print(res.summary)
    visits: 4 rows read
      kept:              2
      rejected:          1
        no way to identify the customer (no valid phone, landline or customer id): 1
      duplicates merged: 1
    """
    kind = "visits"
    df, rows, today_ts, notes, out = _begin(raw, kind, today)
    out["visit_date"] = normalize_date(df["visit_date"])
    out["region"] = (
        normalize_region(df["region"], aliases=region_aliases)
        if "region" in df.columns
        else _na_str(df.index)
    )
    for col in ("store", "consultant", "source", "model"):
        out[col] = _text_col(df, col)
    out["grade"] = (
        normalize_grade(df["grade"]) if "grade" in df.columns else _na_str(df.index)
    )
    if "grade" in df.columns:
        _note(
            notes,
            "grade not one of H/A/B/C/O/F -> missing",
            _present_among(df["grade"], out["grade"].isna()),
        )
    if "test_drive" in df.columns:
        out["test_drive"] = normalize_yes_no(df["test_drive"])
        odd = _present_among(df["test_drive"], out["test_drive"].isna())
        if odd.any():
            wu = to_halfwidth(_as_text(df["test_drive"][odd])).str.strip().eq("无")
            odd[odd] = ~wu.fillna(False).astype(bool).to_numpy()
        _note(notes, "test_drive not a yes/no word -> missing", odd)
    else:
        out["test_drive"] = pd.Series(pd.NA, index=df.index, dtype="boolean")
    for col in ("lat", "lon"):
        if col in df.columns:
            out[col] = normalize_amount(df[col])
            _note(
                notes,
                f"{col} not a number -> missing",
                _present_among(df[col], out[col].isna()),
            )
    if "lost_reason" in df.columns:  # 战败原因: text, kept when the export has it
        out["lost_reason"] = _text_col(df, "lost_reason")
    given_no = None
    if "visit_no" in df.columns:
        given_no = normalize_amount(df["visit_no"])
        given_no = given_no.where((given_no >= 1) & (given_no % 1 == 0))
        if given_no.notna().sum() == 0:
            given_no = None
    out["visit_no"] = given_no if given_no is not None else np.nan
    extras = _extras(df, set(schema.VISIT_COLUMNS) | {"customer_key"})
    _clean_extras(df, out, extras)

    reasons = _na_str(df.index)
    _date_reasons(reasons, df["visit_date"], out["visit_date"], "visit date", today_ts)
    _reject(reasons, out["customer_key"].isna(), REASON_NO_ID)
    passes = [
        ("consultant", ["customer_key", "visit_date", "consultant"], []),
        ("store", ["customer_key", "visit_date", "store"], ["consultant"]),
        (None, ["customer_key", "visit_date"], []),
    ]
    # the last pass is for rows with neither consultant nor store
    neither = out["consultant"].isna() & out["store"].isna()
    out["_neither"] = neither.astype("boolean").where(neither)  # True or <NA>
    passes[2] = ("_neither", ["customer_key", "visit_date"], [])
    key_numbers = customer_codes(out["customer_key"])[0]
    kept, rejected, summary, _ = _finish(
        kind,
        raw,
        rows,
        out,
        reasons,
        "visit_date",
        passes,
        notes,
        key_numbers,
    )
    kept = kept.drop(columns="_neither")

    derived = pd.Series(
        _visit_numbers(kept, key_numbers[kept.index.to_numpy()]), index=kept.index
    )
    if given_no is None:
        visit_no = derived
    else:
        visit_no = kept["visit_no"].fillna(derived)
        n_filled = int(kept["visit_no"].isna().sum())
        if n_filled:
            summary.notes["visit_no missing -> derived from dates"] = n_filled
    kept["visit_no"] = visit_no.astype("int64")

    cols = [c for c in schema.VISIT_COLUMNS if c in kept.columns] + extras
    data = kept[cols].astype(
        {c: t for c, t in schema.VISIT_COLUMNS.items() if c in kept.columns}
    )
    return Cleaned(data.reset_index(drop=True), rejected, summary)


# ---------------------------------------------------------------------------
# deposits
# ---------------------------------------------------------------------------


def clean_deposits(
    raw: pd.DataFrame,
    *,
    today: TodayLike = None,
    region_aliases: Mapping[str, str] | None = None,
) -> Cleaned:
    """Clean a raw deposits (C-card) export into the canonical deposits table.

    As :func:`clean_visits`, plus: ``amount`` parsed (``5,000元``, ``￥5000``),
    ``status`` words mapped to active/cancelled/delivered (a missing status is
    ``delivered`` when there is a delivery date, else ``active``; both noted in
    the summary), duplicates merged by order number *and* customer, or by
    customer + day + consultant/store when the order numbers do not conflict.

    Of the copies of one order the one with the later state is kept: a
    terminal status (cancelled, delivered) over an active copy (an earlier
    export), then the most complete copy. Copies that disagree are never
    merged silently: a copy with another amount, or cancelled where the other
    is delivered, is rejected with its reason, and one order number on two
    customers is two deposits; each is listed in ``conflicts`` with both
    values.

    Rows are rejected when the deposit date is missing, unparseable or in the
    future, the customer cannot be identified, the amount is negative, the
    status word is unknown, or the delivery date is unparseable or before the
    deposit.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> raw = pd.DataFrame({
    ...     "deposit_id": ["D1", "D1", "D2", "D3"],
    ...     "phone": ["13800138000", "13800138000", "13900139000", "13700137000"],
    ...     "deposit_date": ["2026/10/3", "2026/10/3", "2026/10/4", "2026/10/5"],
    ...     "amount": ["5,000元", "5000", "￥3000", "-1"],
    ...     "status": ["有效", "已交车", "退订", "有效"],
    ...     "delivery_date": [None, "2026-10-20", None, None],
    ... })
    >>> res = ps.clean_deposits(raw, today="2026-11-01")
    >>> res.data[["deposit_id", "amount", "status"]]
      deposit_id  amount     status
    0         D1  5000.0  delivered
    1         D2  3000.0  cancelled
    >>> res.rejected[["row", "reason"]]
       row           reason
    0    4  negative amount

    Two copies of order D7 with different amounts are not merged:

    >>> raw2 = pd.DataFrame({"deposit_id": ["D7", "D7"], "phone": ["13800138000"] * 2,
    ...     "deposit_date": ["2026-10-03"] * 2, "amount": ["5000", "3000"]})
    >>> res2 = ps.clean_deposits(raw2, today="2026-11-01")
    >>> res2.conflicts[["deposit_id", "field", "value", "other", "rows"]]
      deposit_id   field value other  rows
    0         D7  amount  5000  3000  1, 2
    """
    kind = "deposits"
    df, rows, today_ts, notes, out = _begin(raw, kind, today)
    out["deposit_date"] = normalize_date(df["deposit_date"])
    if "amount" in df.columns:
        out["amount"] = normalize_amount(df["amount"])
        _note(
            notes,
            "amount not a number -> missing",
            _present_among(df["amount"], out["amount"].isna()),
        )
    else:
        out["amount"] = np.nan
    out["region"] = (
        normalize_region(df["region"], aliases=region_aliases)
        if "region" in df.columns
        else _na_str(df.index)
    )
    for col in ("store", "consultant", "model"):
        out[col] = _text_col(df, col)
    if "delivery_date" in df.columns:
        out["delivery_date"] = normalize_date(df["delivery_date"])
        delivery_present = _present(df["delivery_date"])
    else:
        out["delivery_date"] = pd.Series(pd.NaT, index=df.index, dtype="datetime64[ns]")
        delivery_present = pd.Series(False, index=df.index)
    if "status" in df.columns:
        status = normalize_status(df["status"])
        status_present = _present(df["status"])
    else:
        status = _na_str(df.index)
        status_present = pd.Series(False, index=df.index)
        _note(notes, "no status column: every deposit taken as active", df.index >= 0)
        if len(df) >= NO_STATUS_WARN_ROWS:  # else every one is silently a live C-card
            warnings.warn(
                f"the deposits table has no status column: all {len(df)} deposits are "
                "taken as active (delivered where there is a delivery date), none as "
                "cancelled. If the export has one under another header, map it: "
                "column_map={'<your header>': 'status'}.",
                DataQualityWarning,
                stacklevel=2,
            )
    unknown_status = status.isna() & status_present
    fill = status.isna() & ~status_present
    has_delivery = out["delivery_date"].notna()
    _note(
        notes, "status missing -> delivered (has a delivery date)", fill & has_delivery
    )
    _note(notes, "status missing -> active", fill & ~has_delivery)
    status = status.mask(fill & has_delivery, "delivered").mask(
        fill & ~has_delivery, "active"
    )
    out["status"] = status
    extras = _extras(df, set(schema.DEPOSIT_COLUMNS) | {"customer_key"})
    _clean_extras(df, out, extras)

    reasons = _na_str(df.index)
    _date_reasons(
        reasons, df["deposit_date"], out["deposit_date"], "deposit date", today_ts
    )
    _reject(reasons, out["customer_key"].isna(), REASON_NO_ID)
    _reject(reasons, out["amount"] < 0, "negative amount")
    _reject(reasons, unknown_status, "unknown status word")
    _reject(
        reasons,
        delivery_present & out["delivery_date"].isna(),
        "unparseable delivery date",
    )
    _reject(
        reasons,
        out["delivery_date"].dt.normalize() < out["deposit_date"].dt.normalize(),
        "delivery before deposit",
    )
    neither = out["consultant"].isna() & out["store"].isna()
    out["_neither"] = neither.astype("boolean").where(neither)  # True or <NA>
    conflicts, other_amount, other_end = order_conflicts(
        out, rows, reasons.notna().to_numpy(dtype=bool)
    )
    _reject(reasons, pd.Series(other_amount, index=out.index), REASON_OTHER_AMOUNT)
    _reject(reasons, pd.Series(other_end, index=out.index), REASON_OTHER_END)
    passes = [
        ("deposit_id", ["deposit_id", "customer_key"], []),
        ("consultant", ["customer_key", "deposit_date", "consultant"], ["deposit_id"]),
        (
            "store",
            ["customer_key", "deposit_date", "store"],
            ["consultant", "deposit_id"],
        ),
        ("_neither", ["customer_key", "deposit_date"], ["deposit_id"]),
    ]
    kept, rejected, summary, _ = _finish(
        kind,
        raw,
        rows,
        out,
        reasons,
        "deposit_date",
        passes,
        notes,
        priority=status_priority(out["status"]),
        conflicts=len(conflicts),
    )
    kept = kept.drop(columns="_neither")
    cols = list(schema.DEPOSIT_COLUMNS) + extras
    data = kept[cols].astype(schema.DEPOSIT_COLUMNS)
    return Cleaned(data.reset_index(drop=True), rejected, summary, conflicts)


# ---------------------------------------------------------------------------
# spend
# ---------------------------------------------------------------------------


def _normalize_month(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.PeriodDtype):
        return s.dt.asfreq("M")
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return s.dt.to_period("M")
    t = strip_placeholders(_as_text(s))
    t = t.str.replace(r"\s*(?:年|/|\.)\s*", "-", regex=True).str.replace(
        "月", "", regex=False
    )
    t = t.str.replace(r"^(\d{4})(\d{2})$", r"\1-\2", regex=True)
    parts = t.str.extract(r"^(\d{4})-(\d{1,2})$").apply(pd.to_numeric, errors="coerce")
    parts.columns = ["year", "month"]
    parts["day"] = 1
    ok = parts["year"].notna() & parts["month"].between(1, 12)
    dates = normalize_date(s)  # full dates and Excel serials
    first = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if ok.any():
        first[ok] = pd.to_datetime(parts[ok]).astype("datetime64[ns]")
    first = first.fillna(dates)
    return first.dt.to_period("M")


def clean_spend(
    raw: pd.DataFrame, *, region_aliases: Mapping[str, str] | None = None
) -> Cleaned:
    """Clean a marketing-spend table: ``region`` str, ``month`` period[M], ``spend`` float64.

    Months may be ``2026-10``, ``2026/10``, ``2026年10月``, ``202610`` or a date.
    Exact duplicate rows are merged; several rows for one region and month are
    kept (sum them when you need one figure). Rows without a region, month or
    spend, or with a negative spend, are rejected.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> raw = pd.DataFrame({"region": ["东湖区", "东湖"], "month": ["2026年10月", "2026-11"],
    ...                     "spend": ["12,000元", "8000"]})
    >>> ps.clean_spend(raw).data
      region    month    spend
    0    东湖区  2026-10  12000.0
    1    东湖区  2026-11   8000.0
    """
    kind = "spend"
    df, rows = _start(raw, kind)
    _require(raw, ("region", "month", "spend"), kind, schema.SPEND_ALIASES)
    out = pd.DataFrame(index=df.index)
    out["region"] = normalize_region(df["region"], aliases=region_aliases)
    out["month"] = _normalize_month(df["month"])
    out["spend"] = normalize_amount(df["spend"])
    extras = _extras(df, set(schema.SPEND_COLUMNS))
    _clean_extras(df, out, extras)
    reasons = _na_str(df.index)
    _reject(reasons, out["region"].isna(), "no region")
    _reject(reasons, ~_present(df["month"]), "no month")
    _reject(reasons, out["month"].isna(), "unparseable month")
    _reject(reasons, ~_present(df["spend"]), "no spend amount")
    _reject(reasons, out["spend"].isna(), "unparseable spend amount")
    _reject(reasons, out["spend"] < 0, "negative spend")
    bad = reasons.notna()
    rejected = raw.reset_index(drop=True)[bad.to_numpy()].copy()
    rejected["row"] = rows[bad.to_numpy()]
    rejected["reason"] = reasons[bad].astype("str").to_numpy()
    good = out[~bad]
    dup = good.duplicated()
    data = good[~dup][list(schema.SPEND_COLUMNS) + extras].astype(
        {"region": "str", "spend": "float64"}
    )
    summary = CleanSummary(
        kind=kind,
        rows_read=len(raw),
        rows_kept=len(data),
        rows_rejected=int(bad.sum()),
        duplicates_merged=int(dup.sum()),
        rejected_by_reason={str(k): int(v) for k, v in _by_count(reasons[bad])},
        encoding=raw.attrs.get("pondstats", {}).get("encoding"),
    )
    return Cleaned(
        data.reset_index(drop=True), rejected.reset_index(drop=True), summary
    )
