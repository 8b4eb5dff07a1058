"""The report's KPI page: what it shows, from what the library computes."""

from __future__ import annotations

import pandas as pd
import pytest

import pondstats as ps
from pondstats.fonts import font_context
from pondstats.report._data import ReportData
from pondstats.report._kpi_page import LEAGUE_SHOWN, kpi_pages
from pondstats.report._layout import Page
from pondstats.schema import Benchmark
from pondstats.vocab import Labels


@pytest.fixture(scope="module")
def small():
    s = ps.make_sample(2, n_zones=6, months=14)
    month = pd.Period("2026-10", "M")
    data = ReportData.build(
        month, s.visits, s.deposits, benchmark=Benchmark(), mask=True,
        L=Labels("en"), leads=False,
    )  # fmt: skip
    return s, data


def _tables(data):
    seen: list[tuple[list[str], list[list[str]]]] = []

    def record(self, columns, rows, **kw):
        seen.append(([c.header for c in columns], [list(r) for r in rows]))
        return len(rows)

    with pytest.MonkeyPatch.context() as mp, font_context():
        mp.setattr(Page, "add_table", record)
        pages = kpi_pages(data, lambda title: Page("l", "r", title))
    return pages, seen


def test_zones_and_league_without_spend_or_targets(small):
    s, data = small
    pages, tables = _tables(data)
    assert len(tables) == 2  # no source costs, no targets
    zones, league = tables
    assert (
        zones[0][:3] == ["Zone", "A", "TD rate"] or "test-drive" in zones[0][2].lower()
    )
    t = ps.kpi_table(s.visits, s.deposits, by="region")
    oct_ = t[(t["period"] == data.month) & (t["a_cards"] > 0)]
    assert len(zones[1]) == len(oct_)
    ranked = league[1]
    assert len(ranked) <= 2 * LEAGUE_SHOWN
    assert ranked[0][0] == "1"


def test_sources_and_targets_when_given(small):
    s, data = small
    data.spend = s.spend_by_source
    data.targets = s.targets
    try:
        pages, tables = _tables(data)
    finally:
        data.spend, data.targets = s.spend, None
    # the targets table comes whole, or in two halves side by side (same
    # header, rows in reading order) when both fit on the page
    assert len(tables) in (4, 5)
    sources, pacing = tables[2], tables[3:]
    names = [r[0] for r in sources[1]]
    assert "转介绍" in names and names.index("转介绍") < names.index("车展")
    assert all(t[0] == pacing[0][0] for t in pacing)
    oct_t = s.targets[s.targets["month"] == data.month]
    rows = [r for t in pacing for r in t[1]]
    assert [r[1] for r in rows] == [f"{int(x):,}" for x in oct_t["target"]]
