"""The fast CSV path of :mod:`pondstats.io`: strict streamed transcoding + pyarrow.

A GBK export of ten million visits is ~0.8 GB. Decoding it whole into a Python
``str`` (to validate the encoding) and then letting pandas' C parser build a
Python object per cell costs tens of seconds and several GB. Here the bytes
are decoded *strictly*, in chunks, and re-encoded as UTF-8 on the fly inside a
file-like object that :func:`pyarrow.csv.read_csv` reads from (so the whole
file is never held as text, and a byte that does not decode still fails the
read), and the cells land in Arrow-backed ``str`` columns without a Python
object per cell.

:func:`read_csv_arrow` returns None when a file needs the general path of
:mod:`pondstats.io` (quotes above the header, blank lines in the body,
ragged rows, ...), which then reads it exactly as before: the fast
path changes speed, not results.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from pondstats.io._headers import dedupe_names

log = logging.getLogger(__name__)

#: Bytes decoded per step (and the pyarrow block size).
CHUNK = 1 << 24
#: The header search looks at this many leading bytes.
PREFIX = 1 << 20

_STR = pd.StringDtype("pyarrow", na_value=np.nan)


class EncodingFailed(Exception):
    """The data does not decode strictly with the encoding tried."""


class _Utf8Stream:
    """Read-only file: the UTF-8 of ``data`` decoded strictly as ``encoding``.

    The first ``skip`` bytes of the UTF-8 output (the title lines and the
    header) are dropped. A decoding error is kept in ``error`` and re-raised.
    """

    def __init__(self, data: bytes, encoding: str, skip: int) -> None:
        self._mv = memoryview(data)
        self._pos = 0
        self._dec = codecs.getincrementaldecoder(encoding)("strict")
        self._buf = bytearray()
        self._skip = skip
        self.error: UnicodeDecodeError | None = None
        self.closed = False

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def writable(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True

    def _fill(self, n: int) -> None:
        total = len(self._mv)
        while len(self._buf) < n and self._pos < total:
            end = min(self._pos + CHUNK, total)
            try:
                text = self._dec.decode(self._mv[self._pos : end], end == total)
            except UnicodeDecodeError as exc:
                self.error = exc
                raise
            self._pos = end
            out = text.encode("utf-8")
            del text
            if self._skip:
                drop = min(self._skip, len(out))
                out = out[drop:]
                self._skip -= drop
            self._buf += out

    def read(self, n: int | None = -1) -> bytes:
        if n is None or n < 0:
            n = 1 << 62
        self._fill(n)
        res = bytes(self._buf[:n])
        del self._buf[:n]
        return res


def _prefix_text(data: bytes, encoding: str) -> str:
    """The leading text (up to PREFIX bytes) decoded strictly; EncodingFailed if not."""
    dec = codecs.getincrementaldecoder(encoding)("strict")
    try:
        return dec.decode(data[:PREFIX], len(data) <= PREFIX)
    except UnicodeDecodeError:
        raise EncodingFailed(encoding) from None


def _names(cells: list[str]) -> list[str]:
    """Column names as pandas' read_csv makes them (Unnamed: j, a.1 for repeats)."""
    return dedupe_names(
        [c if c != "" else f"Unnamed: {j}" for j, c in enumerate(cells)]
    )


def read_csv_arrow(
    data: bytes,
    encodings: list[str],
    find_header: Callable[[str], tuple[int, list[list[str]], str]],
) -> tuple[pd.DataFrame, int, str] | None:
    """Parse CSV ``data`` with pyarrow, trying ``encodings`` in order (strictly).

    ``find_header(text)`` returns the header record's index in ``text``, the
    parsed top records and the delimiter. Returns ``(frame, header index, encoding)``, with
    the frame's index the 0-based record number after the header (as pandas'
    ``read_csv(skiprows=header)`` numbers them, all-empty rows dropped), or
    None when the general path must read the file. Raises
    :class:`EncodingFailed` when no encoding decodes the data.
    """
    for enc in encodings:
        try:
            text = _prefix_text(data, enc)
        except EncodingFailed:
            continue
        header, top, delimiter = find_header(text)
        lines = text.split("\n", header + 1)
        if len(lines) <= header + 1 and len(data) > PREFIX:
            return None  # the header is not in the prefix
        above = "\n".join(lines[: header + 1]) + (
            "\n" if len(lines) > header + 1 else ""
        )
        if header >= len(top) or '"' in above or "\r" in above.replace("\r\n", ""):
            return None  # records and lines may not coincide: general path
        if not lines[header].strip("\r"):
            return None
        skip = len(above.encode("utf-8"))
        name = codecs.lookup(enc).name
        if name.startswith(("utf-16", "utf-32")):
            return None
        if name == "utf-8-sig":
            body_start = len(above.encode("utf-8")) + 3 * data.startswith(
                codecs.BOM_UTF8
            )
        else:
            body_start = len(above.encode(enc))
        names = _names(list(top[header]))
        stream = _Utf8Stream(data, enc, skip)
        try:
            table = pacsv.read_csv(
                pa.PythonFile(stream, mode="r"),
                read_options=pacsv.ReadOptions(
                    column_names=names, block_size=CHUNK, use_threads=True
                ),
                # a blank line is then a one-field row: ragged, so pyarrow
                # refuses it and the general path (which numbers rows
                # across blank lines) reads the file
                parse_options=pacsv.ParseOptions(
                    delimiter=delimiter,
                    newlines_in_values=data.find(b'"', body_start) >= 0,
                    ignore_empty_lines=False,
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types={nm: pa.large_string() for nm in names},
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except Exception as exc:
            if stream.error is not None:
                if enc == encodings[-1]:
                    raise EncodingFailed(enc) from None
                continue  # e.g. not UTF-8 after all: try the next encoding
            log.debug("pyarrow CSV path declined (%s); using pandas", exc)
            return None
        frame = _to_frame(table)
        frame.attrs["delimiter"] = delimiter
        return frame, header, enc
    raise EncodingFailed(encodings[-1])


def _to_frame(table: pa.Table) -> pd.DataFrame:
    """Arrow table of strings -> DataFrame of ``str`` columns; all-null rows dropped."""
    positions = None
    if table.num_rows and table.num_columns:
        empty: Any = None
        for col in table.columns:
            isnull = pc.is_null(col)
            empty = isnull if empty is None else pc.and_(empty, isnull)
        if pc.any(empty).as_py():
            keep = pc.invert(empty)
            positions = np.flatnonzero(keep.to_numpy(zero_copy_only=False))
            table = table.filter(keep)
    df = table.to_pandas(
        types_mapper=_str_mapper, split_blocks=True, self_destruct=True
    )
    if positions is None:
        df.index = pd.RangeIndex(len(df))
    else:
        df.index = pd.Index(positions.astype("int64"))
    return df


def _str_mapper(t: pa.DataType) -> pd.api.extensions.ExtensionDtype | None:
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return _STR
    return None
