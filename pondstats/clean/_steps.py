"""The steps that clean_visits, clean_deposits and clean_spend share.

Reading the customer from phone / landline / customer id, collecting the
reasons a row is rejected, and finishing a table: rejected rows, duplicates
merged, the :class:`CleanSummary` that accounts for every row.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

import numpy as np
import pandas as pd

from pondstats import schema
from pondstats.clean._dates import impossible_time
from pondstats.clean._dedupe import merge_duplicates
from pondstats.clean._normalize import (
    _as_text,
    _strip,
    normalize_phone,
    normalize_text,
)
from pondstats.clean._summary import CleanSummary
from pondstats.dates import parse_day
from pondstats.errors import InputError

log = logging.getLogger(__name__)

TodayLike = str | date | datetime | pd.Timestamp | None

REASON_NO_ID = (
    "no way to identify the customer (no valid phone, landline or customer id)"
)


def _today(today: TodayLike) -> pd.Timestamp:
    if today is None:
        return pd.Timestamp.now().normalize()
    return parse_day(today, name="today")


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


def _begin(
    raw: pd.DataFrame, kind: str, today: TodayLike
) -> tuple[pd.DataFrame, np.ndarray, pd.Timestamp, dict[str, int], pd.DataFrame]:
    """The first steps of clean_visits / clean_deposits.

    Checks the input and its required columns, reads ``today`` and starts the
    output with the record id, ``customer_key``, ``name`` and ``phone``.
    Returns ``(df, rows, today, notes, out)``.
    """
    required, aliases = {
        "visits": (schema.VISIT_REQUIRED, schema.VISIT_ALIASES),
        "deposits": (schema.DEPOSIT_REQUIRED, schema.DEPOSIT_ALIASES),
    }[kind]
    df, rows = _start(raw, kind)
    _require(raw, required, kind, aliases)
    today_ts = _today(today)
    notes: dict[str, int] = {}
    out = pd.DataFrame(index=df.index)
    phone, key = _customer(df, notes)
    id_col = "visit_id" if kind == "visits" else "deposit_id"
    out[id_col] = _text_col(df, id_col)
    out["customer_key"] = key
    out["name"] = _text_col(df, "name")
    out["phone"] = phone
    return df, rows, today_ts, notes, out


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
    return _strip(_as_text(s)).notna()  # vectorised, no unique-value mapping


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
    if not {"phone", "customer_id", "customer_key"} & set(df.columns):
        raise InputError(
            "cannot tell the customers apart: the table has neither a phone nor a "
            f"customer id column. Columns found: {', '.join(map(str, df.columns))}. "
            "Phone headers accepted: " + ", ".join(schema.VISIT_ALIASES["phone"]) + "; "
            "customer id: " + ", ".join(schema.VISIT_ALIASES["customer_id"]) + ". "
            "Map yours with column_map={'<your header>': 'phone'} when reading."
        )
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
    if present.any():  # 24:30, 25:00: a time that does not exist, never rolled over
        impossible = pd.Series(False, index=raw_col.index)
        impossible[present] = impossible_time(raw_col[present]).to_numpy()
        _reject(reasons, impossible, f"impossible time of day in {what} (e.g. 24:30)")
    _reject(reasons, present, f"unparseable {what}")
    _reject(reasons, parsed.dt.normalize() > today, f"{what} in the future")


def _finish(
    kind: str,
    raw: pd.DataFrame,
    rows: np.ndarray,
    out: pd.DataFrame,
    reasons: pd.Series,
    date_col: str,
    passes,
    notes: dict[str, int],
    key_numbers: np.ndarray | None = None,
    priority: np.ndarray | None = None,
    conflicts: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame, CleanSummary, int]:
    bad = reasons.notna()
    where_bad = np.flatnonzero(bad.to_numpy())
    rejected = raw.iloc[where_bad].reset_index(drop=True)
    rejected["row"] = rows[where_bad]
    rejected["reason"] = reasons.iloc[where_bad].astype("str").to_numpy()
    kept, merged = merge_duplicates(
        out,
        date_col,
        passes,
        exclude=bad.to_numpy(dtype=bool),
        key_numbers=key_numbers,
        priority=priority,
    )
    summary = CleanSummary(
        kind=kind,
        rows_read=len(raw),
        rows_kept=len(kept),
        rows_rejected=int(bad.sum()),
        duplicates_merged=merged,
        rejected_by_reason={str(k): int(v) for k, v in _by_count(reasons[bad])},
        encoding=raw.attrs.get("pondstats", {}).get("encoding"),
        notes=notes,
        conflicts=conflicts,
    )
    log.info("%s", summary)
    return kept, rejected, summary, merged


def _by_count(reasons: pd.Series) -> list[tuple[str, int]]:
    """(reason, rows), most frequent first, ties in alphabetical order."""
    counts = reasons.value_counts().sort_index()
    return list(counts.sort_values(ascending=False, kind="stable").items())


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
