"""Cleaning raw exports into the canonical visits, deposits and spend tables.

``clean_visits`` / ``clean_deposits`` / ``clean_spend`` take the raw text frames
from :mod:`pondstats.io` (or any frame with canonical column names) and return
a :class:`Cleaned`: the clean ``data``, the ``rejected`` rows (raw values plus
the source ``row`` and a readable ``reason``) and a :class:`CleanSummary` that
accounts for every input row::

    rows_read == rows_kept + rows_rejected + duplicates_merged

Cleaning is idempotent (cleaning ``data`` again changes nothing) and never
changes its input. The normalisers it uses (``normalize_phone`` ...) are
re-exported from here.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

from pondstats import schema
from pondstats._normalize import (
    _as_text,
    _key_numbers,
    normalize_amount,
    normalize_date,
    normalize_grade,
    normalize_phone,
    normalize_region,
    normalize_status,
    normalize_text,
    normalize_yes_no,
    phone_kind,
    strip_placeholders,
    to_halfwidth,
)
from pondstats.errors import InputError

__all__ = [
    "Cleaned",
    "CleanSummary",
    "clean_visits",
    "clean_deposits",
    "clean_spend",
    "normalize_amount",
    "normalize_date",
    "normalize_grade",
    "normalize_phone",
    "normalize_region",
    "normalize_status",
    "normalize_text",
    "normalize_yes_no",
    "phone_kind",
    "strip_placeholders",
    "to_halfwidth",
]

log = logging.getLogger(__name__)

TodayLike = str | date | datetime | pd.Timestamp | None

REASON_NO_ID = (
    "no way to identify the customer (no valid phone, landline or customer id)"
)


@dataclass(frozen=True)
class CleanSummary:
    """What cleaning did, row by row: ``rows_read == rows_kept + rows_rejected + duplicates_merged``.

    Attributes
    ----------
    kind : str
        ``visits``, ``deposits`` or ``spend``.
    rows_read, rows_kept, rows_rejected, duplicates_merged : int
        The accounting.
    rejected_by_reason : dict
        Reason -> number of rejected rows.
    encoding : str or None
        The encoding the file was read with (None when not read from a file).
    notes : dict
        Values changed but rows kept (e.g. a phone that is no phone number set
        to missing) -> count.
    """

    kind: str
    rows_read: int
    rows_kept: int
    rows_rejected: int
    duplicates_merged: int
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    encoding: str | None = None
    notes: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        total = self.rows_kept + self.rows_rejected + self.duplicates_merged
        if total != self.rows_read:  # a bug, not bad input
            raise AssertionError(
                f"cleaning lost rows: {self.rows_read} read, {total} accounted"
            )

    def __str__(self) -> str:
        enc = f", encoding {self.encoding}" if self.encoding else ""
        lines = [
            f"{self.kind}: {self.rows_read} rows read{enc}",
            f"  kept:              {self.rows_kept}",
            f"  rejected:          {self.rows_rejected}",
        ]
        lines += [f"    {reason}: {n}" for reason, n in self.rejected_by_reason.items()]
        lines.append(f"  duplicates merged: {self.duplicates_merged}")
        if self.notes:
            lines.append("  kept with changes:")
            lines += [f"    {note}: {n}" for note, n in self.notes.items()]
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The accounting as a two-column table (``item``, ``rows``).

        Examples
        --------
        >>> from pondstats.clean import CleanSummary
        >>> s = CleanSummary("visits", 5, 3, 1, 1, {"no visit date": 1})
        >>> s.to_frame()["rows"].tolist()
        [5, 3, 1, 1, 1]
        """
        items = [("rows read", self.rows_read), ("rows kept", self.rows_kept)]
        items.append(("rows rejected", self.rows_rejected))
        items += [(f"  rejected: {r}", n) for r, n in self.rejected_by_reason.items()]
        items.append(("duplicates merged", self.duplicates_merged))
        items += [(f"  changed: {k}", n) for k, n in self.notes.items()]
        return pd.DataFrame(items, columns=["item", "rows"]).astype({"rows": "int64"})


