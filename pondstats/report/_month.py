"""The report month: the data's range, the latest complete month (parsing: :mod:`pondstats.dates`)."""

from __future__ import annotations

import pandas as pd

from pondstats.dates import parse_month
from pondstats.errors import InputError

__all__ = ["parse_month", "data_range", "latest_complete_month", "check_month"]


def data_range(
    visits: pd.DataFrame, deposits: pd.DataFrame
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last record date over visits and deposits.

    Raises
    ------
    InputError
        When both tables are empty.
    """
    dates = pd.concat(
        [
            pd.Series(visits["visit_date"]).dropna(),
            pd.Series(deposits["deposit_date"]).dropna(),
        ],
        ignore_index=True,
    )
    if dates.empty:
        raise InputError(
            "expected visits (A-cards) or deposits (C-cards) with dates, found none: "
            "check that the exports were read and cleaned (see the cleaning summary)"
        )
    return pd.Timestamp(dates.min()), pd.Timestamp(dates.max())


def latest_complete_month(visits: pd.DataFrame, deposits: pd.DataFrame) -> pd.Period:
    """The latest month the data covers completely.

    The month of the last record counts as complete when that record falls in
    the month's last three days (a showroom can be quiet on the very last
    day); otherwise the month before it is the latest complete one.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"visit_date": pd.to_datetime(["2026-09-03", "2026-10-30"])})
    >>> d = pd.DataFrame({"deposit_date": pd.to_datetime(["2026-10-12"])})
    >>> latest_complete_month(v, d)
    Period('2026-10', 'M')
    >>> latest_complete_month(v.iloc[:1], d)
    Period('2026-09', 'M')
    """
    _, last = data_range(visits, deposits)
    month = pd.Period(last, freq="M")
    if last.normalize() >= month.end_time.normalize() - pd.Timedelta(days=2):
        return month
    return month - 1


def check_month(
    month: pd.Period, visits: pd.DataFrame, deposits: pd.DataFrame
) -> pd.Period:
    """``month`` if the data covers it and has A-cards in it; else InputError."""
    first, last = data_range(visits, deposits)
    lo, hi = pd.Period(first, freq="M"), pd.Period(last, freq="M")
    if not lo <= month <= hi:
        raise InputError(
            f"month {month} is outside the data, which covers {lo} .. {hi}: "
            f"pick a month in that range (e.g. --month {latest_complete_month(visits, deposits)})"
            " or leave the month out to report the latest complete month"
        )
    in_month = pd.Series(visits["visit_date"]).dt.to_period("M") == month
    if not bool(in_month.any()):
        raise InputError(
            f"no A-cards (showroom visits) are dated in {month}, although the data covers "
            f"{lo} .. {hi}: a report needs visits in its month; check that the visits export "
            "for that month was included, or pick another month"
        )
    return month
