"""From A-cards and C-cards to close rates, with honest uncertainty.

* ``_linking``: :func:`link_deposits` (C-cards to the customer's first visit);
* ``_close``: :func:`close_rates`, the period rate (the 13% KPI);
* ``_cohorts``: :func:`cohort_rates` and :func:`return_visit_rates`;
* :mod:`pondstats.rates.stats`: intervals, empirical-Bayes shrinkage and the
  tests behind every status (also importable as ``pondstats.stats``).
"""

from pondstats.rates._close import close_rates
from pondstats.rates._cohorts import cohort_rates, return_visit_rates
from pondstats.rates._linking import link_deposits

__all__ = ["close_rates", "cohort_rates", "link_deposits", "return_visit_rates"]
