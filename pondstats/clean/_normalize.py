"""Vectorised normalisers for the text found in dealer exports (Series -> Series).

Each function takes a Series and returns a new one (the input is never
changed). They use pandas string methods and regular expressions, or map the
unique values, so that they scale to millions of rows. They are re-exported by
:mod:`pondstats.clean` and :mod:`pondstats`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pondstats import schema

__all__ = [
    "to_halfwidth",
    "strip_placeholders",
    "normalize_phone",
    "phone_kind",
    "normalize_region",
    "normalize_status",
    "normalize_yes_no",
    "normalize_amount",
    "normalize_grade",
    "normalize_text",
    "customer_codes",
]

log = logging.getLogger(__name__)

#: Full-width ASCII (U+FF01..U+FF5E) and the ideographic space -> half-width.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20
_HALFWIDTH.update({ord("￥"): ord("¥"), ord("—"): ord("-"), ord("－"): ord("-")})

#: Characters that to_halfwidth changes (literal, so pyarrow can search them).
_WIDE_CHARS = "[\uff01-\uff5e\u3000\uffe5\u2014]"

_PLACEHOLDERS_NORM = frozenset(p.lower() for p in schema.PLACEHOLDERS)

_YES = (
    "是",
    "有",
    "y",
    "yes",
    "true",
    "t",
    "1",
    "1.0",
    "已试驾",
    "试驾",
    "已试",
    "√",
    "✓",
    "✔",
    "对",
)
_NO = (
    "否",
    "无",
    "n",
    "no",
    "false",
    "f",
    "0",
    "0.0",
    "未试驾",
    "没有",
    "未试",
    "不",
    "×",
    "✗",
    "✘",
)
_YES_NO = {**dict.fromkeys(_YES, True), **dict.fromkeys(_NO, False)}


_REGION_SUFFIX = r"(?:片区|市|区|县)$"
_REGION_SUFFIX_KIND = r"(片区|市|区|县)$"


def _as_text(s: pd.Series) -> pd.Series:
    """A ``str`` Series; numbers/dates become their text, missing stays missing."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.na_value is np.nan:
        return s
    return s.astype("str").where(s.notna())


