"""Binomial intervals and empirical-Bayes shrinkage (re-exported by :mod:`pondstats.rates.stats`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from pondstats.errors import InputError

__all__ = [
    "BetaPrior",
    "wilson_interval",
    "jeffreys_interval",
    "fit_beta_prior",
    "shrink",
]

log = logging.getLogger("pondstats.rates.stats")

# ---------------------------------------------------------------------------
# input helpers
# ---------------------------------------------------------------------------


def _counts(k, n) -> tuple[np.ndarray, np.ndarray, bool]:
    """Validate and broadcast counts; return float arrays and a scalar flag."""
    scalar = np.ndim(k) == 0 and np.ndim(n) == 0
    k_arr = np.asarray(k, dtype="float64")
    n_arr = np.asarray(n, dtype="float64")
    try:
        k_arr, n_arr = np.broadcast_arrays(k_arr, n_arr)
    except ValueError as exc:
        raise InputError(
            f"k and n must have the same length, got shapes {np.shape(k)} and "
            f"{np.shape(n)}. Pass one count of successes per group."
        ) from exc
    finite = np.isfinite(k_arr) & np.isfinite(n_arr)
    if (k_arr[finite] < 0).any() or (n_arr[finite] < 0).any():
        raise InputError(
            "counts must be non-negative, found a negative k or n. "
            "Check the inputs: k = C-cards, n = A-cards."
        )
    if (k_arr[finite] > n_arr[finite]).any():
        raise InputError(
            "k must not exceed n (more successes than trials). "
            "Cap the counts first, e.g. np.minimum(k, n)."
        )
    return k_arr, n_arr, scalar


def _level(level: float) -> float:
    if not 0.0 < level < 1.0:
        raise InputError(
            f"level must be between 0 and 1, got {level!r}. Write 0.95 for 95%."
        )
    return level


def _out(lo: np.ndarray, hi: np.ndarray, n: np.ndarray, scalar: bool):
    """The interval, NaN where ``n == 0``; floats when the input was scalar."""
    lo = np.where(n > 0, lo, np.nan).astype("float64")
    hi = np.where(n > 0, hi, np.nan).astype("float64")
    if scalar:
        return float(lo), float(hi)
    return lo, hi


def _beta_tails(tail: float, a, b) -> tuple[np.ndarray, np.ndarray]:
    """Equal-tailed quantiles of Beta(a, b): ``tail`` cut off on each side."""
    with np.errstate(invalid="ignore"):
        return stats.beta.ppf(tail, a, b), stats.beta.isf(tail, a, b)


# ---------------------------------------------------------------------------
# intervals
# ---------------------------------------------------------------------------


def wilson_interval(k, n, *, level: float = 0.95):
    """Wilson score interval for a binomial proportion.

    Parameters
    ----------
    k, n : int or array-like
        Successes (C-cards) and trials (A-cards) per group.
    level : float, default 0.95
        Coverage of the two-sided interval.

    Returns
    -------
    (low, high) : tuple of floats or of numpy arrays
        NaN where ``n == 0``. Equal to ``statsmodels``'
        ``proportion_confint(k, n, method="wilson")``.

    Examples
    --------
    >>> from pondstats.rates.stats import wilson_interval
    >>> lo, hi = wilson_interval(13, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.0776, 0.2098)
    >>> wilson_interval([0, 5], [0, 10])[0]
    array([       nan, 0.23659309])
    """
    k, n, scalar = _counts(k, n)
    z = stats.norm.isf((1 - _level(level)) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        center = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    return _out(
        np.clip(center - half, 0.0, 1.0), np.clip(center + half, 0.0, 1.0), n, scalar
    )


def jeffreys_interval(k, n, *, level: float = 0.95):
    """Jeffreys interval: equal-tailed quantiles of Beta(k + 1/2, n - k + 1/2).

    Parameters
    ----------
    k, n : int or array-like
        Successes (C-cards) and trials (A-cards) per group.
    level : float, default 0.95
        Coverage of the two-sided interval.

    Returns
    -------
    (low, high) : tuple of floats or of numpy arrays
        NaN where ``n == 0``. Equal to ``statsmodels``'
        ``proportion_confint(k, n, method="jeffreys")``.

    Examples
    --------
    >>> from pondstats.rates.stats import jeffreys_interval
    >>> lo, hi = jeffreys_interval(13, 100)
    >>> round(lo, 4), round(hi, 4)
    (0.0749, 0.2062)
    """
    k, n, scalar = _counts(k, n)
    lo, hi = _beta_tails((1 - _level(level)) / 2, k + 0.5, n - k + 0.5)
    return _out(lo, hi, n, scalar)


# ---------------------------------------------------------------------------
# empirical Bayes
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class BetaPrior:
    """A Beta(alpha, beta) prior for the close rates of a set of groups.

    Attributes
    ----------
    alpha, beta : float
        Shape parameters.
    method : str
        How it was obtained: ``"ml"`` (beta-binomial marginal likelihood),
        ``"moments"`` (method of moments, the fallback) or ``"jeffreys"``
        (too few groups to learn from: Beta(1/2, 1/2), no pooling).
    n_groups : int
        Groups with at least one A-card that the prior was fitted on.

    Examples
    --------
    >>> from pondstats.rates.stats import BetaPrior
    >>> p = BetaPrior(13.0, 87.0, "ml", 16)
    >>> p.mean, p.concentration
    (0.13, 100.0)
    """

    alpha: float
    beta: float
    method: str
    n_groups: int

    @property
    def mean(self) -> float:
        """Prior mean close rate."""
        return self.alpha / (self.alpha + self.beta)

    @property
    def concentration(self) -> float:
        """alpha + beta: how many A-cards the prior is worth."""
        return self.alpha + self.beta


def _betabinom_nll(
    theta: np.ndarray, k: np.ndarray, n: np.ndarray
) -> tuple[float, np.ndarray]:
    """Negative beta-binomial log likelihood (constants dropped) and gradient.

    ``theta = (logit mu, log kappa)``, ``a = mu kappa``, ``b = (1 - mu) kappa``.
    """
    mu = special.expit(theta[0])
    kappa = np.exp(theta[1])
    a, b = mu * kappa, (1 - mu) * kappa
    nll = -float(np.sum(special.betaln(k + a, n - k + b) - special.betaln(a, b)))
    common = special.digamma(a + b) - special.digamma(n + a + b)
    ga = np.sum(special.digamma(k + a) - special.digamma(a) + common)
    gb = np.sum(special.digamma(n - k + b) - special.digamma(b) + common)
    grad = -np.array([(ga - gb) * kappa * mu * (1 - mu), ga * a + gb * b])
    return nll, grad


def _moments(k: np.ndarray, n: np.ndarray, cap: float) -> tuple[float, float]:
    mu = k.sum() / n.sum()
    p = k / n
    between = np.var(p, ddof=1) - np.mean(mu * (1 - mu) / n) if len(k) > 1 else 0.0
    if not np.isfinite(between) or between <= 0:
        return mu, cap
    return mu, float(np.clip(mu * (1 - mu) / between - 1, 1e-3, cap))


def fit_beta_prior(k, n, *, min_groups: int = 3) -> BetaPrior:
    """Fit a beta prior across groups by beta-binomial marginal likelihood.

    The prior Beta(mu * kappa, (1 - mu) * kappa) maximises
    ``sum(log BetaBinom(k_i | n_i, a, b))`` over the groups with ``n_i > 0``.
    The concentration ``kappa`` is capped at the total number of A-cards
    (a prior cannot be worth more than all the data); when the groups look
    homogeneous it reaches the cap and every rate is pooled towards the mean.
    If the optimiser fails, the method of moments is used; with fewer than
    ``min_groups`` usable groups, or no deposit at all, the Jeffreys prior
    Beta(1/2, 1/2) (no pooling).

    Parameters
    ----------
    k, n : array-like
        C-cards and A-cards per group.
    min_groups : int, default 3
        Fewest groups with A-cards to learn a prior from.

    Returns
    -------
    BetaPrior

    Examples
    --------
    >>> from pondstats.rates.stats import fit_beta_prior
    >>> prior = fit_beta_prior([10, 30, 12, 60], [100, 200, 90, 400])
    >>> prior.method, round(prior.mean, 3)
    ('ml', 0.141)
    >>> fit_beta_prior([1], [10]).method
    'jeffreys'
    """
    k, n, _ = _counts(np.atleast_1d(k), np.atleast_1d(n))
    use = n > 0
    k, n = k[use], n[use]
    if len(k) < min_groups or k.sum() == 0 or k.sum() == n.sum():
        return BetaPrior(0.5, 0.5, "jeffreys", int(len(k)))
    cap = float(max(n.sum(), 2.0))
    mu0, kappa0 = _moments(k, n, cap)
    mu0 = float(np.clip(mu0, 1e-6, 1 - 1e-6))
    theta0 = np.array([special.logit(mu0), np.log(np.clip(kappa0, 1e-2, cap))])
    try:
        res = optimize.minimize(
            _betabinom_nll,
            theta0,
            args=(k, n),
            method="L-BFGS-B",
            jac=True,
            bounds=[(-15.0, 15.0), (np.log(1e-2), np.log(cap))],
            options={"ftol": 1e-13, "gtol": 1e-9},
        )
        ok = bool(res.success) and np.all(np.isfinite(res.x))
    except (FloatingPointError, ValueError):  # pragma: no cover - defensive
        ok = False
    if ok:
        mu, kappa = float(special.expit(res.x[0])), float(np.exp(res.x[1]))
        method = "ml"
    else:  # the optimiser rarely fails on counts (tested by monkeypatching)
        log.info("beta-binomial fit did not converge; using the method of moments")
        mu, kappa, method = mu0, kappa0, "moments"
    return BetaPrior(mu * kappa, (1 - mu) * kappa, method, int(len(k)))


def shrink(
    k,
    n,
    *,
    prior: BetaPrior | tuple[np.ndarray, np.ndarray] | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Empirical-Bayes shrunk rates with equal-tailed credible intervals.

    Parameters
    ----------
    k, n : array-like
        C-cards and A-cards per group.
    prior : BetaPrior or (alpha, beta) arrays, optional
        Fitted across these groups with :func:`fit_beta_prior` when omitted;
        a pair of arrays gives each group its own prior (one per period).
    level : float, default 0.95
        Credible-interval coverage.

    Returns
    -------
    DataFrame
        ``shrunk_rate`` (posterior mean), ``shrunk_low``, ``shrunk_high``; NaN
        where ``n == 0`` (no data on that group). ``attrs["prior"]`` holds
        the prior.

    Examples
    --------
    >>> from pondstats.rates.stats import BetaPrior, shrink
    >>> shrink([0, 30], [10, 100], prior=BetaPrior(13.0, 87.0, "ml", 2)).round(4)
       shrunk_rate  shrunk_low  shrunk_high
    0       0.1182      0.0651       0.1844
    1       0.2150      0.1610       0.2744
    """
    k, n, _ = _counts(np.atleast_1d(k), np.atleast_1d(n))
    a_level = (1 - _level(level)) / 2
    if prior is None:
        prior = fit_beta_prior(k, n)
    if isinstance(prior, BetaPrior):
        a = prior.alpha + k
        b = prior.beta + n - k
    else:
        a = np.asarray(prior[0], dtype="float64") + k
        b = np.asarray(prior[1], dtype="float64") + n - k
    with np.errstate(invalid="ignore"):
        mean = a / (a + b)
    lo, hi = _beta_tails(a_level, a, b)
    none = ~(n > 0)
    out = pd.DataFrame(
        {
            "shrunk_rate": np.where(none, np.nan, mean),
            "shrunk_low": np.where(none, np.nan, lo),
            "shrunk_high": np.where(none, np.nan, hi),
        }
    )
    out.attrs["prior"] = prior
    return out
