"""The report's pages in order, from what the library computes.

The content is split by page kind: :mod:`._data` (the library calls),
:mod:`._network` (summary, map and funnel, zone table, quadrant, budget),
:mod:`._zone` (one page per zone), :mod:`._common` (shared helpers).
"""

from __future__ import annotations

from collections.abc import Callable

from pondstats.report._common import NewPage, Step
from pondstats.report._data import ReportData, month_slice, zone_list
from pondstats.report._kpi_page import kpi_pages
from pondstats.report._layout import Page
from pondstats.report._leads_page import leads_pages
from pondstats.report._network import (
    budget_pages,
    map_funnel_pages,
    quadrant_pages,
    summary_pages,
    zone_table_pages,
)
from pondstats.report._zone import zone_pages

__all__ = ["ReportData", "build_pages", "month_slice", "zone_list"]


def build_pages(
    data: ReportData,
    new_page: NewPage,
    *,
    step: Step,
    only: str | None = None,
    all_zones: bool = False,
    appendix: Callable[[], list[Page]] | None = None,
) -> list[Page]:
    """All pages in order; ``only`` gives the per-zone report of one zone.

    Summary (the decision page), map and funnel, zone table, traffic vs
    conversion, budget, the ``appendix`` (data quality); then one page per
    zone that needs action, in the verdict table's order (all zones with
    ``all_zones``).
    """
    pages: list[Page] = []
    pages += summary_pages(data, new_page, only=only)
    step(1)
    if only is None:
        pages += map_funnel_pages(data, new_page)
        step(1)
    pages += zone_table_pages(data, new_page, highlight=only)
    step(1)
    if only is None:
        pages += quadrant_pages(data, new_page)
        step(1)
        pages += kpi_pages(data, new_page)
        step(1)
    if only is None and data.calls is not None:
        pages += leads_pages(data, new_page)
    if only is None:
        pages += budget_pages(data, new_page)
        step(1)
    if appendix is not None:
        pages += appendix()
    for region in zone_list(data, all_zones=all_zones) if only is None else [only]:
        pages += zone_pages(data, new_page, region)
        step(1)
    return pages
