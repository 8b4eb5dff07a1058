"""Traffic-vs-spend response curves, partially pooled across zones.

The model behind :func:`pondstats.plan_budget`. For zone ``z`` in calendar
month ``t`` with marketing spend ``s`` the expected number of first-visit
A-cards is

.. math::

    \\mu_{z,t} = S_{m(t)} \\, (b_z + g_z (1 - e^{-s / c_z}))

with a month-of-year seasonality ``S`` shared by all zones (geometric mean 1),
a base traffic ``b_z`` that comes without spend, a gain ``g_z`` that spend can
add at most, and a scale ``c_z`` (yuan) at which 63% of the gain is reached:
diminishing returns. Counts are negative-binomial (or Poisson) around ``mu``.

Partial pooling: ``log b_z``, ``log(g_z / b_z)`` (the lift) and ``log(c_z /
m_z)`` (the scale relative to the zone's median monthly spend ``m_z``) have
normal priors centred on network means estimated from the data, so a small or
flat-spend zone borrows its curve *shape* from the others while its level
stays its own. Measuring the scale against each zone's own spend keeps the
prior unit-free: budgets usually follow zone size. The fit is
the posterior mode (scipy BFGS with an analytic gradient, polished by a few
Newton steps); uncertainty comes from a parametric bootstrap (counts simulated
from the fit, model refitted) or, faster and rougher, a Laplace approximation;
the parameter draws give the intervals.

Each zone's close rate (deposits per first-visit A-card) is shrunk towards
the network by a beta-binomial empirical-Bayes prior, so expected C-cards =
expected A-cards x shrunk close rate.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize

from pondstats._checks import check_frame
from pondstats.budget._model import _bootstrap, _Model, _newton_polish, _psd_inverse
from pondstats.dates import parse_month
from pondstats.errors import InputError
from pondstats.rates.stats import fit_beta_prior

__all__ = ["ResponseFit", "fit_response", "beta_prior", "HISTORY_COLUMNS"]

log = logging.getLogger(__name__)

#: Columns a budget history must have (see :func:`pondstats.budget_history`).
HISTORY_COLUMNS: tuple[str, ...] = ("region", "month", "spend", "a_cards", "c_cards")


def saturation_curve(spend, base, gain, scale):
    """Expected A-cards at ``spend``: ``base + gain * (1 - exp(-spend / scale))``.

    Broadcasts like numpy (arrays per zone, per draw or per spend level).

    Examples
    --------
    >>> from pondstats.budget._response import saturation_curve
    >>> saturation_curve(0.0, 10.0, 20.0, 1000.0), saturation_curve(1e9, 10.0, 20.0, 1000.0)
    (np.float64(10.0), np.float64(30.0))
    """
    return base + gain * -np.expm1(-spend / scale)


# ---------------------------------------------------------------------------
# close rates: beta-binomial empirical Bayes
# ---------------------------------------------------------------------------


def beta_prior(k, n) -> tuple[float, float]:
    """Beta prior ``(alpha, beta)`` fitted to successes ``k`` out of ``n``.

    The empirical-Bayes prior the zones' close rates are shrunk towards:
    :func:`pondstats.rates.stats.fit_beta_prior` (beta-binomial maximum marginal
    likelihood; Jeffreys, i.e. no pooling, with fewer than 3 zones).

    Examples
    --------
    >>> a, b = beta_prior([10, 13, 30], [100, 100, 200])
    >>> round(a / (a + b), 2)
    0.13
    """
    k = np.asarray(k, dtype=float)
    n = np.asarray(n, dtype=float)
    if not (n > 0).any():
        raise InputError(
            "Cannot fit a close-rate prior: no zone has any A-card. "
            "Check that visits carry a region and fall in the spend months."
        )
    prior = fit_beta_prior(np.minimum(k, n), n)
    return float(prior.alpha), float(prior.beta)


# ---------------------------------------------------------------------------
# the fitted model
# ---------------------------------------------------------------------------


@dataclass
class ResponseFit:
    """A fitted traffic response per zone plus shrunk close rates.

    Attributes
    ----------
    params : DataFrame
        One row per zone: ``region``, ``base``, ``gain``, ``scale`` (yuan),
        ``close_rate`` (shrunk), ``rate_alpha``, ``rate_beta`` (its beta
        posterior), ``spend_min``, ``spend_max`` (observed range), ``months``
        (months of history), ``a_cards``, ``c_cards`` (totals).
    seasonality : Series
        12 multipliers indexed by month of year 1..12 (geometric mean 1).
    dispersion : float
        Negative-binomial size ``phi`` (``inf`` for Poisson): variance is
        ``mu + mu**2 / phi``.
    draws : dict
        Parameter draws (bootstrap or Laplace) of ``base``, ``gain``, ``scale`` (each draws x zones),
        ``season`` (draws x 12) and ``close_rate`` (draws x zones).
    last_month : Period
        The last month of the history.
    """

    params: pd.DataFrame
    seasonality: pd.Series
    dispersion: float
    draws: dict[str, np.ndarray] = field(repr=False)
    last_month: pd.Period
    history: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    converged: bool = True

    @property
    def regions(self) -> list[str]:
        """Zone names in the order of :attr:`params`."""
        return self.params["region"].tolist()

    def season(self, month: pd.Period | str | None = None) -> float:
        """The seasonal multiplier of ``month`` (default: the next month)."""
        return float(self.seasonality.loc[_as_month(month, self.last_month).month])

    def expected_a_cards(
        self, spend, month: pd.Period | str | None = None
    ) -> np.ndarray:
        """Expected first-visit A-cards per zone at ``spend`` (array per zone)."""
        p = self.params
        s = _spend_vector(spend, self.regions)
        curve = saturation_curve(
            s, p["base"].to_numpy(), p["gain"].to_numpy(), p["scale"].to_numpy()
        )
        return self.season(month) * curve

    def marginal_deposits(
        self, spend, month: pd.Period | str | None = None
    ) -> np.ndarray:
        """Expected extra deposits per extra yuan, per zone, at ``spend``."""
        p = self.params
        s = _spend_vector(spend, self.regions)
        scale = p["scale"].to_numpy()
        slope = p["gain"].to_numpy() / scale * np.exp(-s / scale)
        return self.season(month) * p["close_rate"].to_numpy() * slope

    def predict(
        self, spend, month: pd.Period | str | None = None, *, level: float = 0.95
    ) -> pd.DataFrame:
        """Expected A- and C-cards per zone at ``spend``, with intervals.

        Parameters
        ----------
        spend : mapping, Series or array
            Spend per zone (keyed by region, or in the order of
            :attr:`regions`).
        month : Period or str, optional
            Month planned for (sets the seasonal multiplier); default the
            month after the history.
        level : float
            Interval level. Intervals are for the *expected* counts (model
            uncertainty), not for the month's actual counts, which scatter
            more (negative-binomial noise).

        Returns
        -------
        DataFrame
            ``region, spend, a_expected, a_low, a_high, close_rate,
            c_expected, c_low, c_high``.
        """
        s = _spend_vector(spend, self.regions)
        month = _as_month(month, self.last_month)
        a_draws, c_draws = self._draw_counts(s, month)
        q = [(1 - level) / 2, (1 + level) / 2]
        a_q, c_q = np.quantile(a_draws, q, axis=0), np.quantile(c_draws, q, axis=0)
        a_hat = self.expected_a_cards(s, month)
        rate = self.params["close_rate"].to_numpy()
        return pd.DataFrame(
            {
                "region": self.regions,
                "spend": s,
                "a_expected": a_hat,
                "a_low": a_q[0],
                "a_high": a_q[1],
                "close_rate": rate,
                "c_expected": a_hat * rate,
                "c_low": c_q[0],
                "c_high": c_q[1],
            }
        )

    def _draw_counts(
        self, s: np.ndarray, month: pd.Period
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draws (draws x zones) of expected A-cards and C-cards at spend ``s``."""
        d = self.draws
        season = d["season"][:, month.month - 1][:, None]
        a = season * saturation_curve(s[None, :], d["base"], d["gain"], d["scale"])
        return a, a * d["close_rate"]

    @classmethod
    def from_params(
        cls,
        params: pd.DataFrame,
        *,
        seasonality=None,
        last_month: pd.Period | str = "2000-01",
    ) -> ResponseFit:
        """A fit from known curves (for scenarios and checks; no uncertainty).

        ``params`` needs ``region, base, gain, scale, close_rate`` and may
        have ``spend_min, spend_max`` (default 0 and 3 x scale).

        Examples
        --------
        >>> p = pd.DataFrame({"region": ["A"], "base": [10.0], "gain": [20.0],
        ...                   "scale": [1000.0], "close_rate": [0.1]})
        >>> fit = ResponseFit.from_params(p)
        >>> fit.expected_a_cards([0.0]).round(1).tolist()
        [10.0]
        """
        need = ["region", "base", "gain", "scale", "close_rate"]
        missing = [c for c in need if c not in params.columns]
        if missing:
            raise InputError(f"params needs columns {need}; missing {missing}.")
        p = params.copy()
        if "spend_min" not in p:
            p["spend_min"] = 0.0
        if "spend_max" not in p:
            p["spend_max"] = 3.0 * p["scale"]
        season = (
            pd.Series(1.0, index=range(1, 13))
            if seasonality is None
            else pd.Series(np.asarray(seasonality, dtype=float), index=range(1, 13))
        )
        one = {
            k: p[k].to_numpy(dtype=float)[None, :]
            for k in ("base", "gain", "scale", "close_rate")
        }
        draws = {**one, "season": season.to_numpy()[None, :]}
        return cls(
            params=p,
            seasonality=season,
            dispersion=np.inf,
            draws=draws,
            last_month=pd.Period(last_month, "M"),
        )


