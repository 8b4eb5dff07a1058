"""The sample dealer: a simulated dealer group with planted, known effects.

:func:`make_sample` simulates a fictional car dealer group (东湖汽车集团: three
stores, sixteen sales zones, a few dozen sales consultants) over 24 months
ending 2026-10, entirely in memory, and returns the clean canonical tables
together with the *truth* that was planted in them (zone close rates, lead
source and consultant quality, the effect of test drives and return visits,
seasonality and the marketing-spend response). Tests and notebooks compare
what pondstats estimates with that truth.

:func:`write_sample_exports` writes the tables the way a dealer management
system (DMS) exports them, messy on purpose (see :mod:`pondstats.datasets._exports`);
:func:`load_sample` reads and cleans the bundled exports in ``data/sample/``.

The generative model, per zone ``z`` and calendar month ``m``:

* spend ``s[z, m]`` varies +-40% around the zone's level;
* first-visit A-cards ``~ Poisson(seasonality[m] * (base + gain *
  (1 - exp(-s / scale))))`` (``truth.traffic_response``);
* each prospect gets a grade (H/A/B/C), a lead source, a consultant of its
  zone's store, a test-drive flag (more likely at hot grades) and may return
  (1-3 more visits, before deciding);
* the chance to pay a deposit is logistic in the zone's level plus the grade,
  source, consultant, test-drive and returner effects (odds ratios in the
  truth); the deposit comes 0-90 days after the first visit, sooner at hot
  grades; 5% of deposits are cancelled, older ones mostly delivered;
* a few percent of deposits come from customers who never registered a visit.
"""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pandas as pd

from pondstats.datasets._board import board_rng, plant_board
from pondstats.datasets._parts import (
    Sample,
    SampleTruth,
    _ids,
    _int_str,
    _mobiles,
    _names,
    _order_ids,
    _take,
    _typed,
    _zone_geometry,
)
from pondstats.datasets._plants import (
    lost_reasons_truth,
    plant_bad_grader,
    plant_lost_reasons,
)
from pondstats.errors import InputError

__all__ = ["Sample", "SampleTruth", "make_sample"]

log = logging.getLogger(__name__)

GROUP_NAME = "东湖汽车集团"

#: Fictional zone names (the first ``n_zones`` are used).
ZONE_NAMES: tuple[str, ...] = (
    "东湖区", "北岭县", "西江区", "南屏区", "青石县", "云溪区", "金港区", "白沙县",
    "松坪县", "梅岭区", "石桥县", "柳塘区", "丰源县", "龙湾区", "玉泉县", "江口区",
    "桃源县", "凤鸣区", "安平县", "清溪区", "长乐县", "新塘区", "兴隆县", "望海区",
)  # fmt: skip

#: Planted zone profile: (first visits per month at the usual spend and an
#: average month, target period close rate, first visits per month per 1000
#: households). Zones 7 and 8 have little traffic for their potential.
_PROFILE: tuple[tuple[float, float, float], ...] = (
    (140, 0.215, 1.0),  # 东湖区  large, strong
    (120, 0.075, 1.1),  # 北岭县  large, weak
    (200, 0.130, 1.2),  # 西江区  the largest, on track
    (120, 0.200, 0.9),  # 南屏区  large, strong
    (110, 0.082, 1.0),  # 青石县  large, weak
    (60, 0.140, 1.0),  # 云溪区
    (45, 0.125, 0.35),  # 金港区  traffic problem
    (35, 0.145, 0.4),  # 白沙县  traffic problem
    (30, 0.125, 1.0),  # 松坪县
    (25, 0.135, 0.9),  # 梅岭区
    (20, 0.120, 1.1),  # 石桥县
    (18, 0.130, 1.0),  # 柳塘区
    (15, 0.220, 1.0),  # 丰源县  small, extreme high on little data
    (12, 0.060, 0.8),  # 龙湾区  small, extreme low on little data
    (12, 0.205, 1.2),  # 玉泉县  small, high
    (10, 0.065, 1.0),  # 江口区  small, low
)
_EXTRA_PROFILE = (40, 0.13, 1.0)

STORES: tuple[str, ...] = ("东湖旗舰店", "西江店", "北岭店")

#: Lead sources: share of prospects and odds ratio of closing.
_SOURCES: tuple[tuple[str, float, float], ...] = (
    ("自然到店", 0.30, 1.0),
    ("网络", 0.24, 0.7),
    ("电话", 0.10, 0.9),
    ("转介绍", 0.10, 2.2),
    ("车展", 0.08, 1.2),
    ("外拓", 0.07, 0.55),
    ("社区推广", 0.06, 0.8),
    ("异业联盟", 0.05, 1.0),
)

