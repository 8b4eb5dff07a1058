"""Horizon grades: the probability of a deposit within 7, 15, 30 and 90 days, and
the H / A / B / C tiers defined from them.

Dealers grade open prospects by purchase horizon (DOMAIN.md): H buys within
about 7 days, A about 15, B about 30, C about 60-90. :class:`HorizonScorer`
estimates, for every lead, ``P(deposit within h days)`` for each horizon
``h`` as a discrete-time survival model: one :class:`LeadScorer`, fitted on
a table with one row per lead and interval between horizons (the interval
a feature), gives the chance of a deposit in each interval for a lead that
has not paid before it (the *hazard* ``q_k``), and

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

from pondstats.dates import parse_day
from pondstats.errors import InputError
from pondstats.leads._scorer import LeadScorer
from pondstats.leads._table import CALL_FEATURES, lead_snapshots

__all__ = [
    "HORIZONS",
    "DEFAULT_HORIZON_TIERS",
    "HorizonScorer",
    "days_to_deposit",
    "horizon_snapshots",
    "horizon_tiers",
    "fit_horizons",
    "HORIZON_TRAIN_ROWS",
]

#: Horizons in days (the dealer's H, A, B, C grades).
HORIZONS: tuple[int, ...] = (7, 15, 30, 90)

#: Tier -> (horizon in days, minimum probability of a deposit within it),
#: checked in this order; a lead meeting none is C. A model tier means what
#: a consultant's grade means when it comes true: **H** a lead with at least
#: a 5% chance of a deposit within 7 days, **A** at least 5% within 15 days,
#: **B** at least 2% within 30 days. Why these numbers: open prospects close
#: rarely (on the sample dealer 0.45% of them within 7 days, 2% within 90),
#: and leads whose consultant grade is still current (the last visit within
#: the grade's horizon) paid within that horizon at 8% (H, 7 days), 8% (A,
#: 15 days), 4.5% (B, 30 days) and 1.7% (C, 30 days). 5% is a little under
#: what a current H or A grade delivers (ten times the average open lead
#: within a week), 2% lies between current B and C. The thresholds are read
#: off the grades' outcomes, not off the model's probabilities (which run
#: high for H and A, see :func:`fit_horizons`), so they stand when the model
#: changes. On the sample's open leads of 2026-11-01 this gives H 1.5%, A
#: 2.3%, B 13%, C 83% (most open leads' grades have lapsed), and leads
#: tiered H paid within 7 days twice as often as A leads in the back-tests
#: of June to September 2026 (5.2% against 2.5%).
DEFAULT_HORIZON_TIERS: dict[str, tuple[int, float]] = {
    "H": (7, 0.05),
    "A": (15, 0.05),
    "B": (30, 0.02),
}


#: Stacked rows :func:`fit_horizons` fits at most (:class:`HorizonScorer`'s
#: ``max_rows``: every deposit kept, the other rows sampled).
HORIZON_TRAIN_ROWS = 40_000


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
    complete_only: bool = True,
    **kwargs: Any,
) -> pd.DataFrame:
    """:func:`lead_snapshots` whose labels cover the longest horizon, with
    ``days_to_deposit`` (NaN when no deposit came within it).

    By default only snapshots whose longest horizon is inside the data are
    kept (``complete_only``); ``converted`` is the deposit within that
    horizon. With ``complete_only=False`` every snapshot is kept and
    ``observed_days`` says how many days after ``as_of`` the data cover (up
    to the longest horizon; the last visit or deposit in the data ends
    them), for ``HorizonScorer.fit(..., observed=...)``.

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
    snaps = lead_snapshots(
        visits, deposits, as_of_dates, complete_only=complete_only, **kwargs
    )
    days = days_to_deposit(snaps, deposits)
    snaps["days_to_deposit"] = days.where(days <= h[-1])
    if not complete_only:
        end = max(visits["visit_date"].max(), deposits["deposit_date"].max())
        seen = (end.normalize() - pd.to_datetime(snaps["as_of"]).dt.normalize()).dt.days
        snaps["observed_days"] = seen.clip(lower=0, upper=h[-1]).astype("int64")
    return snaps


