"""Calls a team can make, and where the consultant's grade and the model disagree.

:func:`schedule_calls` turns a call list (:func:`pondstats.call_list`) into
the next days' calls: each consultant makes at most ``capacity`` calls a day;
each day, the leads due by then (``next_contact``) that are not yet booked
are called in order of expected deposits (the calibrated probability),
highest first. What does not fit in the window *waits beyond capacity*.

:func:`grade_disagreements` lists the open leads whose consultant grade
(H/A/B/C, written at the visit) is still current and whose model tier
differs from it by two or more levels, for a manager's review.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from pondstats.dates import parse_day
from pondstats.errors import InputError
from pondstats.vocab import LEAD_WORDS, lang_table

__all__ = [
    "GRADE_LEVELS",
    "GRADE_HORIZON_DAYS",
    "capacity_from_visits",
    "grade_disagreements",
    "schedule_calls",
]

#: H is the nearest horizon, C the farthest (DOMAIN.md).
GRADE_LEVELS: dict[str, int] = {"H": 0, "A": 1, "B": 2, "C": 3}
#: Days a consultant's grade stays current after the visit it was given at:
#: its purchase horizon (DOMAIN.md: H about 7 days, A 15, B 30, C 60-90).
#: Past it the grade has lapsed (the customer did not buy in the time the
#: grade said); on the sample dealer lapsed grades close no better than C.
GRADE_HORIZON_DAYS: dict[str, int] = {"H": 7, "A": 15, "B": 30, "C": 90}
_NONE = "(none)"


def capacity_from_visits(
    visits: pd.DataFrame, as_of: Any, *, window_days: int = 28
) -> int:
    """Calls a consultant can make per day, from the data: the visits a
    consultant registered per working day (a day with at least one visit)
    over the ``window_days`` before ``as_of``, averaged over consultants and
    rounded up (at least 1). A floor: a consultant calls at least as many
    prospects a day as walk in; pass a number when the team's figure is known.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.leads._schedule import capacity_from_visits
    >>> v = pd.DataFrame({"consultant": ["刘", "刘", "刘", "陈"],
    ...                   "visit_date": pd.to_datetime(["2026-09-28", "2026-09-28",
    ...                                                 "2026-09-29", "2026-09-29"])})
    >>> capacity_from_visits(v, "2026-09-30")  # 刘 1.5 a day, 陈 1: mean 1.25
    2
    """
    day = parse_day(as_of, name="as_of")
    if "consultant" not in visits or "visit_date" not in visits:
        return 1
    start = day - pd.Timedelta(days=window_days)
    w = visits.loc[
        (visits["visit_date"] >= start)
        & (visits["visit_date"] < day + pd.Timedelta(days=1))
        & visits["consultant"].notna()
    ]
    if w.empty:
        return 1
    per_day = w.groupby(["consultant", w["visit_date"].dt.normalize()]).size()
    mean = per_day.groupby(level=0).mean().mean()
    return max(1, math.ceil(float(mean)))


def schedule_calls(
    calls: pd.DataFrame,
    as_of: Any,
    *,
    capacity: int | str = "auto",
    days: int = 5,
    visits: pd.DataFrame | None = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Book the next ``days`` days' calls, ``capacity`` per consultant per day.

    Parameters
    ----------
    calls : DataFrame
        A call list: ``consultant``, ``probability``, ``next_contact``.
    as_of : str or Timestamp
        The first day of the schedule.
    capacity : int or "auto"
        Calls per consultant per day; ``"auto"`` takes
        :func:`capacity_from_visits` (needs ``visits``).
    days : int
        Days scheduled.
    visits : DataFrame, optional
        A-cards, for ``capacity="auto"``.
    lang : {"zh", "en"}
        Language of ``call_state_text``.

    Returns
    -------
    DataFrame
        ``calls`` (same rows and order) with ``call_day`` (the booked day,
        NaT when not booked), ``call_state`` (``scheduled``; ``waiting``: due
        within the window but beyond capacity; ``later``: not due yet) and
        ``call_state_text``. ``attrs["capacity"]`` holds the capacity used.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.leads._schedule import schedule_calls
    >>> calls = pd.DataFrame({
    ...     "consultant": ["刘", "刘", "刘", "陈"],
    ...     "probability": [0.4, 0.3, 0.2, 0.1],
    ...     "next_contact": pd.to_datetime(["2026-10-01"] * 3 + ["2026-10-20"])})
    >>> s = schedule_calls(calls, "2026-10-01", capacity=1, days=2, lang="en")
    >>> s[["call_day", "call_state"]]
        call_day call_state
    0 2026-10-01  scheduled
    1 2026-10-02  scheduled
    2        NaT    waiting
    3        NaT      later
    """
    day = parse_day(as_of, name="as_of")
    missing = [
        c for c in ("consultant", "probability", "next_contact") if c not in calls
    ]
    if missing:
        raise InputError(
            f"calls lacks the column(s) {missing}; pass a call list made by ps.call_list."
        )
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
    if not isinstance(days, (int, np.integer)) or days < 1:
        raise InputError(f"days must be a positive whole number, got {days!r}.")
    if isinstance(capacity, str):
        if capacity != "auto":
            raise InputError(
                f"capacity must be a number of calls per consultant per day or 'auto', "
                f"got {capacity!r}."
            )
        if visits is None:
            raise InputError(
                "capacity='auto' reads the consultants' daily visits: pass visits=, "
                "or give capacity as a number (e.g. capacity=20)."
            )
        cap = capacity_from_visits(visits, day)
    else:
        if not isinstance(capacity, (int, np.integer)) or capacity < 1:
            raise InputError(
                "capacity must be a whole number of calls per consultant per day "
                f"(1 or more) or 'auto', got {capacity!r}."
            )
        cap = int(capacity)
    n = len(calls)
    booked = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    due = calls["next_contact"].dt.normalize().to_numpy(dtype="datetime64[ns]")
    prob = calls["probability"].astype(float).to_numpy()
    who = calls["consultant"].astype("object").where(calls["consultant"].notna(), _NONE)
    last = day + pd.Timedelta(days=days - 1)
    for _, pos in who.groupby(who, sort=False).indices.items():
        pos = pos[np.argsort(-prob[pos], kind="stable")]  # highest expected first
        free = np.ones(len(pos), dtype=bool)
        for d in range(days):
            date = np.datetime64(day + pd.Timedelta(days=d), "ns")
            pick = np.flatnonzero(free & (due[pos] <= date))[:cap]
            booked[pos[pick]] = date
            free[pick] = False
    state = np.where(
        ~np.isnat(booked),
        "scheduled",
        np.where(due <= np.datetime64(last, "ns"), "waiting", "later"),
    )
    words = lang_table(LEAD_WORDS)[lang]
    out = calls.assign(
        call_day=pd.to_datetime(booked),
        call_state=pd.Series(state, index=calls.index, dtype="str"),
    )
    out["call_state_text"] = out["call_state"].map(words).astype("str")
    out.attrs["capacity"] = cap
    return out


