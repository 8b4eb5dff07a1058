"""Benchmark: fit and score a 1M-row lead table with LeadScorer.

Run from the repository root::

    python benchmarks/bench_leads.py            # 1,000,000 rows, the default model
    python benchmarks/bench_leads.py --rows 200000 --model gbm --threads 1

The default's fit is compared, in the same run, with a plain scikit-learn
``HistGradientBoostingClassifier`` (its defaults) fitted on the same features
(text columns given as pandas categoricals, converted before the clock
starts); the ratios are printed (targets: boosting path <= 1.5x, the whole
``model="auto"`` fit <= 3x).

The table has the columns of ``pondstats.leads.LEAD_FEATURES`` (numeric
counts and days, a test-drive flag with missing values, categorical source,
model, grade, consultant, store, region with placeholders and rare levels)
drawn from a known logistic model, so the best reachable AUC (scoring with
the true probabilities) is printed beside the model's.
Prints seconds per step and the peak resident memory of the process.

``--data bank`` fits the public 45k lead set (UCI Bank Marketing) instead;
``--data sample`` times the horizon model of the sample dealer's call list.
The load average (``uptime``) is printed with each run.

Measured on 2 cores shared with other jobs, with ``--threads 1`` (load 7-10;
the ratios are the figures to read, docs/performance.md has them all):

=====================  =========  ==============  ==============  ===============
run                    plain HGB  ``gbm`` fit     boosting path   ``auto`` fit
=====================  =========  ==============  ==============  ===============
bank 45k (36k fitted)  3.7 s      6.1 s (1.66x)   5.0 s (1.36x)   2.5 s (1.34x)
synthetic 45k          3.3 s      4.6 s (1.42x)   3.8 s (1.17x)   -
synthetic 100k         6.0 s      10.1 s (1.68x)  8.1 s (1.34x)   5.9 s (1.40x)
synthetic 1M           58.8 s     89.1 s (1.52x)  79.7 s (1.36x)  110.2 s (1.12x)
=====================  =========  ==============  ==============  ===============

The sample's horizon model (``--data sample``): snapshots and stacked fit 2.2 s.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

import pondstats as ps
from pondstats.leads import LEAD_FEATURES


def make_table(
    n: int, random_state: int = 0
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(random_state)
    days_last = rng.integers(0, 180, n)
    n_visits = 1 + rng.poisson(0.4, n)
    cat = {
        "source": (["自然到店", "网络", "转介绍", "车展", "外拓", "请选择"], 0.6),
        "model": (["X7", "S5", "S3", "EV", "M8"], 0.2),
        "grade": (["H", "A", "B", "C"], 0.8),
        "consultant": ([f"顾问{i:02d}" for i in range(60)], 0.3),
        "store": (["东湖店", "西江店", "北岭店"], 0.1),
        "region": ([f"区{i:02d}" for i in range(40)], 0.4),
    }
    df = pd.DataFrame(
        {
            "n_visits": n_visits,
            "visits_30d": np.minimum(n_visits, rng.integers(0, 3, n)),
            "days_since_first": days_last + rng.integers(0, 60, n),
            "days_since_last": days_last,
            "returned": (n_visits > 1).astype(int),
            "test_drive": np.where(
                rng.random(n) < 0.1, np.nan, (rng.random(n) < 0.3).astype(float)
            ),
            "region_close_rate": rng.beta(13, 87, n),
            "first_weekday": rng.choice(
                ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"], n
            ),
            "first_month": rng.choice([f"{m:02d}" for m in range(1, 13)], n),
        }
    )
    logit = (
        -3.0
        - 0.02 * days_last
        + 0.6 * (n_visits - 1)
        + 1.0 * np.nan_to_num(df["test_drive"])
    )
    truth = np.random.default_rng(2026)  # the same level effects for every table
    for col, (levels, scale) in cat.items():
        codes = rng.integers(0, len(levels), n)
        effects = truth.normal(0, scale, len(levels))
        df[col] = pd.array(np.asarray(levels, dtype=object)[codes], dtype="str")
        logit = logit + effects[codes]
    p_true = 1 / (1 + np.exp(-logit))
    y = (rng.random(n) < p_true).astype(int)
    return df[list(LEAD_FEATURES)], y, p_true


def bank_table() -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame, np.ndarray]:
    """UCI Bank Marketing (bank-full, 45,211 rows), the public 45k lead set:
    every column but the outcome ``y`` and the call ``duration`` (known only
    after the call), rows shuffled with a fixed seed; the first 80% fit, the
    last 20% are scored."""
    import os
    from pathlib import Path

    root = Path(os.environ.get("PONDSTATS_SHARED_DATASETS", "../shared/datasets"))
    d = pd.read_csv(root / "bank_marketing" / "bank-full.csv", sep=";")
    d = d.sample(frac=1, random_state=0).reset_index(drop=True)
    y = (d.pop("y") == "yes").astype(int).to_numpy()
    X = d.drop(columns="duration")
    for c in X.columns:
        if not pd.api.types.is_numeric_dtype(X[c]):
            X[c] = X[c].astype("str")
    cut = int(0.8 * len(X))
    return X.iloc[:cut], y[:cut], X.iloc[cut:], y[cut:]


def peak_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def plain_hgb_seconds(X: pd.DataFrame, y: np.ndarray) -> float:
    """A plain HistGradientBoostingClassifier on the same features."""
    Xc = X.copy()
    for c in Xc.columns:
        if not pd.api.types.is_numeric_dtype(Xc[c]):
            Xc[c] = Xc[c].astype("category")
    t0 = time.perf_counter()
    HistGradientBoostingClassifier(random_state=0).fit(Xc, y)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument(
        "--data",
        default="synthetic",
        choices=("synthetic", "bank", "sample"),
        help="synthetic lead table of --rows rows, the public 45k Bank Marketing set, "
        "or the sample dealer's horizon model (the report's call list)",
    )
    ap.add_argument("--model", default="auto", choices=("auto", "logistic", "gbm"))
    ap.add_argument(
        "--threads", type=int, default=None, help="limit OpenMP/BLAS threads"
    )
    args = ap.parse_args()
    with threadpool_limits(limits=args.threads):
        run_sample(args) if args.data == "sample" else run(args)


def run_sample(args: argparse.Namespace) -> None:
    """The horizon model of the report's call list on the sample dealer
    (``fit_horizons`` for 2026-11-01: snapshots, the stacked fit) against a
    plain HistGradientBoostingClassifier on the same snapshots' 30-day label."""
    import subprocess

    from pondstats.leads import CALL_FEATURES
    from pondstats.leads._horizons import fit_horizons

    vis, dep = ps.load_sample()
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    t0 = time.perf_counter()
    model, snaps = fit_horizons(vis, dep, "2026-11-01")
    t_fit = time.perf_counter() - t0
    sel = model.scorer_.selection_
    print(
        f"fit_horizons (snapshots + stacked fit): {t_fit:.1f} s; {len(snaps):,} snapshots, "
        f"{model.n_stacked_:,} stacked rows (no-deposit rows sampled at "
        f"{model.sampling_rate_:.2f}); kept {sel['reason']}"
    )
    print(sel["candidates"].round(4).to_string())
    known = snaps.loc[snaps["observed_days"] >= 30]
    y30 = (known["days_to_deposit"] <= 30).astype(int).to_numpy()
    t_plain = plain_hgb_seconds(known[list(CALL_FEATURES)], y30)
    boost = float(sel["candidates"].loc["gbm", "fit_seconds"])
    if sel.get("refit") and model.scorer_.model_ == "gbm":
        boost += float(sel.get("refit_seconds", 0.0))
    print(
        f"plain HistGradientBoostingClassifier on the {len(known):,} snapshots' 30-day "
        f"label: {t_plain:.1f} s; the horizon model's boosting candidate {boost:.1f} s "
        f"= {boost / t_plain:.2f}x"
    )
    t0 = time.perf_counter()
    model.predict_horizons(snaps[list(model.feature_names_in_)])
    print(f"predict_horizons on {len(snaps):,} leads: {time.perf_counter() - t0:.2f} s")


