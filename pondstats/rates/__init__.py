"""From A-cards and C-cards to close rates, with honest uncertainty.

* ``_linking``: :func:`link_deposits` (C-cards to the customer's first visit);
* ``_close``: :func:`close_rates`, the period rate (the 13% KPI);
* ``_cohorts``: :func:`cohort_rates` and :func:`return_visit_rates`;
* the whole funnel: ``_invites`` (:func:`invite_rates`, :func:`funnel_table`),
  ``_deliveries`` (:func:`delivery_funnel`), ``_lost`` (:func:`lost_analysis`),
  ``_grades`` (:func:`grade_accuracy`), ``_audit`` (:func:`logging_audit`);
* :mod:`pondstats.rates.stats`: intervals, empirical-Bayes shrinkage and the
  tests behind every status (also importable as ``pondstats.stats``).
"""

from pondstats.rates._audit import logging_audit
from pondstats.rates._close import close_rates
from pondstats.rates._cohorts import cohort_rates, return_visit_rates
from pondstats.rates._deliveries import delivery_funnel
from pondstats.rates._grades import grade_accuracy
from pondstats.rates._invites import funnel_table, invite_rates
from pondstats.rates._linking import link_deposits
from pondstats.rates._lost import lost_analysis

__all__ = [
    "close_rates",
    "cohort_rates",
    "link_deposits",
    "return_visit_rates",
    "invite_rates",
    "funnel_table",
    "delivery_funnel",
    "lost_analysis",
    "grade_accuracy",
    "logging_audit",
]
