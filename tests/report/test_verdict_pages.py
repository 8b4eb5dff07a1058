"""The report's pages agree: page 1 names the zones that need action from the
verdict table, and no page pairs a weak zone with a healthy word; the call
list of the report is the one of ``pondstats score`` for the same day."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import pondstats as ps
from pondstats.cli import main
from pondstats.report._data import ReportData, zone_list
from pondstats.vocab import Labels
from tests.report.pdftext import needs_pdftotext, pages_text

#: words that must never stand beside a weak zone
HEALTHY = ("healthy", "on track", "on target", "no clear problem", "健康", "达标")


@pytest.fixture(scope="module")
def sample():
    visits, deposits = ps.load_sample(as_cleaned=True)
    return visits, deposits, ps.load_sample_zones(), ps.load_sample_spend()


def check_weak_zones(pages: list[str], weak: list[str]) -> None:
    """Page 1 names each weak zone as persistently weak with a conversion
    action; no line on any page puts a weak zone beside a healthy word."""
    first = re.sub(r"\s+", " ", pages[0])
    head = first.split("Zones that need action", 1)[1].split("What improved", 1)[0]
    for zone in weak:
        assert zone in head
        row = head.split(zone, 1)[1][:200]
        assert "persistently" in row and "fix conversion" in row
    for page in pages:
        for line in page.splitlines():
            if any(z in line for z in weak):
                assert not any(w in line for w in HEALTHY), line


@pytest.mark.slow
@needs_pdftotext
@pytest.mark.parametrize("month", ["2026-10", "2026-03"])
def test_sample_report_names_the_weak_zones(sample, tmp_path, month):
    visits, deposits, zones, spend = sample
    out = ps.write_monthly_report(
        month, visits, deposits, zones=zones, spend=spend, path=tmp_path, lang="en"
    )
    pages = pages_text(out)
    pages = [p for p in pages if p.strip()]
    check_weak_zones(pages, ["北岭县", "青石县"])
    # about 8 network pages, then a page (or two) per zone that needs action
    verdicts = ps.assess_zones(
        visits.data, deposits.data, month, zones=zones, spend=spend
    )
    n_action = int(verdicts["needs_action"].sum())
    assert len(pages) <= 8 + 2 * n_action
    details = [p for p in pages if "Zone detail ·" in p]
    named = [re.search(r"Zone detail · (\S+)", p).group(1) for p in details]
    named = list(dict.fromkeys(named))
    assert named == verdicts.loc[verdicts["needs_action"], "region"].tolist()
    # the budget page is honest about its finite draws
    flat = re.sub(r"\s+", " ", " ".join(pages))
    assert "100%" not in flat.split("Marketing budget", 1)[1][:600]
    assert "Why the large moves" in flat
    # the budget table shows each zone's verdict, the one page 1 reads
    budget = next(p for p in pages if "Marketing budget, next month ·" in p)
    from pondstats.vocab import Labels

    L = Labels("en")
    for r in verdicts.itertuples():
        line = next(x for x in budget.splitlines() if f"{r.region} (" in x)
        first_word = L.verdict(r.verdict, r.problem).split()[0]
        assert re.search(rf"\b{re.escape(first_word)}\b", line), (r.region, line)


def test_zone_list_follows_the_verdicts():
    s = ps.make_sample(random_state=3, n_zones=5, months=14)
    m = pd.Period("2026-10", "M")
    data = ReportData.build(
        m,
        s.visits,
        s.deposits,
        zones=s.zones,
        benchmark=ps.Benchmark(),
        mask=True,
        L=Labels("en"),
        leads=False,
    )
    t = data.verdicts
    assert (
        zone_list(data, all_zones=False) == t.loc[t["needs_action"], "region"].tolist()
    )
    assert set(zone_list(data)) == set(data.current()["region"])
    # the quadrant reads the verdict's problem
    assert data.diagnosis["problem"].tolist() == t["problem"].tolist()


@pytest.fixture(scope="module")
def october_en(sample):
    """The sample's report data of 2026-10 in English, without the call lists."""
    visits, deposits, zones, _ = sample
    return ReportData.build(
        pd.Period("2026-10", "M"),
        visits.data,
        deposits.data,
        zones=zones,
        benchmark=ps.Benchmark(),
        mask=True,
        L=Labels("en"),
        leads=False,
    )


