"""Open leads: the lead table, the scorer, its evaluation, call and aftercare lists.

* ``_table``: :func:`lead_table` / :func:`lead_snapshots` (as-of features, no leakage);
* ``_scorer``: :class:`LeadScorer`, a scikit-learn estimator;
* ``_evaluation``: :func:`evaluate_scorer` (time split, calibration, gains);
* ``_calls``: :func:`call_list` and :func:`aftercare_list`;
* ``_lifecycle``: :func:`lifecycle_stages` and :func:`winback_list`.
"""

from pondstats.leads._calls import aftercare_list, call_list
from pondstats.leads._evaluation import LeadEvaluation, evaluate_scorer
from pondstats.leads._lifecycle import (
    LIFECYCLE_STAGES,
    LifecycleRules,
    lifecycle_stages,
    winback_list,
)
from pondstats.leads._scorer import LeadScorer
from pondstats.leads._table import LEAD_FEATURES, lead_snapshots, lead_table

__all__ = [
    "LEAD_FEATURES",
    "LeadEvaluation",
    "LeadScorer",
    "aftercare_list",
    "call_list",
    "evaluate_scorer",
    "lead_snapshots",
    "lead_table",
    "LIFECYCLE_STAGES",
    "LifecycleRules",
    "lifecycle_stages",
    "winback_list",
]
