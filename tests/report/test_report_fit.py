"""The report's sections fit their pages: the default sample report has no
continuation page, and a long table of a big network still continues on a
new page with its header repeated."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import pondstats as ps
from pondstats.fonts import font_context
from pondstats.report._data import ReportData
from pondstats.report._layout import Page
from pondstats.report._network import zone_table_pages
from pondstats.schema import Benchmark
from pondstats.vocab import Labels
from tests.report.pdftext import needs_pdftotext, pages_text

CONTINUED = ("(continued)", "(续)")


def nonempty_pages(path) -> list[str]:
    return [p for p in pages_text(path) if p.strip()]


@pytest.fixture(scope="module")
def n_action() -> int:
    visits, deposits = ps.load_sample()
    t = ps.assess_zones(
        visits,
        deposits,
        "2026-10",
        zones=ps.load_sample_zones(),
        spend=ps.load_sample_spend(),
    )
    return int(t["needs_action"].sum())


@pytest.mark.slow
@needs_pdftotext
@pytest.mark.parametrize("lang", ["both", "en", "zh"])
def test_default_sample_report_has_no_continuation_page(tmp_path, lang, n_action):
    """`pondstats report` on the bundled sample: summary (with what improved),
    map + funnel, zone table, traffic vs conversion, KPI board, leads, budget,
    data quality, then one page per zone that needs action; no section spills
    onto a '(continued)' page."""
    from pondstats.cli._main import main

    assert main(["report", "--out", str(tmp_path), "--lang", lang]) == 0
    pages = nonempty_pages(tmp_path / "pondstats-report-2026-10.pdf")
    assert n_action == 4
    assert len(pages) == 8 + n_action
    for i, page in enumerate(pages, start=1):
        assert not any(w in page for w in CONTINUED), i
    L = Labels(lang)
    first = re.sub(r"\s+", " ", pages[0])
    assert L("needs_action") in first
    improved = first.split(L("improved"), 1)  # the heading is on page 1 ...
    assert len(improved) == 2
    # ... with its lists under it: the strong zones, the zones not judged yet
    assert L.word(("领先", "Strong")) + ": " in improved[1]
    assert "东湖区 (Z01)" in improved[1] and "龙湾区 (Z14)" in improved[1]
    # the budget's reasons are on its one page, each reason once
    budget = next(p for p in pages if L("budget") in p)
    assert L("budget_why") in budget
    flat = re.sub(r"\s+", " ", budget)
    assert flat.count(L("why_raise", sep=" / ")) == 1
    for zone in ("西江区 (Z03) +66,038", "北岭县 (Z02) -55,900", "龙湾区 (Z14) -2,800"):
        assert zone in flat


def _network(n_parts: tuple[int, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Visits and deposits of simulated dealers stitched into one network
    (zone names made unique), as benchmarks/bench_report.py does."""
    vs, ds = [], []
    for k, n in enumerate(n_parts):
        s = ps.make_sample(random_state=k, n_zones=n, months=14)
        suffix = "" if k == 0 else "甲乙丙"[k - 1]
        rename = {r: f"{r}{suffix}" for r in s.zones["region"]}
        for frame, out in ((s.visits, vs), (s.deposits, ds)):
            out.append(
                frame.assign(
                    region=frame["region"].map(rename),
                    customer_key=f"{k}:" + frame["customer_key"],
                )
            )
    return pd.concat(vs, ignore_index=True), pd.concat(ds, ignore_index=True)


@pytest.mark.slow
def test_a_long_table_continues_with_its_header_repeated():
    """50 zones: the zone table does not fit one page; it continues on a
    '(continued)' page that repeats the header, and no zone is lost."""
    visits, deposits = _network((24, 24, 2))
    month = pd.Period("2026-10", "M")
    L = Labels("en")
    with font_context():
        data = ReportData.build(
            month, visits, deposits, benchmark=Benchmark(), mask=True, L=L,
            leads=False,
        )  # fmt: skip
        pages = zone_table_pages(data, lambda title: Page("l", "r", title))
    assert data.verdicts["region"].nunique() == 50
    assert len(pages) >= 2
    assert pages[0].title == L("zone_table")
    texts = [[t.get_text() for t in p.fig.texts] for p in pages]
    for page, text in zip(pages[1:], texts[1:], strict=True):
        assert page.title == f"{L('zone_table')} {L('continued')}"
        assert L("zone") in text and L("verdict") in text  # the header again
        assert "12 mo" in " ".join(text)
    shown = [data.zone_name(r) for r in data.verdicts["region"]]
    drawn = [t for text in texts for t in text]
    assert all(name in drawn for name in shown)
    # every page's content ends above the footer
    assert all(p.room() >= 0 for p in pages)
