"""Dates as DMS and CRM exports write them (Series -> datetime64[ns] Series).

``2026/10/3``, ``2026年10月3日 下午2点25分``, ISO-8601 with offsets (converted
to local time), Excel serial numbers and text wrappers; a time of day that
does not exist is NaT, never the next day. Re-exported by
:mod:`pondstats.clean` and :mod:`pondstats`.
"""

from __future__ import annotations

import logging
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pondstats.clean._normalize import (
    _as_text,
    _map_unique,
    _strip,
    _unwrap,
    to_halfwidth,
)

__all__ = ["normalize_date", "impossible_time", "LOCAL_UTC_OFFSET"]

# the normalisers' logger: dates are one of them
log = logging.getLogger("pondstats.clean._normalize")

#: Excel's day zero (Lotus 1-2-3's leap-year bug included).
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")


_SERIAL_RANGE = (20000, 80000)  # 1954-10-03 .. 2119-01-10


#: The local time zone of the exports (Asia/Shanghai: +08:00 all year, no DST).
LOCAL_UTC_OFFSET = pd.Timedelta(hours=8)


#: A time with an ISO-8601 offset at the end: ``...T14:25:00+08:00``, ``...Z``.
_ISO_OFFSET = (
    r"^(.*[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)[ ]*"
    r"(Z|z|UTC|GMT|[+-][0-9]{2}(?::?[0-9]{2})?)$"
)


#: Half-day words: 上午/下午 (a.m./p.m.), 凌晨, 中午, 晚上, AM/PM.
_HALF_DAY = r"(上午|下午|中午|晚上|凌晨|早上|早晨|傍晚|[AaPp]\.?[Mm]\.?)"


_PM_WORDS = ("下午", "晚上", "傍晚", "PM", "P.M.", "PM.", "P.M")


#: A time of day in text (after the date): hour, minute.
_TIME_OF_DAY = r"(?:^|[ T日号])[ ]*(?:上午|下午|中午|晚上|凌晨|早上)?([0-9]{1,2})[:时点]([0-9]{1,2})"


def impossible_time(s: pd.Series) -> pd.Series:
    """True where a date cell carries a time of day that does not exist (``24:30``, ``25:00``, ``14:75``).

    :func:`normalize_date` makes such cells NaT rather than rolling them over
    into the next day; cleaning rejects them with their own reason.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import impossible_time
    >>> impossible_time(pd.Series(["2026-10-31 24:30", "2026-10-31 23:59", "2026/10/3 下午2:75", None])).tolist()
    [True, False, True, False]
    """
    t = _unwrap(to_halfwidth(_as_text(s)).str.strip())
    parts = t.str.extract(_TIME_OF_DAY)
    hour = pd.to_numeric(parts[0], errors="coerce")
    minute = pd.to_numeric(parts[1], errors="coerce")
    bad = (hour > 23) | (minute > 59)
    return pd.Series(bad.fillna(False).to_numpy(dtype=bool), index=s.index, name=s.name)


_DATE_RE = (
    r"^(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})"
    r"(?:[ T]+(?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{1,2})"
    r"(?::(?P<second>[0-9]{1,2})(?:\.[0-9]+)?)?)?$"
)


def _extract_numbers(t: pd.Series, pattern: str) -> pd.DataFrame:
    """The named groups of ``pattern`` as numbers (NaN where no match), via pyarrow."""
    names = re.findall(r"\(\?P<(\w+)>", pattern)
    arrow = getattr(t.array, "__arrow_array__", None)
    if arrow is not None and isinstance(t.dtype, pd.StringDtype):
        arr = arrow()
    else:
        arr = pa.array(t.to_numpy(dtype=object, na_value=None), type=pa.large_string())
    found = pc.extract_regex(arr, pattern)
    data = {}
    for name in names:
        field = pc.struct_field(found, name)  # null where the row did not match
        field = pc.if_else(
            pc.greater(pc.utf8_length(field), 0), field, pa.scalar(None, field.type)
        )  # an optional group that did not take part is ""
        data[name] = pc.cast(field, pa.float64()).to_numpy(zero_copy_only=False)
    return pd.DataFrame(data, index=t.index)


