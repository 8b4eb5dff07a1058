"""Statistics for close rates: intervals, shrinkage, tests and funnel limits.

Everything here works on plain count arrays (``k`` deposits out of ``n``
A-cards per group), vectorised with numpy/scipy, so that :mod:`pondstats.rates._close`
can call it once per table and a simulation can call it on thousands of
simulated zones at once.

Choices (see the user guide page on close rates, docs/user_guide/close_rates.md):

* intervals are Wilson score (default) or Jeffreys, never the normal
  approximation; both agree with ``statsmodels``' ``proportion_confint``;
* shrinkage is empirical Bayes: a beta prior is fitted across the groups of a
  period by maximising the beta-binomial marginal likelihood (method of
  moments only as a fallback) and each group's rate is replaced by its
  posterior mean, with an equal-tailed credible interval;
* the test against the benchmark is the exact one-sided binomial test, on the
  raw counts (not the shrunk rates: a prior fitted on a weak network must not
  push a small zone below target on borrowed evidence);
* multiple testing is controlled with Benjamini-Hochberg (false discovery
  rate) across the groups of a period, one family per direction: zones are
  screened for attention, a few false alarms among many true ones are
  acceptable, and BH keeps far more power than Holm's family-wise control
  when there are dozens of zones or consultants;
* a group is ``too_few`` (not judged) when the number of C-cards it would
  have at the target rate is below ``min_expected`` (5): with fewer expected
  events no honest verdict is possible;
* funnel-plot limits allow for overdispersion between groups with
  Spiegelhalter's (2005) additive random-effects model, the between-group
  variance estimated by DerSimonian-Laird on winsorised z-scores.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from pondstats.errors import InputError
from pondstats.rates._intervals import (
    BetaPrior,
    _counts,
    _level,
    fit_beta_prior,
    jeffreys_interval,
    shrink,
    wilson_interval,
)
from pondstats.schema import Benchmark

__all__ = [
    "BetaPrior",
    "wilson_interval",
    "jeffreys_interval",
    "fit_beta_prior",
    "shrink",
    "binom_pvalues",
    "adjust_pvalues",
    "assess_rates",
    "overdispersion",
    "funnel_limits",
]

# ---------------------------------------------------------------------------
# tests and multiple testing
# ---------------------------------------------------------------------------


def binom_pvalues(k, n, target: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact one-sided binomial p-values against a target rate.

    Parameters
    ----------
    k, n : array-like
        C-cards and A-cards per group.
    target : float
        The benchmark rate (0.13).

    Returns
    -------
    (p_below, p_above) : tuple of arrays
        ``p_below = P(X <= k)`` tests H0 "rate >= target" (small: credibly
        below); ``p_above = P(X >= k)`` tests H0 "rate <= target". NaN where
        ``n == 0``.

    Examples
    --------
    >>> from pondstats.rates.stats import binom_pvalues
    >>> below, above = binom_pvalues([5], [100], 0.13)
    >>> round(float(below[0]), 5), round(float(above[0]), 5)
    (0.00737, 0.99765)
    """
    k, n, _ = _counts(np.atleast_1d(k), np.atleast_1d(n))
    below = stats.binom.cdf(k, n, target)
    above = stats.binom.sf(k - 1, n, target)
    none = ~(n > 0)
    return np.where(none, np.nan, below), np.where(none, np.nan, above)


def adjust_pvalues(p, *, method: str = "bh", groups=None) -> np.ndarray:
    """Adjust p-values for multiple testing, separately within each group.

    Parameters
    ----------
    p : array-like
        p-values; NaN entries are not tested (they stay NaN and do not count).
    method : {"bh", "holm"}, default "bh"
        Benjamini-Hochberg (false discovery rate) or Holm (family-wise).
    groups : array-like, optional
        A family label per p-value (e.g. the period); one family when omitted.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values (equal to ``statsmodels``' ``multipletests`` within
        each family).

    Examples
    --------
    >>> from pondstats.rates.stats import adjust_pvalues
    >>> adjust_pvalues([0.01, 0.04, 0.03, 0.5])
    array([0.04      , 0.05333333, 0.05333333, 0.5       ])
    >>> adjust_pvalues([0.01, 0.04, 0.01, 0.04], groups=[1, 1, 2, 2])
    array([0.02, 0.04, 0.02, 0.04])
    """
    if method not in ("bh", "holm"):
        raise InputError(
            f"method must be 'bh' (Benjamini-Hochberg) or 'holm', got {method!r}."
        )
    p = np.asarray(p, dtype="float64")
    g = (
        np.zeros(len(p), dtype="int64")
        if groups is None
        else pd.factorize(np.asarray(groups), use_na_sentinel=False)[0]
    )
    out = np.full(len(p), np.nan)
    ok = np.isfinite(p)
    if not ok.any():
        return out
    idx = np.flatnonzero(ok)
    pv, gv = p[idx], g[idx]
    order = np.lexsort((pv, gv))
    pv, gv, idx = pv[order], gv[order], idx[order]
    frame = pd.DataFrame({"g": gv, "p": pv})
    m = frame.groupby("g")["p"].transform("size").to_numpy()
    rank = frame.groupby("g").cumcount().to_numpy() + 1
    if method == "bh":
        raw = pv * m / rank
        # running minimum from the largest p down, within each family
        adj = pd.Series(raw[::-1]).groupby(gv[::-1]).cummin().to_numpy()[::-1]
    else:
        raw = pv * (m - rank + 1)
        adj = pd.Series(raw).groupby(gv).cummax().to_numpy()
    out[idx] = np.minimum(adj, 1.0)
    return out