def _as_month(month, last_month: pd.Period) -> pd.Period:
    if month is None:
        return last_month + 1
    return parse_month(month, name="month")


def _spend_vector(spend, regions: list[str]) -> np.ndarray:
    if isinstance(spend, dict):
        spend = pd.Series(spend)
    if isinstance(spend, pd.Series) and not isinstance(spend.index, pd.RangeIndex):
        missing = sorted(set(regions) - set(spend.index))
        if missing:
            raise InputError(
                f"spend is missing zones {missing}; give one amount per zone."
            )
        spend = spend.reindex(regions)
    s = np.asarray(spend, dtype=float)
    if s.shape != (len(regions),):
        raise InputError(
            f"spend needs one amount per zone ({len(regions)}), got shape {s.shape}."
        )
    if np.isnan(s).any() or (s < 0).any():
        raise InputError(
            "spend must be non-negative numbers, found negative or missing values."
        )
    return s


# ---------------------------------------------------------------------------
# fitting
# ---------------------------------------------------------------------------


def _check_history(history: pd.DataFrame) -> pd.DataFrame:
    check_frame(
        history,
        "history",
        HISTORY_COLUMNS,
        fix="Build it with ps.budget_history(spend, visits, deposits).",
    )
    h = history.loc[:, list(HISTORY_COLUMNS)].copy()
    if h.empty:
        raise InputError(
            "history is empty: it needs at least one zone-month with spend."
        )
    spend = pd.to_numeric(h["spend"], errors="coerce")
    bad = h[spend.isna() | (spend < 0)]
    if len(bad):
        rows = ", ".join(
            f"{r} {m}" for r, m in zip(bad["region"], bad["month"], strict=True)
        )
        raise InputError(
            f"spend must be a non-negative amount; {len(bad)} zone-month(s) have a "
            f"negative or missing spend ({rows[:200]}). Enter 0 where nothing was spent, "
            "or drop the months whose spend is unknown."
        )
    if h["region"].isna().any():
        raise InputError("history has rows without a region; drop or fill them first.")
    for col in ("a_cards", "c_cards"):
        v = pd.to_numeric(h[col], errors="coerce")
        if v.isna().any() or (v < 0).any():
            raise InputError(f"history column {col!r} must be non-negative counts.")
    h["spend"] = spend.astype(float)
    h["month"] = pd.PeriodIndex(h["month"], freq="M")
    return h


