"""Reading Excel workbooks: the sheet that holds the table, encrypted workbooks
and zip archives that are not workbooks. Used by :mod:`pondstats.io._read`.
"""

from __future__ import annotations

import importlib.util
import io as _io
import warnings
import zipfile
from collections.abc import Mapping

import pandas as pd

from pondstats.errors import DataQualityWarning, InputError
from pondstats.io._headers import dedupe_names, find_header, normalize_header
from pondstats.io._sniff import HEADER_SEARCH_ROWS, show_names


def _check_workbook(data: bytes, fmt: str, name: str) -> None:
    """InputError for a password-protected workbook or a zip that is not one."""
    if fmt == "xls" and "EncryptedPackage".encode("utf-16-le") in data:
        raise InputError(
            f"{name!r} is a password-protected (encrypted) Excel workbook, which "
            "cannot be read. Open it in Excel with the password, remove the "
            "protection (File > Info > Protect Workbook) and save it as .xlsx."
        )
    if fmt == "xlsx":
        try:
            names = zipfile.ZipFile(_io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return  # a damaged workbook: the Excel reader says so
        if "xl/workbook.xml" not in names and not any(
            n.endswith("workbook.xml") for n in names
        ):
            shown = show_names(names, 5)
            raise InputError(
                f"{name!r} is a zip archive, not an Excel workbook (it holds {shown}). "
                "Unzip it and read the CSV or Excel export inside."
            )


def excel_engine(fmt: str) -> str:
    """The pandas engine that reads workbooks of ``fmt`` ("xlsx" or "xls").

    ``calamine`` (the ``python-calamine`` package, a pondstats dependency)
    reads both, several times faster than ``openpyxl``; without it, .xlsx
    falls back to ``openpyxl`` and .xls to ``xlrd``.
    """
    if importlib.util.find_spec("python_calamine") is not None:
        return "calamine"
    return "openpyxl" if fmt == "xlsx" else "xlrd"


def _excel_grid(data: bytes, engine: str, sheet: str | int, name: str) -> pd.DataFrame:
    try:
        return pd.read_excel(
            _io.BytesIO(data), sheet_name=sheet, header=None, dtype=str, engine=engine
        )
    except ImportError:
        raise InputError(
            f"{name!r} is an old-style .xls workbook, which needs the xlrd package: "
            "`pip install xlrd`, or open it in Excel and save it as .xlsx."
        ) from None
    except (ValueError, KeyError) as exc:
        raise InputError(
            f"cannot read sheet {sheet!r} of {name!r} ({exc}). Give sheet= as a sheet "
            "name or a 0-based position."
        ) from None
    except Exception as exc:  # corrupt zip, not really a workbook, ...
        raise InputError(
            f"{name!r} looks like an Excel file but cannot be opened ({type(exc).__name__}: "
            f"{exc}). Re-export it from the DMS or save it again from Excel as .xlsx."
        ) from None


def _sheet_names(data: bytes, engine: str) -> list[str]:
    try:
        with pd.ExcelFile(_io.BytesIO(data), engine=engine) as book:
            return [str(x) for x in book.sheet_names]
    except Exception:  # the grid reader reports the problem
        return []


def _grid_score(grid: pd.DataFrame, lookup: Mapping[str, str]) -> tuple[int, int]:
    """(header position, number of known headers on it) of a sheet's grid."""
    grid = grid.dropna(how="all")
    if grid.empty:
        return 0, 0
    top = grid.head(HEADER_SEARCH_ROWS).astype(object)
    top = top.where(top.notna(), None).values.tolist()
    header = find_header(top, lookup)
    cells = [normalize_header(c) for c in top[header] if c is not None]
    return header, len({lookup[c] for c in cells if c in lookup})


def _read_excel_bytes(
    data: bytes,
    fmt: str,
    sheet: str | int | None,
    lookup: Mapping[str, str],
    name: str,
    *,
    required: tuple[str, ...] = (),
    kind: str = "table",
) -> tuple[pd.DataFrame, int]:
    _check_workbook(data, fmt, name)
    engine = excel_engine(fmt)
    grid = _excel_grid(data, engine, 0 if sheet is None else sheet, name)
    used = sheet
    if sheet is None:
        # the table may be on another sheet (a cover or notes sheet first)
        need = set(required)
        first_ok = _grid_score(grid, lookup)[1] > 0
        names = _sheet_names(data, engine)
        if len(names) > 1:
            top = grid.dropna(how="all").head(HEADER_SEARCH_ROWS).astype(object)
            found = {
                lookup.get(normalize_header(c))
                for row in top.values.tolist()
                for c in row
                if not pd.isna(c)
            }
            if not first_ok or not need <= found:
                for pos, other in enumerate(names[1:], start=1):
                    g = _excel_grid(data, engine, pos, name)
                    h, score = _grid_score(g, lookup)
                    cells = g.dropna(how="all").head(HEADER_SEARCH_ROWS)
                    cells = cells.astype(object).values.tolist()
                    header_cells = {
                        lookup.get(normalize_header(c))
                        for c in (cells[h] if cells else [])
                        if not pd.isna(c)
                    }
                    if score and need <= header_cells:
                        warnings.warn(
                            f"{name!r}: the first sheet ({names[0]!r}) has no {kind} "
                            f"table; read sheet {other!r} (sheet {pos + 1} of "
                            f"{len(names)}) instead.",
                            DataQualityWarning,
                            stacklevel=4,
                        )
                        grid, used = g, other
                        break
    grid = grid.dropna(how="all")
    if grid.empty:
        raise InputError(f"{name!r} has no table (the sheet is empty).")
    top = (
        grid.head(HEADER_SEARCH_ROWS)
        .astype(object)
        .where(grid.head(HEADER_SEARCH_ROWS).notna(), None)
    )
    header_pos = find_header(top.values.tolist(), lookup)
    header_label = grid.index[header_pos]
    columns = [
        f"Unnamed: {j}" if pd.isna(c) else str(c).strip()
        for j, c in enumerate(grid.loc[header_label])
    ]
    body = grid.loc[grid.index > header_label].copy()
    body.columns = dedupe_names(columns)
    body = body.dropna(how="all")
    body.index = body.index + 1  # sheet rows are 1-based
    body.attrs["sheet"] = used if used is not None else 0
    return body, int(header_label)
