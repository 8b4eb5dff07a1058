"""The after-sale 2-4-8 follow-up list: :func:`aftercare_list` lists the calls and
visits due after a sale (phones and names masked by default, ``pondstats.privacy``)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

from pondstats._checks import check_frame
from pondstats.dates import parse_day
from pondstats.errors import DataQualityWarning, InputError
from pondstats.privacy import mask_personal

__all__ = ["AFTERCARE_STEPS", "aftercare_list"]

#: The 2-4-8 rule after a sale: (day, action).
AFTERCARE_STEPS: tuple[tuple[int, str], ...] = ((2, "call"), (4, "call"), (8, "visit"))


# ---------------------------------------------------------------------------
# after-sale follow-up (2-4-8)
# ---------------------------------------------------------------------------


def aftercare_list(
    deposits: pd.DataFrame,
    as_of: Any,
    *,
    steps: Iterable[tuple[int, str]] = AFTERCARE_STEPS,
    overdue_days: int = 7,
    mask: bool = True,
) -> pd.DataFrame:
    """After-sale contacts due or overdue on ``as_of`` (the 2-4-8 rule).

    Each deposit that is not cancelled is anchored on its delivery date when
    the car was delivered on or before ``as_of``, otherwise on its deposit
    date. The steps (default: call on day 2, call on day 4, visit on day 8)
    fall on the anchor plus their day. A step is listed when it falls on
    ``as_of`` (``due``) or within ``overdue_days`` before it (``overdue``);
    older steps are assumed handled (the exports carry no contact log).

    Parameters
    ----------
    deposits : DataFrame
        Cleaned C-cards: ``deposit_id``, ``deposit_date``, ``status``,
        ``delivery_date`` (others such as name, phone, consultant are carried).
    as_of : str or Timestamp
        The working day.
    steps : iterable of (day, action)
        The follow-up rule, default :data:`AFTERCARE_STEPS`.
    overdue_days : int
        How far back overdue steps are still listed.
    mask : bool
        Mask phones and names.

    Returns
    -------
    DataFrame
        ``deposit_id, name, phone, consultant, store, model, anchor
        (delivery/deposit), anchor_date, day, action, due_date,
        days_overdue, state (due/overdue)``; most overdue first.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> deposits = pd.DataFrame({
    ...     "deposit_id": ["D1", "D2", "D3"],
    ...     "deposit_date": pd.to_datetime(["2026-09-01", "2026-10-06", "2026-10-01"]),
    ...     "status": ["delivered", "active", "cancelled"],
    ...     "delivery_date": pd.to_datetime(["2026-10-02", None, None]),
    ... })
    >>> ps.aftercare_list(deposits, "2026-10-10")[["deposit_id", "anchor", "day",
    ...                                           "action", "state", "days_overdue"]]
      deposit_id    anchor  day action    state  days_overdue
    0         D1  delivery    2   call  overdue             6
    1         D1  delivery    4   call  overdue             4
    2         D2   deposit    2   call  overdue             2
    3         D1  delivery    8  visit      due             0
    4         D2   deposit    4   call      due             0
    """
    check_frame(
        deposits,
        "deposits",
        ("deposit_id", "deposit_date", "status"),
        fix="Read and clean the export first: ps.clean_deposits(ps.read_deposits(path)).data.",
    )
    steps = tuple(steps)
    if not steps or any(int(d) < 0 for d, _ in steps):
        raise InputError(
            f"steps must be (day, action) pairs with day >= 0, got {steps!r}."
        )
    day = parse_day(as_of, name="as_of")
    d = deposits.loc[deposits["status"] != "cancelled"]
    no_date = d["deposit_date"].isna()
    if no_date.any():
        warnings.warn(
            f"{int(no_date.sum())} deposits have no deposit_date and get no follow-up "
            "steps; fix their dates in the export.",
            DataQualityWarning,
            stacklevel=2,
        )
        d = d.loc[~no_date]
    delivery = (
        d["delivery_date"] if "delivery_date" in d else pd.Series(pd.NaT, index=d.index)
    )
    delivered = delivery.notna() & (delivery.dt.normalize() <= day)
    anchor_date = delivery.where(delivered, d["deposit_date"]).dt.normalize()
    carry = [
        c
        for c in ("deposit_id", "name", "phone", "consultant", "store", "model")
        if c in d
    ]
    base = d[carry].assign(
        anchor=np.where(delivered, "delivery", "deposit"), anchor_date=anchor_date
    )
    rows = [
        base.assign(
            day=int(n),
            action=str(act),
            due_date=anchor_date + pd.Timedelta(days=int(n)),
        )
        for n, act in steps
    ]
    tasks = pd.concat(rows, ignore_index=True)
    tasks["days_overdue"] = (day - tasks["due_date"]).dt.days
    tasks = tasks.loc[
        (tasks["days_overdue"] >= 0) & (tasks["days_overdue"] <= overdue_days)
    ]
    tasks["state"] = np.where(tasks["days_overdue"] > 0, "overdue", "due")
    tasks["anchor"] = tasks["anchor"].astype("str")
    tasks = tasks.sort_values(
        ["days_overdue", "deposit_id", "day"],
        ascending=[False, True, True],
        kind="stable",
    )
    tasks = tasks.reset_index(drop=True)
    return mask_personal(tasks) if mask else tasks
