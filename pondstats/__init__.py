"""pondstats: showroom-visit (A-card) and deposit (C-card) analytics for dealers.

Import as ``import pondstats as ps``. The public API is listed in ``__all__``;
see the README for a tour and ``DESIGN.md`` for the layering.
"""

from __future__ import annotations

from pondstats.errors import DataQualityWarning, InputError, PondstatsError, PondstatsWarning
from pondstats.schema import Benchmark
from pondstats.datasets import Sample, SampleTruth, make_sample
from pondstats.funnel import close_rates, cohort_rates, link_deposits, return_visit_rates
from pondstats.budget import (
    BudgetPlan,
    ResponseFit,
    budget_history,
    conversion_opportunity,
    fit_response,
    plan_budget,
)
from pondstats.plotting import plot_budget_plan, plot_response_curves

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Benchmark",
    "DataQualityWarning",
    "InputError",
    "PondstatsError",
    "PondstatsWarning",
    "Sample",
    "SampleTruth",
    "make_sample",
    "close_rates",
    "cohort_rates",
    "link_deposits",
    "return_visit_rates",
    "BudgetPlan",
    "ResponseFit",
    "budget_history",
    "conversion_opportunity",
    "fit_response",
    "plan_budget",
    "plot_budget_plan",
    "plot_response_curves",
]