def run(args: argparse.Namespace) -> None:
    t0 = time.perf_counter()
    if args.data == "bank":
        X, y, Xt, yt = bank_table()
        p_true = None
        args.rows = len(X)
    else:
        X, y, _ = make_table(args.rows)
        Xt, yt, p_true = make_table(args.rows, random_state=1)
    t_make = time.perf_counter() - t0
    print(
        f"table: {args.rows:,} rows x {X.shape[1]} features, deposit rate {y.mean():.2%} "
        f"({t_make:.1f} s to make two), peak RSS {peak_mb():.0f} MB"
    )
    t_plain = plain_hgb_seconds(X, y)
    print(f"plain HistGradientBoostingClassifier fit: {t_plain:.1f} s")
    import subprocess

    load = subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    print(f"uptime: {load}")
    t0 = time.perf_counter()
    scorer = ps.LeadScorer(model=args.model, random_state=0).fit(X, y)
    t_fit = time.perf_counter() - t0
    sel = scorer.selection_
    cand = sel["candidates"]
    print(
        f"fit (model={args.model!r}): {t_fit:.1f} s = {t_fit / t_plain:.2f}x plain HGB; "
        f"kept {scorer.model_} ({sel['reason']}); calibrated: {sel['calibrated']}; "
        f"peak RSS {peak_mb():.0f} MB"
    )
    print(cand.round(4).to_string())
    if "gbm" in cand.index:
        boost = float(cand.loc["gbm", "fit_seconds"])
        refit = scorer.model_ == "gbm" and sel.get("refit", False)
        if refit:
            boost += float(sel.get("refit_seconds", 0.0))
        print(
            f"boosting path (early-stopped fit{' + refit on every row' if refit else ''}):"
            f" {boost:.1f} s = {boost / t_plain:.2f}x plain HGB"
        )
    t0 = time.perf_counter()
    p = scorer.predict_proba(Xt)[:, 1]
    t_pred = time.perf_counter() - t0
    best = (
        ""
        if p_true is None
        else f" (true probabilities: {roc_auc_score(yt, p_true):.3f})"
    )
    print(
        f"score {len(Xt):,} rows: {t_pred:.1f} s, ROC AUC {roc_auc_score(yt, p):.3f}"
        f"{best}, peak RSS {peak_mb():.0f} MB"
    )
    t0 = time.perf_counter()
    scorer.explain(Xt.head(5_000))
    t_exp = time.perf_counter() - t0
    print(f"explain 5,000 leads: {t_exp:.2f} s; peak RSS overall {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
