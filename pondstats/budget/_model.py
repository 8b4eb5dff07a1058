"""The response model's engine: negative log posterior, gradient, Hessian,
Newton polish and parametric bootstrap (used by :mod:`pondstats.budget._response`)."""

from __future__ import annotations

import copy

import numpy as np
from scipy import optimize, special


class _Model:
    """Negative log posterior and its gradient, vectorised over zone-months."""

    def __init__(
        self,
        zone: np.ndarray,
        moy: np.ndarray,
        s: np.ndarray,
        y: np.ndarray,
        n_zones: int,
        ref: np.ndarray,
        prior_sd: tuple[float, float, float],
        season_sd: float,
        family: str,
    ) -> None:
        self.zone, self.moy, self.s, self.y = zone, moy, s / ref[zone], y
        self.Z, self.ref = n_zones, ref
        self.tau = np.asarray(prior_sd, dtype=float)
        self.season_sd = season_sd
        self.negbin = family == "negbin"
        self.lgy1 = special.gammaln(y + 1)
        self.n_par = 3 * n_zones + 11 + 3 + (1 if self.negbin else 0)

    def unpack(self, x: np.ndarray):
        Z = self.Z
        lb, ll, lc = x[:Z], x[Z : 2 * Z], x[2 * Z : 3 * Z]
        ls11 = x[3 * Z : 3 * Z + 11]
        ls = np.append(ls11, -ls11.sum())
        mu_h = x[3 * Z + 11 : 3 * Z + 14]
        lphi = x[3 * Z + 14] if self.negbin else np.inf
        return lb, ll, lc, ls, mu_h, lphi

    def mean(self, x: np.ndarray) -> np.ndarray:
        """Expected A-cards of every zone-month at parameters ``x``."""
        lb, ll, lc, ls, _, _ = self.unpack(x)
        z = self.zone
        sat = -np.expm1(-self.s / np.exp(lc)[z])
        return np.exp(ls)[self.moy] * np.exp(lb)[z] * (1 + np.exp(ll)[z] * sat)

    def f_and_g(self, x: np.ndarray) -> tuple[float, np.ndarray]:
        Z, z, m, s, y = self.Z, self.zone, self.moy, self.s, self.y
        lb, ll, lc, ls, mu_h, lphi = self.unpack(x)
        b, g_lift, c = np.exp(lb), np.exp(ll), np.exp(lc)
        gain = b * g_lift
        E = np.exp(-s / c[z])
        sat = -np.expm1(-s / c[z])
        S = np.exp(ls)[m]
        inner = b[z] + gain[z] * sat
        mu = np.maximum(S * inner, 1e-12)
        if self.negbin:
            phi = np.exp(lphi)
            ll_obs = (
                special.gammaln(y + phi)
                - special.gammaln(phi)
                - self.lgy1
                + phi * (lphi - np.log(phi + mu))
                + y * (np.log(mu) - np.log(phi + mu))
            )
            dmu = y / mu - (y + phi) / (mu + phi)
            dphi = (
                special.digamma(y + phi)
                - special.digamma(phi)
                + lphi
                - np.log(phi + mu)
                + 1
                - (y + phi) / (phi + mu)
            )
        else:
            ll_obs = y * np.log(mu) - mu - self.lgy1
            dmu = y / mu - 1
        nlp = -ll_obs.sum()
        grad = np.zeros_like(x)
        # d mu / d params
        grad[:Z] -= np.bincount(z, dmu * mu, Z)
        grad[Z : 2 * Z] -= np.bincount(z, dmu * S * gain[z] * sat, Z)
        grad[2 * Z : 3 * Z] -= np.bincount(z, dmu * S * gain[z] * (-E * s / c[z]), Z)
        g12 = -np.bincount(m, dmu * mu, 12)
        grad[3 * Z : 3 * Z + 11] += g12[:11] - g12[11]
        if self.negbin:
            grad[3 * Z + 14] -= (dphi * phi).sum()
            # weak prior on log phi (centred on 20) keeps Poisson-like data finite
            nlp += 0.5 * ((lphi - np.log(20.0)) / 3.0) ** 2
            grad[3 * Z + 14] += (lphi - np.log(20.0)) / 9.0
        # hierarchical priors towards the network means
        for j, v in enumerate((lb, ll, lc)):
            r = (v - mu_h[j]) / self.tau[j]
            nlp += 0.5 * (r**2).sum()
            grad[j * Z : (j + 1) * Z] += r / self.tau[j]
            grad[3 * Z + 11 + j] -= r.sum() / self.tau[j]
        # weak priors: season near 1, network curve near a sensible shape
        nlp += 0.5 * (ls**2).sum() / self.season_sd**2
        gs = ls / self.season_sd**2
        grad[3 * Z : 3 * Z + 11] += gs[:11] - gs[11]
        hyper_sd = np.array([10.0, 2.0, 2.0])
        nlp += 0.5 * ((mu_h / hyper_sd) ** 2).sum()
        grad[3 * Z + 11 : 3 * Z + 14] += mu_h / hyper_sd**2
        return float(nlp), grad


