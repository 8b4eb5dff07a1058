"""Zones on the map: zone files, name matching, spatial joins, diagnosis, clusters.

* ``_files``: :func:`read_zones`, :func:`prepare_zones`, :func:`assign_regions`;
* ``_names``: :func:`match_zones` and :func:`region_key` (export names to zone names);
* ``_diagnosis``: :func:`zone_rates`, :func:`diagnose_zones` (traffic or
  conversion) and :func:`weak_clusters`.
"""

from pondstats.zones._diagnosis import (
    diagnose_zones,
    select_period,
    weak_clusters,
    zone_rates,
)
from pondstats.zones._files import ZONE_CRS, assign_regions, prepare_zones, read_zones
from pondstats.zones._names import ZoneMatch, match_zones, region_key
from pondstats.zones._verdicts import (
    NEEDS_ACTION,
    VERDICT_ORDER,
    assess_zones,
    verdict_counts,
)

__all__ = [
    "NEEDS_ACTION",
    "VERDICT_ORDER",
    "ZONE_CRS",
    "assess_zones",
    "verdict_counts",
    "ZoneMatch",
    "assign_regions",
    "diagnose_zones",
    "match_zones",
    "prepare_zones",
    "read_zones",
    "region_key",
    "select_period",
    "weak_clusters",
    "zone_rates",
]