def _parse_date_text(t: pd.Series) -> pd.Series:
    """Normalised date text (unique values) -> datetime64[ns]."""
    t = _unwrap(to_halfwidth(t).str.strip())
    # ISO-8601 offsets: converted to local time below
    tz = t.str.extract(_ISO_OFFSET)[1]
    t = t.str.replace(_ISO_OFFSET, r"\1", regex=True)
    half = t.str.extract(_HALF_DAY)[0].str.upper()
    t = t.str.replace(_HALF_DAY, " ", regex=True).str.strip()
    serial = pd.to_numeric(
        t.where(t.str.fullmatch(r"[0-9]{5}(?:\.[0-9]+)?")), errors="coerce"
    )
    t = t.str.replace(r"[ \t\r\n]*(?:年|月|/)[ \t\r\n]*", "-", regex=True)
    t = t.str.replace(
        r"^([0-9]{4})\.([0-9]{1,2})\.([0-9]{1,2})", r"\1-\2-\3", regex=True
    )
    t = t.str.replace(r"[ \t\r\n]*[日号][ \t\r\n]*", " ", regex=True).str.strip()
    t = t.str.replace(r"(?:时|点)半", ":30", regex=True)  # 下午2点半
    t = t.str.replace(r"(?:时|点)[ \t\r\n]*(?:整)?$", ":00", regex=True)  # 晚上8点
    t = t.str.replace(r"[ \t\r\n]*(?:时|点)[ \t\r\n]*", ":", regex=True).str.replace(
        r"[ \t\r\n]*分.*$", "", regex=True
    )
    t = t.str.replace(r"^([0-9]{4})([0-9]{2})([0-9]{2})$", r"\1-\2-\3", regex=True)
    t = t.str.replace(r"[ ]{2,}", " ", regex=True)
    parts = _extract_numbers(t, _DATE_RE)
    parts = parts.fillna({"hour": 0, "minute": 0, "second": 0})
    hour = parts["hour"].to_numpy(copy=True)
    noon = half.eq("中午").fillna(False).to_numpy(dtype=bool)
    pm = half.isin(_PM_WORDS).to_numpy() | (noon & (hour < 11))
    with_half = half.notna().to_numpy()
    am = with_half & ~pm & ~noon
    parts.loc[pm & (hour < 12), "hour"] += 12
    parts.loc[am & (hour == 12), "hour"] = 0
    # a time that does not exist (24:30, 25:00, 10:75, 下午13点) is not rolled over
    valid = (
        (parts["hour"] <= 23)
        & (parts["minute"] <= 59)
        & (parts["second"] <= 59)
        & ~(am & (hour > 12))
    )
    ok = parts["year"].notna() & valid
    out = pd.Series(pd.NaT, index=t.index, dtype="datetime64[ns]")
    if ok.any():
        out[ok] = pd.to_datetime(parts[ok], errors="coerce").astype("datetime64[ns]")
    has_tz = tz.notna() & out.notna()
    if has_tz.any():
        z = tz[has_tz].str.upper().str.replace(":", "", regex=False)
        utc = z.isin(["Z", "UTC", "GMT"])
        sign = np.where(z.str.startswith("-"), -1, 1)
        hh = pd.to_numeric(z.str.slice(1, 3).where(~utc), errors="coerce").fillna(0)
        mm = pd.to_numeric(z.str.slice(3, 5).where(~utc), errors="coerce").fillna(0)
        offset = pd.to_timedelta(sign * (hh * 60 + mm), unit="min")
        out[has_tz] = out[has_tz] - offset + LOCAL_UTC_OFFSET
    in_range = serial.between(*_SERIAL_RANGE)
    if in_range.any():
        days = serial[in_range]
        out[in_range] = (
            _EXCEL_EPOCH + pd.to_timedelta(days * 86400, unit="s").dt.round("s")
        ).astype("datetime64[ns]")
    return out


