"""Writing tables for people: CSV and Excel with spreadsheet formulas neutralised."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from pondstats.errors import InputError

__all__ = ["neutralize_formulas", "write_table"]


_FORMULA_START = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^-+$")


def neutralize_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with ``'``.

    Text starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return)
    gets a leading apostrophe, unless it is a plain number such as ``-5`` (or a
    bare dash placeholder ``-``).
    Numeric, date and boolean columns are not text and are left alone. The
    input is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.io import neutralize_formulas
    >>> df = pd.DataFrame({"note": ["=HYPERLINK(1)", "@SUM(A1)", "-5", "ok"], "n": [-1, 2, 3, 4]})
    >>> neutralize_formulas(df)["note"].tolist()
    ["'=HYPERLINK(1)", "'@SUM(A1)", '-5', 'ok']
    """
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if not (pd.api.types.is_string_dtype(s.dtype) or s.dtype == object):
            continue
        if s.dtype == object:
            is_text = s.map(lambda v: isinstance(v, str), na_action="ignore")
            text = s.where(is_text.fillna(False).astype(bool)).astype("str")
        else:
            text = s
        risky = text.str.contains(_FORMULA_START, na=False) & ~text.str.fullmatch(
            _PLAIN_NUMBER, na=False
        )
        if risky.any():
            out[col] = s.astype(object).where(~risky, "'" + text)
            if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
                out[col] = out[col].astype(s.dtype)
    return out


def write_table(
    df: pd.DataFrame, path: str | os.PathLike, *, index: bool = False
) -> Path:
    """Write a table to ``.csv`` (UTF-8 with BOM), ``.xlsx`` or ``.parquet``.

    CSV and Excel cells are protected against formula injection (see
    :func:`neutralize_formulas`); CSV is written with a byte-order mark so that
    Excel shows Chinese text correctly. Parquet keeps the data exactly.

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
        df.to_parquet(path, index=index)
        return path
    safe = neutralize_formulas(df)
    if suffix == ".csv":
        safe.to_csv(path, index=index, encoding="utf-8-sig")
    else:
        safe.to_excel(path, index=index)
    return path
