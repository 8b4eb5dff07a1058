"""Header handling for exports: normalising header text, aliases, finding the header row.

Pure functions on strings and lists (no file access); used by :mod:`pondstats.io`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

__all__ = ["normalize_header"]

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|【[^】]*】|〔[^〕]*〕")
_SEPARATORS = re.compile(r"[\s_\-.:：]+")
#: Traditional -> simplified for the characters of the header aliases, so that
#: a Big5 export's ``來店日期`` / ``聯繫電話`` finds ``来店日期`` / ``联系电话``.
_TRADITIONAL = str.maketrans(
    "區戶聯繫電話號額單態訂購車門顧問銷試駕級間時記錄費預約員編碼機狀達進廳備註務類別銷來點場際額",
    "区户联系电话号额单态订购车门顾问销试驾级间时记录费预约员编码机状达进厅备注务类别销来点场际额",
)


def normalize_header(name: object) -> str:
    """Normalise a column header for alias matching.

    Full-width characters become half-width, units in brackets such as
    ``（元）`` are dropped, whitespace, ``_``, ``-``, ``.`` and ``:`` are
    removed, Latin letters are lower-cased and the traditional characters of
    the known headers become simplified (``來店日期`` -> ``来店日期``).

    Examples
    --------
    >>> from pondstats.io import normalize_header
    >>> normalize_header(" 订金（元） ")
    '订金'
    >>> normalize_header("Customer_ID"), normalize_header("ＰＨＯＮＥ")
    ('customerid', 'phone')
    """
    text = unicodedata.normalize("NFKC", str(name)).translate(_TRADITIONAL)
    text = _BRACKETS.sub("", text)
    return _SEPARATORS.sub("", text).lower()


def alias_lookup(aliases: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for canonical, names in aliases.items():
        for name in (canonical, *names):
            lookup.setdefault(normalize_header(name), canonical)
    return lookup


def find_header(rows: list[list[Any]], lookup: Mapping[str, str]) -> int:
    """Index of the row with the most cells matching known aliases."""
    best, best_score = None, 0
    for i, row in enumerate(rows):
        cells = [normalize_header(c) for c in row if c is not None and str(c).strip()]
        score = len({lookup[c] for c in cells if c in lookup})
        if score > best_score:
            best, best_score = i, score
    if best is not None:
        return best
    for i, row in enumerate(rows):  # no alias anywhere: the first non-empty row
        if sum(c is not None and str(c).strip() != "" for c in row) >= 1:
            return i
    return 0


def dedupe_names(names: list[str]) -> list[str]:
    """Repeated names get ``.1``, ``.2`` ... as pandas' read_csv names them."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        k = seen.get(n, 0)
        out.append(n if k == 0 else f"{n}.{k}")
        seen[n] = k + 1
    return out
