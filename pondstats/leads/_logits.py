"""Log-odds arithmetic behind :class:`pondstats.leads._scorer.LeadScorer`.

Small numeric helpers on a model's raw scores (log-odds, ``decision_function``
output): the probability, the log loss and ROC AUC of held-out scores, a
sigmoid (Platt) map fitted on them, and the cross-fitted test of whether such
a map lowers the held-out log loss.
"""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss, roc_auc_score


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -500, 500)))


def _loss(y: np.ndarray, logit: np.ndarray) -> float:
    return float(log_loss(y, np.clip(_sigmoid(logit), 1e-15, 1 - 1e-15), labels=[0, 1]))


def _auc(y: np.ndarray, s: np.ndarray) -> float:
    return float(roc_auc_score(y, s)) if len(np.unique(y)) == 2 else float("nan")


def _platt(logit: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Sigmoid map ``p = 1 / (1 + exp(-(a * logit + b)))`` fitted by maximum likelihood."""
    lr = LogisticRegression(C=1e6, max_iter=200).fit(logit.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _calibration_gain(logit: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Held-out log loss without and with a sigmoid map (cross-fitted on halves)."""
    halves = [np.arange(len(y)) % 2 == k for k in (0, 1)]
    raw, cal, n = 0.0, 0.0, 0
    for fit_, score in (halves, halves[::-1]):
        if len(np.unique(y[fit_])) < 2 or not score.any():
            return _loss(y, logit), np.inf
        a, b = _platt(logit[fit_], y[fit_])
        m = int(score.sum())
        raw += m * _loss(y[score], logit[score])
        cal += m * _loss(y[score], a * logit[score] + b)
        n += m
    return raw / n, cal / n
