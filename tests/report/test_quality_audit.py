"""The logging audit in the report's data-quality appendix."""

from __future__ import annotations

from funnel_sim import simulate_network

from pondstats.report._layout import Page
from pondstats.report._quality import quality_pages
from pondstats.vocab import Labels


def _texts(pages):
    return "\n".join(t.get_text() for p in pages for t in p.fig.texts)


def test_the_appendix_names_the_selective_store():
    _, v, d, truth = simulate_network(1, selective_store=1)
    pages = quality_pages(
        {"visits": None}, Labels("en"), lambda t: Page("l", "r", t), frames=(v, d)
    )
    text = _texts(pages)
    assert "Logging audit" in text
    assert "store: 1 suspect of 3" in text
    assert f"{truth['selective_store']}: " in text
    assert "first registered on the deposit day" in text


def test_no_frames_and_no_summaries_give_no_appendix():
    assert (
        quality_pages({"visits": None}, Labels("en"), lambda t: Page("l", "r", t)) == []
    )
