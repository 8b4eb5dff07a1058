"""Reading dealer exports and writing tables: the only module that touches files.

Exports from dealer management systems (DMS) and CRMs arrive as CSV (often GBK
from Excel's "save as CSV" on Chinese Windows) or Excel, with a title line or
two above the header, and Chinese or English headers. The ``read_*`` functions

* detect the encoding safely: a byte-order mark (UTF-8, UTF-16: Excel's
  "Unicode Text"), then strict UTF-8, then strict GB18030 (a superset of GBK),
  told apart from Big5 (traditional Chinese) by which decoding reads as common
  characters, or refused when both are plausible; nothing is guessed
  silently, the encoding used is logged and stored in
  ``df.attrs["pondstats"]["encoding"]``;
* tell the delimiter (comma, tab, semicolon, ``|``) from the header row;
* find the header row under title lines and note blocks (the row among the
  first 200 whose cells match the most known header aliases);
* read Excel workbooks from the first sheet, or from the one sheet that has
  the table when the first has none (with a warning that says so);
* map header aliases (:data:`pondstats.schema.VISIT_ALIASES` and friends) to the
  canonical column names; ``column_map`` maps anything else;
* keep every column (unknown ones under their own header) and read every cell as
  text, so that cleaning sees what the export says. The index holds the source
  row number (``row``, 1-based as a spreadsheet shows it).
"""

from __future__ import annotations

import codecs
import io as _io
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import IO

import pandas as pd

from pondstats import schema
from pondstats.errors import InputError
from pondstats.io import _arrow as _io_arrow
from pondstats.io._excel import _read_excel_bytes, _sheet_names, excel_engine
from pondstats.io._headers import (
    alias_lookup,
    find_header,
    normalize_header,
)
from pondstats.io._sniff import (
    _check_lines,
    _chinese_encoding,
    _sniff_delimiter,
    show_names,
)

__all__ = [
    "normalize_header",
    "read_table",
    "read_visits",
    "read_deposits",
    "read_spend",
]

log = logging.getLogger(__name__)

PathOrBuffer = str | os.PathLike | IO[bytes] | IO[str]


_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)

# ---------------------------------------------------------------------------
# bytes -> text -> cells
# ---------------------------------------------------------------------------