def _factorize(s: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """(codes with -1 for missing, unique values as a Series of ``s.dtype``).

    Arrow-backed text is dictionary-encoded by pyarrow (no Python object per
    value: several times faster than ``pd.factorize`` on millions of rows).
    """
    arrow = getattr(s.array, "__arrow_array__", None)
    if arrow is not None and isinstance(s.dtype, pd.StringDtype):
        encoded = pc.dictionary_encode(arrow())
        chunks = encoded.chunks
        if len(chunks) == 0:
            return np.empty(0, dtype="intp"), pd.Series([], dtype=s.dtype)
        dictionary = chunks[0].dictionary
        if all(c.dictionary.equals(dictionary) for c in chunks[1:]):
            indices = pa.chunked_array(
                [c.indices for c in chunks], type=chunks[0].indices.type
            )
            codes = pc.fill_null(indices, -1).to_numpy().astype("intp", copy=False)
            uniques = dictionary.to_pandas(types_mapper=lambda _: s.dtype)
            return codes, uniques.reset_index(drop=True)
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    return codes, pd.Series(uniques, dtype=s.dtype)


def _arrow(s: pd.Series) -> pa.ChunkedArray | None:
    """The pyarrow data behind an Arrow-backed text Series (no copy), else None."""
    arrow = getattr(s.array, "__arrow_array__", None)
    if arrow is not None and isinstance(s.dtype, pd.StringDtype):
        return arrow()
    return None


def _key_numbers_arrow(arr: pa.ChunkedArray) -> np.ndarray:
    """int64 per value, equal exactly for equal strings; -1 for missing.

    Digit strings of up to 17 digits (phones: nearly every customer key)
    become ``int(text) + len(text) * 10**17`` (leading zeros kept apart, no
    string hashing); other strings become ``-2 - code`` of their factorisation.
    """
    n = len(arr)
    out = np.full(n, -1, dtype="int64")
    digits = pc.fill_null(pc.match_substring_regex(arr, r"^[0-9]{1,17}$"), False)
    dmask = digits.to_numpy(zero_copy_only=False)
    if dmask.any():
        sub = arr.filter(digits)
        value = pc.cast(sub, pa.int64()).to_numpy(zero_copy_only=False)
        width = pc.utf8_length(sub).to_numpy(zero_copy_only=False).astype("int64")
        out[dmask] = value + width * 10**17
    other = ~dmask & pc.is_valid(arr).to_numpy(zero_copy_only=False)
    if other.any():
        rest = arr.filter(pa.chunked_array([pa.array(other)]))
        codes = pc.dictionary_encode(rest.combine_chunks()).indices
        out[other] = -2 - codes.to_numpy(zero_copy_only=False).astype("int64")
    return out


def customer_codes(*keys: pd.Series) -> list[np.ndarray]:
    """int64 numbers for customer-key columns, equal exactly for equal keys.

    The numbers are comparable across all the columns given (a phone in the
    visits and the same phone in the deposits get the same number); -1 marks a
    missing key. Arrow-backed keys are hashed as integers, not strings: digit
    keys of up to 17 digits are parsed, other keys factorised (see
    ``_key_numbers_arrow``), so ten million phones take a fraction of a second.
    This is how every stage that joins tables on ``customer_key`` codes it.

    Examples
    --------
    >>> import pandas as pd
    >>> a = pd.Series(["13800138000", None, "C-7"], dtype="str")
    >>> b = pd.Series(["C-7", "13800138000"], dtype="str")
    >>> x, y = customer_codes(a, b)
    >>> bool(x[0] == y[1]), bool(x[2] == y[0]), int(x[1])
    (True, True, -1)
    """
    arrows = [_arrow(s) for s in keys]
    if all(a is not None for a in arrows):
        kind = arrows[0].type
        chunks = [
            c for a in arrows for c in (a if a.type == kind else a.cast(kind)).chunks
        ]
        nums = _key_numbers_arrow(pa.chunked_array(chunks, type=kind))
    else:
        both = pd.concat([s.astype(object) for s in keys], ignore_index=True)
        nums = pd.factorize(both, use_na_sentinel=True)[0].astype("int64")
    bounds = np.cumsum([0, *(len(s) for s in keys)])
    return [nums[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _map_unique(s: pd.Series, func) -> pd.Series:
    """Apply a Series -> Series function to the unique values and map back."""
    codes, uniques = _factorize(s)
    done = func(uniques)
    values = done.array
    if isinstance(values, pd.arrays.NumpyExtensionArray):
        values = pd.array(values.to_numpy(), dtype=done.dtype)
    # Arrow-backed results are taken by pyarrow: no Python object per value
    return pd.Series(values.take(codes, allow_fill=True), index=s.index, name=s.name)


def to_halfwidth(s: pd.Series) -> pd.Series:
    """Full-width letters, digits, punctuation and spaces -> half-width.

    Also ``－``/``—`` -> ``-`` and ``￥`` -> ``¥``. Non-text values become text;
    missing stays missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import to_halfwidth
    >>> to_halfwidth(pd.Series(["１３８　００１３", "ＡＢｃ（元）", None])).tolist()
    ['138 0013', 'ABc(元)', nan]
    """
    t = _as_text(s)
    wide = t.str.contains(_WIDE_CHARS, regex=True, na=False)
    if not wide.any():
        return t.copy()
    out = t.copy()
    out[wide] = t[wide].str.translate(_HALFWIDTH)
    return out


def _strip(t: pd.Series, marks: frozenset[str] = _PLACEHOLDERS_NORM) -> pd.Series:
    """strip_placeholders on text, without the unique-value mapping."""
    t = to_halfwidth(t).str.strip()
    is_placeholder = t.str.lower().isin(marks)
    return t.where(~is_placeholder & t.notna())


def strip_placeholders(
    s: pd.Series, *, placeholders: Iterable[str] = schema.PLACEHOLDERS
) -> pd.Series:
    """Strip whitespace and turn placeholders (请选择, 无, -, Select ...) into missing.

    Comparison is case-insensitive and on half-width text. Non-text columns
    (numbers, dates) are returned unchanged.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import strip_placeholders
    >>> strip_placeholders(pd.Series([" 张三 ", "请选择", "Select", "－", "无", "NULL"])).tolist()
    ['张三', nan, nan, nan, nan, nan]
    """
    if not (s.dtype == object or pd.api.types.is_string_dtype(s.dtype)):
        return s.copy()
    marks = (
        _PLACEHOLDERS_NORM
        if placeholders is schema.PLACEHOLDERS
        else frozenset(str(p).lower() for p in placeholders)
    )
    return _map_unique(_as_text(s), lambda u: _strip(u, marks)).rename(s.name)


def normalize_text(s: pd.Series) -> pd.Series:
    """Half-width, inner whitespace collapsed, stripped, placeholders -> missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import normalize_text
    >>> normalize_text(pd.Series(["  王  五 ", "--请选择--"])).tolist()
    ['王 五', nan]
    """

    def _one(u: pd.Series) -> pd.Series:
        return _strip(u).str.replace(r"[ \t\r\n]+", " ", regex=True)

    return _map_unique(_as_text(s), _one).rename(s.name)


_PLAIN_MOBILE = r"1[3-9][0-9]{9}"  # already normalised: most cells
#: Notes in brackets (no digit inside): (本人), （父亲）, [微信同号], 【备用】.
_PHONE_NOTE_BRACKETS = r"[(\[【〔][^0-9()\[\]【】〔〕]*[)\]】〕]"
#: Words after the last digit: 13800138000 张先生, 13800138000本人.
_PHONE_NOTE_AFTER = r"^([^A-Za-z㐀-鿿]*[0-9])[ ,;:，；：/]*[A-Za-z㐀-鿿][^0-9]*$"
#: A label before the number: 手机:13800138000, 电话：..., Tel 138...
_PHONE_NOTE_BEFORE = r"^[A-Za-z㐀-鿿]+[ ]*[:：]?[ ]*(?=[+0-9(])"
_PHONE_SEP = r"[ \t\r\n\-.()/\\+']"
_MOBILE = r"^(?:0086|86|0)?(1[3-9][0-9]{9})$"
_LANDLINE_CN = r"^0086([1-9][0-9]{8,10})$|^86([2-9][0-9]{8,10})$"
_LANDLINE = r"^(0[1-9][0-9]{8,10})$"


def normalize_phone(s: pd.Series) -> pd.Series:
    """Chinese phone numbers -> digits: 11-digit mobiles, landlines with area code.

    ``+86``/``0086``/``86`` prefixes, spaces, dashes, dots, brackets and
    full-width digits are removed; a landline keeps its area code
    (``020-8888 6666`` -> ``02088886666``). Anything else (too short, letters,
    two numbers in one cell, a landline without area code) becomes missing.
    Excel's text wrappers (``="13800138000"``, ``'13800138000``) are
    unwrapped, and a note beside the number is dropped
    (``138-0013-8000(本人)``, ``13800138000 张先生``, ``手机:13800138000``).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import normalize_phone
    >>> normalize_phone(pd.Series([
    ...     "+86 138-0013-8000", "138 0013 8000", "１３８００１３８０００", "0086.138.0013.8000",
    ...     "020-8888 6666", "(0755) 1234 5678", "12345", "请选择", None,
    ... ])).tolist()
    ['13800138000', '13800138000', '13800138000', '13800138000', '02088886666', '075512345678', nan, nan, nan]
    >>> normalize_phone(pd.Series(['="13800138000"', "138-0013-8000(本人)", "13800138000 张先生"])).tolist()
    ['13800138000', '13800138000', '13800138000']
    """

    def _messy(u: pd.Series) -> pd.Series:
        t = _unwrap(to_halfwidth(u).str.strip())  # ="13800138000", '13800138000
        t = t.str.replace(r"\.0$", "", regex=True)  # 13800138000.0 from a float cell
        # a note beside the number: 138-0013-8000(本人), 13800138000 张先生, 手机:1380...
        t = t.str.replace(_PHONE_NOTE_BRACKETS, "", regex=True)
        t = t.str.replace(_PHONE_NOTE_AFTER, r"\1", regex=True)
        t = t.str.replace(_PHONE_NOTE_BEFORE, "", regex=True).str.strip()
        t = t.str.replace(_PHONE_SEP, "", regex=True)
        mobile = t.str.replace(_MOBILE, r"\1", regex=True)
        is_mobile = t.str.fullmatch(_MOBILE)
        cn = t.str.replace(_LANDLINE_CN, r"0\1\2", regex=True)
        is_cn = t.str.fullmatch(_LANDLINE_CN)
        is_land = t.str.fullmatch(_LANDLINE)
        out = t.where(is_land.fillna(False).astype(bool))
        out = cn.where(is_cn.fillna(False).astype(bool), out)
        return mobile.where(is_mobile.fillna(False).astype(bool), out)

    t = _as_text(s)
    # most cells are already a plain mobile: check those row by row (a fast
    # regex), and normalise only the other cells' unique values
    plain = t.str.fullmatch(_PLAIN_MOBILE).fillna(False).to_numpy(dtype=bool)
    if plain.all():
        return t.copy()
    messy = _map_unique(t[~plain], _messy)
    if not plain.any():
        return messy
    arr, fix = _arrow(t), _arrow(messy)
    if arr is not None and fix is not None:  # one output array, no full copies
        fix = fix.cast(arr.type).combine_chunks()
        done = pc.replace_with_mask(arr, pa.array(~plain), fix)
        out = done.to_pandas(types_mapper=lambda _: t.dtype)
        out.index = t.index
        return out.rename(t.name)
    both = pd.concat([t[plain], messy])
    where = np.empty(len(t), dtype="intp")
    where[np.flatnonzero(plain)] = np.arange(plain.sum())
    where[np.flatnonzero(~plain)] = np.arange(plain.sum(), len(t))
    return pd.Series(both.array.take(where), index=t.index, name=t.name)


def phone_kind(phones: pd.Series) -> pd.Series:
    """'mobile', 'landline' or missing for *normalised* phones.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import phone_kind
    >>> phone_kind(pd.Series(["13800138000", "02088886666", None])).tolist()
    ['mobile', 'landline', nan]
    """
    t = _as_text(phones)
    is_mobile = t.str.fullmatch(r"1[0-9]{10}").fillna(False).astype(bool)
    kind = pd.Series("landline", index=t.index, dtype="str").where(t.notna())
    return kind.mask(is_mobile, "mobile")


def _unwrap(t: pd.Series) -> pd.Series:
    """Excel's text wrappers: ``="..."`` (a text formula) and leading apostrophes."""
    t = t.str.replace(r'^=[ ]*"(.*)"$', r"\1", regex=True)
    return t.str.replace(r"^[']+", "", regex=True).str.strip()


def _region_text(s: pd.Series) -> pd.Series:
    """Stripped, placeholders missing, no spaces next to Chinese characters."""
    t = _strip(_as_text(s)).str.replace(r"[ \t\r\n]+", " ", regex=True)
    t = t.str.replace(r"([㐀-鿿])[ \t\r\n]+", r"\1", regex=True)
    return t.str.replace(r"[ \t\r\n]+([㐀-鿿])", r"\1", regex=True)


def _region_core(t: pd.Series) -> pd.Series:
    core = t.str.replace(_REGION_SUFFIX, "", regex=True)
    return core.where(core.str.len() > 0, t)


def normalize_region(
    s: pd.Series, *, aliases: Mapping[str, str] | None = None
) -> pd.Series:
    """Region names -> one canonical spelling per zone, suffix-insensitive.

    Names that differ only by a trailing 市/区/县/片区 (``东湖`` / ``东湖区`` /
    ``东湖片区``) are one zone; its canonical name is the most common full form
    (one with a suffix, ties to the longer then the alphabetically first).
    Two full names with different kinds of suffix are different places and
    never merged (``长沙县`` and ``长沙市``; ``朝阳区`` and ``朝阳县``); a bare
    name (``长沙``) then stays as written, since it could be either.
    ``aliases`` maps other spellings to a canonical name (matched
    suffix-insensitively too, e.g. ``{"城东": "东湖区"}``); it wins over the
    automatic choice.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import normalize_region
    >>> s = pd.Series(["东湖区", "东湖", " 东湖区", "西山县", "西山", "城东", "请选择"])
    >>> normalize_region(s, aliases={"城东": "东湖区"}).tolist()
    ['东湖区', '东湖区', '东湖区', '西山县', '西山县', '东湖区', nan]
    >>> normalize_region(pd.Series(["长沙县", "长沙市", "长沙", "朝阳区", "朝阳片区"])).tolist()
    ['长沙县', '长沙市', '长沙', '朝阳片区', '朝阳片区']
    """
    codes, uniques = pd.factorize(_as_text(s), use_na_sentinel=True)
    t = _region_text(pd.Series(uniques, dtype="str"))
    core = _region_core(t)
    alias_core: dict[str, str] = {}
    if aliases:
        keys = _region_core(_region_text(pd.Series(list(aliases), dtype="str")))
        values = _region_text(pd.Series(list(aliases.values()), dtype="str"))
        alias_core = dict(zip(keys, values, strict=True))
    n = np.bincount(codes[codes >= 0], minlength=len(uniques))
    counts = pd.DataFrame({"name": t, "core": core, "n": n}).dropna(subset=["name"])
    counts = counts.groupby(["name", "core"], as_index=False)["n"].sum()
    counts["full"] = counts["name"] != counts["core"]
    counts["len"] = counts["name"].str.len()
    # the suffix's kind: 区 and 片区 name one zone; 市, 县 and 区 are different
    # places (长沙县 is not 长沙市), so they are never merged
    kind = counts["name"].str.extract(_REGION_SUFFIX_KIND)[0].replace("片区", "区")
    counts["kind"] = kind.where(counts["full"], "")
    kinds = counts[counts["full"]].groupby("core")["kind"].nunique()
    split = counts["core"].map(kinds).fillna(0).gt(1).to_numpy()
    # one kind in a core: the bare name joins it; several: each kind is its own
    # zone and the bare name (which of them?) stays as written
    counts["group"] = counts["core"].where(
        ~split, counts["core"] + "\x00" + counts["kind"]
    )
    counts = counts.sort_values(
        ["group", "full", "n", "len", "name"],
        ascending=[True, False, False, False, True],
    )
    canonical = counts.drop_duplicates("group").set_index("group")["name"]
    by_name = counts.set_index("name")["group"].map(canonical)
    if alias_core:
        by_core = canonical[~canonical.index.str.contains("\x00", regex=False)]
        for key, value in alias_core.items():
            hit = counts["core"].eq(key).to_numpy()
            by_name[counts["name"][hit].to_numpy()] = value
            if key not in by_core.index:
                by_name[key] = value
    mapped = t.map(by_name).astype("str").where(t.notna())
    out = pd.array(mapped.to_numpy(), dtype="str").take(codes, allow_fill=True)
    return pd.Series(out, index=s.index, name=s.name)


def normalize_status(s: pd.Series) -> pd.Series:
    """Deposit status words (有效/退订/已交车, English) -> active/cancelled/delivered.

    Unknown words and placeholders become missing (:func:`pondstats.clean_deposits`
    rejects rows whose status word it does not know).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import normalize_status
    >>> normalize_status(pd.Series(["有效", " 已退订", "已交车", "Delivered", "作废", "??", None])).tolist()
    ['active', 'cancelled', 'delivered', 'delivered', 'cancelled', nan, nan]
    """

    def _one(u: pd.Series) -> pd.Series:
        u = to_halfwidth(u).str.replace(r"[ \t\r\n]+", "", regex=True).str.lower()
        return u.map(schema.STATUS_WORDS).astype("str")

    return _map_unique(_as_text(s), _one).rename(s.name)


def normalize_yes_no(s: pd.Series) -> pd.Series:
    """Yes/no words (是/否, Y/N, 1/0, 有/无, true/false, √/×) -> nullable boolean.

    Unknown words and placeholders become ``<NA>``. Note that ``无`` means
    "no" here, not "not filled in".

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import normalize_yes_no
    >>> normalize_yes_no(pd.Series(["是", "否", "Y", "n", "1", "0", "有", "无", "请选择", None])).tolist()
    [True, False, True, False, True, False, True, False, <NA>, <NA>]
    """
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype("boolean")

    def _one(u: pd.Series) -> pd.Series:
        u = to_halfwidth(u).str.replace(r"[ \t\r\n]+", "", regex=True).str.lower()
        return u.map(_YES_NO).astype("boolean")

    return _map_unique(_as_text(s), _one).rename(s.name)


def normalize_amount(s: pd.Series) -> pd.Series:
    """Money amounts (``5,000元``, ``￥5000``, ``0.5万``, full-width) -> float64 yuan.

    Unparseable text becomes NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import normalize_amount
    >>> normalize_amount(pd.Series(["5,000元", "￥5000", "５０００", "RMB 2000.50", "0.5万", "-100", "abc", None])).tolist()
    [5000.0, 5000.0, 5000.0, 2000.5, 5000.0, -100.0, nan, nan]
    """
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(
        s.dtype
    ):
        return s.astype("float64")
    t = _unwrap(strip_placeholders(_as_text(s)))  # '5000, ="5000" from Excel
    t = t.str.replace(r"(?i)rmb|cny|[¥$, \t\r\n]|元|圆", "", regex=True)
    wan = t.str.endswith("万").fillna(False).astype(bool)
    num = pd.to_numeric(t.str.replace("万", "", regex=False), errors="coerce").astype(
        "float64"
    )
    return num.where(~wan, num * 10_000).rename(s.name)


def normalize_grade(s: pd.Series) -> pd.Series:
    """Intent grades (``H``, ``a级``, ``Ｂ类``) -> one of H/A/B/C/O/F, else missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import normalize_grade
    >>> normalize_grade(pd.Series(["H", "a级", "Ｂ类", "C ", "X", "请选择"])).tolist()
    ['H', 'A', 'B', 'C', nan, nan]
    """
    pattern = r"^([" + "".join(schema.GRADES) + r"])[ \t\r\n]*(?:级|类|级客户|类客户)?$"

    def _one(u: pd.Series) -> pd.Series:
        t = _strip(u).str.upper()
        ok = t.str.fullmatch(pattern).fillna(False).astype(bool)
        return t.str.slice(0, 1).where(ok)

    return _map_unique(_as_text(s), _one).rename(s.name)