def normalize_date(s: pd.Series) -> pd.Series:
    """Dates in the formats DMS exports use -> ``datetime64[ns]``; NaT if unparseable.

    Accepts ``2026/10/3``, ``2026-10-03``, ``2026.10.3``, ``2026年10月3日``,
    ``20261003``, each optionally with a time (``2026/10/3 14:05``,
    ``2026-10-03 14:05:09``, ``2026年10月3日 14时05分``), Excel serial numbers
    (``46298``, ``46298.58``; days since 1899-12-30) and datetimes already
    parsed. ISO-8601 times with an offset (``2026-10-03T14:25:00+08:00``,
    ``...T06:25:00Z``) are converted to local time (Asia/Shanghai, +08:00) and
    returned naive; ``上午``/``下午`` (and AM/PM) set the half of the day
    (``2026/10/3 下午2:25`` is 14:25); Excel's text wrappers ``'2026-10-03``
    and ``="2026-10-03"`` are unwrapped. A time that does not exist
    (``24:30``, ``25:00``, ``10:75``) makes the value NaT, never the next day
    (see :func:`impossible_time`). Day-first or two-digit-year forms (``3/10/26``) are ambiguous and
    become NaT (the caller counts them); the number of unparseable values is
    logged.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.clean import normalize_date
    >>> out = normalize_date(pd.Series(["2026/10/3", "2026年10月3日", "2026.10.3 14:05", "46298", "soon", None]))
    >>> [str(v) for v in out]
    ['2026-10-03 00:00:00', '2026-10-03 00:00:00', '2026-10-03 14:05:00', '2026-10-03 00:00:00', 'NaT', 'NaT']
    >>> str(out.dtype)
    'datetime64[ns]'
    >>> iso = normalize_date(pd.Series(["2026-10-03T14:25:00+08:00", "2026-10-03T06:25:00Z",
    ...     "2026/10/3 下午2:25", "'2026-10-03", "2026-10-31 24:30"]))
    >>> [str(v) for v in iso]
    ['2026-10-03 14:25:00', '2026-10-03 14:25:00', '2026-10-03 14:25:00', '2026-10-03 00:00:00', 'NaT']
    """
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        if getattr(s.dt, "tz", None) is not None:  # to local time, then naive
            s = s.dt.tz_convert("UTC").dt.tz_localize(None) + LOCAL_UTC_OFFSET
        return s.astype("datetime64[ns]")
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(
        s.dtype
    ):
        num = pd.to_numeric(s, errors="coerce").astype("float64")
        num = num.where(num.between(*_SERIAL_RANGE))
        out = (
            _EXCEL_EPOCH + pd.to_timedelta(num * 86400, unit="s").dt.round("s")
        ).astype("datetime64[ns]")
        return out.rename(s.name)
    if s.dtype == object:
        is_dt = (
            s.map(
                lambda v: (
                    isinstance(v, pd.Timestamp | np.datetime64) or hasattr(v, "year")
                ),
                na_action="ignore",
            )
            .fillna(False)
            .astype(bool)
        )
        if is_dt.any():
            out = normalize_date(
                s.where(~is_dt).astype("str").where(~is_dt & s.notna())
            )
            out[is_dt] = pd.to_datetime(s[is_dt].tolist()).astype("datetime64[ns]")
            return out
    bad = []

    def _one(u: pd.Series) -> pd.Series:
        text = _strip(u)
        parsed = _parse_date_text(text)
        bad.append(int((parsed.isna() & text.notna()).sum()))
        return parsed

    out = _map_unique(_as_text(s), _one).astype("datetime64[ns]")
    if bad and bad[0]:
        log.info(
            "normalize_date: %d distinct value(s) could not be parsed as a date", bad[0]
        )
    return out.rename(s.name)