def grade_disagreements(
    calls: pd.DataFrame,
    *,
    min_levels: int = 2,
    as_of: Any = None,
    lang: str = "zh",
) -> pd.DataFrame:
    """Open leads whose current consultant grade and model tier differ by
    ``min_levels`` or more (H, A, B, C are one level apart), for a manager's
    review.

    Leads without an H/A/B/C grade (blank, O, F) are left out, and so are
    grades that have lapsed: a grade is a purchase horizon
    (:data:`GRADE_HORIZON_DAYS`), so an H given at a visit three weeks ago
    that did not turn into a deposit says nothing about today (on the sample
    dealer lapsed H, A and B grades close at under 0.7% within 30 days,
    current ones at 4-11%); the lead wants a new grade at its next contact,
    not a review. Needs ``last_visit`` for that (the call list has it); a
    frame without it keeps every grade.

    Parameters
    ----------
    calls : DataFrame
        A call list (:func:`pondstats.call_list`): ``grade``, ``tier`` and,
        for the lapse check, ``last_visit``.
    min_levels : {1, 2, 3}
        Levels apart to be listed.
    as_of : str or Timestamp, optional
        The day of the list (its ``attrs["as_of"]`` by default, else the day
        after the latest ``last_visit``).
    lang : {"zh", "en"}
        Language of ``direction_text``.

    Returns the call list's rows with ``gap`` (levels) and ``direction``
    (``model_higher`` / ``consultant_higher``, and ``direction_text``),
    widest gaps first.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> calls = pd.DataFrame({"consultant": ["刘", "陈", "陈", "王"],
    ...                       "grade": ["C", "H", "A", "H"], "tier": ["H", "B", "A", "C"],
    ...                       "last_visit": pd.to_datetime(["2026-09-01", "2026-09-27",
    ...                                                     "2026-09-20", "2026-09-01"])})
    >>> d = ps.grade_disagreements(calls, as_of="2026-09-30", lang="en")
    >>> d[["consultant", "grade", "tier", "gap", "direction"]]  # 王's H has lapsed
      consultant grade tier  gap          direction
    0          刘     C    H    3       model_higher
    1          陈     H    B    2  consultant_higher
    """
    for col in ("grade", "tier"):
        if col not in calls:
            raise InputError(
                f"calls lacks the column {col!r}; pass a call list made by ps.call_list."
            )
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
    if not isinstance(min_levels, (int, np.integer)) or not 1 <= min_levels <= 3:
        raise InputError(f"min_levels must be 1, 2 or 3, got {min_levels!r}.")
    grade = calls["grade"].astype("str").str.strip().str.upper()
    g = grade.map(GRADE_LEVELS)
    t = calls["tier"].astype("str").map(GRADE_LEVELS)
    gap = (g - t).abs()
    keep = g.notna() & t.notna() & (gap >= min_levels)
    if "last_visit" in calls and len(calls):
        last = pd.to_datetime(calls["last_visit"]).dt.normalize()
        if as_of is None:
            as_of = calls.attrs.get("as_of", last.max() + pd.Timedelta(days=1))
        day = parse_day(as_of, name="as_of")
        age = (day - last).dt.days
        keep &= (age <= grade.map(GRADE_HORIZON_DAYS)).fillna(False)
    out = calls.loc[keep].copy()
    out["gap"] = gap[keep].astype("int64")
    out["direction"] = np.where(t[keep] < g[keep], "model_higher", "consultant_higher")
    out["direction"] = out["direction"].astype("str")
    out["direction_text"] = out["direction"].map(lang_table(LEAD_WORDS)[lang])
    out = out.sort_values("gap", ascending=False, kind="stable")
    return out.reset_index(drop=True)