def assess_rates(
    k,
    n,
    *,
    groups=None,
    benchmark: Benchmark | None = None,
    interval: str = "wilson",
    level: float = 0.95,
    alpha: float = 0.05,
    correction: str = "bh",
    min_expected: float = 5.0,
) -> pd.DataFrame:
    """Rates, intervals, shrinkage, tests and status for count arrays.

    The statistical core of :func:`pondstats.close_rates`; usable directly on
    counts (e.g. in simulations).

    Parameters
    ----------
    k, n : array-like
        C-cards and A-cards per row. C-cards above A-cards (possible in a
        period rate, which mixes cohorts) are capped at the A-cards.
    groups : array-like, optional
        Family label per row (e.g. the period): the prior is fitted and the
        p-values adjusted within each family. One family when omitted.
    benchmark : Benchmark, optional
        The target the rates are tested against (13% by default).
    interval : {"wilson", "jeffreys"}, default "wilson"
    level : float, default 0.95
        Coverage of the confidence and credible intervals.
    alpha : float, default 0.05
        False discovery rate (or family-wise error with Holm) per direction.
    correction : {"bh", "holm"}, default "bh"
    min_expected : float, default 5
        A row is ``too_few`` when ``n * target < min_expected``.

    Returns
    -------
    DataFrame
        ``close_rate, ci_low, ci_high, shrunk_rate, shrunk_low, shrunk_high,
        p_value, p_adjusted, status``; ``attrs["priors"]`` maps each family to
        its :class:`BetaPrior`.

    Examples
    --------
    >>> from pondstats.rates.stats import assess_rates
    >>> t = assess_rates([2, 40, 130], [10, 600, 1000])
    >>> t[["close_rate", "status"]]
       close_rate    status
    0    0.200000   too_few
    1    0.066667      weak
    2    0.130000  on_track
    """
    b = benchmark or Benchmark()
    if interval not in ("wilson", "jeffreys"):
        raise InputError(f"interval must be 'wilson' or 'jeffreys', got {interval!r}.")
    k_raw = np.asarray(k, dtype="float64")
    n_arr = np.asarray(n, dtype="float64")
    k_arr = np.minimum(k_raw, n_arr)
    k_arr, n_arr, _ = _counts(k_arr, n_arr)
    m = len(n_arr)
    g = (
        np.zeros(m, dtype="int64")
        if groups is None
        else pd.factorize(np.asarray(groups), use_na_sentinel=False)[0]
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(n_arr > 0, k_arr / n_arr, np.nan)
    ci = (wilson_interval if interval == "wilson" else jeffreys_interval)(
        k_arr, n_arr, level=level
    )
    priors: dict = {}
    labels = (
        pd.factorize(np.asarray(groups), use_na_sentinel=False)[1]
        if (groups is not None)
        else [None]
    )
    prior_a = np.empty(m)
    prior_b = np.empty(m)
    # L-BFGS-B on tiny problems is slowed down badly by a multi-threaded BLAS
    # on a busy machine: one thread is much faster here.
    with threadpool_limits(limits=1, user_api="blas"):
        for code in np.unique(g):
            sel = g == code
            prior = fit_beta_prior(k_arr[sel], n_arr[sel])
            priors[labels[code]] = prior
            prior_a[sel], prior_b[sel] = prior.alpha, prior.beta
    shrunk = shrink(k_arr, n_arr, prior=(prior_a, prior_b), level=level).to_numpy()
    below, above = binom_pvalues(k_arr, n_arr, b.target)
    too_few = ~(n_arr * b.target >= min_expected)
    below_t = np.where(too_few, np.nan, below)
    above_t = np.where(too_few, np.nan, above)
    q_below = adjust_pvalues(below_t, method=correction, groups=g)
    q_above = adjust_pvalues(above_t, method=correction, groups=g)
    observed_below = rate < b.target
    p_value = np.where(observed_below, below, above)
    p_value = np.where(n_arr > 0, np.minimum(p_value, 1.0), np.nan)
    p_adj = np.where(observed_below, q_below, q_above)
    status = np.full(m, "on_track", dtype=object)
    status[q_below < alpha] = "weak"
    status[q_above < alpha] = "strong"
    status[too_few] = "too_few"
    out = pd.DataFrame(
        {
            "close_rate": rate,
            "ci_low": ci[0],
            "ci_high": ci[1],
            "shrunk_rate": shrunk[:, 0],
            "shrunk_low": shrunk[:, 1],
            "shrunk_high": shrunk[:, 2],
            "p_value": p_value,
            "p_adjusted": p_adj,
            "status": pd.array(status, dtype="str"),
        }
    )
    out.attrs["priors"] = priors
    return out


# ---------------------------------------------------------------------------
# funnel limits
# ---------------------------------------------------------------------------


def overdispersion(k, n, *, target: float, winsor: float = 0.1) -> float:
    """Between-group variance of the rates around a target (additive model).

    Spiegelhalter (2005), "Handling over-dispersion of performance
    indicators": z-scores ``(p_i - target) / s_i`` with
    ``s_i^2 = target (1 - target) / n_i`` are winsorised at ``winsor`` and
    ``1 - winsor``; ``tau^2`` is the DerSimonian-Laird estimate
    ``(N phi - (N - 1)) / (sum w - sum w^2 / sum w)`` with ``w = 1 / s^2``,
    or 0 when the groups are not overdispersed (``N phi <= N - 1``).

    Parameters
    ----------
    k, n : array-like
        C-cards and A-cards per group (groups with ``n == 0`` are ignored).
    target : float
        The rate the funnel is centred on.
    winsor : float, default 0.1
        Share winsorised in each tail of the z-scores.

    Returns
    -------
    float
        ``tau^2`` on the proportion scale (0 means plain binomial limits).

    Examples
    --------
    >>> from pondstats.rates.stats import overdispersion
    >>> overdispersion([13, 130], [100, 1000], target=0.13)
    0.0
    >>> round(overdispersion([40, 200, 90, 260], [1000] * 4, target=0.13), 5)
    0.00811
    """
    k, n, _ = _counts(np.atleast_1d(k), np.atleast_1d(n))
    use = n > 0
    k, n = np.minimum(k[use], n[use]), n[use]
    if len(n) < 2:
        return 0.0
    s2 = target * (1 - target) / n
    z = (k / n - target) / np.sqrt(s2)
    lo, hi = np.quantile(z, [winsor, 1 - winsor])
    z = np.clip(z, lo, hi)
    big_n = len(z)
    phi = float(np.mean(z**2))
    w = 1 / s2
    denom = w.sum() - (w**2).sum() / w.sum()
    if big_n * phi <= big_n - 1 or denom <= 0:
        return 0.0
    return float((big_n * phi - (big_n - 1)) / denom)


def funnel_limits(n, *, target: float, tau2: float = 0.0, level: float = 0.95):
    """Control limits of a funnel plot, allowing for overdispersion.

    ``target +- z * sqrt(target (1 - target) / n + tau2)``, clipped to [0, 1]
    (Spiegelhalter's additive random-effects limits; ``tau2 = 0`` gives the
    plain binomial normal limits FunnelPlotR draws by default).

    Parameters
    ----------
    n : array-like
        A-cards at which to evaluate the limits.
    target : float
        The centre line (the benchmark target).
    tau2 : float, default 0
        Between-group variance from :func:`overdispersion`.
    level : float, default 0.95
        Two-sided coverage (0.95 and 0.998 are the usual pair).

    Returns
    -------
    (low, high) : tuple of numpy arrays

    Examples
    --------
    >>> from pondstats.rates.stats import funnel_limits
    >>> lo, hi = funnel_limits([100, 10000], target=0.13)
    >>> lo.round(4), hi.round(4)
    (array([0.0641, 0.1234]), array([0.1959, 0.1366]))
    """
    n = np.asarray(n, dtype="float64")
    z = stats.norm.isf((1 - _level(level)) / 2)
    with np.errstate(divide="ignore"):
        half = z * np.sqrt(target * (1 - target) / n + tau2)
    return np.clip(target - half, 0.0, 1.0), np.clip(target + half, 0.0, 1.0)
