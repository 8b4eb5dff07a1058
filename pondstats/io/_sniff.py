"""Telling what a CSV export is before reading it: its Chinese encoding (GBK
or Big5), its delimiter, its top rows, and whether it is rows at all.

Pure functions on bytes and text, used by :mod:`pondstats.io._read`.
"""

from __future__ import annotations

import codecs
import collections
import csv
import io as _io
import itertools
import logging
from collections.abc import Mapping

from pondstats.errors import InputError
from pondstats.io._headers import find_header, normalize_header

log = logging.getLogger("pondstats.io._read")

#: How many rows at the top of a file are searched for the header row.
HEADER_SEARCH_ROWS = 200

#: Delimiters tried on the header row (comma first: it wins ties).
DELIMITERS = (",", "\t", ";", "|")


#: Longest cell the header search reads (Python's csv module limit).
MAX_CELL = 131_072


#: At most this many names are listed in a message ("columns found: ...").
SHOW_NAMES = 15


#: A header row with more cells than this is not a header (a file on one line).
MAX_COLUMNS = 2_000


def show_names(names, n: int = SHOW_NAMES) -> str:
    """Names joined for a message, at most ``n`` of them."""
    names = [str(x) for x in names]
    if not names:
        return "(none)"
    shown = ", ".join(v if len(v) <= 40 else v[:37] + "..." for v in names[:n])
    return shown + (f", ... ({len(names) - n} more)" if len(names) > n else "")


def _share_common(text: str, encoding: str, lead: tuple[int, int]) -> float:
    """Share of the non-ASCII characters of ``text`` that are common characters
    (or CJK punctuation) of ``encoding``: their first byte in ``lead``, or A1-A3."""
    counts = collections.Counter(ch for ch in text if ord(ch) > 0x7F)
    total = sum(counts.values())
    if not total:
        return 1.0
    good = 0
    for ch, k in counts.items():
        try:
            b = ch.encode(encoding)
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and (lead[0] <= b[0] <= lead[1] or 0xA1 <= b[0] <= 0xA3):
            good += k
    return good / total


def _chinese_encoding(data: bytes, name: str, *, gb_ok: bool = True) -> str | None:
    """'gb18030' or 'big5' for non-UTF-8 Chinese text, from its first MB.

    Both decodings are tried strictly; the one whose characters are common
    ones (GB2312 level 1 for simplified text, Big5's frequent characters for
    traditional text) wins. None when neither decodes; InputError when both
    read as plausible text (the user must say which).
    """
    head = data[: 1 << 20]
    texts = {}
    for enc in ("gb18030", "big5"):
        if enc == "gb18030" and not gb_ok:
            continue
        try:
            texts[enc] = codecs.getincrementaldecoder(enc)("strict").decode(
                head, len(data) <= len(head)
            )
        except UnicodeDecodeError:
            continue
    if len(texts) < 2:
        return next(iter(texts), None)
    gb = _share_common(texts["gb18030"], "gb2312", (0xB0, 0xD7))
    big5 = _share_common(texts["big5"], "big5", (0xA4, 0xC6))
    if gb >= big5:
        return "gb18030"
    if big5 >= 0.9 and big5 - gb >= 0.1:
        log.info(
            "%s: decodes as GB18030 and as Big5; read as Big5 (traditional Chinese: "
            "%.0f%% common characters, against %.0f%% as GB18030)",
            name,
            100 * big5,
            100 * gb,
        )
        return "big5"
    raise InputError(
        f"cannot tell the text encoding of {name!r}: it decodes both as GBK/GB18030 "
        f"(simplified Chinese, {gb:.0%} common characters) and as Big5 (traditional "
        f"Chinese, {big5:.0%}). Say which: encoding='big5' for a Hong Kong/Taiwan "
        "system, encoding='gb18030' otherwise."
    )


def _text_rows(
    text: str, n: int, delimiter: str = ",", name: str = "the file"
) -> list[list[str]]:
    """The first ``n`` CSV records, parsed from a prefix of ``text`` only."""
    pos = 0
    for _ in range(n * 2):
        nxt = text.find("\n", pos)
        if nxt < 0:
            pos = len(text)
            break
        pos = nxt + 1
    lines = _io.StringIO(text[:pos], newline=None)
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        return list(itertools.islice(reader, n))
    except csv.Error as exc:
        if "field larger" in str(exc):
            raise InputError(
                f"{name!r} has a cell of more than {MAX_CELL:,} characters near line "
                f"{reader.line_num} (a quote that is never closed, or a whole note "
                "block in one cell), so its rows cannot be told apart. Open it in "
                "Excel, shorten or remove that cell, and save it again as CSV."
            ) from None
        raise InputError(
            f"{name!r} is not a readable CSV table near line {reader.line_num} ({exc})."
        ) from None


def _check_lines(text: str, name: str, size: int) -> None:
    """InputError for text that is not rows: no line break in the first MB."""
    head = text[: 1 << 20]
    if size > (1 << 20) and "\n" not in head and "\r" not in head:
        raise InputError(
            f"{name!r} has no line break in its first {len(head) // (1 << 20)} MB "
            f"({size / (1 << 20):.0f} MB in all): it is not a table of rows (one "
            "very long line). Export the table again as CSV or Excel (.xlsx)."
        )


def _sniff_delimiter(
    text: str, lookup: Mapping[str, str], name: str
) -> tuple[str, list[list[str]]]:
    """The delimiter whose header row matches the most known headers, and the top rows."""
    best: tuple[float, int, str, list[list[str]]] | None = None
    for k, delimiter in enumerate(DELIMITERS):
        if k and delimiter not in text[: 1 << 16]:
            continue
        top = _text_rows(text, HEADER_SEARCH_ROWS, delimiter, name)
        header = find_header(top, lookup)
        row = top[header] if header < len(top) else []
        matched = len({lookup[c] for c in map(normalize_header, row) if c in lookup})
        width = len(row) if matched else min(len(row), 2) - 1  # 1 field: worst
        score = (matched, width)
        if best is None or score > best[:2]:
            best = (*score, delimiter, top)
    assert best is not None
    delimiter, top = best[2], best[3]
    if delimiter != ",":
        log.info("%s: cells separated by %r", name, delimiter)
    header = find_header(top, lookup)
    if header < len(top) and len(top[header]) > MAX_COLUMNS:
        raise InputError(
            f"{name!r}: the header row has {len(top[header]):,} cells; an export has "
            "at most a few hundred columns. The line breaks are probably missing "
            "(one very long line): export the table again as CSV or Excel (.xlsx)."
        )
    return delimiter, top
