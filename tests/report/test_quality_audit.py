"""The logging audit in the report's data-quality appendix."""

from __future__ import annotations

from funnel_sim import simulate_network

from pondstats.clean import CleanSummary
from pondstats.report._layout import Page
from pondstats.report._quality import quality_pages
from pondstats.vocab import Labels


def _texts(pages):
    return "\n".join(t.get_text() for p in pages for t in p.fig.texts)


def test_the_appendix_names_the_selective_store():
    _, v, d, truth = simulate_network(1, selective_store=1)
    summary = CleanSummary("visits", len(v), len(v), 0, 0)
    pages = quality_pages(
        {"visits": summary}, Labels("en"), lambda t: Page("l", "r", t), frames=(v, d)
    )
    text = _texts(pages)
    assert "Logging audit" in text
    assert "store: 1 suspect of 3" in text
    assert f"{truth['selective_store']}: " in text
    assert "first registered on the deposit day" in text


def test_no_appendix_without_cleaning_summaries():
    _, v, d, _ = simulate_network(1, selective_store=1)
    new_page = lambda t: Page("l", "r", t)  # noqa: E731
    assert quality_pages({"visits": None}, Labels("en"), new_page, frames=(v, d)) == []


def test_lost_reasons_on_a_zone_page():
    from types import SimpleNamespace

    import pandas as pd

    from pondstats.fonts import font_context
    from pondstats.report._lost_note import lost_note

    v = pd.DataFrame(
        {
            "customer_key": list("abcde"),
            "visit_date": pd.to_datetime(["2026-09-01"] * 5),
            "region": ["东湖区"] * 4 + ["西江区"],
            "grade": ["F", "F", "F", "B", "F"],
            "lost_reason": ["价格", "价格", "竞品", None, "价格"],
        }
    )
    data = SimpleNamespace(visits=v, L=Labels("en"))
    with font_context():
        page = Page("l", "r", "zone")
        assert lost_note(data, page, "东湖区")
    text = _texts([page])
    line = "Lost deals: 3 of 4 prospects lost (75.0%); reasons: price 66.7%, competitor 33.3%"
    assert line in text
    v.loc[v["lost_reason"] == "竞品", "lost_reason"] = "路太远"  # not in the vocabulary
    with font_context():
        page = Page("l", "r", "zone")
        assert lost_note(SimpleNamespace(visits=v, L=Labels("en")), page, "东湖区")
    assert "reasons: price 66.7%, 路太远 33.3%" in _texts([page])
    data = SimpleNamespace(visits=v.drop(columns="lost_reason"), L=Labels("en"))
    assert not lost_note(data, Page("l", "r", "zone"), "东湖区")