@dataclass(frozen=True)
class Cleaned:
    """The result of cleaning: ``data``, ``rejected`` (with ``row`` and ``reason``), ``summary``."""

    data: pd.DataFrame
    rejected: pd.DataFrame
    summary: CleanSummary

    def __iter__(self):
        return iter((self.data, self.rejected, self.summary))


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _today(today: TodayLike) -> pd.Timestamp:
    try:
        ts = pd.Timestamp.now() if today is None else pd.Timestamp(today)
    except (ValueError, TypeError):
        raise InputError(
            f"today={today!r} is not a date; give it as 'YYYY-MM-DD', e.g. today='2026-10-31'."
        ) from None
    if ts is pd.NaT:
        raise InputError(f"today={today!r} is not a date; give it as 'YYYY-MM-DD'.")
    if ts.tzinfo is not None:
        ts = ts.tz_localize(None)
    return ts.normalize()


def _start(raw: pd.DataFrame, kind: str) -> tuple[pd.DataFrame, np.ndarray]:
    if not isinstance(raw, pd.DataFrame):
        raise InputError(
            f"clean_{kind} expects a DataFrame (e.g. from ps.read_{kind}(path)), "
            f"got {type(raw).__name__}."
        )
    if raw.index.name == "row" and pd.api.types.is_integer_dtype(raw.index.dtype):
        rows = raw.index.to_numpy(dtype="int64")
    else:
        rows = np.arange(1, len(raw) + 1, dtype="int64")
    df = raw.reset_index(drop=True)
    return df, rows


def _require(df: pd.DataFrame, cols: tuple[str, ...], kind: str, aliases) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        accepted = "; ".join(f"{c}: {', '.join(aliases.get(c, (c,)))}" for c in missing)
        raise InputError(
            f"cannot clean {kind}: no column {', '.join(missing)}. Columns found: "
            f"{', '.join(map(str, df.columns)) or '(none)'}. Headers accepted: {accepted}. "
            "Rename the column, or read the file with read_"
            f"{kind}(path, column_map={{'<your header>': '{missing[0]}'}})."
        )


def _na_str(index: pd.Index) -> pd.Series:
    return pd.Series(np.nan, index=index, dtype="str")


def _present(s: pd.Series) -> pd.Series:
    """True where the raw cell holds something other than a placeholder."""
    return strip_placeholders(_as_text(s)).notna()


def _present_among(s: pd.Series, candidates: pd.Series) -> pd.Series:
    """``candidates & _present(s)``, looking only at the candidate rows (few, usually)."""
    mask = candidates.fillna(False).to_numpy(dtype=bool)
    out = np.zeros(len(s), dtype=bool)
    if mask.any():
        out[mask] = _present(s[mask]).to_numpy(dtype=bool)
    return pd.Series(out, index=s.index)


def _text_col(df: pd.DataFrame, col: str) -> pd.Series:
    return normalize_text(df[col]) if col in df.columns else _na_str(df.index)


def _note(notes: dict[str, int], text: str, mask: pd.Series) -> None:
    n = int(mask.sum())
    if n:
        notes[text] = n


def _customer(df: pd.DataFrame, notes: dict[str, int]) -> tuple[pd.Series, pd.Series]:
    """(phone, customer_key)."""
    if "phone" in df.columns:
        phone = normalize_phone(df["phone"])
        _note(
            notes,
            "phone not a phone number -> missing",
            _present_among(df["phone"], phone.isna()),
        )
    else:
        phone = _na_str(df.index)
    key = phone.copy()
    if "customer_id" in df.columns:
        cid = normalize_text(df["customer_id"]).str.replace(r"^id:", "", regex=True)
        key = key.fillna("id:" + cid)
    if "customer_key" in df.columns:  # already clean data
        key = key.fillna(normalize_text(df["customer_key"]))
    return phone, key


def _reject(reasons: pd.Series, mask: pd.Series, reason: str) -> None:
    reasons.loc[mask.fillna(False).astype(bool) & reasons.isna()] = reason


