"""The one parser of months and days that every command and function uses.

``--month`` / ``month=`` / ``period=`` take a month, ``--as-of`` / ``as_of=`` /
``today=`` take a day. Both accept the same forms everywhere:

* a month: ``"YYYY-MM"`` (``"2026-10"``; ``"2026-1"`` also works), a
  :class:`pandas.Period`, or a date (its month is taken);
* a day: ``"YYYY-MM-DD"`` (``"2026-10-31"``), a ``datetime.date`` /
  ``datetime`` / :class:`pandas.Timestamp` (the time of day is dropped).

Anything else raises :class:`~pondstats.errors.InputError` saying what was
typed and the form to type, worded for the interface in use: ``name`` is the
parameter as the caller knows it (``"--month"`` on the command line,
``"month"`` in Python). A mistyped string is refused before pandas is
imported, so the command line answers at once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

from pondstats.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["MONTH_FORM", "DAY_FORM", "parse_month", "parse_day"]

#: How a month is written, as error messages show it.
MONTH_FORM = "YYYY-MM (e.g. 2026-10)"
#: How a day is written, as error messages show it.
DAY_FORM = "YYYY-MM-DD (e.g. 2026-10-31)"

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _bad(name: str | None, value: Any, form: str, hint: str = "") -> InputError:
    where = f"{name}: " if name else ""
    return InputError(f"{where}expected {form}, got {value!r}{hint}")


def parse_month(value: Any, *, name: str | None = "month") -> pd.Period:
    """A monthly :class:`pandas.Period` from ``"YYYY-MM"``, a Period or a date.

    Parameters
    ----------
    value
        ``"2026-10"``, a :class:`pandas.Period` (converted to its month) or a
        ``datetime.date`` / ``datetime`` / :class:`pandas.Timestamp`.
    name
        The parameter as the caller wrote it, for the error message
        (``"--month"`` on the command line); None leaves it out.

    Raises
    ------
    InputError
        For anything else: ``"2026/10"``, ``"Oct 2026"``, ``"2026-13"``, ``""``.

    Examples
    --------
    >>> parse_month("2026-10")
    Period('2026-10', 'M')
    >>> import pandas as pd
    >>> parse_month(pd.Timestamp("2026-10-31 14:00"))
    Period('2026-10', 'M')
    >>> parse_month("2026/10", name="--month")
    Traceback (most recent call last):
    ...
    pondstats.errors.InputError: --month: expected a month as YYYY-MM (e.g. 2026-10), got '2026/10'
    """
    if isinstance(value, str):
        m = _MONTH.match(value)
        if m is None or not 1 <= int(m.group(2)) <= 12:
            raise _bad(name, value, f"a month as {MONTH_FORM}")
        year, month = int(m.group(1)), int(m.group(2))
    elif isinstance(value, dt.date) and value == value:  # datetime, Timestamp; not NaT
        year, month = value.year, value.month
    else:
        import pandas as pd

        if isinstance(value, pd.Period):
            return value.asfreq("M")
        raise _bad(name, value, f"a month as {MONTH_FORM}")
    import pandas as pd

    return pd.Period(year=year, month=month, freq="M")


def parse_day(value: Any, *, name: str | None = "as_of") -> pd.Timestamp:
    """A day (midnight :class:`pandas.Timestamp`) from ``"YYYY-MM-DD"`` or a date.

    A time of day is dropped; a time-zone-aware timestamp keeps its local
    day and loses the zone.

    Parameters
    ----------
    value
        ``"2026-10-31"``, or a ``datetime.date`` / ``datetime`` /
        :class:`pandas.Timestamp` / ``numpy.datetime64``.
    name
        The parameter as the caller wrote it (``"--as-of"`` on the command
        line); None leaves it out.

    Raises
    ------
    InputError
        For anything else: ``"2026/10/31"``, ``"2026-02-30"``, ``"2026-10"``.

    Examples
    --------
    >>> parse_day("2026-10-31")
    Timestamp('2026-10-31 00:00:00')
    >>> parse_day("2026-02-30", name="--as-of")
    Traceback (most recent call last):
    ...
    pondstats.errors.InputError: --as-of: expected a day as YYYY-MM-DD (e.g. 2026-10-31), got '2026-02-30' (no such day)
    """
    if isinstance(value, str):
        m = _DAY.match(value)
        if m is None:
            raise _bad(name, value, f"a day as {DAY_FORM}")
        try:
            value = dt.date(*(int(g) for g in m.groups()))
        except ValueError:
            raise _bad(name, value, f"a day as {DAY_FORM}", " (no such day)") from None
    import numpy as np
    import pandas as pd

    if isinstance(value, (dt.date, np.datetime64)):  # datetime, Timestamp too
        ts = pd.Timestamp(value)
        if not pd.isna(ts):
            return ts.tz_localize(None).normalize() if ts.tzinfo else ts.normalize()
    raise _bad(name, value, f"a day as {DAY_FORM}")
