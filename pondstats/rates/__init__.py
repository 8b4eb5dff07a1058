"""From A-cards and C-cards to close rates, with honest uncertainty.

* ``_linking``: :func:`link_deposits` (C-cards to the customer's first visit);
* ``_close``: :func:`close_rates`, the period rate (the 13% KPI);
* ``_cohorts``: :func:`cohort_rates` and :func:`return_visit_rates`;
* ``_kpis``: the KPI board :func:`kpi_table`, :func:`compare_periods` and
  ``KPIS`` (the KPI dictionary as a table); ``_league``:
  :func:`consultant_league`; ``_sources``: :func:`source_roi`; ``_pacing``:
  :func:`quota_pacing` (targets against the projected month end);
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
from pondstats.rates._kpis import KPIS, compare_periods, kpi_table
from pondstats.rates._league import consultant_league
from pondstats.rates._linking import link_deposits
from pondstats.rates._lost import lost_analysis
from pondstats.rates._pacing import quota_pacing
from pondstats.rates._sources import source_roi

__all__ = [
    "KPIS",
    "close_rates",
    "cohort_rates",
    "compare_periods",
    "consultant_league",
    "kpi_table",
    "link_deposits",
    "quota_pacing",
    "return_visit_rates",
    "source_roi",
    "invite_rates",
    "funnel_table",
    "delivery_funnel",
    "lost_analysis",
    "grade_accuracy",
    "logging_audit",
]