def _date_reasons(
    reasons: pd.Series,
    raw_col: pd.Series,
    parsed: pd.Series,
    what: str,
    today: pd.Timestamp,
) -> None:
    missing = parsed.isna()
    present = _present_among(raw_col, missing)  # a parsed date is present
    _reject(reasons, missing & ~present, f"no {what}")
    _reject(reasons, present, f"unparseable {what}")
    _reject(reasons, parsed.dt.normalize() > today, f"{what} in the future")


def _merge_duplicates(
    df: pd.DataFrame,
    date_col: str,
    passes: list[tuple[str | None, list[str], list[str]]],
    exclude: np.ndarray | None = None,
    key_numbers: np.ndarray | None = None,
) -> tuple[pd.DataFrame, int]:
    """Drop duplicates, keeping the most complete copy of each; return (kept, n merged).

    ``passes`` are ``(required column or None, key columns, conflict columns)``:
    rows that have the required column and share the keys are one record,
    unless a conflict column holds two different values in the group.
    ``df`` is a private working frame: its columns are released as the kept
    rows are taken (it is empty afterwards unless nothing was dropped).

    Rows are ranked most complete first (then by position). Duplicates of any
    kind share the customer and the day, so every comparison after the first
    is made among the few rows whose (customer, day) occurs more than once;
    the frame itself is never reordered. Rows flagged in ``exclude`` (the
    rejected ones) take no part and are left out of the result, so that the
    frame is filtered once.
    """
    if df.empty:
        return df, 0
    if exclude is not None and exclude.all():
        return df.iloc[:0], 0
    n = len(df)
    day = df[date_col].dt.normalize()
    has_time = (df[date_col] != day).fillna(False).to_numpy(dtype=bool)
    score = 2 * df.notna().sum(axis=1).to_numpy() + has_time
    order = np.argsort(-score.astype("int32"), kind="stable")
    if exclude is not None:
        order = order[~exclude[order]]
    if "customer_key" in df.columns:
        if key_numbers is None:
            key_numbers = _key_numbers(df["customer_key"])
        # one int64 per (customer, day); a hash collision only adds candidates
        with np.errstate(over="ignore"):
            pair = key_numbers * np.int64(1_000_003) + day.to_numpy().view("int64")
        near = pd.Series(pair).duplicated(keep=False).to_numpy()
    else:
        near = np.ones(n, dtype=bool)
    order_near = order[near[order]]
    drop = np.zeros(n, dtype=bool)
    exact = df.iloc[order_near].duplicated().to_numpy()
    drop[order_near[exact]] = True
    for need, keys, conflicts in passes:
        keys = [k if k != date_col else "_day" for k in keys]
        pos = order_near if {"customer_key", "_day"} <= set(keys) else order
        live = ~drop[pos]
        if need is not None:
            live &= df[need].notna().to_numpy()[pos]
        cols = {}
        for k in dict.fromkeys([*keys, *conflicts]):
            src = day if k == "_day" else df[k]
            cols[k] = src.iloc[pos].reset_index(drop=True)
        cand = pd.DataFrame(cols)
        live &= cand[keys].notna().all(axis=1).to_numpy()
        cand, pos = cand[live], pos[live]
        twin = cand.duplicated(subset=keys, keep=False).to_numpy()
        cand, pos = cand[twin], pos[twin]
        if cand.empty:
            continue
        ok = np.ones(len(cand), dtype=bool)
        for c in conflicts:
            nun = cand.groupby(keys, sort=False, dropna=False)[c].transform("nunique")
            ok &= (nun <= 1).to_numpy()
        cand, pos = cand[ok], pos[ok]
        drop[pos[cand.duplicated(subset=keys).to_numpy()]] = True
    keep = ~drop if exclude is None else ~drop & ~exclude
    if keep.all():
        return df, int(drop.sum())
    # column by column, releasing each source column once taken: the peak
    # memory is one frame plus one column, not two frames
    where = np.flatnonzero(keep)
    parts = {}
    for col in list(df.columns):
        parts[col] = df[col].iloc[where]
        del df[col]
    kept = pd.DataFrame(parts, index=parts[next(iter(parts))].index if parts else None)
    return kept, int(drop.sum())


