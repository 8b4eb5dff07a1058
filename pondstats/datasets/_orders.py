"""The sample dealer's earlier orders: repeat buyers, owners back, lapsed owners.

The visits and deposits of :func:`pondstats.make_sample` cover 24 months and
every customer buys once, so no one there has bought twice or been silent
for two years. A dealer's DMS holds the years before too: the *order
history* (历史订单). :func:`make_sample_history` plants, from a random
stream of its own (``default_rng([random_state, 18])``), the orders of the
five years before the sample window:

* **repeat buyers**: :data:`REPEAT_SHARE` of the window's buyers (a deposit
  not cancelled) had bought a car from the group at least a year before;
* **owners back**: :data:`OWNERS_BACK_SHARE` of the window's prospects who
  did not buy are owners, shopping for the next car;
* **quiet owners**: about :data:`QUIET_OWNERS` customers who bought before
  the window and were never seen in it; :data:`QUIET_TWICE_SHARE` of them
  bought twice. Those silent for more than 24 months on the last day are
  *lapsed customers*, the win-back list's first calls.

The existing files keep their bytes: the orders are a new export,
``deposits_history.csv``, in the layout of ``deposits.xlsx``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pondstats.datasets._parts import _int_str, _mobiles, _names

__all__ = [
    "HISTORY_YEARS",
    "OWNERS_BACK_SHARE",
    "QUIET_OWNERS",
    "QUIET_TWICE_SHARE",
    "REPEAT_SHARE",
    "make_sample_history",
]

HISTORY_YEARS = 5
REPEAT_SHARE = 0.08
OWNERS_BACK_SHARE = 0.04
QUIET_OWNERS = 2500
QUIET_TWICE_SHARE = 0.06
_CANCEL_P = 0.04
_MODELS = ("悦行S3", "悦行S5", "悦行X7", "悦行M8")  # the EV came later
_MODEL_P = np.array([0.35, 0.35, 0.20, 0.10])


def _days(a: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype="datetime64[ns]").astype("datetime64[D]")


def make_sample_history(sample, *, random_state: int = 0, exclude=()):
    """The orders of the five years before the sample window, with their roles.

    Parameters
    ----------
    sample : Sample
        From :func:`pondstats.make_sample`.
    random_state : int, default 0
        Seed of the history's own stream (``[random_state, 18]``).
    exclude : iterable of str
        Customer keys (phones) the quiet owners must not get (e.g. the
        inquiries' leads).

    Returns
    -------
    (orders, roles)
        ``orders``: canonical deposits (:data:`pondstats.schema.DEPOSIT_COLUMNS`)
        sorted by deposit date; ``roles``: one row per history customer,
        ``customer_key`` and ``role`` (``repeat``, ``owner_back``, ``quiet``),
        ``orders`` (1 or 2) and ``last_contact`` (in the history).

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> from pondstats.datasets._orders import make_sample_history
    >>> orders, roles = make_sample_history(ps.make_sample(n_zones=3, months=3))
    >>> sorted(roles["role"].unique())
    ['owner_back', 'quiet', 'repeat']
    >>> bool(orders["deposit_date"].max() < pd.Timestamp("2026-08-01"))
    True
    """
    rng = np.random.default_rng([random_state, 18])
    v, d = sample.visits, sample.deposits
    start = sample.spend["month"].min().start_time.normalize()
    first = np.datetime64(start - pd.DateOffset(years=HISTORY_YEARS), "D")
    start_d = np.datetime64(start, "D")
    t = sample.truth
    zones = t.zones
    cons = t.consultants

    # repeat buyers: window buyers with an order at least a year before
    bought = d[d["status"].ne("cancelled").to_numpy()].sort_values("deposit_date")
    bought = bought.drop_duplicates("customer_key")
    rep = bought[rng.random(len(bought)) < REPEAT_SHARE]
    # owners back: window prospects without any deposit
    seen = v.sort_values("visit_date", kind="stable").drop_duplicates("customer_key")
    seen = seen[~seen["customer_key"].isin(set(d["customer_key"]))]
    back = seen[rng.random(len(seen)) < OWNERS_BACK_SHARE]

    def known(rows, when):
        latest = _days(when) - 365
        span = np.maximum((latest - first).astype(int), 1)
        day = first + np.floor(rng.random(len(rows)) * span).astype(int)
        day = np.minimum(day, start_d - 1)
        return pd.DataFrame(
            {
                "customer_key": rows["customer_key"].to_numpy(),
                "name": rows["name"].to_numpy(),
                "region": rows["region"].to_numpy(),
                "store": rows["store"].to_numpy(),
                "day": day,
            }
        )

    a = known(rep, rep["deposit_date"]).assign(role="repeat")
    b = known(back, back["visit_date"]).assign(role="owner_back")

    # quiet owners: new people, zones by size
    k = int(rng.poisson(QUIET_OWNERS))
    w = zones["size"].to_numpy(dtype=float)
    z = rng.choice(len(zones), size=k, p=w / w.sum())
    taken = set(v["customer_key"]) | set(d["customer_key"]) | set(exclude)
    phones = pd.Series(_int_str(_mobiles(rng, 2 * k)))
    phones = phones[~phones.isin(taken)].drop_duplicates().iloc[:k].to_numpy()
    span = (start_d - first).astype(int)
    q = pd.DataFrame(
        {
            "customer_key": phones,
            "name": np.asarray(_names(rng, k)),
            "region": zones["region"].to_numpy()[z],
            "store": zones["store"].to_numpy()[z],
            "day": first + np.floor(rng.random(k) * span).astype(int),
            "role": "quiet",
        }
    )
    twice = q[rng.random(k) < QUIET_TWICE_SHARE].copy()
    gap = 365 + np.floor(rng.random(len(twice)) * 3 * 365).astype(int)
    twice["day"] = _days(twice["day"]) - gap
    twice = twice[_days(twice["day"]) >= first].assign(earlier=True)
    o = pd.concat([a, b, q, twice], ignore_index=True)
    o["earlier"] = o["earlier"].fillna(False).astype(bool)

    # the order: consultant of its store, model, amount, delivery
    n = len(o)
    store_cons = {s: g["consultant"].to_numpy() for s, g in cons.groupby("store")}
    u = rng.random(n)
    o["consultant"] = [
        store_cons[s][int(x * len(store_cons[s]))]
        for s, x in zip(o["store"], u, strict=True)
    ]
    o["model"] = np.asarray(_MODELS)[rng.choice(len(_MODELS), size=n, p=_MODEL_P)]
    o["amount"] = rng.choice([5000.0, 10000.0], size=n, p=[0.7, 0.3])
    lo, hi = t.delivery_days
    deliver = _days(o["day"]) + rng.integers(lo, hi + 1, n)
    # only the earlier order of a two-order owner is ever cancelled: everyone
    # in the history bought at least once
    cancelled = (rng.random(n) < _CANCEL_P) & o["earlier"].to_numpy()
    o["status"] = np.where(cancelled, "cancelled", "delivered")
    o["delivery_date"] = pd.Series(deliver.astype("datetime64[ns]")).where(~cancelled)
    o = o.sort_values(["day", "customer_key"], kind="stable").reset_index(drop=True)
    seq = o.groupby("day").cumcount().to_numpy() + 1
    o["deposit_id"] = (
        "SO" + pd.Series(o["day"].to_numpy()).dt.strftime("%Y%m%d")
        + pd.Series(_int_str(seq)).str.zfill(3)
    ).to_numpy()  # fmt: skip
    orders = pd.DataFrame(
        {
            "deposit_id": pd.array(o["deposit_id"], dtype="str"),
            "customer_key": pd.array(o["customer_key"], dtype="str"),
            "name": pd.array(o["name"], dtype="str"),
            "phone": pd.array(o["customer_key"], dtype="str"),
            "deposit_date": o["day"].to_numpy().astype("datetime64[ns]"),
            "amount": o["amount"].astype("float64"),
            "region": pd.array(o["region"], dtype="str"),
            "store": pd.array(o["store"], dtype="str"),
            "consultant": pd.array(o["consultant"], dtype="str"),
            "model": pd.array(o["model"], dtype="str"),
            "status": pd.array(o["status"], dtype="str"),
            "delivery_date": o["delivery_date"].astype("datetime64[ns]"),
        }
    )
    bought_h = orders[orders["status"].eq("delivered").to_numpy()]
    contact = pd.concat(
        [orders[["customer_key", "deposit_date"]].set_axis(["k", "day"], axis=1),
         bought_h[["customer_key", "delivery_date"]].set_axis(["k", "day"], axis=1)]
    )  # fmt: skip
    last = contact.groupby("k")["day"].max()
    roles = (
        o.drop_duplicates("customer_key")[["customer_key", "role"]]
        .set_index("customer_key")
        .assign(
            orders=bought_h.groupby("customer_key").size(),
            last_contact=last,
        )
        .reset_index()
    )
    roles["orders"] = roles["orders"].fillna(0).astype("int64")
    return orders, roles
