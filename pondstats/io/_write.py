"""Writing tables for people: CSV and Excel with spreadsheet formulas neutralised."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path

import numpy as np
import pandas as pd

from pondstats.errors import InputError

__all__ = ["neutralize_formulas", "write_table"]


_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^-+$")


def _risky(text: pd.Series) -> pd.Series:
    return text.str.contains(_FORMULA_START, na=False) & ~text.str.fullmatch(
        _PLAIN_NUMBER, na=False
    )


def _safe_name(name: object) -> object:
    risky = isinstance(name, str) and _FORMULA_START.match(name)
    if risky and not _PLAIN_NUMBER.fullmatch(name):
        return "'" + name
    return name


def _safe_column(s: pd.Series) -> pd.Series:
    if isinstance(s.dtype, pd.CategoricalDtype):
        cats = s.cat.categories
        if cats.dtype == object or pd.api.types.is_string_dtype(cats.dtype):
            safe = [_safe_name(c) for c in cats]
            if safe != list(cats):
                if len(set(safe)) == len(safe):
                    return s.cat.rename_categories(safe)
                return _safe_column(s.astype(object))
        return s
    if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
        return s
    if s.dtype == object:
        is_text = s.map(lambda v: isinstance(v, str), na_action="ignore")
        text = s.where(is_text.fillna(False).astype(bool)).astype("str")
    else:
        text = s
    risky = _risky(text)
    if not risky.any():
        return s
    out = s.astype(object).where(~risky, "'" + text)
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        out = out.astype(s.dtype)
    return out


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'``.

    Text starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return)
    gets a leading apostrophe, unless it is a plain number such as ``-5`` (or a
    bare dash placeholder ``-``). Column headers, the index and the
    categories of categorical columns are protected too (an export column
    named ``=HYPERLINK(...)`` is written as text). Numeric, date and boolean
    columns are not text and are left alone. The input is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.io import neutralize_formulas
    >>> df = pd.DataFrame({"note": ["=HYPERLINK(1)", "@SUM(A1)", "-5", "ok"], "n": [-1, 2, 3, 4]})
    >>> neutralize_formulas(df)["note"].tolist()
    ["'=HYPERLINK(1)", "'@SUM(A1)", '-5', 'ok']
    >>> neutralize_formulas(pd.DataFrame({"=cmd|' /C calc'!A0": ["x"]})).columns.tolist()
    ["'=cmd|' /C calc'!A0"]
    """
    out = df.copy()
    for j in range(out.shape[1]):
        col = out.iloc[:, j]
        safe = _safe_column(col)
        if safe is not col:
            out.isetitem(j, safe)
    if isinstance(out.columns, pd.MultiIndex):
        out.columns = pd.MultiIndex.from_tuples(
            [tuple(_safe_name(x) for x in t) for t in out.columns],
            names=out.columns.names,
        )
    else:
        out.columns = [_safe_name(c) for c in out.columns]
    if isinstance(out.index, pd.MultiIndex):
        out.index = pd.MultiIndex.from_tuples(
            [tuple(_safe_name(x) for x in t) for t in out.index],
            names=[_safe_name(n) for n in out.index.names],
        )
    elif out.index.dtype == object or pd.api.types.is_string_dtype(out.index.dtype):
        out.index = pd.Index(
            [_safe_name(x) for x in out.index], name=_safe_name(out.index.name)
        )
    else:
        out.index = out.index.rename(_safe_name(out.index.name))
    return out


def _json_value(obj: object) -> object:
    if isinstance(obj, (dt.date, dt.datetime)):  # pd.Timestamp too
        return obj.isoformat()
    if isinstance(obj, (pd.Period, pd.Timedelta, dt.timedelta)):
        return str(obj)
    if isinstance(obj, np.generic):
        return obj.item()
    raise TypeError(type(obj).__name__)


def _parquet_attrs(attrs: dict) -> dict:
    """The ``attrs`` a parquet file can keep (pandas stores them as JSON).

    Dates and periods become ISO text, numpy numbers plain numbers; an entry
    holding anything else JSON cannot store is left out (a call list's
    ``as_of`` Timestamp would otherwise fail the whole write).
    """
    out = {}
    for key, value in attrs.items():
        try:
            out[str(key)] = json.loads(json.dumps(value, default=_json_value))
        except (TypeError, ValueError):
            continue
    return out


def write_table(
    df: pd.DataFrame, path: str | os.PathLike, *, index: bool = False
) -> Path:
    """Write a table to ``.csv`` (UTF-8 with BOM), ``.xlsx`` or ``.parquet``.

    CSV and Excel cells are protected against formula injection (see
    :func:`neutralize_formulas`); CSV is written with a byte-order mark so that
    Excel shows Chinese text correctly. Parquet keeps the data exactly, and
    the table's ``attrs`` where JSON can hold them (dates as ISO text, e.g.
    a call list's ``as_of``; other objects are left out).

    Returns
    -------
    Path
        The path written.

    Examples
    --------
    >>> import pandas as pd, tempfile, pathlib
    >>> from pondstats.io import write_table
    >>> df = pd.DataFrame({"name": ["=1+1", "张三"], "n": [1, 2]})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = write_table(df, pathlib.Path(d) / "t.csv")
    ...     p.read_bytes()[:3], p.read_text(encoding="utf-8-sig").splitlines()[1]
    (b'\\xef\\xbb\\xbf', "'=1+1,1")
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".parquet"):
        raise InputError(
            f"cannot write {str(path)!r}: expected a .csv, .xlsx or .parquet file name, "
            f"got {suffix or 'no extension'!r}."
        )
    if suffix == ".parquet":
        frame = df.copy(deep=False)
        frame.attrs = _parquet_attrs(df.attrs)
        frame.to_parquet(path, index=index)
        return path
    safe = neutralize_formulas(df)
    if suffix == ".csv":
        # CRLF rows, so a carriage return inside a cell is quoted (with "\n" rows
        # a lone "\r" is not, and the text after it becomes a cell of its own)
        safe.to_csv(path, index=index, encoding="utf-8-sig", lineterminator="\r\n")
    else:
        if isinstance(safe.columns, pd.MultiIndex) and not index:
            safe.columns = [" ".join(map(str, t)) for t in safe.columns]
        safe.to_excel(path, index=index)
    return path
