"""The consultant league: shrunk close rates, ranks and quarter probabilities."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from pondstats.dates import parse_month
from pondstats.errors import InputError
from pondstats.rates._kpis import kpi_table
from pondstats.rates._linking import _require

__all__ = ["consultant_league"]


def _fit_concentration(k: np.ndarray, n: np.ndarray, mu: np.ndarray) -> float:
    """Beta-binomial concentration ``kappa`` with known group means ``mu``.

    Maximises ``sum log BetaBinom(k_i | n_i, mu_i kappa, (1 - mu_i) kappa)``
    over ``kappa`` in [1, total A-cards] (the cap pools everyone to the mean).
    """
    use = (n > 0) & (mu > 0) & (mu < 1)
    k, n, mu = k[use], n[use], mu[use]
    cap = float(max(n.sum(), 2.0))
    if len(k) < 2:
        return cap

    def nll(log_kappa: float) -> float:
        kappa = np.exp(log_kappa)
        a, b = mu * kappa, (1 - mu) * kappa
        return -float(np.sum(special.betaln(k + a, n - k + b) - special.betaln(a, b)))

    res = optimize.minimize_scalar(nll, bounds=(0.0, np.log(cap)), method="bounded")
    return float(np.exp(res.x))


def consultant_league(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    period: str | pd.Period | None = None,
    by_store: bool = True,
    min_expected: float = 5.0,
    level: float = 0.95,
    n_draws: int = 4000,
    random_state: int = 0,
    horizon_days: int = 90,
) -> pd.DataFrame:
    """One row per consultant, ranked on the close rate pooled towards the store.

    Each consultant's close rate (C-cards / A-cards of the period) is shrunk
    towards their store's close rate (partial pooling: a beta prior with the
    store's mean and a concentration fitted across all consultants by the
    beta-binomial likelihood), so a consultant with 5 visits and 2 deposits is
    pulled most of the way back to the store and is never first. Consultants
    whose expected C-cards at the store rate are below ``min_expected`` are
    ``too_few`` and not ranked.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical tables with a ``consultant`` column (and ``store``).
    period : str, Period or None, default None
        A month ``"YYYY-MM"`` (or any pandas Period, e.g. a quarter) or None
        for the whole data.
    by_store : bool, default True
        Pool towards the consultant's store; False pools towards everyone.
    min_expected : float, default 5
        Fewest expected C-cards (A-cards x pool rate) to be ranked.
    level : float, default 0.95
        Coverage of the intervals.
    n_draws : int, default 4000
        Posterior draws for the quarter probabilities.
    random_state : int, default 0
        Seed of the draws (the same seed gives the same probabilities).
    horizon_days : int, default 90
        Follow-up window of the test-drive and return-visit rates.

    Returns
    -------
    DataFrame
        ``consultant``, ``store`` (with ``by_store``), ``rank`` (1 = best;
        missing when ``too_few``), ``a_cards``, ``c_cards``, ``close_rate``
        (``close_rate_low``/``_high``: Wilson), ``shrunk_rate``
        (``shrunk_low``/``_high``: equal-tailed posterior interval),
        ``pool_rate``, ``p_top`` and ``p_bottom`` (posterior probability of
        ranking in the top / bottom quarter of the ranked consultants),
        ``test_drive_rate``, ``return_rate`` and ``too_few``; ranked rows
        first. ``attrs["kappa"]`` is the fitted prior concentration.

    Notes
    -----
    The league compares close rates: a consultant whose store serves zones
    that close less ranks below an equally good one in a stronger store
    (pooling towards the store steadies small counts, it does not adjust for
    the zones). Compare within a store, or pass ``by_store=False`` to pool
    everyone towards one rate.

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> league = ps.consultant_league(visits, deposits)
    >>> league[["consultant", "store", "rank", "a_cards", "shrunk_rate", "p_top"]].head(3).round(2)
      consultant store  rank  a_cards  shrunk_rate  p_top
    0        任艳明   西江店     1      281         0.21   0.97
    1        林轩飞   西江店     2      318         0.20   0.90
    2        郑怡红   北岭店     3      832         0.20   0.95
    """
    _require(visits, ["consultant"], "visits")
    has_store = by_store and "store" in visits.columns
    if by_store and not has_store:
        raise InputError(
            "visits has no 'store' column to pool consultants towards; add it or "
            "pass by_store=False to pool towards all consultants."
        )
    by = ["store", "consultant"] if has_store else ["consultant"]
    if period is None:
        t = kpi_table(visits, deposits, by=by, period=None, horizon_days=horizon_days)
    else:
        p = (
            period
            if isinstance(period, pd.Period)
            else parse_month(period, name="period")
        )
        t = kpi_table(
            visits, deposits, by=by, period=p.freqstr, horizon_days=horizon_days
        )
        t = t[t["period"] == p].drop(columns="period")
        if t.empty:
            raise InputError(
                f"no A- or C-cards in period {p}; pick a period in the data."
            )
    t = t.reset_index(drop=True)
    n = t["a_cards"].to_numpy(dtype="float64")
    k = np.minimum(t["c_cards"].to_numpy(dtype="float64"), n)
    named = t["consultant"].notna().to_numpy()
    if has_store:
        g = t["store"].astype("str").fillna("").to_numpy()
        codes = pd.factorize(g)[0]
        ks = np.bincount(codes, np.where(named, k, 0))
        ns = np.bincount(codes, np.where(named, n, 0))
        with np.errstate(invalid="ignore", divide="ignore"):
            mu = (ks / ns)[codes]
    else:
        mu = np.full(len(t), k[named].sum() / max(n[named].sum(), 1))
    mu = np.clip(np.nan_to_num(mu, nan=0.0), 1e-4, 1 - 1e-4)
    kappa = _fit_concentration(k[named], n[named], mu[named])
    a_post = mu * kappa + k
    b_post = (1 - mu) * kappa + n - k
    tail = (1 - level) / 2
    out = t[by].copy()
    out["rank"] = pd.array([pd.NA] * len(t), dtype="Int64")
    out["a_cards"] = t["a_cards"]
    out["c_cards"] = t["c_cards"]
    for c in ("close_rate", "close_rate_low", "close_rate_high"):
        out[c] = t[c]
    out["shrunk_rate"] = a_post / (a_post + b_post)
    out["shrunk_low"] = stats.beta.ppf(tail, a_post, b_post)
    out["shrunk_high"] = stats.beta.isf(tail, a_post, b_post)
    out["pool_rate"] = mu
    too_few = ~(n * mu >= min_expected) | ~named
    ranked = np.flatnonzero(~too_few)
    m = len(ranked)
    out["p_top"] = np.nan
    out["p_bottom"] = np.nan
    if m:
        order = ranked[np.lexsort((-n[ranked], -out["shrunk_rate"].to_numpy()[ranked]))]
        out.loc[order, "rank"] = np.arange(1, m + 1)
        q = max(1, int(round(m / 4)))
        rng = np.random.default_rng(random_state)
        draws = rng.beta(a_post[ranked], b_post[ranked], size=(n_draws, m))
        pos = (-draws).argsort(axis=1).argsort(axis=1) + 1  # 1 = best in the draw
        out.loc[ranked, "p_top"] = (pos <= q).mean(axis=0)
        out.loc[ranked, "p_bottom"] = (pos > m - q).mean(axis=0)
    out["test_drive_rate"] = t["test_drive_rate"]
    out["return_rate"] = t["return_rate"]
    out["too_few"] = too_few
    out["_r"] = out["rank"].astype("Float64").fillna(np.inf)
    out = out.sort_values(["_r", "a_cards"], ascending=[True, False], kind="stable")
    out = out.drop(columns="_r").reset_index(drop=True)
    out.attrs = {"kappa": kappa, "by_store": has_store, "quarter": int(round(m / 4)) if m else 0,
                 "period": None if period is None else str(period), "random_state": random_state}  # fmt: skip
    return out
