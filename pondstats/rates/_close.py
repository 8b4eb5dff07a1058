"""From A-cards and C-cards to close rates: linking, period and cohort rates.

Definitions (DESIGN.md):

* ``a_cards``: first visits (``visit_no == 1``) dated in the period;
* ``c_cards``: deposits dated in the period whose status is not cancelled;
* a deposit is attributed to its own region (store, ...); where it has none,
  to the one on the customer's first visit; deposits whose customer has no
  A-card at all are counted and reported as ``unlinked``;
* ``close_rate = c_cards / a_cards`` is the *period rate* (the 13% KPI); the
  *cohort rate* (:func:`cohort_rates`) follows each first-visit month's
  prospects for ``horizon_days``.

Everything is vectorised (factorised keys, groupby on codes) so a table of
10M visits and 1.3M deposits takes seconds.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd

from pondstats.errors import DataQualityWarning, InputError
from pondstats.rates._cohorts import cohort_rates, return_visit_rates
from pondstats.rates._linking import (
    _as_list,
    _check_by,
    _check_status,
    _dates,
    _period_of,
    _require,
    _warn_unlinked_counts,
    link_deposits,
)
from pondstats.rates.stats import assess_rates
from pondstats.schema import RATE_COLUMNS, Benchmark

__all__ = ["link_deposits", "close_rates", "cohort_rates", "return_visit_rates"]

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------
# close rates
# ---------------------------------------------------------------------------


#: Days in a period, for the lagged-funnel check.
_PERIOD_DAYS = {
    "D": 1,
    "W": 7,
    "M": 30,
    "ME": 30,
    "Q": 91,
    "QE": 91,
    "Y": 365,
    "YE": 365,
}
#: A group with at least this many A-cards and this close rate is suspicious.
ALL_CLOSE_MIN_A, ALL_CLOSE_RATE = 10, 0.9


def _median_lag(dep: pd.DataFrame, cancelled: np.ndarray) -> tuple[int, float]:
    """(live linked deposits, their median days from first visit to deposit)."""
    live = ~cancelled & dep["linked"].to_numpy(dtype=bool)
    if not live.any():
        return 0, np.nan
    lag = (dep["deposit_date"] - dep["first_visit_date"])[live].dt.days
    return int(live.sum()), float(lag.median())


def _warn_period_rate(
    n_live: int,
    median: float,
    counts: pd.DataFrame,
    by_cols: list[str],
    period: str | None,
) -> None:
    """Warnings where the data defeats the period rate (see close_rates, Warns)."""
    days = _PERIOD_DAYS.get(str(period).upper().lstrip("1")) if period else None
    if days is not None and n_live >= 20 and median > days:
        warnings.warn(
            f"C-cards come a median {median:.0f} days after the first visit, longer "
            f"than a period ({period!r}): the period rate compares this period's "
            "A-cards with earlier visitors' deposits, and recent periods look "
            "weak (near 0%). Use the cohort rate, ps.cohort_rates(visits, "
            "deposits, horizon_days=...), to follow each month's visitors.",
            DataQualityWarning,
            stacklevel=3,
        )
    if by_cols:
        whole = counts.groupby(by_cols, dropna=True, observed=True)[
            ["a_cards", "c_cards"]
        ].sum()
        full = whole[
            (whole["a_cards"] >= ALL_CLOSE_MIN_A)
            & (whole["c_cards"] >= ALL_CLOSE_RATE * whole["a_cards"])
        ]
        if len(full):
            names = ", ".join(
                "/".join(map(str, k if isinstance(k, tuple) else (k,)))
                for k in full.index[:5]
            )
            warnings.warn(
                f"{len(full)} group(s) close (nearly) every A-card: {names}. A column "
                f"filled in only for buyers ({', '.join(by_cols)}: e.g. a region "
                "recorded at the order) makes a 100% group and leaves the others "
                "too low; group by a column that is filled in at the visit.",
                DataQualityWarning,
                stacklevel=3,
            )


def _count(frame: pd.DataFrame, keys: list[str], name: str) -> pd.Series:
    return (
        frame.groupby(keys, observed=True, dropna=False, sort=False).size().rename(name)
    )


def close_rates(
    visits,
    deposits: pd.DataFrame | None = None,
    *,
    by: str | Sequence[str] | None = "region",
    period: str | None = "M",
    benchmark: Benchmark | None = None,
    interval: str = "wilson",
    level: float = 0.95,
    alpha: float = 0.05,
    correction: str = "bh",
    min_expected: float = 5.0,
) -> pd.DataFrame:
    """Period close rates per group against the benchmark, with uncertainty.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical visits (A-cards) and deposits (C-cards). Or a
        history store (``ps.Store`` or a snapshot) as ``visits`` and no
        deposits: the store counts the cards inside its database
        (:meth:`~pondstats.Store.close_rate_counts`, by region, store,
        consultant, source, model or grade; period D, W, M, Q, Y or None) and
        gives the same table as ``close_rates(store.visits(),
        store.deposits())`` without loading them into memory.
    by : str, list of str or None, default "region"
        Group columns of ``visits`` (region, store, consultant, source, model,
        ...). Deposits take their own value, else their first visit's.
    period : str or None, default "M"
        Period frequency (``"M"``, ``"Q"``, ``"Y"``, ``"W"``) or None for the
        whole date range.
    benchmark : Benchmark, optional
        Target (13%) and band (8%-20%); stored in ``attrs["benchmark"]``.
    interval : {"wilson", "jeffreys"}, default "wilson"
    level : float, default 0.95
        Coverage of the intervals.
    alpha : float, default 0.05
        False discovery rate per direction (weak / strong) within a period.
    correction : {"bh", "holm"}, default "bh"
        Benjamini-Hochberg or Holm across the groups of a period.
    min_expected : float, default 5
        Groups with ``a_cards * target < min_expected`` (fewer than 39 A-cards
        at 13%) are ``too_few``: not judged.

    Returns
    -------
    DataFrame
        One row per group (and period) with the ``by`` columns, ``period``
        (when asked for) and :data:`pondstats.schema.RATE_COLUMNS`. Groups
        with C-cards but no A-cards have a missing rate. Rows are sorted by
        period, then group. ``attrs`` holds ``benchmark``, ``interval``,
        ``alpha``, ``correction`` and ``priors`` (the fitted beta prior per
        period as ``(alpha, beta)``).

    Warns
    -----
    DataQualityWarning
        When C-cards come a median of more than one period after the first
        visit (a lagged funnel: use :func:`cohort_rates`), and when a group
        with 10 A-cards or more closes 90% or more of them (a column filled in
        only for buyers).

    Notes
    -----
    ``p_value`` is the exact one-sided binomial p-value against the target in
    the direction the rate lies (below: H0 rate >= target; above: H0 rate <=
    target). ``p_adjusted`` is its Benjamini-Hochberg (or Holm) adjustment
    across the judged groups of the same period, one family per direction;
    ``status`` is ``weak``/``strong`` when it is below ``alpha``. The shrunk
    rate uses a beta prior fitted per period across groups (beta-binomial
    marginal likelihood; see :func:`pondstats.rates.stats.fit_beta_prior`). The
    status is judged on the group's own counts, not on the shrunk rate.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats import close_rates
    >>> v = pd.DataFrame({"customer_key": list("abcd"),
    ...     "visit_date": pd.to_datetime(["2026-01-03"] * 4),
    ...     "visit_no": [1, 1, 1, 1], "region": ["东湖区"] * 4})
    >>> d = pd.DataFrame({"customer_key": ["a", "b"],
    ...     "deposit_date": pd.to_datetime(["2026-01-20", "2026-01-21"]),
    ...     "status": ["active", "cancelled"], "region": [None, None]})
    >>> close_rates(v, d, period=None)[["region", "a_cards", "c_cards",
    ...     "cancelled", "close_rate", "status"]]
      region  a_cards  c_cards  cancelled  close_rate   status
    0    东湖区        4        1          1        0.25  too_few
    """
    b = benchmark or Benchmark()
    by_cols = _as_list(by)
    if deposits is None:
        if not hasattr(visits, "close_rate_counts"):
            raise InputError(
                "close_rates needs the deposits: close_rates(visits, deposits), or "
                "close_rates(store) to count a history store's visits and deposits "
                "inside the store."
            )
        if "period" in by_cols:
            raise InputError(
                "'period' is reserved for the period column; rename that column."
            )
        counts = visits.close_rate_counts(by=by_cols, period=period)
        info = counts.attrs
        _warn_unlinked_counts(
            info["live"],
            info["live"] - info["live_linked"],
            ["customer_key", "phone"],
            stacklevel=3,
        )
        lag = info["median_lag_days"]
        linked_lag = (info["live_linked"], np.nan if lag is None else lag)
    else:
        counts, linked_lag = _frame_counts(visits, deposits, by_cols, period)
    counts = _sorted(counts, by_cols)
    _warn_period_rate(*linked_lag, counts, by_cols, period)
    return _rate_table(
        counts,
        by_cols,
        period,
        b,
        interval=interval,
        level=level,
        alpha=alpha,
        correction=correction,
        min_expected=min_expected,
    )


def _frame_counts(visits, deposits, by_cols, period):
    """(counts, (live linked deposits, median lag)) from the visits and deposits frames."""
    _require(visits, ["customer_key", "visit_date", "visit_no"], "visits")
    _require(deposits, ["customer_key", "deposit_date", "status"], "deposits")
    _check_by(visits, by_cols)
    if "period" in by_cols:
        raise InputError(
            "'period' is reserved for the period column; rename that column."
        )

    # A-cards: first visits dated in the period
    first = visits["visit_no"].to_numpy(dtype="float64", na_value=np.nan) == 1
    a = visits.loc[first, by_cols].copy()
    a_period = _period_of(
        _dates(visits["visit_date"], "visits['visit_date']")[first], period
    )
    keys = [*by_cols, "period"] if period is not None else list(by_cols)
    if a_period is not None:
        a["period"] = a_period
    # C-cards: linked and attributed
    dep = link_deposits(visits, deposits, by=by_cols)
    status = _check_status(dep)
    c = dep[by_cols].copy()
    if period is not None:
        c["period"] = _period_of(dep["deposit_date"], period)
    cancelled = (status == "cancelled").to_numpy()
    if not keys:  # by=None, period=None: one row
        a["_all"] = 0
        c["_all"] = 0
        keys = ["_all"]
    counts = pd.concat(
        [
            _count(a, keys, "a_cards"),
            _count(c[~cancelled], keys, "c_cards"),
            _count(c[cancelled], keys, "cancelled"),
            _count(c[~cancelled & ~dep["linked"].to_numpy()], keys, "unlinked"),
        ],
        axis=1,
    )
    counts = counts.fillna(0).astype("int64")
    counts = counts.reset_index()
    if "period" in counts.columns:
        counts["period"] = counts["period"].astype(a_period.dtype)
    return counts, _median_lag(dep, cancelled)


def _sorted(counts: pd.DataFrame, by_cols: list[str]) -> pd.DataFrame:
    sort_keys = (["period"] if "period" in counts.columns else []) + by_cols
    if sort_keys:
        counts = counts.sort_values(sort_keys, kind="stable", na_position="last")
    return counts.reset_index(drop=True)


def _rate_table(
    counts: pd.DataFrame,
    by_cols: list[str],
    period: str | None,
    b: Benchmark,
    *,
    interval: str,
    level: float,
    alpha: float,
    correction: str,
    min_expected: float,
) -> pd.DataFrame:
    """The close-rate table from sorted counts (a_cards, c_cards, cancelled, unlinked)."""
    n = counts["a_cards"].to_numpy()
    k = counts["c_cards"].to_numpy()
    capped = int(((k > n) & (n > 0)).sum())
    if capped:  # routine for small groups; counted in attrs["capped"]
        log.info(
            "%d group(s) have more C-cards than A-cards in the period (deposits "
            "from earlier visitors); their rate is capped at 1",
            capped,
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        ac_ratio = np.where(k > 0, n / k, np.nan)
    groups = counts["period"].to_numpy() if "period" in counts.columns else None
    st = assess_rates(
        k,
        n,
        groups=groups,
        benchmark=b,
        interval=interval,
        level=level,
        alpha=alpha,
        correction=correction,
        min_expected=min_expected,
    )
    st.index = counts.index
    st.insert(0, "ac_ratio", ac_ratio)
    out = pd.concat([counts, st], axis=1)
    out = out.drop(columns=["_all"], errors="ignore")
    out = out[[*by_cols, *(["period"] if period is not None else []), *RATE_COLUMNS]]
    out.attrs = {
        "benchmark": b,
        "interval": interval,
        "level": level,
        "alpha": alpha,
        "correction": correction,
        "min_expected": min_expected,
        "capped": capped,
        "priors": {
            str(key): (p.alpha, p.beta) for key, p in st.attrs["priors"].items()
        },
    }
    return out