def _check_horizons(horizons: Sequence[int]) -> tuple[int, ...]:
    h = tuple(int(x) for x in horizons)
    if not h or any(x < 1 for x in h) or list(h) != sorted(set(h)):
        raise InputError(
            f"horizons must be increasing positive days, e.g. {HORIZONS}; got {horizons!r}."
        )
    return h


#: The column :class:`HorizonScorer` adds to its stacked training table: the
#: interval of a row (``"0-7"``, ``"7-15"``, ...), so one model learns every
#: interval's hazard.
INTERVAL = "_interval"


class HorizonScorer(BaseEstimator):
    """``P(deposit within h days)`` for every horizon, non-decreasing in ``h``.

    One :class:`LeadScorer` is fitted on a *stacked* table (the usual
    discrete-time survival layout): each lead appears once per interval
    between horizons (0-7, 7-15, 15-30, 30-90 days) in which it had not paid
    yet and whose end was observed, with the interval as one more
    categorical feature and the label "paid in this interval". The model's
    probability for a lead in interval ``k`` is that interval's hazard
    ``q_k``. One fit instead of one per interval: the encoding, the choice
    of model and the calibration are done once, and the intervals with few
    deposits borrow strength from the others. Leads observed for less than
    the longest horizon (``observed``, e.g. last month's snapshot) count in
    the intervals they were observed for, so the newest leads are used.

    Parameters
    ----------
    horizons : sequence of int
        Increasing horizons in days, default :data:`HORIZONS` (7, 15, 30, 90).
    scorer : LeadScorer, optional
        The model fitted on the stacked table (cloned), default
        ``LeadScorer()`` (the better of logistic and boosting; logistic on
        small data).
    max_rows : int or None, default 50,000
        At most this many stacked rows are fitted: every row with a deposit
        is kept and the others are sampled (a fixed seed, time order kept);
        the hazards are then shifted back by the log of the sampling rate
        (``logit q = logit q_sampled + log(rate)``, exact for a logistic
        model, the usual case-control correction). Open leads rarely pay
        (the sample: 2% within 90 days), so the sampled-out rows carry
        little information and the fit stays cheap. None: every row.
    random_state : int or None
        Passed to the default scorer; seeds the sampling.

    Attributes
    ----------
    horizons_ : tuple of int
    feature_names_in_ : ndarray
        The columns of ``X`` (when a DataFrame).
    sampling_rate_ : float
        The share of rows without a deposit that was fitted (1.0: all).
    scorer_ : LeadScorer or None
        The model of the hazards (None when the stacked rows hold one class:
        every hazard is then ``constant_``).
    constant_ : float
        The hazard used when ``scorer_`` is None.
    n_stacked_ : int
        Rows of the stacked table.

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
        max_rows: int | None = 50_000,
        random_state: Any = None,
    ) -> None:
        self.horizons = horizons
        self.scorer = scorer
        self.max_rows = max_rows
        self.random_state = random_state

    def _labels(self) -> list[str]:
        edges = (0, *self.horizons_)
        return [f"{a}-{b}" for a, b in zip(edges[:-1], edges[1:], strict=True)]

    def _stack(self, X: pd.DataFrame, rows: np.ndarray, k: np.ndarray) -> pd.DataFrame:
        """Rows ``rows`` of ``X`` with the interval ``k`` of each as a column."""
        frame = X.iloc[rows].reset_index(drop=True)
        names = np.asarray(self._labels(), dtype=object)
        frame[INTERVAL] = pd.array(names[k], dtype="str")
        return frame

    def fit(self, X: pd.DataFrame, days: Any, *, observed: Any = None) -> HorizonScorer:
        """Fit on features ``X`` (rows in time order) and ``days`` to the deposit
        (NaN when none came within the longest horizon).

        ``observed`` (optional, one value per row): the days after the row's
        date that the data cover; a row counts only in the intervals that
        end within them (default: every row observed for the longest
        horizon, as :func:`horizon_snapshots` gives).
        """
        h = _check_horizons(self.horizons)
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame(X)
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
        if observed is None:
            seen = np.full(len(d), float(h[-1]))
        else:
            seen = np.asarray(pd.to_numeric(pd.Series(observed)), dtype=float)
            if len(seen) != len(d):
                raise InputError(
                    f"observed must be one value per row of X: X has {len(X)} rows, "
                    f"observed has {len(seen)}."
                )
        self.horizons_ = h
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        if INTERVAL in X.columns:
            raise InputError(
                f"X has a column named {INTERVAL!r}, which HorizonScorer adds itself; "
                "rename it."
            )
        starts = np.array((0, *h[:-1]), dtype=float)
        ends = np.array(h, dtype=float)
        # row i is in interval k when it had not paid by its start and the
        # interval's end was observed. An interval the data end inside is left
        # out whatever happened in it: keeping it only when a deposit came
        # (the deposits of a censored interval without its non-payers) would
        # count those rows as sure payers and inflate every hazard
        paid_in = d[:, None] <= ends[None, :]
        at_risk = ~(d[:, None] <= starts[None, :]) & (seen[:, None] >= ends[None, :])
        rows, k = np.nonzero(at_risk)  # row-major: time order kept
        label = paid_in[rows, k].astype(int)
        rows, k, label = self._sample(rows, k, label)
        self.n_stacked_ = int(label.size)
        if label.size and 0 < label.sum() < label.size:
            base = (
                self.scorer
                if self.scorer is not None
                else LeadScorer(random_state=self.random_state)
            )
            self.scorer_ = clone(base).fit(self._stack(X, rows, k), label)
            self.constant_ = float("nan")
        else:
            self.scorer_ = None
            self.constant_ = float(label.mean()) if label.size else 0.0
        return self

    def _sample(self, rows: np.ndarray, k: np.ndarray, label: np.ndarray):
        """Every stacked row with a deposit, the others sampled to ``max_rows``."""
        self.sampling_rate_ = 1.0
        neg = int((label == 0).sum())
        if self.max_rows is None or label.size <= int(self.max_rows) or neg == 0:
            return rows, k, label
        if int(self.max_rows) < 1000:
            raise InputError(
                f"max_rows must be None or at least 1000, got {self.max_rows!r}."
            )
        keep_neg = max(int(self.max_rows) - int(label.sum()), min(neg, 1000))
        rate = keep_neg / neg
        rng = np.random.default_rng(
            self.random_state if isinstance(self.random_state, int) else 0
        )
        keep = (label == 1) | (rng.random(label.size) < rate)
        self.sampling_rate_ = float(rate)
        return rows[keep], k[keep], label[keep]

    def _hazards(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "horizons_")
        n, m = len(X), len(self.horizons_)
        if self.scorer_ is None:
            return np.full((n, m), self.constant_)
        rows = np.repeat(np.arange(n), m)
        k = np.tile(np.arange(m), n)
        q = self.scorer_.predict_proba(self._stack(X, rows, k))[:, 1]
        if self.sampling_rate_ < 1.0:  # undo the sampling of the no-deposit rows
            q = np.clip(q, 1e-12, 1 - 1e-12)
            q = 1.0 / (1.0 + (1.0 - q) / (q * self.sampling_rate_))
        return q.reshape(n, m)

    def predict_horizons(self, X: pd.DataFrame) -> pd.DataFrame:
        """``p_<h>`` columns: the probability of a deposit within ``h`` days."""
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame(X)
        q = self._hazards(X)
        p = 1.0 - np.cumprod(1.0 - q, axis=1)
        cols = [f"p_{end}" for end in self.horizons_]
        return pd.DataFrame(p, columns=cols, index=X.index)

    def explain(
        self,
        X: pd.DataFrame,
        *,
        horizon: int | None = None,
        n_factors: int = 3,
        lang: str = "zh",
    ) -> pd.DataFrame:
        """The factors that raise or lower each lead's chance most, in words
        (:meth:`LeadScorer.explain`), for the interval ending at ``horizon``
        (default: the longest); the interval itself is no factor."""
        from pondstats.leads._explain import explain_contributions

        check_is_fitted(self, "horizons_")
        h = self.horizons_[-1] if horizon is None else int(horizon)
        if h not in self.horizons_:
            raise InputError(
                f"horizon must be one of the fitted horizons {list(self.horizons_)}, "
                f"got {horizon!r}."
            )
        if self.scorer_ is None:
            empty = pd.DataFrame(index=X.index, columns=list(X.columns), dtype=float)
            return explain_contributions(
                empty.fillna(0.0), X, n_factors=n_factors, lang=lang
            )
        k = np.full(len(X), self.horizons_.index(h))
        stacked = self._stack(X, np.arange(len(X)), k)
        contrib = self.scorer_.contributions(stacked).drop(columns=INTERVAL)
        contrib.index = X.index
        return explain_contributions(contrib, X, n_factors=n_factors, lang=lang)


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
    >>> p = pd.DataFrame({"p_7": [0.06, 0.04, 0.02, 0.005], "p_15": [0.1, 0.05, 0.04, 0.01],
    ...                   "p_30": [0.15, 0.1, 0.03, 0.015], "p_90": [0.2, 0.2, 0.1, 0.05]})
    >>> horizon_tiers(p).tolist()  # H: p_7 >= 5%, A: p_15 >= 5%, B: p_30 >= 2%
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


def fit_horizons(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of: Any,
    *,
    history: int = 6,
    horizons: Sequence[int] = HORIZONS,
    model: str = "auto",
    max_rows: int | None = HORIZON_TRAIN_ROWS,
    random_state: Any = 0,
    **kwargs: Any,
) -> tuple[HorizonScorer | None, pd.DataFrame]:
    """The horizon model of the call list made at the start of ``as_of``.

    The one training recipe of :func:`pondstats.leads.score_open_leads` (the
    report's and ``pondstats score``'s call list) and of the back-test: only
    rows dated before ``as_of``; monthly snapshots from ``history`` months
    before it up to the last one at least the shortest horizon old, each
    counted in the intervals its data cover (``observed_days``); the
    features :data:`pondstats.leads.CALL_FEATURES`.

    Returns the fitted :class:`HorizonScorer` (None when the snapshots hold
    no deposit or nothing but deposits) and the training snapshots.

    How calibrated: on the sample dealer, the models of March to October 2026
    (each trained before the month's first day) against the leads open the
    day before, the mean probability over all leads is within 0.1 point of
    the share that paid at every horizon (7 days: 0.47% against 0.50%, 30
    days 1.33% against 1.35%), month by month within about 0.2 point (the
    noise of 15-34 deposits a month). The tiers' probabilities are too far
    apart: H leads' P(7 days) is about 1.6 times the share that pays (7.9%
    against 5.0%, interval 3.5-7.3%), A's 1.3 times, C's about half; on the
    sample's back-test of 2026-09-30, H 9.2% given and 5 of 93 paid. Known
    hazards are recovered on simulated leads, and the spread is there within
    the training months too, on customers the model was not fitted on (the
    top 1-2% of leads are picked where its errors add up; a lead is in up
    to six snapshots and four intervals): read the H and A probabilities as
    a ranking, the sums over leads (expected deposits) at face value. The
    leads page of the documentation has the table.

    Examples
    --------
    >>> import pondstats as ps
    >>> from pondstats.leads._horizons import fit_horizons
    >>> vis, dep = ps.load_sample()
    >>> model, snaps = fit_horizons(vis, dep, "2026-11-01")
    >>> str(snaps["as_of"].min().date()), str(snaps["as_of"].max().date())
    ('2026-05-01', '2026-10-01')
    >>> int(snaps["observed_days"].min()), model.horizons_
    (30, (7, 15, 30, 90))
    """
    h = _check_horizons(horizons)
    day = parse_day(as_of, name="as_of")
    v = visits.loc[visits["visit_date"] < day]
    d = deposits.loc[deposits["deposit_date"] < day]
    first = (day - pd.DateOffset(months=int(history))).to_period("M").to_timestamp()
    dates = pd.date_range(first, day - pd.Timedelta(days=h[0]), freq="MS")
    if len(dates) == 0 or v.empty:
        raise InputError(
            f"no monthly snapshot in the {history} months before {day.date()} is "
            f"{h[0]} days old: raise history or choose a later as_of."
        )
    snaps = horizon_snapshots(v, d, dates, horizons=h, complete_only=False, **kwargs)
    days = snaps["days_to_deposit"].where(
        snaps["days_to_deposit"] <= snaps["observed_days"]
    )
    n_paid = int(days.notna().sum())
    if n_paid == 0 or n_paid == len(snaps):
        return None, snaps
    feats = [c for c in CALL_FEATURES if c in snaps.columns]
    model_ = HorizonScorer(
        h,
        scorer=LeadScorer(model=model, random_state=random_state),
        max_rows=max_rows,
        random_state=random_state,
    )
    model_.fit(snaps[feats], days, observed=snaps["observed_days"])
    return model_, snaps
