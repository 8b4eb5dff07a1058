"""After the deposit: cancellations (退订) and deliveries (交车)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pondstats.rates._invites import (
    _as_of,
    _check_group_cols,
    _check_window,
    _proportion,
)
from pondstats.rates._linking import _as_list, _check_status, _dates, _require

__all__ = ["delivery_funnel"]


def delivery_funnel(
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    overdue_days: int = 45,
    as_of=None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Cancellation and delivery rates, days to delivery and overdue open deposits.

    A deposit that never becomes a delivery is not a sale: per group, of the
    deposits (C-cards, any status) the share cancelled (退订率) and the share
    delivered (订单交车率), with Wilson intervals, the days from deposit to
    delivery, and the open (``active``) deposits older than ``overdue_days``
    on ``as_of`` (overdue for delivery).

    Parameters
    ----------
    deposits : DataFrame
        Cleaned deposits: ``deposit_date``, ``status`` and, for the days to
        delivery, ``delivery_date``.
    by : str, list of str or None, default None
        Columns of ``deposits`` to group by (store, consultant, model, ...).
    overdue_days : int, default 45
        An open deposit older than this is overdue.
    as_of : date-like, optional
        The day the data runs to (default: the last deposit or delivery day).
    level : float, default 0.95
        Coverage of the intervals.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``deposits``, ``cancelled``, ``delivered``,
        ``open``, ``overdue``, ``cancel_rate``, ``cancel_low``,
        ``cancel_high``, ``delivery_rate``, ``delivery_low``,
        ``delivery_high``, ``median_days_to_delivery``,
        ``mean_days_to_delivery``.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> dep = pd.DataFrame({
    ...     "deposit_date": pd.to_datetime(["2026-08-01", "2026-08-05", "2026-09-01",
    ...                                     "2026-10-20"]),
    ...     "status": ["delivered", "cancelled", "active", "active"],
    ...     "delivery_date": pd.to_datetime(["2026-08-21", None, None, None])})
    >>> t = ps.delivery_funnel(dep, as_of="2026-10-31")
    >>> t[["deposits", "cancelled", "delivered", "open", "overdue", "delivery_rate"]]
       deposits  cancelled  delivered  open  overdue  delivery_rate
    0         4          1          1     2        1           0.25
    >>> float(t["median_days_to_delivery"].iloc[0])
    20.0
    """
    by_cols = _as_list(by)
    _require(deposits, ["deposit_date", "status"], "deposits")
    _check_group_cols(deposits, by_cols, "deposits")
    _dates(deposits["deposit_date"], "deposits['deposit_date']")
    overdue = _check_window(overdue_days, "overdue_days")
    has_delivery = "delivery_date" in deposits.columns
    day = _as_of(
        as_of,
        (deposits, "deposit_date"),
        (deposits, "delivery_date") if has_delivery else (None, ""),
    )
    status = _check_status(deposits)
    units = deposits[by_cols].copy()
    units["cancelled"] = status.eq("cancelled").to_numpy()
    units["delivered"] = status.eq("delivered").to_numpy()
    units["open"] = status.eq("active").to_numpy()
    age = (day - deposits["deposit_date"].dt.normalize()).dt.days
    units["overdue"] = units["open"].to_numpy() & (age > overdue).to_numpy()
    if has_delivery:
        _dates(deposits["delivery_date"], "deposits['delivery_date']")
        lag = (
            deposits["delivery_date"].dt.normalize()
            - deposits["deposit_date"].dt.normalize()
        ).dt.days
        units["days"] = lag.where(units["delivered"].to_numpy()).to_numpy()
    else:
        units["days"] = np.nan
    keys = by_cols or ["_all"]
    if not by_cols:
        units["_all"] = 0
    g = units.groupby(keys, dropna=False, sort=True, observed=True)
    out = pd.DataFrame(
        {
            "deposits": g.size(),
            "cancelled": g["cancelled"].sum(),
            "delivered": g["delivered"].sum(),
            "open": g["open"].sum(),
            "overdue": g["overdue"].sum(),
            "median_days_to_delivery": g["days"].median(),
            "mean_days_to_delivery": g["days"].mean(),
        }
    ).reset_index()
    for name, col in (("cancel", "cancelled"), ("delivery", "delivered")):
        p = _proportion(out[col], out["deposits"], level=level)
        out[f"{name}_rate"] = p["rate"].to_numpy()
        out[f"{name}_low"] = p["ci_low"].to_numpy()
        out[f"{name}_high"] = p["ci_high"].to_numpy()
    cols = [
        *by_cols,
        "deposits",
        "cancelled",
        "delivered",
        "open",
        "overdue",
        "cancel_rate",
        "cancel_low",
        "cancel_high",
        "delivery_rate",
        "delivery_low",
        "delivery_high",
        "median_days_to_delivery",
        "mean_days_to_delivery",
    ]
    out = out[cols].astype(
        {c: "int64" for c in ("deposits", "cancelled", "delivered", "open", "overdue")}
    )
    out.attrs = {"as_of": day, "overdue_days": overdue, "level": level}
    return out