def _bootstrap(
    model: _Model,
    x: np.ndarray,
    n: int,
    rng: np.random.Generator,
    hess_inv: np.ndarray | None = None,
) -> np.ndarray:
    """Parametric bootstrap: refit on counts simulated from the fitted model.

    Each refit starts at the mode with the mode's inverse Hessian as BFGS's
    first curvature guess, so it takes few iterations.
    """
    mu = model.mean(x)
    phi = np.exp(model.unpack(x)[5]) if model.negbin else np.inf
    out = np.empty((n, x.size))
    boot = copy.copy(model)
    opts: dict = {"gtol": 1e-3, "maxiter": 1000}
    if hess_inv is not None:
        opts["hess_inv0"] = hess_inv
    for i in range(n):
        if np.isfinite(phi):
            y = rng.negative_binomial(phi, phi / (phi + mu))
        else:
            y = rng.poisson(mu)
        boot.y = y.astype(float)
        boot.lgy1 = special.gammaln(boot.y + 1)
        res = optimize.minimize(boot.f_and_g, x, jac=True, method="BFGS", options=opts)
        out[i] = res.x
    return out


def _hessian(model: _Model, x: np.ndarray) -> np.ndarray:
    """Hessian of the negative log posterior by central differences of the
    analytic gradient."""
    k = x.size
    H = np.empty((k, k))
    for j in range(k):
        h = 1e-5 * max(1.0, abs(x[j]))
        e = np.zeros(k)
        e[j] = h
        H[:, j] = (model.f_and_g(x + e)[1] - model.f_and_g(x - e)[1]) / (2 * h)
    return (H + H.T) / 2


def _newton_polish(model: _Model, x: np.ndarray, steps: int = 3):
    """A few damped Newton steps from the quasi-Newton optimum (sharper mode
    and the Hessian for the Laplace approximation)."""
    f, g = model.f_and_g(x)
    H = _hessian(model, x)
    for _ in range(steps):
        w, V = np.linalg.eigh(H)
        if w.min() <= 0:
            break
        step = V @ ((V.T @ g) / w)
        for t in (1.0, 0.5, 0.25):
            f_new, g_new = model.f_and_g(x - t * step)
            if f_new <= f:
                break
        else:
            break
        x, f, g = x - t * step, f_new, g_new
        H = _hessian(model, x)
    return x, H


def _psd_inverse(H: np.ndarray) -> np.ndarray:
    """Inverse of a symmetric matrix with eigenvalues floored (positive)."""
    w, V = np.linalg.eigh(H)
    w = np.maximum(w, 1e-6)
    cov = (V / w) @ V.T
    return (cov + cov.T) / 2
