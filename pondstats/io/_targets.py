"""Reading monthly C-card targets (quotas) per region, store or consultant."""

from __future__ import annotations

import re
import unicodedata
import warnings

import numpy as np
import pandas as pd

from pondstats import schema
from pondstats.errors import DataQualityWarning, InputError
from pondstats.io._read import PathOrBuffer, read_table

__all__ = ["read_targets"]

_MONTH = re.compile(
    r"^(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月)?(?:[-/.]?\d{1,2}日?)?(?:[\sT].*)?$"
    r"|^(\d{4})(\d{2})$"
)
_NUMBER = re.compile(r"^[+]?\d+(?:\.\d+)?$")
_UNITS = re.compile(r"(台|辆|组|个|单|张)$")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_EMPTY = {"", "-", "--", "无", "nan", "none", "null", "请选择", "/"}


def _text(s: pd.Series) -> pd.Series:
    return s.map(
        lambda x: None if x is None or (isinstance(x, float) and np.isnan(x))
        else unicodedata.normalize("NFKC", str(x)).strip()
    )  # fmt: skip


def _blank(cell: object) -> bool:
    return not isinstance(cell, str) or cell.lower() in _EMPTY


def _month(cell: object) -> pd.Period | None:
    if _blank(cell):
        return None
    m = _MONTH.match(cell)
    if m:
        year, month = (
            int(g) for g in (m.groups()[:2] if m.group(1) else m.groups()[2:])
        )
        if 1 <= month <= 12:
            return pd.Period(year=year, month=month, freq="M")
    if _NUMBER.match(cell) and 20000 < float(cell) < 80000:  # an Excel serial date
        return (_EXCEL_EPOCH + pd.Timedelta(days=float(cell))).to_period("M")
    return None


def _number(cell: object) -> float | None:
    if _blank(cell):
        return None
    t = _UNITS.sub("", cell.replace(",", "").replace(" ", ""))
    return float(t) if _NUMBER.match(t) or re.match(r"^-\d+(\.\d+)?$", t) else None


def read_targets(
    path: PathOrBuffer,
    *,
    column_map: dict[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read monthly C-card targets: per region, store or consultant (or in all).

    Headers in Chinese or English are recognised (``区域``/``门店``/``销售顾问``,
    ``月份``, ``目标``/``任务``/``C卡目标``/``target``/``quota`` ...); months as
    ``2026-10``, ``2026/10``, ``2026年10月``, a date or an Excel serial;
    targets as numbers, with ``台``/``辆`` and thousands separators allowed.

    Parameters
    ----------
    path : path or file-like
        A CSV or Excel file.
    column_map : dict, optional
        Header -> canonical name (``region``, ``store``, ``consultant``,
        ``month``, ``target``) for headers not recognised.
    encoding : str, optional
        Text encoding of a CSV (detected when None).
    sheet : str or int, optional
        Excel sheet.

    Returns
    -------
    DataFrame
        The group column(s) found, ``month`` (``period[M]``) and ``target``
        (float). Rows without a month, a target or a group are rejected with
        a :class:`~pondstats.DataQualityWarning` naming their rows; they are
        in ``attrs["rejected"]`` with a ``reason``. Exact duplicate rows are
        merged.

    Raises
    ------
    InputError
        No month or target column; two different targets for the same group
        and month (the message names them).

    Examples
    --------
    >>> import io
    >>> import pondstats as ps
    >>> f = io.BytesIO("区域,月份,C卡目标（台）\\n东湖区,2026年10月,32台\\n西江区,2026-10,28\\n".encode())
    >>> ps.read_targets(f)
      region    month  target
    0    东湖区  2026-10    32.0
    1    西江区  2026-10    28.0
    """
    raw = read_table(
        path,
        aliases=schema.TARGET_ALIASES,
        required=("month", "target"),
        column_map=column_map,
        encoding=encoding,
        sheet=sheet,
        kind="targets",
    )
    levels = [c for c in ("region", "store", "consultant") if c in raw.columns]
    out = pd.DataFrame(index=raw.index)
    reason = np.full(len(raw), None, dtype=object)

    def reject(mask, why: str) -> None:
        reason[np.asarray(mask) & (reason == None)] = why  # noqa: E711

    for c in levels:
        t = _text(raw[c])
        blank = np.array([_blank(x) for x in t])
        out[c] = t.where(~blank, None)
        reject(blank, f"no {c}")
    month_text = _text(raw["month"]).tolist()
    target_text = _text(raw["target"]).tolist()
    out["month"] = pd.PeriodIndex([_month(x) for x in month_text], freq="M")
    out["target"] = np.array([_number(x) for x in target_text], dtype="float64")
    reject([_blank(x) for x in month_text], "no month")
    reject(out["month"].isna(), "unparseable month")
    reject([_blank(x) for x in target_text], "no target")
    reject(out["target"].isna(), "unparseable target")
    reject(out["target"] < 0, "negative target")
    reason = pd.Series(reason, index=raw.index)
    bad = reason.notna().to_numpy()
    rejected = raw[bad].copy()
    rejected["row"] = raw.index[bad]
    rejected["reason"] = reason[bad].astype("str").to_numpy()
    if bad.any():
        shown = ", ".join(f"row {r}: {why}" for r, why in
                          zip(rejected["row"][:8], rejected["reason"][:8], strict=True))  # fmt: skip
        warnings.warn(
            f"{int(bad.sum())} target row(s) rejected ({shown}"
            f"{', ...' if bad.sum() > 8 else ''}); see .attrs['rejected']. Fill in "
            "the month and the target of those rows.",
            DataQualityWarning,
            stacklevel=2,
        )
    good = out[~bad].drop_duplicates()
    keys = [*levels, "month"]
    clash = good.duplicated(keys, keep=False)
    if clash.any():
        c = good[clash].sort_values(keys)
        listed = "; ".join(
            " ".join(str(v) for v in row)
            for row in c[[*keys, "target"]].head(6).itertuples(index=False)
        )
        raise InputError(
            f"the targets file gives different targets for the same {'/'.join(keys)}: "
            f"{listed}. Keep one row per {'/'.join(keys)}."
        )
    good = good.astype({c: "str" for c in levels}).reset_index(drop=True)
    good.attrs = {"rejected": rejected.reset_index(drop=True),
                  "source": raw.attrs.get("pondstats", {})}  # fmt: skip
    return good