def _finish(
    kind: str,
    raw: pd.DataFrame,
    rows: np.ndarray,
    out: pd.DataFrame,
    reasons: pd.Series,
    columns: dict[str, str],
    date_col: str,
    passes,
    notes: dict[str, int],
    extras: list[str],
    key_numbers: np.ndarray | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, CleanSummary, int]:
    bad = reasons.notna()
    where_bad = np.flatnonzero(bad.to_numpy())
    rejected = raw.iloc[where_bad].reset_index(drop=True)
    rejected["row"] = rows[where_bad]
    rejected["reason"] = reasons.iloc[where_bad].astype("str").to_numpy()
    kept, merged = _merge_duplicates(
        out, date_col, passes, exclude=bad.to_numpy(dtype=bool), key_numbers=key_numbers
    )
    summary = CleanSummary(
        kind=kind,
        rows_read=len(raw),
        rows_kept=len(kept),
        rows_rejected=int(bad.sum()),
        duplicates_merged=merged,
        rejected_by_reason={
            str(k): int(v) for k, v in reasons[bad].value_counts().items()
        },
        encoding=raw.attrs.get("pondstats", {}).get("encoding"),
        notes=notes,
    )
    log.info("%s", summary)
    return kept, rejected, summary, merged


def _extras(df: pd.DataFrame, known: set[str]) -> list[str]:
    return [c for c in df.columns if c not in known]


def _clean_extras(df: pd.DataFrame, out: pd.DataFrame, extras: list[str]) -> None:
    for c in extras:
        s = df[c]
        out[c] = (
            normalize_text(s)
            if (s.dtype == object or pd.api.types.is_string_dtype(s.dtype))
            else s
        )


# ---------------------------------------------------------------------------
# visits
# ---------------------------------------------------------------------------


def _visit_numbers(kept: pd.DataFrame, codes: np.ndarray) -> np.ndarray:
    """1, 2, ... per customer_key by visit date (then row order): int codes, no string sort."""
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
    df, rows = _start(raw, kind)
    _require(raw, schema.VISIT_REQUIRED, kind, schema.VISIT_ALIASES)
    today_ts = _today(today)
    notes: dict[str, int] = {}
    out = pd.DataFrame(index=df.index)
    phone, key = _customer(df, notes)
    out["visit_id"] = _text_col(df, "visit_id")
    out["customer_key"] = key
    out["name"] = _text_col(df, "name")
    out["phone"] = phone
    del phone, key  # held by ``out`` only: released when the kept rows are taken
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
    out["_neither"] = neither.where(neither)
    passes[2] = ("_neither", ["customer_key", "visit_date"], [])
    key_numbers = _key_numbers(out["customer_key"])
    kept, rejected, summary, _ = _finish(
        kind,
        raw,
        rows,
        out,
        reasons,
        schema.VISIT_COLUMNS,
        "visit_date",
        passes,
        notes,
        extras,
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
    the summary), duplicates merged by order number, or by customer + day +
    consultant/store when the order numbers do not conflict.

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
    """
    kind = "deposits"
    df, rows = _start(raw, kind)
    _require(raw, schema.DEPOSIT_REQUIRED, kind, schema.DEPOSIT_ALIASES)
    today_ts = _today(today)
    notes: dict[str, int] = {}
    out = pd.DataFrame(index=df.index)
    phone, key = _customer(df, notes)
    out["deposit_id"] = _text_col(df, "deposit_id")
    out["customer_key"] = key
    out["name"] = _text_col(df, "name")
    out["phone"] = phone
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
    out["_neither"] = neither.where(neither)
    passes = [
        ("deposit_id", ["deposit_id"], []),
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
        schema.DEPOSIT_COLUMNS,
        "deposit_date",
        passes,
        notes,
        extras,
    )
    kept = kept.drop(columns="_neither")
    cols = list(schema.DEPOSIT_COLUMNS) + extras
    data = kept[cols].astype(schema.DEPOSIT_COLUMNS)
    return Cleaned(data.reset_index(drop=True), rejected, summary)


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
        rejected_by_reason={
            str(k): int(v) for k, v in reasons[bad].value_counts().items()
        },
        encoding=raw.attrs.get("pondstats", {}).get("encoding"),
    )
    return Cleaned(
        data.reset_index(drop=True), rejected.reset_index(drop=True), summary
    )
