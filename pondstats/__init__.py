"""pondstats: showroom-visit (A-card) and deposit (C-card) analytics for dealers.

Import as ``import pondstats as ps``. The public API is listed in ``__all__``.
The face loads lazily (PEP 562): ``import pondstats`` imports no stage, and
``ps.close_rates`` imports the rates stage on first use, so the command line
answers at once and a notebook pays only for what it uses.

The stages, each a package, data flowing one way::

    io -> clean -> store -> rates -> zones / leads / budget -> plotting -> report
    (datasets: the sample dealer, built from io, clean and the store and used
    only from above; schema, vocab, dates, errors, fonts, privacy: the ground
    floor every stage may use)
"""

from __future__ import annotations

import importlib

from pondstats._version import __version__

#: public name -> the module that defines it
_EXPORTS: dict[str, str] = {
    # ground floor
    "Benchmark": "pondstats.schema",
    "DataQualityWarning": "pondstats.errors",
    "InputError": "pondstats.errors",
    "PondstatsError": "pondstats.errors",
    "PondstatsWarning": "pondstats.errors",
    # io
    "read_visits": "pondstats.io",
    "read_deposits": "pondstats.io",
    "read_spend": "pondstats.io",
    "read_targets": "pondstats.io",
    "read_table": "pondstats.io",
    "read_inquiries": "pondstats.io",
    "write_table": "pondstats.io",
    # clean
    "Cleaned": "pondstats.clean",
    "CleanSummary": "pondstats.clean",
    "clean_visits": "pondstats.clean",
    "clean_deposits": "pondstats.clean",
    "clean_spend": "pondstats.clean",
    "clean_inquiries": "pondstats.clean",
    "normalize_amount": "pondstats.clean",
    "normalize_date": "pondstats.clean",
    "impossible_time": "pondstats.clean",
    "normalize_grade": "pondstats.clean",
    "normalize_phone": "pondstats.clean",
    "normalize_region": "pondstats.clean",
    "normalize_status": "pondstats.clean",
    "normalize_yes_no": "pondstats.clean",
    "strip_placeholders": "pondstats.clean",
    "to_halfwidth": "pondstats.clean",
    # the history store
    "Store": "pondstats.store",
    "StoreError": "pondstats.store",
    "StoreInUseError": "pondstats.store",
    # the sample dealer
    "Sample": "pondstats.datasets",
    "SampleTruth": "pondstats.datasets",
    "make_sample": "pondstats.datasets",
    "write_sample_exports": "pondstats.datasets",
    "load_sample": "pondstats.datasets",
    "load_sample_zones": "pondstats.datasets",
    "load_sample_spend": "pondstats.datasets",
    "load_sample_targets": "pondstats.datasets",
    "load_sample_inquiries": "pondstats.datasets",
    "load_sample_history": "pondstats.datasets",
    "load_sample_joining_store": "pondstats.datasets",
    # rates
    "close_rates": "pondstats.rates",
    "cohort_rates": "pondstats.rates",
    "link_deposits": "pondstats.rates",
    "return_visit_rates": "pondstats.rates",
    "KPIS": "pondstats.rates",
    "kpi_table": "pondstats.rates",
    "compare_periods": "pondstats.rates",
    "consultant_league": "pondstats.rates",
    "source_roi": "pondstats.rates",
    "quota_pacing": "pondstats.rates",
    "invite_rates": "pondstats.rates",
    "funnel_table": "pondstats.rates",
    "delivery_funnel": "pondstats.rates",
    "lost_analysis": "pondstats.rates",
    "grade_accuracy": "pondstats.rates",
    "logging_audit": "pondstats.rates",
    # zones
    "ZoneMatch": "pondstats.zones",
    "assign_regions": "pondstats.zones",
    "diagnose_zones": "pondstats.zones",
    "assess_zones": "pondstats.zones",
    "match_zones": "pondstats.zones",
    "prepare_zones": "pondstats.zones",
    "read_zones": "pondstats.zones",
    "weak_clusters": "pondstats.zones",
    "zone_rates": "pondstats.zones",
    # leads
    "LeadEvaluation": "pondstats.leads",
    "LeadScorer": "pondstats.leads",
    "HorizonScorer": "pondstats.leads",
    "horizon_snapshots": "pondstats.leads",
    "fit_horizons": "pondstats.leads",
    "horizon_tiers": "pondstats.leads",
    "grade_disagreements": "pondstats.leads",
    "schedule_calls": "pondstats.leads",
    "lead_drift": "pondstats.leads",
    "backtest_tiers": "pondstats.leads",
    "aftercare_list": "pondstats.leads",
    "call_list": "pondstats.leads",
    "score_open_leads": "pondstats.leads",
    "evaluate_scorer": "pondstats.leads",
    "evaluate_horizons": "pondstats.leads",
    "lead_snapshots": "pondstats.leads",
    "lead_table": "pondstats.leads",
    "LifecycleRules": "pondstats.leads",
    "lifecycle_stages": "pondstats.leads",
    "winback_list": "pondstats.leads",
    # budget
    "BudgetPlan": "pondstats.budget",
    "ResponseFit": "pondstats.budget",
    "budget_history": "pondstats.budget",
    "conversion_opportunity": "pondstats.budget",
    "fit_response": "pondstats.budget",
    "plan_budget": "pondstats.budget",
    # plotting
    "explore_zones": "pondstats.plotting",
    "plot_budget_plan": "pondstats.plotting",
    "plot_calibration": "pondstats.plotting",
    "plot_funnel": "pondstats.plotting",
    "plot_whole_funnel": "pondstats.plotting",
    "plot_gains": "pondstats.plotting",
    "plot_quadrant": "pondstats.plotting",
    "plot_response_curves": "pondstats.plotting",
    "plot_trend": "pondstats.plotting",
    "plot_zone_map": "pondstats.plotting",
    # report
    "write_monthly_report": "pondstats.report",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'pondstats' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
