"""The store that joined the sample dealer group and registers mostly its buyers.

A store whose consultants register mostly the visitors who buy cannot be
planted in the group's own exports without changing their pinned counts (it
needs A-cards taken away). So the sample plants it the way it happens: a
store joins the group (:data:`JOINING_STORE`, in 龙湾区 and 江口区, from
2026-05) and sends its own exports, ``store_longwan_visits.csv`` and
``store_longwan_deposits.csv``, in the group's layout. Its prospects are
simulated honestly (about as likely to buy as the group's); its consultants
then leave :data:`UNREGISTERED_SHARE` of the visitors who do not buy
unregistered and register :data:`LATE_SHARE` of the buyers only on the day
of the deposit. :func:`pondstats.logging_audit` run on the group's exports
together with the store's flags the store and its consultants; the group's
own stores and consultants stay clean.

Drawn from a stream of its own (``default_rng([random_state, 19])``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pondstats.datasets._parts import _ids, _int_str, _mobiles, _names, _order_ids

__all__ = [
    "JOINING_STORE",
    "JOINING_ZONES",
    "LATE_SHARE",
    "UNREGISTERED_SHARE",
    "make_joining_store",
]

JOINING_STORE = "龙湾店"
JOINING_ZONES: tuple[str, ...] = ("龙湾区", "江口区")
JOINING_MONTHS = 6
JOINING_CONSULTANTS = 4
PROSPECTS_PER_MONTH = 170
DEPOSIT_P = 0.13
UNREGISTERED_SHARE = 0.8
LATE_SHARE = 0.75
_GRADE_BUY = np.array([0.30, 0.35, 0.25, 0.10])
_GRADE_NOT = np.array([0.05, 0.20, 0.40, 0.35])
_SOURCES = ("自然到店", "网络", "电话", "转介绍", "外拓")
_SOURCE_P = np.array([0.40, 0.25, 0.10, 0.15, 0.10])
_MODELS = ("悦行S3", "悦行S5", "悦行X7", "悦行EV", "悦行M8")
_MODEL_P = np.array([0.28, 0.30, 0.17, 0.17, 0.08])


def make_joining_store(sample, *, random_state: int = 0, exclude=()):
    """The joining store's visits and deposits (canonical) and its prospects.

    Parameters
    ----------
    sample : Sample
        From :func:`pondstats.make_sample` (for the end date, the names taken).
    random_state : int, default 0
        Seed of the store's own stream (``[random_state, 19]``).
    exclude : iterable of str
        Customer keys (phones) its customers must not get.

    Returns
    -------
    (visits, deposits, prospects)
        ``visits`` (as registered, without ``visit_no``) and ``deposits``
        (:data:`pondstats.schema.DEPOSIT_COLUMNS`); ``prospects``: every
        prospect that came (``registered`` or not), ``buys``, ``late``
        (registered only on the deposit day).

    Examples
    --------
    >>> import pondstats as ps
    >>> from pondstats.datasets._joining import make_joining_store
    >>> v, d, p = make_joining_store(ps.make_sample(n_zones=3, months=3))
    >>> v["store"].unique().tolist(), bool(len(p) > len(v))
    (['龙湾店'], True)
    """
    rng = np.random.default_rng([random_state, 19])
    end = np.datetime64(sample.end, "D")
    months = pd.period_range(end=sample.end.to_period("M"), periods=JOINING_MONTHS)
    first = np.datetime64(months[0].start_time.normalize(), "D")
    n_days = (end - first).astype(int) + 1
    taken_names = set(sample.truth.consultants["consultant"])
    cons = [nm for nm in _names(rng, 40) if nm not in taken_names]
    cons = list(dict.fromkeys(cons))[:JOINING_CONSULTANTS]
    n = int(rng.poisson(PROSPECTS_PER_MONTH * JOINING_MONTHS))
    day = first + np.floor(rng.random(n) * n_days).astype(int)
    buys = rng.random(n) < DEPOSIT_P
    same = rng.random(n) < 0.15
    lag = np.where(same, 0, np.minimum(rng.geometric(1 / 12, n), 60))
    dep_day = day + lag
    buys &= dep_day <= end
    who = rng.integers(0, len(cons), n)
    zone = rng.integers(0, len(JOINING_ZONES), n)
    grade = np.where(
        buys,
        rng.choice(4, size=n, p=_GRADE_BUY),
        rng.choice(4, size=n, p=_GRADE_NOT),
    )
    src = rng.choice(len(_SOURCES), size=n, p=_SOURCE_P)
    model = rng.choice(len(_MODELS), size=n, p=_MODEL_P)
    late = buys & (rng.random(n) < LATE_SHARE)
    registered = np.where(buys, True, rng.random(n) >= UNREGISTERED_SHARE)
    taken = set(sample.visits["customer_key"]) | set(sample.deposits["customer_key"])
    taken |= set(exclude)
    phones = pd.Series(_int_str(_mobiles(rng, 2 * n)))
    phones = phones[~phones.isin(taken)].drop_duplicates().iloc[:n].to_numpy()
    names = np.asarray(_names(rng, n))
    secs = 60 * rng.integers(9 * 60, 20 * 60, n)
    td = rng.random(n) < np.array([0.7, 0.55, 0.4, 0.2])[grade]
    p = pd.DataFrame(
        {
            "customer_key": phones,
            "name": names,
            "first_visit": day.astype("datetime64[ns]"),
            "registered": registered,
            "buys": buys,
            "late": late,
            "deposit_date": np.where(buys, dep_day, np.datetime64("NaT")).astype(
                "datetime64[ns]"
            ),
            "consultant": np.asarray(cons)[who],
            "region": np.asarray(JOINING_ZONES)[zone],
        }
    )
    # the A-cards: on the first visit, or (late) on the deposit day
    reg = np.flatnonzero(registered)
    v_day = np.where(late[reg], dep_day[reg], day[reg])
    order = np.lexsort((reg, v_day))
    reg, v_day = reg[order], v_day[order]
    vd = v_day.astype("datetime64[ns]") + secs[reg].astype("timedelta64[s]")
    visits = pd.DataFrame(
        {
            "visit_id": _ids("LW", len(reg)),
            "customer_key": pd.array(phones[reg], dtype="str"),
            "name": pd.array(names[reg], dtype="str"),
            "phone": pd.array(phones[reg], dtype="str"),
            "visit_date": vd.astype("datetime64[ns]"),
            "region": pd.array(np.asarray(JOINING_ZONES)[zone[reg]], dtype="str"),
            "store": pd.array([JOINING_STORE] * len(reg), dtype="str"),
            "consultant": pd.array(np.asarray(cons)[who[reg]], dtype="str"),
            "source": pd.array(np.asarray(_SOURCES)[src[reg]], dtype="str"),
            "model": pd.array(np.asarray(_MODELS)[model[reg]], dtype="str"),
            "grade": pd.array(
                np.asarray(["H", "A", "B", "C"])[grade[reg]], dtype="str"
            ),
            "test_drive": pd.array(td[reg], dtype="boolean"),
        }
    )
    # the C-cards
    b = np.flatnonzero(buys)
    b = b[np.lexsort((b, dep_day[b]))]
    nd = len(b)
    lo, hi = sample.truth.delivery_days
    cancelled = rng.random(nd) < sample.truth.cancel_share
    deliver = dep_day[b] + rng.integers(lo, hi + 1, nd)
    delivered = ~cancelled & (deliver <= end) & (rng.random(nd) < 0.95)
    deposits = pd.DataFrame(
        {
            "deposit_id": pd.array(_order_ids(dep_day[b]), dtype="str"),
            "customer_key": pd.array(phones[b], dtype="str"),
            "name": pd.array(names[b], dtype="str"),
            "phone": pd.array(phones[b], dtype="str"),
            "deposit_date": dep_day[b].astype("datetime64[ns]"),
            "amount": rng.choice(
                [5000.0, 10000.0, 20000.0], size=nd, p=[0.55, 0.35, 0.1]
            ),
            "region": pd.array(np.asarray(JOINING_ZONES)[zone[b]], dtype="str"),
            "store": pd.array([JOINING_STORE] * nd, dtype="str"),
            "consultant": pd.array(np.asarray(cons)[who[b]], dtype="str"),
            "model": pd.array(np.asarray(_MODELS)[model[b]], dtype="str"),
            "status": pd.array(
                np.where(
                    cancelled, "cancelled", np.where(delivered, "delivered", "active")
                ),
                dtype="str",
            ),
            "delivery_date": pd.Series(deliver.astype("datetime64[ns]")).where(
                delivered
            ),
        }
    )
    deposits["deposit_id"] = pd.array(
        "LW" + deposits["deposit_id"].str.slice(2), dtype="str"
    )
    return visits, deposits, p
