"""A small simulated dealer network with planted funnel effects, for the tests.

``simulate_network(seed, ...)`` returns cleaned-shape ``inquiries``, ``visits``
and ``deposits`` and the ``truth``: per source the planted invite rate, the
consultant whose grades are random (an inaccurate grader), and the store
whose consultants register mostly the buyers (selective logging).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

GRADES = np.array(["H", "A", "B", "C"])
GRADE_P = np.array([0.15, 0.25, 0.35, 0.25])
DEPOSIT_P = np.array([0.45, 0.28, 0.14, 0.07])  # by the true grade
LAG_RANGE = ((0, 6), (3, 14), (10, 29), (20, 85))  # days to the deposit
SOURCES = {"汽车之家": 0.35, "懂车帝": 0.20, "DCC": 0.50, "400电话": 0.15}


def simulate_network(
    seed: int,
    *,
    n_stores: int = 3,
    n_consultants: int = 8,
    days: int = 365,
    walk_ins_per_day: float = 6.0,
    inquiries_per_day: float = 8.0,
    selective_store: int | None = None,
    bad_grader: int | None = None,
    unregistered_share: float = 0.8,
):
    rng = np.random.default_rng([seed, 16])
    start = np.datetime64("2025-01-01")
    n_c = n_stores * n_consultants
    cons_store = np.repeat(np.arange(n_stores), n_consultants)
    cons_names = np.array([f"C{i:02d}" for i in range(n_c)])
    store_names = np.array([f"S{i}" for i in range(n_stores)])
    skill = np.exp(rng.normal(0, 0.25, n_c))  # honest variation of consultants

    # inquiries: some invited (visit within 0-25 days), the rest never come
    n_inq = rng.poisson(inquiries_per_day * days)
    src_names = np.array(list(SOURCES))
    src_rate = np.array(list(SOURCES.values()))
    i_src = rng.integers(0, len(src_names), n_inq)
    i_day = start + rng.integers(0, days, n_inq)
    invited = rng.random(n_inq) < src_rate[i_src]
    i_lag = rng.integers(0, 26, n_inq)

    # prospects: invited inquiries + walk-ins
    n_walk = rng.poisson(walk_ins_per_day * days)
    inv = np.flatnonzero(invited)
    p_day = np.concatenate(
        [i_day[inv] + i_lag[inv], start + rng.integers(0, days, n_walk)]
    )
    n_p = len(p_day)
    p_key = np.arange(n_p)
    i_key = np.full(n_inq, -1)
    i_key[inv] = p_key[: len(inv)]
    never = np.flatnonzero(~invited)
    i_key[never] = n_p + np.arange(len(never))  # leads who never came
    cons = rng.integers(0, n_c, n_p)
    true_g = rng.choice(4, size=n_p, p=GRADE_P)
    logit = np.log(DEPOSIT_P[true_g] / (1 - DEPOSIT_P[true_g])) + np.log(skill[cons])
    buys = rng.random(n_p) < 1 / (1 + np.exp(-logit))
    lo = np.array([r[0] for r in LAG_RANGE])[true_g]
    hi = np.array([r[1] for r in LAG_RANGE])[true_g]
    lag = lo + np.floor(rng.random(n_p) * (hi - lo + 1)).astype(int)
    d_day = p_day + lag
    shown = true_g.copy()
    if bad_grader is not None:
        m = cons == bad_grader
        shown[m] = rng.choice(4, size=int(m.sum()), p=GRADE_P)
    returns = rng.random(n_p) < 0.3
    ret_day = p_day + 1 + np.minimum(rng.integers(0, 20, n_p), np.maximum(lag - 1, 0))

    # selective logging: most non-buyers never registered, buyers on the deposit day
    v_day = p_day.copy()
    registered = np.ones(n_p, dtype=bool)
    if selective_store is not None:
        sel = cons_store[cons] == selective_store
        registered &= ~(sel & ~buys & (rng.random(n_p) < unregistered_share))
        late = sel & buys & (rng.random(n_p) < unregistered_share)
        v_day = np.where(late, d_day, v_day)
        returns &= ~late
    end = start + days
    keep = registered & (v_day < end)
    v1 = pd.DataFrame(
        {"p": p_key[keep], "visit_date": v_day[keep], "grade": GRADES[shown[keep]]}
    )
    rk = keep & returns & (ret_day < end) & (~buys | (ret_day <= d_day))
    v2 = pd.DataFrame(
        {"p": p_key[rk], "visit_date": ret_day[rk], "grade": GRADES[shown[rk]]}
    )
    v = pd.concat([v1, v2]).sort_values(["p", "visit_date"], kind="stable")
    v = v.drop_duplicates(["p", "visit_date"])
    v["visit_no"] = v.groupby("p").cumcount() + 1
    visits = pd.DataFrame(
        {
            "visit_id": [f"A{i:06d}" for i in range(len(v))],
            "customer_key": ("k" + v["p"].astype(str)).to_numpy(),
            "visit_date": v["visit_date"].to_numpy().astype("datetime64[ns]"),
            "visit_no": v["visit_no"].to_numpy().astype("int64"),
            "consultant": cons_names[cons[v["p"].to_numpy()]],
            "store": store_names[cons_store[cons[v["p"].to_numpy()]]],
            "grade": v["grade"].to_numpy(),
        }
    ).reset_index(drop=True)
    bd = np.flatnonzero(buys & (d_day < end))
    status = np.where(rng.random(len(bd)) < 0.05, "cancelled", "active")
    deposits = pd.DataFrame(
        {
            "deposit_id": [f"D{i:06d}" for i in range(len(bd))],
            "customer_key": np.char.add("k", bd.astype(str)),
            "deposit_date": d_day[bd].astype("datetime64[ns]"),
            "status": status,
            "consultant": cons_names[cons[bd]],
            "store": store_names[cons_store[cons[bd]]],
        }
    )
    inquiries = pd.DataFrame(
        {
            "inquiry_id": [f"L{i:06d}" for i in range(n_inq)],
            "customer_key": np.char.add("k", i_key.astype(str)),
            "inquiry_date": i_day.astype("datetime64[ns]"),
            "source": src_names[i_src],
        }
    )
    truth = {
        "invite_rates": dict(SOURCES),
        "bad_grader": None if bad_grader is None else cons_names[bad_grader],
        "selective_store": None
        if selective_store is None
        else store_names[selective_store],
        "selective_consultants": []
        if selective_store is None
        else list(cons_names[cons_store == selective_store]),
        "end": pd.Timestamp(end) - pd.Timedelta(days=1),
    }
    return inquiries, visits, deposits, truth


#: Planted lost-deal profile per store: share of the non-buyers marked lost
#: (grade F on their last visit) and the mix of their reasons.
LOST_PROFILE = {
    "S0": (0.30, {"价格": 0.6, "竞品": 0.3, "贷款": 0.1}),
    "S1": (0.60, {"竞品": 0.7, "价格": 0.2, "无现车": 0.1}),
    "S2": (0.10, {"无现车": 0.5, "价格": 0.3, "贷款": 0.2}),
}


def add_lost_reasons(visits: pd.DataFrame, deposits: pd.DataFrame, seed: int):
    """A copy of ``visits`` whose lost prospects (by :data:`LOST_PROFILE`) have
    their last visit graded F with a ``lost_reason``; drawn from its own stream."""
    rng = np.random.default_rng([seed, 16, 2])
    v = visits.copy()
    v["lost_reason"] = pd.Series(np.nan, index=v.index, dtype="str")
    buyers = set(deposits["customer_key"])
    last = v.sort_values("visit_date", kind="stable").groupby("customer_key").tail(1)
    last = last[~last["customer_key"].isin(buyers)]
    for store, (share, mix) in LOST_PROFILE.items():
        rows = last.index[(last["store"] == store).to_numpy()]
        lost = rows[rng.random(len(rows)) < share]
        reasons = rng.choice(list(mix), size=len(lost), p=list(mix.values()))
        v.loc[lost, "grade"] = "F"
        v.loc[lost, "lost_reason"] = reasons
    return v


def add_history(visits: pd.DataFrame, deposits: pd.DataFrame, seed: int):
    """Copies of the tables with planted old customers, and their true stages.

    ``n`` repeat buyers (two purchases, the second recent), lapsed customers
    (one purchase about three years before the end, silent since) and new
    customers (first purchase a few months before the end), keyed ``h...``.
    """
    rng = np.random.default_rng([seed, 16, 3])
    end = deposits["deposit_date"].max().normalize()
    rows, truth = [], {}
    for i in range(30):
        kind = ("established", "lapsed", "new_customer")[i % 3]
        key = f"h{i:03d}"
        if kind == "established":
            days = [int(rng.integers(400, 700)), int(rng.integers(10, 60))]
        elif kind == "lapsed":
            days = [int(rng.integers(1000, 1200))]
        else:
            days = [int(rng.integers(30, 200))]
        for d in days:
            rows.append((key, end - pd.Timedelta(days=d)))
        truth[key] = kind
    hist = pd.DataFrame(rows, columns=["customer_key", "deposit_date"])
    hist["deposit_id"] = [f"H{i:05d}" for i in range(len(hist))]
    hist["status"] = "delivered"
    hist["delivery_date"] = hist["deposit_date"] + pd.Timedelta(days=20)
    hist = hist[hist["delivery_date"] <= end]
    dep = pd.concat([deposits, hist], ignore_index=True)
    return visits, dep, truth, end
