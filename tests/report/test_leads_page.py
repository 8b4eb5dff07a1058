"""The leads page: the tier back-test table and the drift warning, as drawn."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

import pondstats as ps
from pondstats.fonts import font_context
from pondstats.report._data import _lead_review
from pondstats.report._layout import Page
from pondstats.report._leads_page import leads_pages
from pondstats.vocab import Labels


def _texts(page: Page) -> str:
    return "\n".join(t.get_text() for t in page.fig.texts)


def _page(visits, deposits, month, lang="en"):
    period = pd.Period(month, "M")
    data = SimpleNamespace(
        L=Labels(lang),
        month=period,
        # what ReportData.build computes once for the page
        lead_review=_lead_review(visits, deposits, period, lang=lang),
    )
    with font_context():
        return leads_pages(data, lambda title: Page("pondstats", month, title))


@pytest.mark.slow
def test_leads_page_shows_backtest_and_drift():
    vis, dep = ps.load_sample()
    (page,) = _page(vis, dep, "2026-10")
    text = _texts(page)
    assert "Lead tiers: back-test and drift" in text
    assert "H: within 7 days" in text and "C: later" in text
    assert "No drift" in text  # the sample's October leads look like its history
    assert "Consultant grade against model tier" in text
    assert "two or more levels" in text
    assert "138****" not in text  # counts per consultant only: no phones
    # October's visits lost from the export: the month's leads all look stale
    # (no recent visit), a drift the page must warn about, in words
    shifted = vis.loc[vis["visit_date"] < "2026-10-01"]
    (page,) = _page(shifted, dep, "2026-10")
    text = _texts(page)
    assert "Warning: " in text and "days since last visit" in text


def test_no_page_without_history():
    vis, dep = ps.load_sample()
    assert _page(vis, dep, "2025-01") == []
