"""Tests of pondstats.rates.stats against independent implementations."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportion_confint

from pondstats.errors import InputError
from pondstats.rates.stats import (
    BetaPrior,
    adjust_pvalues,
    assess_rates,
    binom_pvalues,
    fit_beta_prior,
    funnel_limits,
    jeffreys_interval,
    overdispersion,
    shrink,
    wilson_interval,
)
from pondstats.schema import Benchmark

K = np.array([0, 1, 2, 5, 13, 50, 99, 100, 0, 7])
N = np.array([1, 1, 10, 5, 100, 1000, 100, 100, 3000, 8])


@pytest.mark.parametrize(
    ("func", "method"), [(wilson_interval, "wilson"), (jeffreys_interval, "jeffreys")]
)
@pytest.mark.parametrize("level", [0.95, 0.9, 0.998])
def test_intervals_equal_statsmodels(func, method, level):
    lo, hi = func(K, N, level=level)
    ref_lo, ref_hi = proportion_confint(K, N, alpha=1 - level, method=method)
    np.testing.assert_allclose(lo, ref_lo, rtol=0, atol=1e-9)
    np.testing.assert_allclose(hi, ref_hi, rtol=0, atol=1e-9)


def test_interval_scalars_and_zero_trials():
    lo, hi = wilson_interval(13, 100)
    assert isinstance(lo, float)
    ref = proportion_confint(13, 100, method="wilson")
    assert lo == pytest.approx(ref[0], abs=1e-12) and hi == pytest.approx(
        ref[1], abs=1e-12
    )
    for func in (wilson_interval, jeffreys_interval):
        lo, hi = func([0, 3], [0, 10])
        assert np.isnan(lo[0]) and np.isnan(hi[0])
        assert 0 <= lo[1] <= 0.3 <= hi[1] <= 1


def test_wilson_by_hand():
    # k=2, n=5, z=1.959964: centre (0.4 + z^2/10) / (1 + z^2/5)
    z = 1.959963984540054
    centre = (0.4 + z**2 / 10) / (1 + z**2 / 5)
    half = z * np.sqrt(0.4 * 0.6 / 5 + z**2 / 100) / (1 + z**2 / 5)
    lo, hi = wilson_interval(2, 5)
    assert lo == pytest.approx(centre - half, abs=1e-12)
    assert hi == pytest.approx(centre + half, abs=1e-12)


@pytest.mark.parametrize(
    ("k", "n", "match"),
    [
        ([-1], [5], "non-negative"),
        ([6], [5], "must not exceed n"),
        ([1, 2], [5, 6, 7], "same length"),
    ],
)
def test_count_errors(k, n, match):
    with pytest.raises(InputError, match=match):
        wilson_interval(k, n)


def test_level_error():
    with pytest.raises(InputError, match="level must be between 0 and 1"):
        jeffreys_interval(1, 5, level=95)


def _independent_ml(k, n):
    """Beta-binomial ML by Nelder-Mead on scipy.stats.betabinom (independent)."""

    def nll(theta):
        a, b = np.exp(theta)
        return -stats.betabinom.logpmf(k, n, a, b).sum()

    res = optimize.minimize(
        nll,
        [np.log(2.0), np.log(12.0)],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 20000},
    )
    a, b = np.exp(res.x)
    return a / (a + b), a + b


def test_fit_beta_prior_matches_independent_ml():
    rng = np.random.default_rng(3)
    n = rng.integers(50, 2000, 40)
    p = rng.beta(8, 50, 40)
    k = rng.binomial(n, p)
    prior = fit_beta_prior(k, n)
    mu, kappa = _independent_ml(k, n)
    assert prior.method == "ml" and prior.n_groups == 40
    assert prior.mean == pytest.approx(mu, rel=1e-4)
    assert prior.concentration == pytest.approx(kappa, rel=1e-3)


def test_fit_beta_prior_fallbacks_and_cap():
    assert fit_beta_prior([1, 2], [10, 20]).method == "jeffreys"
    assert fit_beta_prior([0, 0, 0], [10, 20, 30]).method == "jeffreys"
    # groups with no A-cards do not count
    assert fit_beta_prior([1, 2, 0], [10, 20, 0]).n_groups == 2
    # identical rates: no overdispersion, kappa reaches the cap (all A-cards)
    prior = fit_beta_prior([13, 26, 39], [100, 200, 300])
    assert prior.mean == pytest.approx(0.13, abs=2e-3)
    assert prior.concentration == pytest.approx(600, rel=1e-3)


def test_shrink_by_hand():
    prior = BetaPrior(13.0, 87.0, "ml", 2)
    out = shrink([0, 30, 0], [10, 100, 0], prior=prior)
    assert list(out.columns) == ["shrunk_rate", "shrunk_low", "shrunk_high"]
    assert out["shrunk_rate"].iloc[0] == pytest.approx(13 / 110)
    assert out["shrunk_rate"].iloc[1] == pytest.approx(43 / 200)
    assert out["shrunk_low"].iloc[1] == pytest.approx(stats.beta.ppf(0.025, 43, 157))
    assert out["shrunk_high"].iloc[1] == pytest.approx(stats.beta.ppf(0.975, 43, 157))
    assert out.iloc[2].isna().all()
    assert out.attrs["prior"] is prior


def test_shrink_pulls_towards_the_prior_mean():
    k, n = np.array([0, 5, 40, 300]), np.array([20, 20, 200, 1000])
    out = shrink(k, n)
    mean = out.attrs["prior"].mean
    raw = k / n
    assert np.all(np.abs(out["shrunk_rate"] - mean) <= np.abs(raw - mean) + 1e-12)


def test_binom_pvalues_equal_binomtest():
    below, above = binom_pvalues(K[:-2], N[:-2], 0.13)
    for i, (k, n) in enumerate(zip(K[:-2], N[:-2], strict=True)):
        assert below[i] == pytest.approx(
            stats.binomtest(int(k), int(n), 0.13, alternative="less").pvalue, rel=1e-9
        )
        assert above[i] == pytest.approx(
            stats.binomtest(int(k), int(n), 0.13, alternative="greater").pvalue,
            rel=1e-9,
        )
    below, above = binom_pvalues([0], [0], 0.13)
    assert np.isnan(below[0]) and np.isnan(above[0])


@pytest.mark.parametrize(("method", "sm"), [("bh", "fdr_bh"), ("holm", "holm")])
def test_adjust_pvalues_equal_statsmodels(method, sm):
    rng = np.random.default_rng(0)
    p = rng.uniform(0, 0.2, 30)
    g = np.repeat([3, 1, 2], 10)
    out = adjust_pvalues(p, method=method, groups=g)
    for lab in (1, 2, 3):
        sel = g == lab
        ref = multipletests(p[sel], method=sm)[1]
        np.testing.assert_allclose(out[sel], ref, rtol=1e-12)
    with_nan = adjust_pvalues(np.r_[np.nan, p[:5]], method=method)
    assert np.isnan(with_nan[0])
    np.testing.assert_allclose(with_nan[1:], multipletests(p[:5], method=sm)[1])


def test_adjust_pvalues_error():
    with pytest.raises(InputError, match="'bh' .* or 'holm'"):
        adjust_pvalues([0.1], method="bonferroni")


def test_assess_rates_columns_and_errors():
    out = assess_rates([2, 40, 130, 0], [10, 600, 1000, 0])
    assert list(out.columns) == [
        "close_rate",
        "ci_low",
        "ci_high",
        "shrunk_rate",
        "shrunk_low",
        "shrunk_high",
        "p_value",
        "p_adjusted",
        "status",
    ]
    assert list(out["status"]) == ["too_few", "weak", "on_track", "too_few"]
    assert out.iloc[3, :8].isna().all()
    with pytest.raises(InputError, match="interval must be 'wilson' or 'jeffreys'"):
        assess_rates([1], [2], interval="normal")


def test_assess_rates_caps_c_above_a():
    out = assess_rates([7], [5])
    assert out["close_rate"].iloc[0] == 1.0


def test_overdispersion_by_hand():
    k = np.array([40, 200, 90, 260])
    n = np.array([1000, 1000, 1000, 1000])
    t = 0.13
    s2 = t * (1 - t) / n
    z = (k / n - t) / np.sqrt(s2)
    lo, hi = np.quantile(z, [0.1, 0.9])
    zw = np.clip(z, lo, hi)
    phi = np.mean(zw**2)
    w = 1 / s2
    expected = (4 * phi - 3) / (w.sum() - (w**2).sum() / w.sum())
    assert overdispersion(k, n, target=t) == pytest.approx(expected)
    assert overdispersion([13], [100], target=t) == 0.0


def test_funnel_limits():
    lo, hi = funnel_limits([100], target=0.13)
    half = 1.959963984540054 * np.sqrt(0.13 * 0.87 / 100)
    assert lo[0] == pytest.approx(0.13 - half) and hi[0] == pytest.approx(0.13 + half)
    lo2, hi2 = funnel_limits([100], target=0.13, tau2=0.001)
    assert lo2[0] < lo[0] and hi2[0] > hi[0]
    lo3, _ = funnel_limits([5], target=0.13)
    assert lo3[0] == 0.0


@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 500), st.floats(0, 1)), min_size=1, max_size=12)
)
def test_assess_rates_invariants(pairs):
    n = np.array([p[0] for p in pairs])
    k = np.floor(n * np.array([p[1] for p in pairs])).astype(int)
    out = assess_rates(k, n)
    has = n > 0
    for col in (
        "close_rate",
        "ci_low",
        "ci_high",
        "shrunk_rate",
        "shrunk_low",
        "shrunk_high",
        "p_value",
    ):
        v = out[col].to_numpy()
        assert np.all(np.isnan(v) == ~has)
        assert np.all((v[has] >= 0) & (v[has] <= 1))
    r = out["close_rate"].to_numpy()[has]
    assert np.all(out["ci_low"].to_numpy()[has] <= r + 1e-12)
    assert np.all(r <= out["ci_high"].to_numpy()[has] + 1e-12)
    assert set(out["status"]) <= {"weak", "on_track", "strong", "too_few"}
    judged = out["status"] != "too_few"
    assert np.all(n[judged.to_numpy()] * 0.13 >= 5)


@pytest.mark.slow
def test_simulation_weak_flags_are_honest_and_powerful():
    """Many simulated networks with known rates: few false alarms, high power."""
    rng = np.random.default_rng(20261123)
    nets, zones = 600, 16
    n = np.round(np.exp(rng.uniform(np.log(20), np.log(5000), (nets, zones)))).astype(
        int
    )
    true = rng.choice(
        [0.05, 0.07, 0.08, 0.09, 0.11, 0.13, 0.13, 0.13, 0.15, 0.17, 0.20],
        (nets, zones),
    )
    k = rng.binomial(n, true)
    out = assess_rates(
        k.ravel(),
        n.ravel(),
        groups=np.repeat(np.arange(nets), zones),
        benchmark=Benchmark(),
    )
    status = out["status"].to_numpy()
    t, nn = true.ravel(), n.ravel()
    false_weak = (status[t >= 0.13] == "weak").mean()
    power = (status[(t <= 0.09) & (nn >= 300)] == "weak").mean()
    false_strong = (status[t <= 0.13] == "strong").mean()
    assert false_weak <= 0.05
    assert power >= 0.90
    assert false_strong <= 0.05
    # small zones are never judged
    assert np.all(status[nn < 39] == "too_few")


def test_fit_beta_prior_falls_back_to_moments(monkeypatch):
    import types

    import pondstats.rates._intervals as iv

    monkeypatch.setattr(
        iv.optimize,
        "minimize",
        lambda *a, **k: types.SimpleNamespace(
            success=False, x=np.array([np.nan, np.nan])
        ),
    )
    k, n = np.array([10, 40, 12, 60]), np.array([100, 200, 90, 400])
    prior = fit_beta_prior(k, n)
    assert prior.method == "moments"
    # by hand: pooled mean, between-zone variance = var(p) - mean binomial noise
    mu = k.sum() / n.sum()
    between = np.var(k / n, ddof=1) - np.mean(mu * (1 - mu) / n)
    assert prior.mean == pytest.approx(mu)
    assert prior.concentration == pytest.approx(mu * (1 - mu) / between - 1)