def fit_response(
    history: pd.DataFrame,
    *,
    family: str = "negbin",
    prior_sd: tuple[float, float, float] = (2.0, 0.5, 0.5),
    season_sd: float = 0.5,
    uncertainty: str = "bootstrap",
    n_draws: int = 100,
    random_state: int | np.random.Generator | None = 0,
) -> ResponseFit:
    """Fit pooled diminishing-returns traffic curves and shrunk close rates.

    Parameters
    ----------
    history : DataFrame
        ``region, month, spend, a_cards, c_cards`` per zone and month, as
        made by :func:`pondstats.budget_history`.
    family : {"negbin", "poisson"}
        Count distribution of monthly A-cards around the curve.
    prior_sd : tuple of 3 floats
        Prior standard deviations of ``log base``, ``log(gain/base)`` and
        ``log(scale / median spend of the zone)`` around their network means: the strength of pooling.
        Smaller means zones look more alike; larger means each zone stands
        on its own data.
    season_sd : float
        Prior standard deviation of each log seasonal multiplier (months
        never observed stay near 1).
    uncertainty : {"bootstrap", "laplace"}
        How parameter draws for the intervals are made. ``"bootstrap"``
        (default): parametric bootstrap, monthly A-cards simulated from the
        fitted model and the model refitted ``n_draws`` times; it follows the
        curved ridge of base/gain/scale combinations the data cannot tell
        apart. ``"laplace"``: a normal approximation at the mode, much faster
        but it can put draws off that ridge (too-wide, skewed intervals).
    n_draws : int
        Parameter draws kept for intervals (bootstrap refits take ~0.05-0.1 s
        each for 16 zones x 24 months).
    random_state : int, Generator or None
        Seeds the draws.

    Returns
    -------
    ResponseFit

    Notes
    -----
    What the model cannot know: it is observational. Spend that was raised
    *because* a zone was already busy (or before a launch) looks like spend
    that worked; competitors' actions, model launches, price changes and the
    weather are not in the data. Beyond the spend range a zone has seen the
    curve is an extrapolation of its shape (and of the other zones'). The
    intervals cover parameter uncertainty under the model, not these.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> months = pd.period_range("2025-01", periods=24, freq="M")
    >>> rows = []
    >>> for z, (b, g, c) in {"A": (20, 40, 10_000), "B": (10, 30, 5_000)}.items():
    ...     for m in months:
    ...         s = rng.uniform(0, 20_000)
    ...         a = rng.poisson(b + g * (1 - np.exp(-s / c)))
    ...         rows.append((z, m, s, a, rng.binomial(a, 0.13)))
    >>> hist = pd.DataFrame(rows, columns=["region", "month", "spend", "a_cards", "c_cards"])
    >>> fit = fit_response(hist)
    >>> fit.expected_a_cards([10_000, 10_000]).round()  # truth: 45 and 36
    array([47., 39.])
    """
    if uncertainty not in ("bootstrap", "laplace"):
        raise InputError(
            f"uncertainty must be 'bootstrap' or 'laplace', got {uncertainty!r}."
        )
    if n_draws < 2:
        raise InputError(f"n_draws must be at least 2, got {n_draws}.")
    if family not in ("negbin", "poisson"):
        raise InputError(f"family must be 'negbin' or 'poisson', got {family!r}.")
    if len(prior_sd) != 3 or min(prior_sd) <= 0:
        raise InputError(f"prior_sd needs 3 positive numbers, got {prior_sd!r}.")
    h = _check_history(history)
    h = h.groupby(["region", "month"], as_index=False, sort=True).sum()
    regions = sorted(h["region"].unique())
    codes = pd.Categorical(h["region"], categories=regions).codes.astype(int)
    moy = np.asarray(h["month"].dt.month, dtype=int) - 1
    s = h["spend"].to_numpy(dtype=float)
    y = h["a_cards"].to_numpy(dtype=float)
    Z = len(regions)
    pos = s[s > 0]
    # each zone's scale is measured in units of its own median spend, so the
    # pooled prior on the curve's shape is unit-free (budgets follow zone size)
    net = float(np.median(pos)) if pos.size else 1.0
    med = h.loc[h["spend"] > 0].groupby("region")["spend"].median()
    ref = med.reindex(regions).fillna(net).to_numpy(float)

    model = _Model(codes, moy, s, y, Z, ref, tuple(prior_sd), season_sd, family)
    mean_y = np.bincount(codes, y, Z) / np.bincount(codes, minlength=Z)
    lb0 = np.log(np.maximum(mean_y, 0.5) / 2)
    x0 = np.zeros(model.n_par)
    x0[:Z] = lb0
    x0[3 * Z + 11] = lb0.mean()
    if model.negbin:
        x0[-1] = np.log(20.0)
    res = optimize.minimize(
        model.f_and_g,
        x0,
        jac=True,
        method="BFGS",
        options={"gtol": 1e-6, "maxiter": 5000},
    )
    x, H = _newton_polish(model, res.x)
    gnorm = float(np.abs(model.f_and_g(x)[1]).max())
    converged = gnorm < 1e-2
    if not converged:
        log.warning(
            "response fit did not converge (largest gradient %.3g): %s",
            gnorm,
            res.message,
        )
    rng = np.random.default_rng(random_state)
    if uncertainty == "laplace":
        xd = rng.multivariate_normal(
            x, _psd_inverse(H), size=n_draws, method="cholesky"
        )
    else:
        xd = _bootstrap(model, x, n_draws, rng, _psd_inverse(H))

    lb, ll, lc, ls, _, lphi = model.unpack(x)
    base, gain, scale = np.exp(lb), np.exp(lb + ll), np.exp(lc) * ref
    tot = h.groupby("region")[["a_cards", "c_cards"]].sum().reindex(regions)
    k, n = tot["c_cards"].to_numpy(float), tot["a_cards"].to_numpy(float)
    alpha, beta = beta_prior(k, n)
    ra, rb = alpha + np.minimum(k, n), beta + np.maximum(n - k, 0)
    rng_spend = (
        h.groupby("region")["spend"].agg(["min", "max", "size"]).reindex(regions)
    )
    params = pd.DataFrame(
        {
            "region": regions,
            "base": base,
            "gain": gain,
            "scale": scale,
            "close_rate": ra / (ra + rb),
            "rate_alpha": ra,
            "rate_beta": rb,
            "spend_min": rng_spend["min"].to_numpy(),
            "spend_max": rng_spend["max"].to_numpy(),
            "months": rng_spend["size"].to_numpy(),
            "a_cards": n,
            "c_cards": k,
        }
    )
    dZ = xd[:, :Z], xd[:, Z : 2 * Z], xd[:, 2 * Z : 3 * Z]
    ls_d = np.column_stack(
        [xd[:, 3 * Z : 3 * Z + 11], -xd[:, 3 * Z : 3 * Z + 11].sum(axis=1)]
    )
    draws = {
        "base": np.exp(dZ[0]),
        "gain": np.exp(dZ[0] + dZ[1]),
        "scale": np.exp(dZ[2]) * ref,
        "season": np.exp(ls_d),
        "close_rate": rng.beta(ra, rb, size=(n_draws, Z)),
    }
    return ResponseFit(
        params=params,
        seasonality=pd.Series(np.exp(ls), index=range(1, 13)),
        dispersion=float(np.exp(lphi)),
        draws=draws,
        last_month=h["month"].max(),
        history=h,
        converged=converged,
    )