def _read_bytes(source: PathOrBuffer) -> tuple[bytes | str, str]:
    """The raw content and a display name; InputError for a missing file."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.exists():
            raise InputError(
                f"file not found: {str(path)!r}. Check the path (the current "
                f"directory is {os.getcwd()!r})."
            )
        if path.is_dir():
            raise InputError(
                f"{str(path)!r} is a directory; give the export file itself."
            )
        return path.read_bytes(), str(path)
    if hasattr(source, "read"):
        data = source.read()
        return data, str(getattr(source, "name", "<file-like object>"))
    raise InputError(
        f"expected a path or an open file, got {type(source).__name__}. "
        "Pass the file name of the export, e.g. read_visits('visits.csv')."
    )


def _sniff_format(data: bytes, name: str) -> str:
    """'xlsx', 'xls' or 'csv' from the content (not the file name)."""
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "xls"
    head = data[:4096]
    if head.startswith(b"%PDF"):
        kind = "a PDF document"
    elif any(head.startswith(b) for b, _ in _BOMS[1:]):
        return "csv"  # UTF-16 text has NUL bytes: let the BOM decide
    elif b"\x00" in head:
        kind = "a binary file"
    elif head.lstrip()[:1] in (b"{", b"[") and (
        b'"FeatureCollection"' in head or b'"Feature"' in head or b'"geometry"' in head
    ):
        raise InputError(
            f"{name!r} is a GeoJSON map (zones), not a table export of rows. Give "
            "it as the zones file (read_zones / --zones) and read the visits or "
            "deposits from their CSV or Excel export."
        )
    elif (
        head.lstrip()[:512]
        .lower()
        .startswith((b"<!doctype html", b"<html", b"<table", b"<?xml"))
    ):
        raise InputError(
            f"{name!r} is an HTML/XML page, not a CSV or Excel export (some systems save web "
            "tables under an .xls name). Open it in Excel and save it as .xlsx, or export CSV."
        )
    else:
        return "csv"
    raise InputError(
        f"{name!r} is {kind}, not a CSV or Excel export. Export the table from "
        "the DMS as CSV or Excel (.xlsx) and read that file."
    )


def _decode(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    """Decode strictly; return (text, encoding used)."""
    if encoding is not None:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise InputError(
                f"{name!r} cannot be decoded as {encoding!r} ({exc}). Leave "
                "encoding=None to detect it, or give the right one, e.g. "
                "encoding='gb18030' or encoding='utf-8'."
            ) from None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    enc = _chinese_encoding(data, name, gb_ok=text is not None)
    if enc == "gb18030" and text is not None:
        return text, enc
    if enc == "big5":
        try:
            return data.decode("big5"), "big5"
        except UnicodeDecodeError:
            pass
    raise InputError(
        f"cannot tell the text encoding of {name!r}: it is neither UTF-8 nor "
        "GBK/GB18030 (tried a byte-order mark, strict UTF-8, strict GB18030). "
        "Open it in Excel and save as 'CSV UTF-8', or pass the encoding, e.g. "
        "encoding='big5' or encoding='latin-1'."
    )


def _read_csv_text(
    text: str,
    lookup: Mapping[str, str],
    name: str,
    data: bytes | None = None,
    encoding: str | None = None,
) -> tuple[pd.DataFrame, int]:
    """Parse CSV ``text``; when the (already strictly decoded) ``data`` bytes are
    given, pandas parses those with ``encoding`` instead (faster, less memory)."""
    delimiter, top = _sniff_delimiter(text, lookup, name)
    header = find_header(top, lookup)
    if data is not None:
        source, options = _io.BytesIO(data), {"encoding": encoding}
    else:
        source, options = _io.StringIO(text), {}
    try:
        df = pd.read_csv(
            source,
            **options,
            skiprows=header,
            header=0,
            sep=delimiter,
            index_col=False,  # a trailing delimiter on every row is not an index
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError:
        raise InputError(f"{name!r} has no table (it is empty or blank).") from None
    except (pd.errors.ParserError, ValueError) as exc:
        detail = str(exc).strip()
        if len(detail) > 200:
            detail = detail[:200] + "..."
        raise InputError(
            f"{name!r} is not a readable CSV table ({detail}). Check that it is a "
            f"table export (cells separated by {delimiter!r}); for Excel files keep "
            "the .xlsx file."
        ) from None
    df = df.dropna(how="all")
    df.attrs["delimiter"] = delimiter
    return df, header


PREFIX_BYTES = 1 << 20


def _read_csv_fast(
    data: bytes, encoding: str | None, lookup: Mapping[str, str], name: str = "file"
) -> tuple[pd.DataFrame, int, str] | None:
    """The pyarrow path (:mod:`pondstats.io._arrow`), or None for the general one.

    Same encodings tried in the same order as :func:`_decode`, strictly; any
    file it declines (or that does not decode) goes the general way, which
    reads it or raises the usual error.
    """
    if encoding is not None:
        encodings = [encoding]
    else:
        bom = next((enc for b, enc in _BOMS if data.startswith(b)), None)
        encodings = [bom] if bom else ["utf-8", "gb18030"]
        if bom is None:
            try:
                codecs.getincrementaldecoder("utf-8")("strict").decode(
                    data[:PREFIX_BYTES], len(data) <= PREFIX_BYTES
                )
            except UnicodeDecodeError:  # GBK or Big5: told apart on the prefix
                chosen = _chinese_encoding(data, name)
                if chosen is None:
                    return None  # the general path raises the usual error
                encodings = [chosen]

    def find(text: str) -> tuple[int, list[list[str]], str]:
        _check_lines(text, name, len(data))
        delimiter, top = _sniff_delimiter(text, lookup, name)
        return find_header(top, lookup), top, delimiter

    try:
        return _io_arrow.read_csv_arrow(data, encodings, find)
    except (_io_arrow.EncodingFailed, LookupError):
        return None


# ---------------------------------------------------------------------------
# public readers
# ---------------------------------------------------------------------------


def read_table(
    source: PathOrBuffer,
    *,
    aliases: Mapping[str, tuple[str, ...]] | None = None,
    required: tuple[str, ...] = (),
    column_map: Mapping[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    kind: str = "table",
) -> pd.DataFrame:
    """Read a CSV or Excel export as text, with canonical column names.

    The generic reader behind :func:`read_visits`, :func:`read_deposits` and
    :func:`read_spend`; use it directly for other tables.

    Parameters
    ----------
    source : path or file-like
        A ``.csv``, ``.xlsx`` or ``.xls`` file (the format is told from the
        content, not the name), or an open binary/text file.
    aliases : mapping, optional
        Canonical name -> header names seen in exports.
    required : tuple of str
        Canonical columns that must be present after mapping.
    column_map : mapping, optional
        Header -> canonical name, for headers the alias tables do not know.
        Matching is on the normalised header (see :func:`normalize_header`).
    encoding : str, optional
        Text encoding of a CSV; detected when None.
    sheet : str or int, optional
        Excel sheet name or 0-based position (the first sheet by default).
    kind : str
        What the table is, for messages.

    Returns
    -------
    DataFrame
        Every cell as a string (missing where empty), canonical column names
        where known, unknown columns kept. The index (``row``) is the source
        row number. ``attrs["pondstats"]`` holds ``source``, ``format``,
        ``encoding``, ``header_row`` and ``columns`` (header -> column).

    Raises
    ------
    InputError
        Missing, empty or non-tabular file; undecodable text; missing
        required columns.

    Examples
    --------
    >>> import io
    >>> from pondstats.io import read_table
    >>> f = io.BytesIO("Leads export\\nLead,City\\n1,Select\\n".encode())
    >>> df = read_table(f, aliases={"region": ("city",)})
    >>> df.columns.tolist(), df.attrs["pondstats"]["encoding"], df.index.tolist()
    (['Lead', 'region'], 'utf-8', [3])
    """
    aliases = dict(aliases or {})
    data, name = _read_bytes(source)
    user_map = {normalize_header(k): v for k, v in (column_map or {}).items()}
    lookup = {**alias_lookup(aliases), **user_map}
    fast = None
    if isinstance(data, str):
        fmt, text, used = "csv", data, "str"
    else:
        if not data or data.isspace():
            raise InputError(
                f"{name!r} is empty (0 bytes of data). Export the table again."
            )
        fmt = _sniff_format(data, name)
        if fmt == "csv":
            fast = _read_csv_fast(data, encoding, lookup, name)
        if fast is not None:
            df, header, used = fast
            text = "fast"
        else:
            text, used = ("", None) if fmt != "csv" else _decode(data, name, encoding)
    if fast is not None:
        df.index = df.index + header + 2  # as the general path numbers them
    elif fmt == "csv":
        if not text or text.isspace():
            raise InputError(f"{name!r} is empty (no text). Export the table again.")
        _check_lines(text, name, len(data))
        if isinstance(data, bytes):  # validated: let pandas decode the bytes itself
            text = text[: 1 << 20]  # the header search needs only the top lines
            df, header = _read_csv_text(text, lookup, name, data, used)
        else:
            df, header = _read_csv_text(text, lookup, name)
        del text
        df.index = df.index + header + 2  # 1-based file line of each record
    else:
        df, header = _read_excel_bytes(
            data, fmt, sheet, lookup, name, required=required, kind=kind
        )
    delimiter = df.attrs.pop("delimiter", "," if fmt == "csv" else None)
    sheet_used = df.attrs.pop("sheet", None)
    df.index = pd.Index(df.index.astype("int64"), name="row")
    # a delimiter at the end of every row (and the header): an empty, unnamed column
    empty_unnamed = [
        c for c in df.columns if str(c).startswith("Unnamed: ") and df[c].isna().all()
    ]
    if empty_unnamed:
        df = df.drop(columns=empty_unnamed)

    rename: dict[str, str] = {}
    taken: set[str] = set()
    for col in df.columns:
        target = lookup.get(normalize_header(col))
        if (
            target is not None
            and target not in taken
            and target not in df.columns.difference([col])
        ):
            rename[col] = target
            taken.add(target)
        elif target is not None:
            log.warning(
                "%s: column %r also looks like %r; kept under its own name",
                name,
                col,
                target,
            )
    df = df.rename(columns=rename)
    df.columns = [str(c).strip() for c in df.columns]

    missing = [c for c in required if c not in df.columns]
    if missing:
        accepted = "; ".join(f"{c}: {', '.join(aliases.get(c, (c,)))}" for c in missing)
        example = ", ".join(f"'<your header>': '{c}'" for c in missing)
        hint = ""
        if fmt == "csv" and len(df.columns) == 1:
            hint = (
                " The file has one column only: its cells are not separated by a "
                "comma, tab, semicolon or '|'."
            )
        elif fmt != "csv":
            sheets = _sheet_names(data, excel_engine(fmt))
            if len(sheets) > 1:
                hint = (
                    f" The workbook has {len(sheets)} sheets ({show_names(sheets)}); "
                    f"this is sheet {sheet_used!r}: give sheet= to read another."
                )
        raise InputError(
            f"the {kind} file {name!r} has no column for {', '.join(missing)}. "
            f"Columns found: {show_names(df.columns)}.{hint} "
            f"Headers accepted: {accepted}. If the column is there under another "
            f"name, pass column_map={{{example}}}."
        )
    df.attrs["pondstats"] = {
        "kind": kind,
        "source": name,
        "format": fmt,
        "encoding": used,
        "header_row": header + 1,
        "columns": rename,
        "delimiter": delimiter,
        "sheet": sheet_used,
    }
    log.info(
        "read %s %r: %d rows, format %s, encoding %s, header on row %d",
        kind,
        name,
        len(df),
        fmt,
        used,
        header + 1,
    )
    return df


def read_visits(
    path: PathOrBuffer,
    *,
    column_map: Mapping[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a showroom-visit (A-card) export as text with canonical columns.

    Parameters
    ----------
    path : path or file-like
        CSV (any of UTF-8 with or without BOM, GBK/GB18030) or Excel export.
    column_map : mapping, optional
        Extra header -> canonical column mappings, e.g. ``{"接待日": "visit_date"}``.
    encoding : str, optional
        The text encoding, when detection is not wanted.
    sheet : str or int, optional
        The Excel sheet (the first by default).

    Returns
    -------
    DataFrame
        Raw text cells with canonical names (:data:`pondstats.schema.VISIT_ALIASES`),
        unknown columns kept, index ``row`` = source row; pass it to
        :func:`pondstats.clean_visits`.

    Examples
    --------
    >>> import io
    >>> import pondstats as ps
    >>> export = "来店登记表 2026年10月\\n客户姓名,联系电话,来店日期\\n张三,138 0013 8000,2026/10/3\\n"
    >>> raw = ps.read_visits(io.BytesIO(export.encode("gbk")))
    >>> raw.columns.tolist(), raw.attrs["pondstats"]["encoding"]
    (['name', 'phone', 'visit_date'], 'gb18030')
    """
    return read_table(
        path,
        aliases=schema.VISIT_ALIASES,
        required=schema.VISIT_REQUIRED,
        column_map=column_map,
        encoding=encoding,
        sheet=sheet,
        kind="visits",
    )


