"""Call lists of open prospects and the after-sale 2-4-8 follow-up list.

:func:`call_list` scores the prospects open on a day (:func:`pondstats.leads.lead_table`)
with a fitted :class:`pondstats.leads.HorizonScorer` (or a plain LeadScorer), tiers them
H / A / B / C from the chance of a deposit within 7, 15 and 30 days
(:func:`pondstats.leads.horizon_tiers`) and sets the next contact from a per-tier
cadence (DOMAIN.md); :func:`score_open_leads` is the one call list of the report and
``pondstats score``;
the after-sale list is :mod:`pondstats.leads._aftercare`. Phones and names are
masked by default (``pondstats.privacy``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pondstats.dates import parse_day
from pondstats.errors import InputError
from pondstats.leads._schedule import schedule_calls
from pondstats.leads._table import CALL_FEATURES, lead_table
from pondstats.privacy import mask_personal

if TYPE_CHECKING:
    from pondstats.leads._horizons import HorizonScorer
    from pondstats.leads._scorer import LeadScorer

__all__ = [
    "DEFAULT_TIERS",
    "DEFAULT_CADENCE",
    "call_list",
    "CALL_FEATURES",
    "ScoredLeads",
    "lead_codes",
    "score_open_leads",
    "training_dates",
]

#: Minimum calibrated probability (of a deposit within the horizon) per tier;
#: below the lowest threshold a lead is tier C.
DEFAULT_TIERS: dict[str, float] = {"H": 0.25, "A": 0.10, "B": 0.03}

#: Days between contacts per tier (DOMAIN.md: H weekly, A every ~2 weeks,
#: B monthly, C every ~3 months).
DEFAULT_CADENCE: dict[str, int] = {"H": 7, "A": 14, "B": 30, "C": 90}


# ---------------------------------------------------------------------------
# call list
# ---------------------------------------------------------------------------


def _tier(prob: pd.Series, tiers: Mapping[str, float]) -> pd.Series:
    order = sorted(tiers.items(), key=lambda kv: -kv[1])
    out = pd.Series("C", index=prob.index, dtype="str")
    for name, threshold in reversed(order):
        out = out.mask(prob >= threshold, name)
    return out


def _check_tiers(tiers: Mapping[str, float], cadence: Mapping[str, int]) -> None:
    for name, thr in tiers.items():
        if not 0.0 <= float(thr) <= 1.0:
            raise InputError(
                f"tier {name!r} has threshold {thr!r}; thresholds are probabilities "
                "between 0 and 1 (write 0.4 for 40%)."
            )
    _check_cadence(tiers, cadence)


def call_list(
    scorer: LeadScorer,
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of: Any,
    *,
    tiers: Mapping[str, float] | None = None,
    cadence: Mapping[str, int] | None = None,
    mask: bool = True,
    lang: str = "zh",
    n_factors: int = 3,
    capacity: int | str | None = None,
    schedule_days: int = 5,
    horizons: HorizonScorer | None = None,
    horizon_tiers: Mapping[str, tuple[int, float]] | None = None,
    **kwargs: Any,
) -> pd.DataFrame:
    """Open prospects on ``as_of``, most likely to pay a deposit first.

    Parameters
    ----------
    scorer : HorizonScorer or LeadScorer
        A fitted :class:`pondstats.leads.HorizonScorer` (the report's and
        ``pondstats score``'s model, :func:`score_open_leads`): ``probability``
        is the chance of a deposit within ``horizon_days`` (default 30), the
        tier is read off ``p_7 .. p_90`` by ``tiers``. Or a fitted
        :class:`LeadScorer` (trained on :func:`lead_snapshots` before
        ``as_of``): without ``horizons`` its tiers are probability bands
        (:data:`DEFAULT_TIERS`), not dealer grades.
    visits, deposits : DataFrame
        Cleaned A-cards and C-cards.
    as_of : str or Timestamp
        The day the list is made for.
    tiers : mapping, optional
        With horizon probabilities: tier -> (horizon days, minimum
        probability), default :data:`pondstats.leads.DEFAULT_HORIZON_TIERS`
        (H: 5% within 7 days, A: 5% within 15, B: 2% within 30, else C;
        :func:`pondstats.leads.horizon_tiers`). With a plain LeadScorer:
        minimum probability per band, default :data:`DEFAULT_TIERS`
        (H >= 25%, A >= 10%, B >= 3%, else C).
    cadence : mapping, optional
        Days between contacts per tier, default :data:`DEFAULT_CADENCE`.
        ``next_contact`` is the last visit plus the tier's cadence, or
        ``as_of`` when that date has already passed.
    mask : bool
        Mask phones and names (``pondstats.privacy``) and leave out the
        customer key (it is the phone). ``mask=False`` only for people
        entitled to the raw contacts.
    lang : {"zh", "en"}
        Language of the ``factors`` text.
    n_factors : int
        Factors listed per lead.
    capacity : int, "auto" or None
        Calls per consultant per day. When given, the next ``schedule_days``
        days are booked, highest expected deposits first
        (:func:`pondstats.leads._schedule.schedule_calls`): ``call_day`` and
        ``call_state`` (``scheduled`` / ``waiting`` beyond capacity /
        ``later``) are added. ``"auto"`` reads the capacity from the
        consultants' daily visits.
    schedule_days : int
        Days booked when ``capacity`` is given.
    horizons : HorizonScorer, optional
        With a LeadScorer ``scorer``: a fitted
        :class:`pondstats.leads._horizons.HorizonScorer` that adds
        ``p_7, p_15, p_30, p_90`` (the chance of a deposit within so many
        days) and gives the tier, as when it is the ``scorer``.
    horizon_tiers : mapping, optional
        The tier rule with ``horizons`` (as ``tiers``; kept for old code).
    **kwargs
        Passed to :func:`lead_table` (``horizon_days``, ``lookback_days``).

    Returns
    -------
    DataFrame
        ``rank, lead_code`` (:func:`lead_codes`), ``name, phone, consultant, store, region, model, grade,
        n_visits, last_visit, probability, score (0-100), tier, factors,
        next_contact``; ordered by probability, highest first.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> visits = pd.DataFrame({
    ...     "customer_key": ["13800000001", "13800000002", "13800000003"],
    ...     "name": ["张三", "李四", "王五"],
    ...     "phone": ["13800000001", "13800000002", "13800000003"],
    ...     "visit_date": pd.to_datetime(["2026-09-20", "2026-09-25", "2026-09-28"]),
    ...     "consultant": ["刘", "刘", "陈"],
    ... })
    >>> deposits = visits.iloc[:0][["customer_key"]].assign(
    ...     deposit_date=pd.Series(dtype="datetime64[ns]"))
    >>> X = pd.DataFrame({"days_since_last": [1, 5, 10, 20, 40, 60] * 5})
    >>> y = [1, 1, 0, 1, 0, 0] * 5
    >>> scorer = ps.LeadScorer(calibration=None).fit(X, y)
    >>> calls = ps.call_list(scorer, visits, deposits, "2026-09-30")
    >>> calls[["rank", "name", "phone", "score", "tier", "next_contact"]]
       rank name        phone  score tier next_contact
    0     1   王*  138****0003     79    H   2026-10-05
    1     2   李*  138****0002     76    H   2026-10-02
    2     3   张*  138****0001     68    H   2026-09-30
    """
    from pondstats.leads._horizons import DEFAULT_HORIZON_TIERS, HorizonScorer
    from pondstats.leads._horizons import horizon_tiers as horizon_rule

    by_horizon = isinstance(scorer, HorizonScorer)
    model_h = scorer if by_horizon else horizons
    cadence = dict(DEFAULT_CADENCE if cadence is None else cadence)
    if model_h is not None:
        rule = horizon_tiers if horizon_tiers is not None else tiers
        rule = dict(DEFAULT_HORIZON_TIERS if rule is None else rule)
        _check_cadence(rule, cadence)
    else:
        rule = dict(DEFAULT_TIERS if tiers is None else tiers)
        _check_tiers(rule, cadence)
    if lang not in ("zh", "en"):
        raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
    day = parse_day(as_of, name="as_of")
    leads = lead_table(visits, deposits, day, **kwargs)
    cols = [
        "rank",
        "lead_code",
        "customer_key",
        "name",
        "phone",
        "consultant",
        "store",
        "region",
        "model",
        "grade",
        "n_visits",
        "last_visit",
        "probability",
        "score",
        "tier",
        "factors",
        "next_contact",
    ]
    if model_h is not None:
        cols += [f"p_{h}" for h in model_h.horizons_]
    if leads.empty:
        out = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
        return out.drop(columns="customer_key") if mask else out
    X = leads[_features(scorer, leads, "scorer")]
    if by_horizon:
        hd = int(kwargs.get("horizon_days", 30))
        if hd not in scorer.horizons_:
            raise InputError(
                f"horizon_days={hd} is not a horizon of the HorizonScorer "
                f"{list(scorer.horizons_)}; give one of them (the probability is "
                "the chance of a deposit within it)."
            )
        p = scorer.predict_horizons(X)
        prob = p[f"p_{hd}"]
        reasons = scorer.explain(X, horizon=hd, n_factors=n_factors, lang=lang)
    else:
        prob = pd.Series(scorer.predict_proba(X)[:, 1], index=leads.index)
        reasons = scorer.explain(X, n_factors=n_factors, lang=lang)
        if horizons is not None:
            p = horizons.predict_horizons(leads[_features(horizons, leads, "horizons")])
    out = leads.assign(
        probability=prob.round(4),
        score=(prob * 100).round().astype("int64"),
        factors=reasons["factors"],
    )
    if model_h is not None:
        p = p.round(4)  # the tier is read off the probabilities the list shows
        out = out.assign(**p, tier=horizon_rule(p, rule))
    else:
        out["tier"] = _tier(prob, rule)
    days = out["tier"].map(cadence).astype("int64")
    nxt = out["last_visit"].dt.normalize() + pd.to_timedelta(days, unit="D")
    out["next_contact"] = nxt.where(nxt > day, day)
    out = out.sort_values(
        ["probability", "last_visit"], ascending=[False, False], kind="stable"
    )
    out["rank"] = np.arange(1, len(out) + 1)
    out["lead_code"] = lead_codes(visits, out["customer_key"])
    out = out[cols].reset_index(drop=True)
    if mask:
        out = mask_personal(out).drop(columns="customer_key")
    if capacity is not None:
        out = schedule_calls(
            out, day, capacity=capacity, days=schedule_days, visits=visits, lang=lang
        )
    out.attrs["as_of"] = day
    return out


def _features(model: Any, leads: pd.DataFrame, keyword: str) -> list[str]:
    """The lead-table columns ``model`` was fitted on (an error names the fix)."""
    feats = list(getattr(model, "feature_names_in_", []))
    lacking = [c for c in feats if c not in leads.columns]
    if feats and not lacking:
        return feats
    if keyword == "horizons":
        raise InputError(
            "horizons= needs a HorizonScorer fitted on lead-table columns, e.g. "
            "HorizonScorer().fit(snaps[list(ps.leads.LEAD_FEATURES)], "
            f"snaps['days_to_deposit']); the lead table lacks {lacking}."
        )
    raise InputError(
        "call_list needs a LeadScorer fitted on a DataFrame of lead-table columns "
        f"(e.g. snapshots[list(ps.leads.LEAD_FEATURES)]); the lead table lacks {lacking}"
        if feats
        else "call_list needs a LeadScorer fitted on a DataFrame with named columns, "
        "e.g. LeadScorer().fit(snapshots[list(ps.leads.LEAD_FEATURES)], y)."
    )


def _check_cadence(tiers: Mapping[str, Any], cadence: Mapping[str, int]) -> None:
    names = [*tiers, "C"]
    missing = [t for t in names if t not in cadence]
    if missing:
        raise InputError(
            f"cadence has no entry for tier(s) {missing}; give days between contacts "
            f"for every tier, e.g. {DEFAULT_CADENCE}."
        )


# ---------------------------------------------------------------------------
# the one call list of the report and ``pondstats score``
# ---------------------------------------------------------------------------


@dataclass
class ScoredLeads:
    """The result of :func:`score_open_leads`.

    Attributes
    ----------
    calls : DataFrame or None
        The call list (:func:`call_list`); None when the training snapshots
        hold a single class (no model can be fitted).
    scorer : LeadScorer or None
        The model of the horizon hazards (``horizons.scorer_``; None when the
        snapshots hold one class).
    snapshots : DataFrame
        The training rows: monthly horizon snapshots before ``as_of``
        (:func:`pondstats.leads.horizon_snapshots`, with ``observed_days``).
    as_of : Timestamp
        The day of the list.
    horizons : HorizonScorer or None
        The fitted horizon model (probabilities and tiers).
    """

    calls: pd.DataFrame
    scorer: Any
    snapshots: pd.DataFrame
    as_of: pd.Timestamp
    horizons: Any = None


def training_dates(as_of: Any, *, history: int = 12, horizon_days: int = 30):
    """Monthly snapshot days whose labels are known on ``as_of``.

    The first day of each month from ``history`` months before ``as_of``
    up to ``as_of - horizon_days``.

    Examples
    --------
    >>> from pondstats.leads._calls import training_dates
    >>> [str(d.date()) for d in training_dates("2026-11-01", history=3)]
    ['2026-08-01', '2026-09-01', '2026-10-01']
    """
    day = parse_day(as_of, name="as_of")
    first = (day - pd.DateOffset(months=history)).to_period("M").to_timestamp()
    return pd.date_range(first, day - pd.Timedelta(days=horizon_days), freq="MS")


def lead_codes(visits: pd.DataFrame, keys: pd.Series) -> pd.Series:
    """A code the DMS knows for each customer key.

    The export's ``customer_id`` where present, else the ``visit_id`` of the
    customer's first visit, else ``K`` and a number stable for the same
    data (the customer's rank by first visit date, then key): never derived
    from the phone, so it cannot unmask it.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.leads._calls import lead_codes
    >>> v = pd.DataFrame({"customer_key": ["b", "a", "b"], "visit_id": ["V2", None, "V1"],
    ...     "visit_date": pd.to_datetime(["2026-09-02", "2026-09-01", "2026-09-01"])})
    >>> lead_codes(v, pd.Series(["a", "b"])).tolist()
    ['K000001', 'V1']
    """
    order = visits.sort_values(["visit_date", "customer_key"], kind="stable")
    first = order.drop_duplicates("customer_key").set_index("customer_key")
    rank = pd.Series(np.arange(1, len(first) + 1), index=first.index)
    code = pd.Series(
        [f"K{int(n):06d}" for n in rank.reindex(keys).fillna(0)], index=keys.index
    )
    for col in ("visit_id", "customer_id"):  # later columns win
        if col in visits.columns:
            ids = order.dropna(subset=[col]).drop_duplicates("customer_key")
            ids = ids.set_index("customer_key")[col].astype("str")
            got = keys.map(ids).astype("str")
            code = got.where(got.notna() & (got.str.strip() != ""), code)
    return code.astype("str")


def score_open_leads(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    as_of: Any,
    *,
    history: int = 6,
    horizon_days: int = 30,
    lookback_days: int = 180,
    model: str = "auto",
    tiers: Mapping[str, tuple[int, float]] | None = None,
    max_rows: int | None = None,
    mask: bool = True,
    lang: str = "zh",
    n_factors: int = 3,
    capacity: int | str | None = None,
    schedule_days: int = 5,
    random_state: int = 0,
) -> ScoredLeads:
    """Train the horizon model on what was known before ``as_of`` and list the open leads.

    The one call list of the monthly report and of ``pondstats score``: same
    training window, ranking, score and tier for the same day. Only rows
    dated before ``as_of`` are used (the list is made at the start of that
    day). A :class:`pondstats.leads.HorizonScorer` (the chance of a deposit
    within 7, 15, 30 and 90 days) is trained on monthly snapshots of the
    ``history`` months before it, each counted for the days its outcome is
    known (:func:`pondstats.leads._horizons.fit_horizons`), on
    :data:`CALL_FEATURES`; the tier is the dealer's grade read from those
    probabilities (``tiers``, :func:`pondstats.leads.horizon_tiers`).

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned A-cards and C-cards.
    as_of : str or Timestamp
        The day of the list (the report uses the first day after its month).
    history : int, default 6
        Months of snapshots to train on (the report's and ``pondstats score``'s
        default).
    horizon_days : {7, 15, 30, 90}, default 30
        The horizon of ``probability`` and ``score`` (the chance of a deposit
        within so many days); other days are added as a horizon.
    lookback_days : int, default 180
        Days a prospect stays open after their last visit.
    model : {"auto", "logistic", "gbm"}, default "auto"
        The model of the horizon hazards, as :class:`LeadScorer`.
    tiers : mapping, optional
        Tier -> (horizon days, minimum probability), checked in order, default
        :data:`pondstats.leads.DEFAULT_HORIZON_TIERS` (H: 5% within 7 days,
        A: 5% within 15, B: 2% within 30; else C). CLI: ``pondstats score --tiers``.
    max_rows : int, optional
        At most this many stacked training rows (every deposit kept, the other
        rows sampled; :class:`HorizonScorer` ``max_rows``), default
        :data:`pondstats.leads._horizons.HORIZON_TRAIN_ROWS`.
    mask : bool, default True
        Mask phones and names; the ``lead_code`` stays (it is no personal data).
    lang : {"zh", "en"}
        Language of the factors.
    n_factors : int, default 3
    capacity, schedule_days
        Book the calls of the next ``schedule_days`` days, ``capacity`` per
        consultant per day, as :func:`call_list` does (None: no booking).
    random_state : int, default 0

    Returns
    -------
    ScoredLeads
        ``calls`` (None when the snapshots hold no deposit, or nothing but
        deposits), ``scorer`` (the fitted :class:`HorizonScorer`'s
        :class:`LeadScorer`, with ``selection_``), ``horizons`` (the
        :class:`HorizonScorer`), ``snapshots``, ``as_of``.

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> s = ps.score_open_leads(visits, deposits, "2026-11-01")
    >>> s.calls[["rank", "lead_code", "score", "tier", "p_7"]].columns.tolist()
    ['rank', 'lead_code', 'score', 'tier', 'p_7']
    >>> n = s.calls["tier"].value_counts()  # few H, most open leads C
    >>> bool(0 < n["H"] < n["A"] < n["B"] < n["C"])
    True
    """
    from pondstats.leads._horizons import HORIZON_TRAIN_ROWS, HORIZONS, fit_horizons

    day = parse_day(as_of, name="as_of")
    h = tuple(sorted({*HORIZONS, int(horizon_days)}))
    kw = {"lookback_days": lookback_days}
    hz, snaps = fit_horizons(
        visits,
        deposits,
        day,
        history=history,
        horizons=h,
        model=model,
        max_rows=HORIZON_TRAIN_ROWS if max_rows is None else max_rows,
        random_state=random_state,
        **kw,
    )
    if hz is None:
        return ScoredLeads(None, None, snaps, day)
    calls = call_list(
        hz,
        visits.loc[visits["visit_date"] < day],
        deposits.loc[deposits["deposit_date"] < day],
        day,
        tiers=tiers,
        mask=mask,
        lang=lang,
        n_factors=n_factors,
        capacity=capacity,
        schedule_days=schedule_days,
        horizon_days=int(horizon_days),
        **kw,
    )
    return ScoredLeads(calls, hz.scorer_, snaps, day, hz)