def test_first_only_vs_returning_window(october_en):
    """Only customers whose first visit falls in the 12 months count: 东湖区
    has 1,678 such prospects, 14.9% of one-visit ones close vs 30.5%."""
    data = october_en
    r = data.returns.set_index("region").loc["东湖区"]
    assert r["prospects"] == 1678
    assert round(r["one_time_rate"], 3) == 0.149
    assert round(r["returning_rate"], 3) == 0.305
    assert round(r["lift"], 2) == 2.05


def test_zone_page_names_the_first_only_vs_returning_table(october_en):
    """The zone page's table of one-visit vs returning prospects is headed as
    such (not with the KPI name "Returning prospects", a count)."""
    import matplotlib.pyplot as plt

    from pondstats.fonts import font_context
    from pondstats.report._layout import Page
    from pondstats.report._zone import zone_pages

    data = october_en
    with font_context():
        pages = zone_pages(
            data, lambda title: Page("pondstats", "2026-10", title), "东湖区"
        )
    texts = [t.get_text() for p in pages for t in p.fig.texts]
    for p in pages:
        plt.close(p.fig)
    assert "First-only vs returning prospects" in texts
    assert "Returning prospects" not in texts


def test_return_visit_rates_start_and_export_warning():
    v = pd.DataFrame(
        {
            "customer_key": ["a", "a", "b"],
            "visit_date": pd.to_datetime(["2026-01-05", "2026-03-02", "2026-03-04"]),
            "visit_no": [1, 2, 1],
            "region": ["东湖区"] * 3,
        }
    )
    d = pd.DataFrame(
        {
            "customer_key": ["a"],
            "deposit_date": pd.to_datetime(["2026-03-03"]),
            "status": ["active"],
        }
    )
    # a came first in January: not a prospect of a window starting in March
    t = ps.return_visit_rates(v, d, start="2026-03-01")
    assert t["prospects"].tolist() == [1] and t["returning"].tolist() == [0]
    with pytest.warns(ps.DataQualityWarning, match="customers whose first visit was"):
        ps.return_visit_rates(v, d, start="2025-12-01")


@pytest.mark.slow
def test_report_call_list_equals_score_command(sample, tmp_path, capsys):
    """The report of 2026-10 lists the leads of ``pondstats score --as-of
    2026-11-01``: same ranking, score, tier and lead code."""
    visits, deposits, zones, _ = sample
    m = pd.Period("2026-10", "M")
    end = m.end_time
    v = visits.data[visits.data["visit_date"] <= end]
    d = deposits.data[deposits.data["deposit_date"] <= end]
    from pondstats.report._data import _call_list

    report = _call_list(v, d, m, mask=True, lang="en")
    out = tmp_path / "calls.csv"
    assert (
        main(["score", "--as-of", "2026-11-01", "--out", str(out), "--lang", "en"]) == 0
    )
    capsys.readouterr()
    cli = pd.read_csv(
        out, encoding="utf-8-sig", dtype={"phone": "str", "lead_code": "str"}
    )
    cols = ["rank", "lead_code", "score", "tier", "region", "consultant"]
    pd.testing.assert_frame_equal(
        report[cols].reset_index(drop=True).astype(str),
        cli[cols].astype(str),
    )
    # the lead code is the export's visit id of the first visit, beside a masked phone
    assert report["lead_code"].str.len().gt(0).all()
    assert report["phone"].str.contains(r"\*\*\*\*").all()
    first = visits.data.sort_values("visit_date").drop_duplicates("customer_key")
    assert set(report["lead_code"]) <= set(first["visit_id"])


def test_zones_command(tmp_path, capsys):
    out = tmp_path / "verdicts.csv"
    assert main(["zones", "--month", "2026-10", "--lang", "en", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert text.startswith("zone verdicts, 2026-10")
    line = next(x for x in text.splitlines() if x.lstrip().startswith("北岭县"))
    assert "persistently weak" in line and "fix conversion" in line
    t = pd.read_csv(out, encoding="utf-8-sig")
    assert t.loc[t["region"] == "青石县", "verdict"].item() == "persistently_weak"
    assert main(["zones", "--month", "2026/10"]) == 2
    assert "argument --month: expected a month as YYYY-MM" in capsys.readouterr().err
