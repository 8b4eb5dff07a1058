"""Next month's marketing budget: response curves and the plan.

* ``_response`` (with the likelihood in ``_model``): :func:`fit_response`,
  the saturating spend -> A-cards curve per zone;
* ``_plan``: :func:`budget_history`, :func:`plan_budget` and
  :func:`conversion_opportunity`.
"""

from pondstats.budget._plan import (
    BudgetPlan,
    budget_history,
    conversion_opportunity,
    plan_budget,
)
from pondstats.budget._response import ResponseFit, fit_response

__all__ = [
    "BudgetPlan",
    "ResponseFit",
    "budget_history",
    "conversion_opportunity",
    "fit_response",
    "plan_budget",
]
