"""Horizon grades: the probability of a deposit within 7, 15, 30 and 90 days, and
the H / A / B / C tiers defined from them.

Dealers grade open prospects by purchase horizon (DOMAIN.md): H buys within
about 7 days, A about 15, B about 30, C about 60-90. :class:`HorizonScorer`
estimates, for every lead, ``P(deposit within h days)`` for each horizon
``h`` as a discrete-time survival model: one :class:`LeadScorer` per
interval between horizons gives the chance of a deposit in that interval
for a lead that has not paid before it (the *hazard* ``q_k``), and

``P(within h_k) = 1 - (1 - q_1)(1 - q_2)...(1 - q_k)``,

so the probabilities never decrease with the horizon, for every lead, by
construction. :func:`horizon_tiers` then gives the tier a consultant's
grade means: **H** when ``P(within 7 days)`` reaches the H threshold, else
**A** when ``P(within 15 days)`` reaches A's, else **B** when
``P(within 30 days)`` reaches B's, else **C** (:data:`DEFAULT_HORIZON_TIERS`;
configurable).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.utils.validation import check_is_fitted

from pondstats.errors import InputError
from pondstats.leads._scorer import LeadScorer
from pondstats.leads._table import lead_snapshots

__all__ = [
    "HORIZONS",
    "DEFAULT_HORIZON_TIERS",
    "HorizonScorer",
    "days_to_deposit",
    "horizon_snapshots",
    "horizon_tiers",
]

#: Horizons in days (the dealer's H, A, B, C grades).
HORIZONS: tuple[int, ...] = (7, 15, 30, 90)

#: Tier -> (horizon in days, minimum probability of a deposit within it),
#: checked in this order; a lead meeting none is C. The tier is the shortest
#: horizon within which the model gives the lead at least a 1-in-10 chance of
#: a deposit (open prospects close rarely: on the sample dealer 2% of them
#: within 90 days, so 10% within a week is a lead many times above average).
DEFAULT_HORIZON_TIERS: dict[str, tuple[int, float]] = {
    "H": (7, 0.10),
    "A": (15, 0.10),
    "B": (30, 0.10),
}


def days_to_deposit(table: pd.DataFrame, deposits: pd.DataFrame) -> pd.Series:
    """Days from each row's ``as_of`` to the customer's first deposit after it.

    NaN when there is none in the data. A deposit dated on ``as_of`` closes
    the lead (it is not open then), so values start at 1.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.leads._horizons import days_to_deposit
    >>> t = pd.DataFrame({"customer_key": ["a", "b", "a"],
    ...                   "as_of": pd.to_datetime(["2026-09-01", "2026-09-01", "2026-10-01"])})
    >>> d = pd.DataFrame({"customer_key": ["a"],
    ...                   "deposit_date": pd.to_datetime(["2026-10-09 15:00"])})
    >>> days_to_deposit(t, d).tolist()
    [38.0, nan, 8.0]
    """
    left = pd.DataFrame(
        {
            "customer_key": table["customer_key"].astype("str").to_numpy(),
            "when": pd.to_datetime(table["as_of"]).dt.normalize().to_numpy()
            + np.timedelta64(1, "D"),
            "row": np.arange(len(table)),
        }
    ).sort_values("when", kind="stable")
    dep = deposits.loc[
        deposits["customer_key"].notna() & deposits["deposit_date"].notna()
    ]
    right = pd.DataFrame(
        {
            "customer_key": dep["customer_key"].astype("str").to_numpy(),
            "when": dep["deposit_date"].dt.normalize().to_numpy(),
        }
    )
    left["customer_key"] = left["customer_key"].astype("str")
    right["customer_key"] = right["customer_key"].astype("str")
    right["deposit_day"] = right["when"]
    right = right.sort_values("when", kind="stable")
    if len(right):
        right["when"] = right["when"].astype(left["when"].dtype)
        m = pd.merge_asof(
            left, right, on="when", by="customer_key", direction="forward"
        )
        days = (m["deposit_day"] - (m["when"] - pd.Timedelta(days=1))).dt.days
        out = pd.Series(days.to_numpy(dtype=float), index=m["row"].to_numpy())
    else:
        out = pd.Series(np.nan, index=left["row"].to_numpy())
    return pd.Series(
        out.sort_index().to_numpy(), index=table.index, name="days_to_deposit"
    )


def horizon_snapshots(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of_dates: Iterable[Any],
    *,
    horizons: Sequence[int] = HORIZONS,
    **kwargs: Any,
) -> pd.DataFrame:
    """:func:`lead_snapshots` whose labels cover the longest horizon, with
    ``days_to_deposit`` (NaN when no deposit came within it).

    Only snapshots whose longest horizon is inside the data are kept
    (``complete_only``); ``converted`` is the deposit within that horizon.

    Examples
    --------
    >>> import pondstats as ps
    >>> from pondstats.leads._horizons import horizon_snapshots
    >>> vis, dep = ps.load_sample()
    >>> s = horizon_snapshots(vis, dep, ["2026-05-01"])
    >>> int(s["days_to_deposit"].max()) <= 90, bool(s["converted"].sum() > 0)
    (True, True)
    """
    h = _check_horizons(horizons)
    kwargs = {**kwargs, "horizon_days": h[-1]}
    snaps = lead_snapshots(visits, deposits, as_of_dates, complete_only=True, **kwargs)
    days = days_to_deposit(snaps, deposits)
    snaps["days_to_deposit"] = days.where(days <= h[-1])
    return snaps


def _check_horizons(horizons: Sequence[int]) -> tuple[int, ...]:
    h = tuple(int(x) for x in horizons)
    if not h or any(x < 1 for x in h) or list(h) != sorted(set(h)):
        raise InputError(
            f"horizons must be increasing positive days, e.g. {HORIZONS}; got {horizons!r}."
        )
    return h


class HorizonScorer(BaseEstimator):
    """``P(deposit within h days)`` for every horizon, non-decreasing in ``h``.

    Parameters
    ----------
    horizons : sequence of int
        Increasing horizons in days, default :data:`HORIZONS` (7, 15, 30, 90).
    scorer : LeadScorer, optional
        The model fitted per interval (cloned), default ``LeadScorer()``
        (the better of logistic and boosting; logistic on small data).
    random_state : int or None
        Passed to the default scorer.

    Attributes
    ----------
    horizons_ : tuple of int
    feature_names_in_ : ndarray
        The columns of ``X`` (when a DataFrame).
    scorers_ : list
        One fitted scorer per interval (None where the interval had no
        deposit or nothing but deposits: its hazard is that constant).
    constants_ : list of float
        The hazard used where ``scorers_`` is None.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from pondstats.leads._horizons import HorizonScorer
    >>> rng = np.random.default_rng(0)
    >>> X = pd.DataFrame({"test_drive": rng.integers(0, 2, 600)})
    >>> days = np.where(rng.random(600) < 0.1 + 0.3 * X["test_drive"],
    ...                 rng.integers(1, 91, 600), np.nan)
    >>> p = HorizonScorer(random_state=0).fit(X, days).predict_horizons(X)
    >>> list(p.columns)
    ['p_7', 'p_15', 'p_30', 'p_90']
    >>> bool((p.diff(axis=1).iloc[:, 1:] >= 0).all().all())
    True
    """

    def __init__(
        self,
        horizons: Sequence[int] = HORIZONS,
        *,
        scorer: LeadScorer | None = None,
        random_state: Any = None,
    ) -> None:
        self.horizons = horizons
        self.scorer = scorer
        self.random_state = random_state

    def fit(self, X: pd.DataFrame, days: Any) -> HorizonScorer:
        """Fit on features ``X`` (rows in time order) and ``days`` to the deposit
        (NaN when none came within the longest horizon)."""
        h = _check_horizons(self.horizons)
        d = np.asarray(pd.to_numeric(pd.Series(days), errors="coerce"), dtype=float)
        if len(d) != len(X):
            raise InputError(
                f"days must be one value per row of X: X has {len(X)} rows, "
                f"days has {len(d)}."
            )
        if np.nanmin(np.append(d, np.inf)) < 1:
            raise InputError(
                "days must be the days from as_of to the deposit (1 or more), or NaN "
                "for no deposit; see horizon_snapshots(...)['days_to_deposit']."
            )
        base = (
            self.scorer
            if self.scorer is not None
            else LeadScorer(random_state=self.random_state)
        )
        self.horizons_ = h
        if isinstance(X, pd.DataFrame):
            self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.scorers_, self.constants_ = [], []
        start = 0
        for end in h:
            at_risk = ~(d <= start)  # NaN (no deposit) stays at risk
            label = (d[at_risk] <= end).astype(int)
            Xk = X.loc[at_risk] if isinstance(X, pd.DataFrame) else X[at_risk]
            if label.size and 0 < label.sum() < label.size:
                self.scorers_.append(clone(base).fit(Xk, label))
                self.constants_.append(float("nan"))
            else:
                self.scorers_.append(None)
                self.constants_.append(float(label.mean()) if label.size else 0.0)
            start = end
        return self

    def predict_horizons(self, X: pd.DataFrame) -> pd.DataFrame:
        """``p_<h>`` columns: the probability of a deposit within ``h`` days."""
        check_is_fitted(self, "scorers_")
        survive = np.ones(len(X))
        out = {}
        for end, s, c in zip(
            self.horizons_, self.scorers_, self.constants_, strict=True
        ):
            q = s.predict_proba(X)[:, 1] if s is not None else np.full(len(X), c)
            survive = survive * (1.0 - q)
            out[f"p_{end}"] = 1.0 - survive
        index = X.index if isinstance(X, pd.DataFrame) else None
        return pd.DataFrame(out, index=index)


def horizon_tiers(
    probs: pd.DataFrame, tiers: Mapping[str, tuple[int, float]] | None = None
) -> pd.Series:
    """H / A / B / C from horizon probabilities (:meth:`HorizonScorer.predict_horizons`).

    ``tiers`` maps a tier to ``(horizon, minimum probability)``, checked in
    order (default :data:`DEFAULT_HORIZON_TIERS`); leads meeting none are C.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.leads._horizons import horizon_tiers
    >>> p = pd.DataFrame({"p_7": [0.30, 0.05, 0.03, 0.01], "p_15": [0.4, 0.15, 0.06, 0.02],
    ...                   "p_30": [0.5, 0.3, 0.12, 0.03], "p_90": [0.6, 0.4, 0.2, 0.05]})
    >>> horizon_tiers(p).tolist()
    ['H', 'A', 'B', 'C']
    """
    tiers = dict(DEFAULT_HORIZON_TIERS if tiers is None else tiers)
    out = pd.Series("C", index=probs.index, dtype="str")
    decided = np.zeros(len(probs), dtype=bool)
    for name, spec in tiers.items():
        try:
            h, thr = int(spec[0]), float(spec[1])
        except (TypeError, ValueError, IndexError):
            raise InputError(
                f"tier {name!r} must be (horizon days, minimum probability), e.g. "
                f"{DEFAULT_HORIZON_TIERS}; got {spec!r}."
            ) from None
        col = f"p_{h}"
        if col not in probs:
            raise InputError(
                f"tier {name!r} uses a {h}-day horizon but the probabilities have "
                f"{list(probs.columns)}; fit HorizonScorer(horizons=...) with {h} in it."
            )
        if not 0.0 <= thr <= 1.0:
            raise InputError(
                f"tier {name!r} has threshold {thr!r}; thresholds are probabilities "
                "between 0 and 1 (write 0.2 for 20%)."
            )
        hit = (probs[col].to_numpy() >= thr) & ~decided
        out[hit] = name
        decided |= hit
    return out
