"""pondstats: showroom-visit (A-card) and deposit (C-card) analytics for dealers.

Import as ``import pondstats as ps``. The public API is listed in ``__all__``;
see the README for a tour and ``DESIGN.md`` for the layering.
"""

from __future__ import annotations

from pondstats.diagnosis import diagnose_zones, weak_clusters, zone_rates
from pondstats.errors import DataQualityWarning, InputError, PondstatsError, PondstatsWarning
from pondstats.plotting import explore_zones, plot_quadrant, plot_zone_map
from pondstats.schema import Benchmark
from pondstats.zones import (
    ZoneMatch,
    assign_regions,
    match_zones,
    prepare_zones,
    read_zones,
)
from pondstats.datasets import Sample, SampleTruth, make_sample
from pondstats.funnel import close_rates, cohort_rates, link_deposits, return_visit_rates

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "Benchmark",
    "DataQualityWarning",
    "InputError",
    "PondstatsError",
    "PondstatsWarning",
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
    "Sample",
    "SampleTruth",
    "make_sample",
    "close_rates",
    "cohort_rates",
    "link_deposits",
    "return_visit_rates",
]
