"""The customer's life: five stages (prospect ... lapsed) and the win-back list.

The source texts describe five kinds of customer, each with its own
strategy: *prospect*, *qualified prospect*, *new customer*, *established
customer* and *lapsed customer*, and ask dealers to win lapsed customers back
(复活旧客户). :func:`lifecycle_stages` assigns each customer one stage on a
day with the rules of :class:`LifecycleRules` (documented, configurable);
:func:`winback_list` lists the lapsed customers worth a call, masked like the
call list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from pondstats._checks import check_frame
from pondstats.dates import parse_day
from pondstats.errors import InputError
from pondstats.privacy import mask_personal

__all__ = ["LIFECYCLE_STAGES", "LifecycleRules", "lifecycle_stages", "winback_list"]

#: The stages, in the order of a customer's life.
LIFECYCLE_STAGES: tuple[str, ...] = (
    "prospect",
    "qualified",
    "new_customer",
    "established",
    "lapsed",
)


@dataclass(frozen=True)
class LifecycleRules:
    """The rules of :func:`lifecycle_stages` (days are calendar days).

    A *customer* has at least one deposit that was not cancelled (a purchase;
    its day is the delivery day when delivered, else the deposit day). The
    rules are applied in this order:

    * customer silent (no visit, deposit or delivery) for more than
      ``customer_lapse_days`` -> ``lapsed``;
    * customer with ``established_orders`` purchases or more, or whose first
      purchase is more than ``established_days`` old -> ``established``;
    * other customers -> ``new_customer`` (first purchase within the year);
    * prospect (no purchase) silent for more than ``prospect_lapse_days`` ->
      ``lapsed``;
    * prospect who came back (2 or more visits) or whose latest grade is one
      of ``qualified_grades`` -> ``qualified``;
    * other prospects -> ``prospect``.

    Parameters
    ----------
    prospect_lapse_days : int, default 90
    customer_lapse_days : int, default 730
        24 months.
    established_orders : int, default 2
    established_days : int, default 365
    qualified_grades : tuple of str, default ("H", "A")

    Examples
    --------
    >>> from pondstats import LifecycleRules
    >>> LifecycleRules(prospect_lapse_days=60).customer_lapse_days
    730
    """

    prospect_lapse_days: int = 90
    customer_lapse_days: int = 730
    established_orders: int = 2
    established_days: int = 365
    qualified_grades: tuple[str, ...] = ("H", "A")

    def __post_init__(self) -> None:
        for name in (
            "prospect_lapse_days",
            "customer_lapse_days",
            "established_orders",
            "established_days",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise InputError(
                    f"LifecycleRules({name}=...) must be a whole number of 1 or "
                    f"more, got {value!r}."
                )


def _check(df, cols, what):
    check_frame(
        df,
        what,
        cols,
        fix=f"Clean the export first: ps.clean_{what}(ps.read_{what}(path)).data.",
    )


def lifecycle_stages(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of,
    *,
    rules: LifecycleRules | None = None,
) -> pd.DataFrame:
    """One lifecycle stage per customer on ``as_of`` (see :class:`LifecycleRules`).

    Only what happened on or before ``as_of`` counts.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned tables (``customer_key``, ``visit_date`` / ``customer_key``,
        ``deposit_date``, ``status``; ``grade``, ``delivery_date``, ``name``,
        ``phone``, ``consultant``, ``store``, ``region`` used when present).
    as_of : date-like
        The day the stages are for.
    rules : LifecycleRules, optional
        The rules (defaults as documented there).

    Returns
    -------
    DataFrame
        One row per customer: ``customer_key``, ``name``, ``phone``,
        ``consultant``, ``store``, ``region`` (of the latest contact),
        ``n_visits``, ``n_purchases``, ``first_contact``, ``last_contact``,
        ``first_purchase``, ``last_purchase``, ``days_silent``,
        ``last_grade``, ``stage`` (one of :data:`LIFECYCLE_STAGES`) and
        ``was_customer`` (a lapsed customer rather than a lapsed prospect).
        Not masked: mask with :func:`pondstats.privacy.mask_personal` before
        sharing, or use :func:`winback_list`.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> v = pd.DataFrame({"customer_key": ["a", "b", "b", "c", "d"],
    ...     "visit_date": pd.to_datetime(["2026-09-20", "2026-08-01", "2026-09-01",
    ...                                   "2026-03-01", "2023-05-01"])})
    >>> d = pd.DataFrame({"customer_key": ["d", "e", "e"],
    ...     "deposit_date": pd.to_datetime(["2023-05-02", "2026-01-10", "2026-06-10"]),
    ...     "status": ["delivered", "delivered", "active"]})
    >>> ps.lifecycle_stages(v, d, "2026-10-01")[["customer_key", "stage"]]
      customer_key        stage
    0            a     prospect
    1            b    qualified
    2            c       lapsed
    3            d       lapsed
    4            e  established
    """
    r = rules or LifecycleRules()
    day = parse_day(as_of, name="as_of")
    _check(visits, ["customer_key", "visit_date"], "visits")
    _check(deposits, ["customer_key", "deposit_date", "status"], "deposits")
    end = day + pd.Timedelta(days=1)
    v = visits[(visits["visit_date"] < end).to_numpy() & visits["customer_key"].notna()]
    d = deposits[
        (deposits["deposit_date"] < end).to_numpy() & deposits["customer_key"].notna()
    ]
    bought = d[d["status"].ne("cancelled").to_numpy()]
    when = bought["deposit_date"]
    if "delivery_date" in bought.columns:
        delivered = bought["delivery_date"].where(bought["delivery_date"] < end)
        when = delivered.fillna(when)
    bought = bought.assign(_when=when.dt.normalize())
    info = [c for c in ("name", "phone", "consultant", "store", "region") if c in v]
    contacts = pd.concat(
        [
            v[["customer_key", "visit_date", *info]].rename(
                columns={"visit_date": "_day"}
            ),
            d[["customer_key", "deposit_date"]
              + [c for c in info if c in d.columns]].rename(
                columns={"deposit_date": "_day"}
            ),
            bought[["customer_key", "_when"]].rename(columns={"_when": "_day"}),
        ],
        ignore_index=True,
    )  # fmt: skip
    contacts = contacts.sort_values(["customer_key", "_day"], kind="stable")
    g = contacts.groupby("customer_key", sort=True)
    out = pd.DataFrame(
        {
            "first_contact": g["_day"].min().dt.normalize(),
            "last_contact": g["_day"].max().dt.normalize(),
        }
    )
    for c in ("name", "phone", "consultant", "store", "region"):
        out[c] = g[c].last() if c in contacts else pd.Series(np.nan, dtype="str")
    out["n_visits"] = v.groupby("customer_key").size().reindex(out.index).fillna(0)
    gb = bought.groupby("customer_key")
    out["n_purchases"] = gb.size().reindex(out.index).fillna(0)
    out["first_purchase"] = gb["_when"].min().reindex(out.index)
    out["last_purchase"] = gb["_when"].max().reindex(out.index)
    if "grade" in v.columns:
        last_grade = (
            v.sort_values("visit_date", kind="stable")
            .groupby("customer_key")["grade"]
            .last()
        )
        out["last_grade"] = last_grade.reindex(out.index).astype("str")
    else:
        out["last_grade"] = pd.Series(np.nan, index=out.index, dtype="str")
    out["days_silent"] = (day - out["last_contact"]).dt.days
    is_cust = out["n_purchases"].to_numpy() > 0
    silent = out["days_silent"].to_numpy()
    first_age = (day - out["first_purchase"]).dt.days.to_numpy()
    returned = out["n_visits"].to_numpy() >= 2
    hot = out["last_grade"].isin(list(r.qualified_grades)).to_numpy()
    stage = np.select(
        [
            is_cust & (silent > r.customer_lapse_days),
            is_cust
            & (
                (out["n_purchases"].to_numpy() >= r.established_orders)
                | (first_age > r.established_days)
            ),
            is_cust,
            silent > r.prospect_lapse_days,
            returned | hot,
        ],
        ["lapsed", "established", "new_customer", "lapsed", "qualified"],
        default="prospect",
    )
    out["stage"] = pd.Categorical(stage, categories=list(LIFECYCLE_STAGES))
    out["was_customer"] = is_cust
    out = out.reset_index()
    cols = ["customer_key", "name", "phone", "consultant", "store", "region",
            "n_visits", "n_purchases", "first_contact", "last_contact",
            "first_purchase", "last_purchase", "days_silent", "last_grade",
            "stage", "was_customer"]  # fmt: skip
    out = out[cols].astype({"n_visits": "int64", "n_purchases": "int64"})
    out.attrs = {"as_of": day, "rules": r}
    return out


def winback_list(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of,
    *,
    rules: LifecycleRules | None = None,
    prospects: bool = True,
    limit: int | None = None,
    mask: bool = True,
) -> pd.DataFrame:
    """Lapsed customers worth a call (复活旧客户), the most valuable first.

    Lapsed *customers* (who bought before) come first, by number of purchases
    and then the most recent purchase; then, with ``prospects=True``, lapsed
    prospects who had shown real interest (came back, or graded H/A), the most
    recently silent first.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned tables.
    as_of : date-like
        The day the list is made for.
    rules : LifecycleRules, optional
        As in :func:`lifecycle_stages`.
    prospects : bool, default True
        Include the lapsed prospects who had shown interest.
    limit : int, optional
        At most this many rows.
    mask : bool, default True
        Mask phones and names and leave out the customer key (it is the
        phone). ``mask=False`` only for people entitled to the raw contacts.

    Returns
    -------
    DataFrame
        ``rank, name, phone, consultant, store, region, was_customer,
        n_purchases, last_purchase, n_visits, last_contact, days_silent,
        last_grade`` (``customer_key`` first when not masked).

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> calls = ps.winback_list(visits, deposits, "2026-10-31", limit=3)
    >>> calls.columns[:4].tolist(), bool(calls["phone"].str.contains(r"\\*\\*\\*\\*").all())
    (['rank', 'name', 'phone', 'consultant'], True)
    """
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or limit < 1
    ):
        raise InputError(f"limit must be a whole number of 1 or more, got {limit!r}.")
    st = lifecycle_stages(visits, deposits, as_of, rules=rules)
    r = st.attrs["rules"]
    lapsed = st[st["stage"].eq("lapsed").to_numpy()]
    interested = (lapsed["n_visits"] >= 2) | lapsed["last_grade"].isin(
        list(r.qualified_grades)
    )
    keep = lapsed["was_customer"] | (interested if prospects else False)
    out = lapsed[keep.to_numpy()].sort_values(
        ["was_customer", "n_purchases", "last_purchase", "last_contact"],
        ascending=[False, False, False, False],
        kind="stable",
        na_position="last",
    )
    if limit is not None:
        out = out.head(limit)
    out = out.reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    cols = ["rank", "customer_key", "name", "phone", "consultant", "store", "region",
            "was_customer", "n_purchases", "last_purchase", "n_visits",
            "last_contact", "days_silent", "last_grade"]  # fmt: skip
    out = out[cols]
    if mask:
        out = mask_personal(out).drop(columns="customer_key")
    out.attrs = {"as_of": st.attrs["as_of"], "rules": r, "masked": mask}
    return out
