"""pondstats: showroom-visit (A-card) and deposit (C-card) analytics for dealers.

Import as ``import pondstats as ps``. The public API is listed in ``__all__``;
see the README for a tour and ``DESIGN.md`` for the layering.
"""

from __future__ import annotations

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
from pondstats.errors import (
    DataQualityWarning,
    InputError,
    PondstatsError,
    PondstatsWarning,
)
from pondstats.funnel import (
    close_rates,
    cohort_rates,
    link_deposits,
    return_visit_rates,
)
from pondstats.io import read_deposits, read_spend, read_table, read_visits, write_table
from pondstats.plotting import plot_funnel, plot_trend
from pondstats.schema import Benchmark

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Benchmark",
    "DataQualityWarning",
    "InputError",
    "PondstatsError",
    "PondstatsWarning",
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
]