GRADES_AT_VISIT: tuple[str, ...] = ("H", "A", "B", "C")
_GRADE_P = np.array([0.10, 0.25, 0.35, 0.30])
_GRADE_LOGODDS = np.array([1.2, 0.5, 0.0, -0.8])
_RETURN_P = np.array([0.25, 0.35, 0.33, 0.25])  # P(return | grade)
_TEST_DRIVE_P = np.array([0.70, 0.55, 0.40, 0.20])  # P(test drive | grade)
# deposit lag (days after the first visit): P(same day), gamma shape, scale
_LAG_SHAPE = ((0.35, 1.5, 3.0), (0.15, 2.0, 7.5), (0.08, 2.5, 13.0), (0.03, 8.0, 8.5))
MAX_LAG = 90
RETURNER_ODDS = 2.8
TEST_DRIVE_ODDS = 1.8
CANCEL_P = 0.05
UNLINKED_SHARE = 0.03
MODELS: tuple[str, ...] = ("悦行S3", "悦行S5", "悦行X7", "悦行EV", "悦行M8")
_MODEL_P = np.array([0.28, 0.30, 0.17, 0.17, 0.08])
_AMOUNTS = np.array([5000.0, 10000.0, 20000.0])
_AMOUNT_P = np.array([0.55, 0.35, 0.10])
#: Seasonality: Spring Festival dip (Jan/Feb), "golden September, silver October".
SEASONALITY: tuple[float, ...] = (
    0.80, 0.62, 0.95, 1.00, 1.05, 0.95, 0.90, 0.95, 1.20, 1.25, 1.08, 1.10,
)  # fmt: skip
_SPEND_PER_VISIT = 600.0  # yuan of monthly spend per usual first visit

# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _lag_pmfs() -> np.ndarray:
    """Deposit-lag pmf over 0..MAX_LAG days, shape (grade, returner, day).

    Returners' deposits come at their last return visit, at least a day after
    the first visit, so their pmf is the same shape without the same-day mass.
    """
    d = np.arange(MAX_LAG + 1, dtype=float)
    out = np.zeros((len(GRADES_AT_VISIT), 2, MAX_LAG + 1))
    for g, (p0, k, theta) in enumerate(_LAG_SHAPE):
        w = np.where(d >= 1, d ** (k - 1) * np.exp(-d / theta), 0.0)
        w = w / w.sum()
        out[g, 0] = p0 * (d == 0) + (1 - p0) * w
        out[g, 1] = w
    return out


def _solve_intercepts(
    eta0: np.ndarray, w: np.ndarray, target: np.ndarray
) -> np.ndarray:
    """Per-zone intercept ``a`` with ``sum(w * sigmoid(a + eta0)) == target``."""
    axes = tuple(range(1, eta0.ndim))
    lo = np.full(len(target), -12.0)
    hi = np.full(len(target), 6.0)
    shape = (-1,) + (1,) * (eta0.ndim - 1)
    for _ in range(60):
        mid = (lo + hi) / 2
        q = (w * _sigmoid(mid.reshape(shape) + eta0)).sum(axis=axes)
        lo = np.where(q < target, mid, lo)
        hi = np.where(q < target, hi, mid)
    return (lo + hi) / 2


def _check_args(n_zones: int, months: int, end: str, scale: float) -> pd.Period:
    if not isinstance(n_zones, (int, np.integer)) or not 1 <= n_zones <= len(
        ZONE_NAMES
    ):
        raise InputError(
            f"n_zones must be an integer from 1 to {len(ZONE_NAMES)}, got {n_zones!r}; "
            "use the default 16 for the planted profile"
        )
    if not isinstance(months, (int, np.integer)) or months < 1:
        raise InputError(f"months must be a positive integer, got {months!r}")
    if not scale > 0:
        raise InputError(f"scale multiplies traffic and must be > 0, got {scale!r}")
    try:
        return pd.Period(end, freq="M")
    except (ValueError, TypeError) as exc:
        raise InputError(f"end must be a month such as '2026-10', got {end!r}") from exc


# ---------------------------------------------------------------------------
# the simulation
# ---------------------------------------------------------------------------


