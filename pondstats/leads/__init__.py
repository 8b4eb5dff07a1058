"""Open leads: the lead table, the scorer, its evaluation, call and aftercare lists.

* ``_table``: :func:`lead_table` / :func:`lead_snapshots` (as-of features, no leakage);
* ``_scorer``: :class:`LeadScorer`, a scikit-learn estimator (``_encode``: its
  input encoding; ``_logits``: log loss, AUC and the sigmoid map on its log-odds;
  ``_leaks``: the warning about columns that leak the outcome; ``_explain``: the
  contributions and the factors in words);
* ``_schedule``: :func:`schedule_calls` (capacity), :func:`grade_disagreements`;
* ``_monitor``: :func:`lead_drift` (population stability), :func:`backtest_tiers`;
* ``_horizons``: :class:`HorizonScorer`, deposit within 7/15/30/90 days, H/A/B/C;
* ``_evaluation``: :func:`evaluate_scorer`, :func:`evaluate_horizons` (time split,
  calibration, gains);
* ``_calls``: :func:`call_list`, :func:`score_open_leads` (the one call list of the
  report and ``pondstats score``); ``_aftercare``: :func:`aftercare_list`;
* ``_lifecycle``: :func:`lifecycle_stages` and :func:`winback_list`.
"""

from pondstats.leads._aftercare import aftercare_list
from pondstats.leads._calls import (
    CALL_FEATURES,
    ScoredLeads,
    call_list,
    lead_codes,
    score_open_leads,
)
from pondstats.leads._evaluation import (
    LeadEvaluation,
    evaluate_horizons,
    evaluate_scorer,
)
from pondstats.leads._horizons import (
    DEFAULT_HORIZON_TIERS,
    HORIZONS,
    HorizonScorer,
    fit_horizons,
    horizon_snapshots,
    horizon_tiers,
)
from pondstats.leads._lifecycle import (
    LIFECYCLE_STAGES,
    LifecycleRules,
    lifecycle_stages,
    winback_list,
)
from pondstats.leads._monitor import (
    PSI_THRESHOLDS,
    backtest_tiers,
    lead_drift,
    population_stability,
)
from pondstats.leads._schedule import grade_disagreements, schedule_calls
from pondstats.leads._scorer import LeadScorer
from pondstats.leads._table import LEAD_FEATURES, lead_snapshots, lead_table

__all__ = [
    "CALL_FEATURES",
    "DEFAULT_HORIZON_TIERS",
    "HORIZONS",
    "HorizonScorer",
    "fit_horizons",
    "horizon_snapshots",
    "horizon_tiers",
    "LEAD_FEATURES",
    "ScoredLeads",
    "lead_codes",
    "score_open_leads",
    "LeadEvaluation",
    "LeadScorer",
    "aftercare_list",
    "call_list",
    "evaluate_scorer",
    "evaluate_horizons",
    "PSI_THRESHOLDS",
    "backtest_tiers",
    "lead_drift",
    "population_stability",
    "grade_disagreements",
    "schedule_calls",
    "lead_snapshots",
    "lead_table",
    "LIFECYCLE_STAGES",
    "LifecycleRules",
    "lifecycle_stages",
    "winback_list",
]
