"""The sample dealer: a simulated dealer group with known, planted effects.

* ``_sim``: :func:`make_sample` (clean tables plus the planted :class:`SampleTruth`);
* ``_exports``: :func:`write_sample_exports`, messy on purpose as a DMS exports;
* ``_load``: :func:`load_sample`, :func:`load_sample_zones`,
  :func:`load_sample_spend` read and clean the bundled exports in ``data/sample/``;
* ``_history``: :func:`monthly_exports` and :func:`build_sample_store`, the
  sample as monthly overlapping exports in a history store (this stage
  stands above the store);
* ``_funnel``: the inquiries (online and phone leads) with planted invite rates,
  read by :func:`load_sample_inquiries` (``_load``);
* ``_plants`` (lost reasons, an inaccurate grader: in :func:`make_sample`),
  ``_orders`` (the order history: repeat, returning and lapsed customers),
  ``_joining`` (a store that registers mostly its buyers) and
  ``_plant_files`` (:func:`write_sample_plants`: their files and truth), read
  by :func:`load_sample_history` and :func:`load_sample_joining_store`.
"""

from pondstats.datasets._exports import export_date, write_sample_exports
from pondstats.datasets._funnel import (
    INVITE_RATES,
    make_sample_inquiries,
    write_sample_inquiries,
)
from pondstats.datasets._history import build_sample_store, monthly_exports
from pondstats.datasets._load import (
    SAMPLE_FILES,
    load_sample,
    load_sample_history,
    load_sample_inquiries,
    load_sample_joining_store,
    load_sample_spend,
    load_sample_targets,
    load_sample_zones,
    sample_dir,
)
from pondstats.datasets._parts import Sample, SampleTruth
from pondstats.datasets._plant_files import PLANT_FILES, write_sample_plants
from pondstats.datasets._sim import GROUP_NAME, SEASONALITY, ZONE_NAMES, make_sample

__all__ = [
    "Sample",
    "SampleTruth",
    "make_sample",
    "write_sample_exports",
    "load_sample",
    "load_sample_zones",
    "load_sample_spend",
    "load_sample_targets",
    "sample_dir",
    "GROUP_NAME",
    "ZONE_NAMES",
    "SEASONALITY",
    "SAMPLE_FILES",
    "export_date",
    "INVITE_RATES",
    "load_sample_inquiries",
    "make_sample_inquiries",
    "write_sample_inquiries",
    "build_sample_store",
    "monthly_exports",
    "PLANT_FILES",
    "load_sample_history",
    "load_sample_joining_store",
    "write_sample_plants",
]