def make_sample(
    random_state: int | np.random.Generator | None = 0,
    *,
    n_zones: int = 16,
    months: int = 24,
    end: str = "2026-10",
    scale: float = 1.0,
) -> Sample:
    """Simulate a dealer group with planted effects (in memory, vectorised).

    Parameters
    ----------
    random_state : int, Generator or None, default 0
        Seed; the same seed gives the same data.
    n_zones : int, default 16
        Number of sales zones (1-24). The first 16 follow the planted profile
        (two clearly weak and two clearly strong large zones, small zones with
        extreme rates on little data, two zones with little traffic for their
        potential); extra zones are medium, on-track ones.
    months : int, default 24
        Number of months simulated, ending with ``end``.
    end : str, default "2026-10"
        The last month.
    scale : float, default 1.0
        Multiplies traffic (and so every count) for benchmarks: ``scale=40``
        gives about a million visits.

    Returns
    -------
    Sample
        ``visits``, ``deposits``, ``spend``, ``zones`` and ``truth``.

    Examples
    --------
    >>> import pondstats as ps
    >>> s = ps.make_sample(random_state=1, n_zones=4, months=3)
    >>> s.visits.columns[:6].tolist()
    ['visit_id', 'customer_key', 'name', 'phone', 'visit_date', 'visit_no']
    >>> sorted(s.deposits["status"].unique())
    ['active', 'cancelled', 'delivered']
    >>> s.truth.zones[["region", "planted"]].head(2)
      region  planted
    0    东湖区   strong
    1    北岭县     weak
    """
    end_p = _check_args(n_zones, months, end, scale)
    rng = np.random.default_rng(random_state)
    nz = int(n_zones)
    prof = np.array(
        [_PROFILE[i] if i < len(_PROFILE) else _EXTRA_PROFILE for i in range(nz)]
    )
    size, target, per1000 = prof[:, 0], prof[:, 1], prof[:, 2]
    regions = np.array(ZONE_NAMES[:nz])
    codes = np.array([f"Z{i + 1:02d}" for i in range(nz)])
    potential = np.round(size / per1000 * 1000, -2)

    # -- territory, stores, consultants --------------------------------------
    geoms, zx, zy = _zone_geometry(rng, nz)
    angle = np.arctan2(zy - zy.mean(), zx - zx.mean())
    n_st = min(len(STORES), max(1, nz // 4 + (nz >= 6)))
    zone_store = (np.floor((angle + np.pi) / (2 * np.pi) * n_st).astype(int) + 1) % n_st
    n_cons = rng.integers(7, 11, n_st)
    cons_store = np.repeat(np.arange(n_st), n_cons)
    n_c = len(cons_store)
    cons_names = []
    seen: set[str] = set()
    while len(cons_names) < n_c:  # a handful of unique staff names
        for nm in _names(rng, n_c):
            if nm not in seen and len(cons_names) < n_c:
                seen.add(nm)
                cons_names.append(nm)
    cons_names = np.array(cons_names)
    cons_odds = np.exp(rng.normal(0.0, 0.4, n_c))
    cons_share = rng.uniform(0.5, 1.5, n_c)
    cons_share = cons_share / np.bincount(cons_store, cons_share)[cons_store]
    src_names = np.array([s[0] for s in _SOURCES])
    src_p = np.array([s[1] for s in _SOURCES])
    src_p = src_p / src_p.sum()
    src_odds = np.array([s[2] for s in _SOURCES])

    # -- months, spend, traffic ----------------------------------------------
    periods = pd.period_range(end=end_p, periods=int(months), freq="M")
    nm_ = len(periods)
    moy = np.asarray(periods.month) - 1
    seas = np.asarray(SEASONALITY)
    level = size * _SPEND_PER_VISIT
    spend = np.round(level[:, None] * rng.uniform(0.6, 1.4, (nz, nm_)), -2)
    base = 0.45 * size * scale
    gain = 0.55 * size * scale / (1 - np.exp(-1.0))
    lam = seas[moy][None, :] * (
        base[:, None] + gain[:, None] * (1 - np.exp(-spend / level[:, None]))
    )

    # -- intercepts so each zone hits its planted period close rate ----------
    first_day = np.asarray(periods.start_time.normalize().values, dtype="datetime64[D]")
    days_in = np.asarray(periods.days_in_month)
    end_day = np.datetime64(end_p.end_time.normalize().date(), "D")
    pmf = _lag_pmfs()
    cdf = np.cumsum(pmf, axis=-1)
    # F[z, g, r]: P(deposit date <= end | first visit in zone z, grade g, r)
    left = (end_day - first_day).astype(int)  # days from month start to end
    dd = np.arange(31)
    rem = left[:, None] - dd[None, :]  # (month, day): days left in window
    valid = dd[None, :] < days_in[:, None]
    cdf_at = cdf[:, :, np.clip(rem, 0, MAX_LAG)]  # (g, r, month, day)
    cdf_at = np.where(rem >= MAX_LAG, 1.0, cdf_at) * valid
    month_f = cdf_at.sum(axis=-1) / days_in  # (g, r, month)
    lam_w = lam / lam.sum(axis=1, keepdims=True)
    F = np.einsum("zm,grm->zgr", lam_w, month_f)

    r_ax, t_ax = np.arange(2), np.arange(2)
    w_g = _GRADE_P[:, None, None]
    w_r = np.where(r_ax[None, :] == 1, _RETURN_P[:, None], 1 - _RETURN_P[:, None])[
        :, :, None
    ]
    w_t = np.where(
        t_ax[None, :] == 1, _TEST_DRIVE_P[:, None], 1 - _TEST_DRIVE_P[:, None]
    )[:, None, :]
    w_grt = w_g * w_r * w_t  # (g, r, t)
    eta_grt = (
        _GRADE_LOGODDS[:, None, None]
        + np.log(RETURNER_ODDS) * r_ax[None, :, None]
        + np.log(TEST_DRIVE_ODDS) * t_ax[None, None, :]
    )
    # consultant mix per zone (zone -> store -> consultants)
    w_zc = np.where(
        cons_store[None, :] == zone_store[:, None], cons_share[None, :], 0.0
    )
    eta = (
        eta_grt[None, :, :, :, None, None]
        + np.log(src_odds)[None, None, None, None, :, None]
        + np.log(cons_odds)[None, None, None, None, None, :]
    )
    w = (
        w_grt[None, :, :, :, None, None]
        * src_p[None, None, None, None, :, None]
        * w_zc[:, None, None, None, None, :]
    )
    f_z = np.full(nz, 0.97)
    shape6 = (-1, 1, 1, 1, 1, 1)
    for _ in range(4):
        q_target = np.clip(
            target / ((1 - CANCEL_P) * (1 + UNLINKED_SHARE) * f_z), 1e-4, 0.95
        )
        a = _solve_intercepts(eta, w, q_target)
        pw = w * _sigmoid(a.reshape(shape6) + eta)
        dep_gr = pw.sum(axis=(3, 4, 5))  # (z, g, r)
        q = dep_gr.sum(axis=(1, 2))
        f_z = (dep_gr * F).sum(axis=(1, 2)) / q
    true_rate = (1 - CANCEL_P) * (1 + UNLINKED_SHARE) * q * f_z

    # -- prospects ------------------------------------------------------------
    n_first = rng.poisson(lam)  # (z, m)
    zone = np.repeat(np.repeat(np.arange(nz), nm_), n_first.ravel())
    mon = np.repeat(np.tile(np.arange(nm_), nz), n_first.ravel())
    n = len(zone)
    day = np.floor(rng.random(n) * days_in[mon]).astype(int)
    d0 = first_day[mon] + day  # datetime64[D]
    grade = rng.choice(4, size=n, p=_GRADE_P)
    ret = rng.random(n) < _RETURN_P[grade]
    td = rng.random(n) < _TEST_DRIVE_P[grade]
    src = rng.choice(len(src_names), size=n, p=src_p)
    # consultant: within the zone's store, by share
    cum = np.cumsum(w_zc, axis=1)
    cons = (rng.random(n)[:, None] > cum[zone]).sum(axis=1)
    cons = np.minimum(cons, n_c - 1)
    eta_i = (
        a[zone] + _GRADE_LOGODDS[grade] + np.log(RETURNER_ODDS) * ret
        + np.log(TEST_DRIVE_ODDS) * td + np.log(src_odds)[src] + np.log(cons_odds)[cons]
    )  # fmt: skip
    deposit = rng.random(n) < _sigmoid(eta_i)
    # deposit lag by grade and returner status (inverse cdf)
    u = rng.random(n)
    lag = np.zeros(n, dtype=int)
    for g in range(len(GRADES_AT_VISIT)):
        for r in (0, 1):
            m = (grade == g) & (ret == r)
            lag[m] = np.searchsorted(cdf[g, r], u[m], side="left")
    lag = np.minimum(lag, MAX_LAG)
    model = rng.choice(len(MODELS), size=n, p=_MODEL_P)
    phones = _mobiles(rng, 2 * n)  # room for unlinked customers too
    names = _names(rng, 2 * n)

    # -- visits ---------------------------------------------------------------
    n_extra = np.where(ret, 1 + np.minimum(rng.poisson(0.35, n), 2), 0)
    who = np.repeat(np.arange(n), n_extra)
    k = np.arange(len(who)) - np.repeat(np.cumsum(n_extra) - n_extra, n_extra)
    last = k == np.repeat(n_extra - 1, n_extra)
    dep_w = deposit[who]
    horizon = np.where(dep_w, lag[who], 60)
    off = np.where(
        dep_w & last,
        horizon,
        1 + np.floor(rng.random(len(who)) * np.maximum(horizon, 1)),
    )
    off = np.minimum(off, horizon).astype(int)
    up = np.maximum(grade[who] - (rng.random(len(who)) < 0.5), 0)  # often warmer
    r_td = rng.random(len(who)) < 0.25
    v_p = np.concatenate([np.arange(n), who])
    v_off = np.concatenate([np.zeros(n, int), off])
    v_grade = np.concatenate([grade, up])
    v_td = np.concatenate([td, r_td])
    v_day = d0[v_p] + v_off
    v_sec = 60 * rng.integers(9 * 60, 20 * 60, len(v_p))  # registered to the minute
    keep = v_day <= end_day
    vis = pd.DataFrame(
        {"p": v_p, "day": v_day, "sec": v_sec, "grade": v_grade, "td": v_td}
    )[keep]
    vis = vis.drop_duplicates(["p", "day"])  # one registration per customer-day
    vis["visit_date"] = vis["day"].astype("datetime64[ns]") + pd.to_timedelta(
        vis["sec"], unit="s"
    )
    vis = vis.sort_values(["visit_date", "p"], kind="stable").reset_index(drop=True)
    vp = vis["p"].to_numpy()
    nv = len(vis)
    visit_no = vis.groupby("p").cumcount().to_numpy() + 1
    gr = vis["grade"].to_numpy().copy()
    src_v = src[vp]
    mod_v = model[vp]
    tdv = pd.array(vis["td"].to_numpy(), dtype="boolean")
    # fields left empty at registration (they come back as placeholders)
    gr[rng.random(nv) < 0.04] = -1
    src_v[rng.random(nv) < 0.03] = -1
    mod_v[rng.random(nv) < 0.02] = -1
    phone_v = _int_str(phones[vp])
    tdv[rng.random(nv) < 0.03] = pd.NA
    visits = pd.DataFrame(
        {
            "visit_id": _ids("A", nv),
            "customer_key": phone_v,
            "name": names.take(vp),
            "phone": phone_v,
            "visit_date": vis["visit_date"].to_numpy(),
            "visit_no": visit_no.astype("int64"),
            "region": _take(regions, zone[vp]),
            "store": _take(STORES, zone_store[zone[vp]]),
            "consultant": _take(cons_names, cons[vp]),
            "source": _take(src_names, src_v),
            "model": _take(MODELS, mod_v),
            "grade": _take(GRADES_AT_VISIT, gr),
            "test_drive": tdv,
        }
    )

    # -- deposits -------------------------------------------------------------
    dp = np.flatnonzero(deposit & (d0 + lag <= end_day))
    n_unl = rng.poisson(UNLINKED_SHARE * (lam * q[:, None] * f_z[:, None]))  # (z, m)
    uz = np.repeat(np.repeat(np.arange(nz), nm_), n_unl.ravel())
    um = np.repeat(np.tile(np.arange(nm_), nz), n_unl.ravel())
    u_day = first_day[um] + np.floor(rng.random(len(uz)) * days_in[um]).astype(int)
    u_cons = np.minimum((rng.random(len(uz))[:, None] > cum[uz]).sum(axis=1), n_c - 1)
    u_idx = n + np.arange(len(uz))  # phones/names beyond the prospects
    d_zone = np.concatenate([zone[dp], uz])
    d_day = np.concatenate([d0[dp] + lag[dp], u_day])
    d_cons = np.concatenate([cons[dp], u_cons])
    d_who = np.concatenate([dp, u_idx])
    d_model = np.concatenate(
        [model[dp], rng.choice(len(MODELS), size=len(uz), p=_MODEL_P)]
    )
    nd = len(d_zone)
    cancelled = rng.random(nd) < CANCEL_P
    deliver_day = d_day + rng.integers(7, 46, nd)
    delivered = ~cancelled & (deliver_day <= end_day) & (rng.random(nd) < 0.95)
    status = np.where(cancelled, 1, np.where(delivered, 2, 0))
    order = np.lexsort((d_who, d_day))
    deposits = pd.DataFrame(
        {
            "deposit_id": _order_ids(d_day[order]),
            "customer_key": _int_str(phones[d_who[order]]),
            "name": names.take(d_who[order]),
            "phone": _int_str(phones[d_who[order]]),
            "deposit_date": d_day[order].astype("datetime64[ns]"),
            "amount": rng.choice(_AMOUNTS, size=nd, p=_AMOUNT_P),
            "region": _take(regions, d_zone[order]),
            "store": _take(STORES, zone_store[d_zone[order]]),
            "consultant": _take(cons_names, d_cons[order]),
            "model": _take(MODELS, d_model[order]),
            "status": _take(("active", "cancelled", "delivered"), status[order]),
            "delivery_date": np.where(
                delivered[order], deliver_day[order], np.datetime64("NaT")
            ).astype("datetime64[ns]"),
        }
    )

    # -- truth ------------------------------------------------------------------
    spend_df = pd.DataFrame(
        {
            "region": np.repeat(regions, nm_),
            "month": pd.PeriodIndex(np.tile(periods, nz), freq="M"),
            "spend": spend.ravel().astype("float64"),
        }
    )
    import geopandas as gpd

    zones = gpd.GeoDataFrame(
        {"region": regions, "code": codes, "potential": potential.astype("int64")},
        geometry=geoms.values,
        crs="EPSG:4326",
    )
    # the KPI board's plants: a stream of their own, drawn last
    targets, spend_src, truth_targets, truth_costs = plant_board(
        board_rng(random_state),
        regions=regions,
        periods=periods,
        spend=spend,
        lam=lam,
        true_rate=true_rate,
        sources=src_names,
        source_deposits=pw.sum(axis=(1, 2, 3, 5)),
    )
    planted = np.where(
        true_rate < 0.105, "weak", np.where(true_rate > 0.165, "strong", "on_track")
    )
    truth = SampleTruth(
        zones=pd.DataFrame(
            {
                "region": regions,
                "code": codes,
                "store": np.asarray(STORES)[zone_store],
                "true_close_rate": true_rate,
                "deposit_prob": q,
                "size": size * scale,
                "potential": potential.astype("int64"),
                "planted": planted,
            }
        ),
        sources=pd.DataFrame({"source": src_names, "share": src_p, "odds": src_odds}),
        consultants=pd.DataFrame(
            {
                "consultant": cons_names,
                "store": np.asarray(STORES)[cons_store],
                "share": cons_share,
                "odds": cons_odds,
            }
        ),
        test_drive_odds=TEST_DRIVE_ODDS,
        returner_odds=RETURNER_ODDS,
        seasonality=seas.copy(),
        traffic_response=pd.DataFrame(
            {"region": regions, "base": base, "gain": gain, "scale": level}
        ),
        grade_lag=pd.DataFrame(
            {
                "grade": list(GRADES_AT_VISIT),
                "share": _GRADE_P,
                "same_day": pmf[:, 0, 0],
                "mean_days": (pmf[:, 0, :] * np.arange(MAX_LAG + 1)).sum(axis=1),
            }
        ),
        targets=truth_targets,
        source_costs=truth_costs,
    )
    # the whole funnel's plants: a stream of their own, seeded by one more draw
    # of the main stream after its last (so an int seed and a Generator agree)
    visits, deposits = _typed(visits, "visits"), _typed(deposits, "deposits")
    frng = np.random.default_rng([int(rng.integers(2**62)), 17])
    visits, bad_grader = plant_bad_grader(visits, frng, GRADES_AT_VISIT, _GRADE_P)
    visits = plant_lost_reasons(visits, deposits, pd.Timestamp(end_day), frng)
    truth = dataclasses.replace(
        truth, bad_grader=bad_grader, lost_reasons=lost_reasons_truth()
    )
    log.info("make_sample: %d visits, %d deposits, %d zones", nv, nd, nz)
    return Sample(visits=visits, deposits=deposits, spend=spend_df, zones=zones,
                  truth=truth, targets=targets, spend_by_source=spend_src)  # fmt: skip