def read_deposits(
    path: PathOrBuffer,
    *,
    column_map: Mapping[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a deposit (C-card) export as text with canonical columns.

    Same options as :func:`read_visits`; aliases from
    :data:`pondstats.schema.DEPOSIT_ALIASES`.

    Examples
    --------
    >>> import io
    >>> import pondstats as ps
    >>> export = "订单号,手机,下订日期,订金（元）,订单状态\\nD1,13800138000,2026-10-05,5000,有效\\n"
    >>> ps.read_deposits(io.BytesIO(export.encode())).columns.tolist()
    ['deposit_id', 'phone', 'deposit_date', 'amount', 'status']
    """
    return read_table(
        path,
        aliases=schema.DEPOSIT_ALIASES,
        required=schema.DEPOSIT_REQUIRED,
        column_map=column_map,
        encoding=encoding,
        sheet=sheet,
        kind="deposits",
    )


def read_spend(
    path: PathOrBuffer,
    *,
    column_map: Mapping[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read a marketing-spend table (region, month, spend) as text.

    Examples
    --------
    >>> import io
    >>> import pondstats as ps
    >>> f = io.BytesIO("区域,月份,市场费用（元）\\n东湖区,2026-10,12000\\n".encode())
    >>> ps.read_spend(f).columns.tolist()
    ['region', 'month', 'spend']
    """
    return read_table(
        path,
        aliases=schema.SPEND_ALIASES,
        required=("region", "month", "spend"),
        column_map=column_map,
        encoding=encoding,
        sheet=sheet,
        kind="spend",
    )
