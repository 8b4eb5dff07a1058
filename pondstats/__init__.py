"""pondstats: showroom-visit (A-card) and deposit (C-card) analytics for dealers.

Import as ``import pondstats as ps``. The public API is listed in ``__all__``;
see the README for a tour and ``DESIGN.md`` for the layering.
"""

from __future__ import annotations

from pondstats.budget import (
    BudgetPlan,
    ResponseFit,
    budget_history,
    conversion_opportunity,
    fit_response,
    plan_budget,
)
from pondstats.calls import aftercare_list, call_list
from pondstats.clean import (
    Cleaned,
    CleanSummary,
    clean_deposits,
    clean_spend,
    clean_visits,
    normalize_amount,
    normalize_date,
    normalize_grade,
    normalize_phone,
    normalize_region,
    normalize_status,
    normalize_yes_no,
    strip_placeholders,
    to_halfwidth,
)
from pondstats.datasets import (
    Sample,
    SampleTruth,
    load_sample,
    load_sample_spend,
    load_sample_zones,
    make_sample,
    write_sample_exports,
)
from pondstats.diagnosis import diagnose_zones, weak_clusters, zone_rates
from pondstats.errors import (
    DataQualityWarning,
    InputError,
    PondstatsError,
    PondstatsWarning,
)
from pondstats.evaluation import LeadEvaluation, evaluate_scorer
from pondstats.funnel import (
    close_rates,
    cohort_rates,
    link_deposits,
    return_visit_rates,
)
from pondstats.io import read_deposits, read_spend, read_table, read_visits, write_table
from pondstats.leads import lead_snapshots, lead_table
from pondstats.plotting import (
    explore_zones,
    plot_budget_plan,
    plot_calibration,
    plot_funnel,
    plot_gains,
    plot_quadrant,
    plot_response_curves,
    plot_trend,
    plot_zone_map,
)
from pondstats.report import write_monthly_report
from pondstats.schema import Benchmark
from pondstats.scoring import LeadScorer
from pondstats.zones import (
    ZoneMatch,
    assign_regions,
    match_zones,
    prepare_zones,
    read_zones,
)

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Benchmark",
    "DataQualityWarning",
    "InputError",
    "PondstatsError",
    "PondstatsWarning",
    # leads / scoring
    "LeadEvaluation",
    "LeadScorer",
    "aftercare_list",
    "call_list",
    "evaluate_scorer",
    "lead_snapshots",
    "lead_table",
    "plot_calibration",
    "plot_gains",
    # io / clean (branch clean)
    "read_visits",
    "read_deposits",
    "read_spend",
    "read_table",
    "write_table",
    "Cleaned",
    "CleanSummary",
    "clean_visits",
    "clean_deposits",
    "clean_spend",
    "normalize_amount",
    "normalize_date",
    "normalize_grade",
    "normalize_phone",
    "normalize_region",
    "normalize_status",
    "normalize_yes_no",
    "strip_placeholders",
    "to_halfwidth",
    # sample dealer (branch sample)
    "Sample",
    "SampleTruth",
    "make_sample",
    "write_sample_exports",
    "load_sample",
    "load_sample_zones",
    "load_sample_spend",
    # close rates (branch rates)
    "close_rates",
    "cohort_rates",
    "link_deposits",
    "return_visit_rates",
    "plot_funnel",
    "plot_trend",
    # zones (issue 4)
    "ZoneMatch",
    "assign_regions",
    "diagnose_zones",
    "explore_zones",
    "match_zones",
    "plot_quadrant",
    "plot_zone_map",
    "prepare_zones",
    "read_zones",
    "weak_clusters",
    "zone_rates",
    # budget (branch budget)
    "BudgetPlan",
    "ResponseFit",
    "budget_history",
    "conversion_opportunity",
    "fit_response",
    "plan_budget",
    "plot_budget_plan",
    "plot_response_curves",
    # report (branch report)
    "write_monthly_report",
]
