"""The monthly PDF report: month handling, layout, atomic reproducible files,
content found in the PDF text, masking, per-region files, the CLI."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import InputError
from pondstats.fonts import font_context
from pondstats.report import latest_complete_month, parse_month, report_filename
from pondstats.report._layout import Column, Page, text_width, wrap_text
from pondstats.report._month import check_month
from pondstats.report._sections import month_slice
from pondstats.report._writer import pdf_metadata, write_pdf
from pondstats.vocab import VERDICTS, Labels
from tests.report.pdftext import PDFTOTEXT, needs_pdftotext, pdf_pages, pdf_text

ROOT = Path(__file__).resolve().parents[2]


# ---------------------------------------------------------------------------
# tiny hand-made data
# ---------------------------------------------------------------------------


def tiny() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two zones over 2026-08 .. 2026-10; October: 东湖区 4 A / 1 C, 西江区 2 A / 1 C."""
    v = pd.DataFrame(
        {
            "visit_id": [f"v{i}" for i in range(9)],
            "customer_key": [
                "13800000001",
                "13800000002",
                "13800000003",
                "13800000004",
                "13900000005",
                "13900000006",
                "13800000001",
                "13700000007",
                "13700000008",
            ],
            "name": [
                "张三",
                "李四",
                "王五",
                "赵六",
                "钱七",
                "孙八",
                "张三",
                "周九",
                "吴十",
            ],
            "phone": [
                "13800000001",
                "13800000002",
                "13800000003",
                "13800000004",
                "13900000005",
                "13900000006",
                "13800000001",
                "13700000007",
                "13700000008",
            ],
            "visit_date": pd.to_datetime(
                [
                    "2026-10-02",
                    "2026-10-05",
                    "2026-10-09",
                    "2026-10-30",
                    "2026-10-11",
                    "2026-10-12",
                    "2026-10-20",
                    "2026-08-03",
                    "2026-09-15",
                ]
            ),
            "visit_no": [1, 1, 1, 1, 1, 1, 2, 1, 1],
            "region": ["东湖区"] * 4 + ["西江区"] * 2 + ["东湖区", "西江区", "东湖区"],
            "source": [
                "网络",
                "网络",
                "车展",
                "转介绍",
                "网络",
                "车展",
                "网络",
                "网络",
                "车展",
            ],
            "consultant": ["甲", "乙", "甲", "乙", "丙", "丙", "甲", "丙", "甲"],
        }
    )
    d = pd.DataFrame(
        {
            "deposit_id": ["d1", "d2", "d3"],
            "customer_key": ["13800000001", "13900000005", "13800000003"],
            "name": ["张三", "钱七", "王五"],
            "phone": ["13800000001", "13900000005", "13800000003"],
            "deposit_date": pd.to_datetime(["2026-10-21", "2026-10-25", "2026-10-28"]),
            "amount": [5000.0, 5000.0, 3000.0],
            "region": pd.Series([None] * 3, dtype="str"),
            "status": ["active", "active", "cancelled"],
        }
    )
    return v, d


@pytest.fixture(scope="module")
def small():
    """A small simulated dealer: 5 zones, 14 months to 2026-10."""
    return ps.make_sample(random_state=3, n_zones=5, months=14)


# ---------------------------------------------------------------------------
# month
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad", ["2026/10", "Oct 2026", "2026-13", "2026-00", "26-10", ""]
)
def test_parse_month_malformed(bad):
    with pytest.raises(InputError, match=r"month: expected a month as YYYY-MM .*got"):
        parse_month(bad)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-10", "2026-10"),
        (" 2026-3 ", "2026-03"),
        (pd.Period("2026-10", "M"), "2026-10"),
        (pd.Timestamp("2026-10-17 10:00"), "2026-10"),
        (pd.Period("2026-10-05", "D"), "2026-10"),
    ],
)
def test_parse_month_accepts(value, expected):
    assert parse_month(value) == pd.Period(expected, "M")


def test_latest_complete_month():
    v, d = tiny()
    # last record 2026-10-30: within the last three days of October
    assert latest_complete_month(v, d) == pd.Period("2026-10", "M")
    v2 = v[v["visit_date"] < "2026-10-29"]
    d2 = d[d["deposit_date"] < "2026-10-27"]  # last record 2026-10-25
    assert latest_complete_month(v2, d2) == pd.Period("2026-09", "M")


def test_month_outside_range():
    v, d = tiny()
    with pytest.raises(
        InputError,
        match=r"month 2026-11 is outside the data, which covers "
        r"2026-08 \.\. 2026-10",
    ):
        check_month(pd.Period("2026-11", "M"), v, d)
    with pytest.raises(InputError, match=r"month 2025-01 is outside the data"):
        check_month(pd.Period("2025-01", "M"), v, d)


def test_month_without_a_cards():
    v, d = tiny()
    v = v[v["visit_date"].dt.month != 9]  # a gap in September
    with pytest.raises(
        InputError, match=r"no A-cards \(showroom visits\) are dated in 2026-09"
    ):
        check_month(pd.Period("2026-09", "M"), v, d)


def test_empty_data():
    v, d = tiny()
    with pytest.raises(InputError, match="found none"):
        latest_complete_month(v.iloc[:0], d.iloc[:0])


def test_write_report_errors(tmp_path):
    v, d = tiny()
    with pytest.raises(InputError, match="outside the data"):
        ps.write_monthly_report("2027-01", v, d, path=tmp_path)
    with pytest.raises(InputError, match="month: expected a month as YYYY-MM"):
        ps.write_monthly_report("10/2026", v, d, path=tmp_path)
    with pytest.raises(
        InputError, match=r"missing visit_no: pass the output of ps.clean_visits"
    ):
        ps.write_monthly_report("2026-10", v.drop(columns="visit_no"), d, path=tmp_path)
    with pytest.raises(
        InputError, match=r"expected visits as a cleaned DataFrame or the Cleaned"
    ):
        ps.write_monthly_report("2026-10", [1, 2], d, path=tmp_path)
    with pytest.raises(
        InputError, match=r"no A-cards \(showroom visits\) are dated in 2026-09"
    ):
        ps.write_monthly_report(
            "2026-09", v[v["visit_date"].dt.month != 9], d, path=tmp_path
        )
    with pytest.raises(InputError, match=r"expected lang to be one of"):
        ps.write_monthly_report("2026-10", v, d, path=tmp_path, lang="fr")
    (tmp_path / "afile").write_text("x")
    with pytest.raises(InputError, match=r"expected a directory or a \.pdf file name"):
        ps.write_monthly_report("2026-10", v, d, path=tmp_path / "afile")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


# ---------------------------------------------------------------------------
# layout machinery
# ---------------------------------------------------------------------------


def test_wrap_text_fits_and_keeps_every_character():
    text = "东湖区的来店成交率连续三个月低于行业基准 close rate below the 13% benchmark"
    with font_context():
        lines = wrap_text(text, 90, 9)
        assert len(lines) > 2
        assert all(text_width(line, 9) <= 90 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_text_no_line_starts_with_closing_punctuation():
    text = "把预算重新分配到各区域,新方案更好的概率为九成八。每个区域的预算限制在其历史范围内。"
    with font_context():
        for width in range(40, 200, 7):
            lines = wrap_text(text, width, 9)
            assert "".join(lines) == text
            assert not any(line[:1] in "。,、" for line in lines[1:])
            assert all(text_width(line, 9) <= width for line in lines)


def test_wrap_text_max_lines_ellipsis():
    with font_context():
        lines = wrap_text("一二三四五六七八九十" * 10, 50, 9, max_lines=2)
        assert len(lines) == 2 and lines[-1].endswith("…")
        assert text_width(lines[-1], 9) <= 50


def test_table_paginates_and_stays_on_page():
    rows = [[f"区域{i}", str(i), "说明文字 " * (i % 4 + 1)] for i in range(120)]
    cols = [Column("区域 Zone", 2), Column("A", 1, "right"), Column("说明 Notes", 4)]
    drawn = []
    with font_context():
        while rows:
            page = Page("h", "2026-10", "表 Table")
            n = page.add_table(cols, rows)
            assert n > 0
            assert page.cursor >= page.bottom  # nothing below the footer line
            for t in page.fig.texts:  # every text inside the page
                x, y = t.get_position()
                assert 0 <= x <= 1 and 0 <= y <= 1
            drawn.append(n)
            rows = rows[n:]
    assert sum(drawn) == 120 and len(drawn) >= 3


def test_labels():
    assert Labels("both").kpi("a_cards", form="short") == "A卡 A"
    assert Labels("zh").kpi("close_rate", form="short") == "成交率"
    assert Labels("en")("page", n=2, total=9) == "Page 2 of 9"


def test_report_filename():
    m = pd.Period("2026-10", "M")
    assert report_filename(m) == "pondstats-report-2026-10.pdf"
    assert (
        report_filename(m, "东湖区", "Z01") == "pondstats-report-2026-10-Z01-东湖区.pdf"
    )
    assert (
        report_filename(m, "../etc/passwd") == "pondstats-report-2026-10-etc_passwd.pdf"
    )


# ---------------------------------------------------------------------------
# atomic, reproducible writing
# ---------------------------------------------------------------------------


def _figs(n: int = 2):
    out = []
    for i in range(n):
        page = Page("pondstats 报告", "2026-10", f"第{i}页 page {i}")
        page.add_paragraph("东湖区 来店成交率 close rate 13%")
        out.append(page.fig)
    return out


def test_write_pdf_fixed_metadata(tmp_path):
    md = pdf_metadata(pd.Period("2026-10", "M"), title="pondstats 2026-10")
    with font_context():
        a = write_pdf(tmp_path / "a.pdf", _figs(), md)
        b = write_pdf(tmp_path / "b.pdf", _figs(), md)
    assert a.read_bytes() == b.read_bytes()
    data = a.read_bytes()
    assert b"/CreationDate (D:20261101000000Z)" in data
    assert b"/Producer (pondstats)" in data
    assert b"Matplotlib" not in data


def test_write_pdf_is_atomic(tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(b"%PDF old good report")

    class Boom(RuntimeError):
        pass

    bad = plt.figure()
    bad.add_artist(_Exploding(Boom))
    md = pdf_metadata(pd.Period("2026-10", "M"), title="t")
    with font_context(), pytest.raises(Boom):
        write_pdf(target, [*_figs(1), bad], md)
    assert target.read_bytes() == b"%PDF old good report"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]  # no temp file left


class _Exploding(plt.Artist):
    def __init__(self, exc):
        super().__init__()
        self.exc = exc

    def draw(self, renderer):
        raise self.exc("disk full while drawing")


def test_written_file_is_readable_by_others(tmp_path):
    with font_context():
        out = write_pdf(
            tmp_path / "r.pdf",
            _figs(1),
            pdf_metadata(pd.Period("2026-10", "M"), title="t"),
        )
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~mask  # not mkstemp's 0600


# ---------------------------------------------------------------------------
# the report on data
# ---------------------------------------------------------------------------


def test_month_slice_gives_the_same_rates(small):
    v, d = small.visits, small.deposits
    m = pd.Period("2026-10", "M")
    for by in ("region", ["region", "source"]):
        vs, ds = month_slice(v, d, m - 2, m)
        got = ps.close_rates(vs, ds, by=by)
        got = got[got["period"] >= m - 2].reset_index(drop=True)
        full = ps.close_rates(v, d, by=by)
        full = full[full["period"] >= m - 2].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, full)


@needs_pdftotext
def test_tiny_report_text_and_figures(tmp_path, capsys):
    v, d = tiny()
    before = (v.copy(), d.copy())
    out = ps.write_monthly_report("2026-10", v, d, path=tmp_path, lang="both")
    assert capsys.readouterr().err == ""  # no progress bar unless asked
    pd.testing.assert_frame_equal(v, before[0])  # inputs not mutated
    pd.testing.assert_frame_equal(d, before[1])
    assert out == tmp_path / "pondstats-report-2026-10.pdf"
    text = pdf_text(out)
    assert "东湖区" in text and "西江区" in text
    # October: A-cards 东湖区 4 + 西江区 2 = 6 (the return visit is not an A-card);
    # C-cards 2 (the cancelled deposit is counted apart), close rate 2/6 = 33.3%
    flat = re.sub(r"\s+", " ", text)
    assert "Network: 6 A-cards, 2 C-cards, close rate 33.3% (benchmark 13%)" in flat
    assert "全网 A卡 6 组,C卡 2 台,成交率 33.3%" in flat
    # 东湖区: 4 A-cards, 1 C-card (the return visit and the cancelled deposit not counted)
    # the zone table: zone, verdict (too little data for both), A, this month's rate
    # (the verdict wraps: "数据尚不足 not / enough data yet")
    assert re.search(r"东湖区 数据尚不足 not 4 25\.0% 20\.0% 20\.0% ", flat)
    assert re.search(r"西江区 数据尚不足 not 2 50\.0% 33\.3% 33\.3% ", flat)
    assert "1 / " in flat or "Page 1 of" in flat
    for phone in pd.concat([v["phone"], d["phone"]]).unique():
        assert phone not in text


@pytest.mark.slow
@needs_pdftotext
def test_sample_report(small, tmp_path):
    s = small
    out = ps.write_monthly_report(
        None,
        s.visits,
        s.deposits,
        zones=s.zones,
        spend=s.spend,
        path=tmp_path / "r.pdf",
    )
    assert out == tmp_path / "r.pdf"
    text = pdf_text(out)
    cur = ps.close_rates(s.visits, s.deposits, by="region")
    cur = cur[cur["period"] == pd.Period("2026-10", "M")]
    for zone in s.zones["region"]:
        assert zone in text
    flat = re.sub(r"\s+", " ", text)
    verdicts = ps.assess_zones(s.visits, s.deposits, "2026-10", zones=s.zones)
    # (lang="both": the Chinese verdict, its English on the line or below)
    words = {v: zh for v, (zh, _) in VERDICTS.items()}
    for r in cur.itertuples():
        # the zone table row: zone (code), verdict, this month's A-cards, rate
        code = s.zones.set_index("region").loc[r.region, "code"]
        v = verdicts.set_index("region").loc[r.region, "verdict"]
        assert re.search(
            rf"{r.region} \({code}\) {words[v]}\D{{0,30}} {r.a_cards:,} {r.close_rate:.1%} ",
            flat,
        ), r.region
    net = ps.close_rates(s.visits, s.deposits, by=None)
    net = net[net["period"] == pd.Period("2026-10", "M")].iloc[0]
    assert (
        f"Network: {net.a_cards:,} A-cards, {net.c_cards:,} C-cards, close rate "
        f"{net.close_rate:.1%}"
    ) in flat
    for phone in pd.concat([s.visits["phone"], s.deposits["phone"]]).dropna().unique():
        assert phone not in text
    n = pdf_pages(out)
    # summary, map + funnel, zone table, quadrant, KPI board, leads, budget,
    # then a page (or two) per zone that needs action
    n_action = int(verdicts["needs_action"].sum())
    assert 7 + n_action <= n <= 8 + 2 * n_action
    assert n == len(re.findall(r"Page \d+ of \d+", text))
    assert f"Page {n} of {n}" in text
    assert "Zone map and funnel plot" in flat and "Marketing budget, next month" in flat
    if n_action:
        assert "Open leads to call first" in flat
        assert re.search(r"1[3-9]\d\*\*\*\*\d{4}", flat)  # masked phones are listed
    assert "Appendix: data quality" not in flat  # DataFrames come without summaries


@pytest.mark.slow
def test_report_bytes_identical_across_runs_and_hash_seeds(tmp_path):
    """Two runs in fresh interpreters with different hash seeds: same bytes."""
    script = (
        "import sys, pondstats as ps\n"
        "s = ps.make_sample(random_state=3, n_zones=4, months=13)\n"
        "ps.write_monthly_report('2026-10', s.visits, s.deposits, zones=s.zones, "
        "spend=s.spend, path=sys.argv[1])\n"
    )
    outs = []
    for seed in ("1", "2"):
        path = tmp_path / f"r{seed}.pdf"
        env = {
            **os.environ,
            "PYTHONHASHSEED": seed,
            "MPLBACKEND": "Agg",
            "PYTHONPATH": str(ROOT),
        }
        subprocess.run(
            [sys.executable, "-c", script, str(path)],
            check=True,
            env=env,
            cwd=ROOT,
            capture_output=True,
        )
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]


@pytest.mark.slow
@needs_pdftotext
def test_per_region(small, tmp_path):
    s = small
    outs = ps.write_monthly_report(
        "2026-10", s.visits, s.deposits, zones=s.zones, path=tmp_path, per_region=True
    )
    assert isinstance(outs, list)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in outs)
    assert len(outs) == len(s.zones)
    for (region, code), out in zip(
        s.zones[["region", "code"]].itertuples(index=False), outs, strict=True
    ):
        assert out.name == f"pondstats-report-2026-10-{code}-{region}.pdf"
        text = pdf_text(out)
        assert f"{region} ({code})" in text
        others = set(s.zones["region"]) - {region}
        # the zone table lists every zone, but only this zone has a detail page
        assert f"Zone detail · {region}" in re.sub(r"\s+", " ", text)
        assert not any(f"Zone detail · {o}" in text for o in others)


@pytest.mark.slow
def test_progress_bar_on_request(tmp_path, capsys):
    v, d = tiny()
    ps.write_monthly_report("2026-10", v, d, path=tmp_path, progress=True)
    err = capsys.readouterr().err
    assert "pondstats report" in err and "step" in err


@pytest.mark.slow
def test_english_only(small, tmp_path):
    s = small
    out = ps.write_monthly_report(
        "2026-10", s.visits, s.deposits, path=tmp_path, lang="en"
    )
    if PDFTOTEXT:
        text = pdf_text(out)
        assert "Network summary" in text and "全网概览" not in text


# ---------------------------------------------------------------------------
# CLI and the data-quality appendix (Cleaned inputs)
# ---------------------------------------------------------------------------


def _write_exports(tmp_path: Path) -> tuple[Path, Path]:
    """Tiny DMS-like exports: 10 visit rows of which 1 has no date and 1 is a
    duplicate; 3 deposit rows."""
    v, d = tiny()
    raw_v = pd.DataFrame(
        {
            "来店编号": v["visit_id"],
            "客户姓名": v["name"],
            "手机": v["phone"],
            "来店日期": v["visit_date"].dt.strftime("%Y-%m-%d"),
            "所属区域": v["region"],
            "信息来源": v["source"],
            "销售顾问": v["consultant"],
        }
    )
    raw_v = pd.concat([raw_v, raw_v.iloc[[0]]], ignore_index=True)  # duplicate row
    bad = raw_v.iloc[[1]].assign(来店编号="v99", 来店日期="")  # no visit date
    raw_v = pd.concat([raw_v, bad], ignore_index=True)
    raw_d = pd.DataFrame(
        {
            "订单号": d["deposit_id"],
            "客户姓名": d["name"],
            "手机": d["phone"],
            "下订日期": d["deposit_date"].dt.strftime("%Y-%m-%d"),
            "订金": d["amount"],
            "订单状态": ["有效", "有效", "退订"],
        }
    )
    pv, pd_ = tmp_path / "visits.csv", tmp_path / "deposits.csv"
    raw_v.to_csv(pv, index=False)
    raw_d.to_csv(pd_, index=False)
    return pv, pd_


@pytest.mark.slow
@needs_pdftotext
def test_cli_report_with_files_and_quality_appendix(tmp_path, capsys):
    from pondstats.cli import main

    pv, pdep = _write_exports(tmp_path)
    targets = tmp_path / "targets.csv"
    targets.write_text("区域,月份,目标\n东湖区,2026-10,3\n西江区,2026-10,1\n", "utf-8")
    out = tmp_path / "out"
    args = ["report", "--visits", str(pv), "--deposits", str(pdep)]
    args += ["--targets", str(targets), "--out", str(out), "--month", "2026-10"]
    with warnings.catch_warnings():  # as on a user's machine: warnings are shown
        warnings.simplefilter("default", ps.DataQualityWarning)
        rc = main(args)
    assert rc == 0
    captured = capsys.readouterr()
    # two earlier months are too few for the day-of-month profile: said, not hidden
    assert "fewer than 3 earlier months with C-cards" in captured.err
    pdf = out / "pondstats-report-2026-10.pdf"
    assert f"wrote {pdf}" in captured.out
    flat = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Appendix: data quality" in flat
    # visits: 11 rows read = 9 kept + 1 rejected + 1 duplicate merged
    assert re.search(r"Visits \(A-cards\) 11 9 1 1 ", flat)
    assert re.search(r"Deposits \(C-cards\) 3 3 0 0 ", flat)
    assert "Network: 6 A-cards, 2 C-cards, close rate 33.3%" in flat
    assert "visits.csv, deposits.csv" in flat  # the source note in the footer
    assert "C-card targets of the month" in flat  # --targets reaches the KPI page


def test_cli_report_errors(tmp_path, capsys):
    from pondstats.cli import main

    pv, pdep = _write_exports(tmp_path)
    base = [
        "report",
        "--visits",
        str(pv),
        "--deposits",
        str(pdep),
        "--out",
        str(tmp_path),
    ]
    assert main([*base, "--month", "2027-01"]) == 2
    assert "month 2027-01 is outside the data, which covers 2026-08 .. 2026-10" in (
        capsys.readouterr().err
    )
    assert main([*base, "--month", "2026/10"]) == 2
    assert "argument --month: expected a month as YYYY-MM" in capsys.readouterr().err
    assert main(["report", "--visits", str(pv), "--out", str(tmp_path)]) == 2
    assert "give both --visits and --deposits" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.pdf"))


@pytest.mark.slow
@needs_pdftotext
def test_sections_without_inputs_are_left_out(small, tmp_path):
    """No zones, no spend, no call lists: those sections are absent, not placeholders."""
    s = small
    out = ps.write_monthly_report(
        "2026-10", s.visits, s.deposits, path=tmp_path, leads=False
    )
    flat = re.sub(r"\s+", " ", pdf_text(out))
    # summary, funnel, zone table, quadrant, KPI board, the zones that need action
    need = ps.assess_zones(s.visits, s.deposits, "2026-10")["needs_action"].sum()
    assert pdf_pages(out) == 5 + need
    assert "Funnel plot" in flat and "Zone map" not in flat
    assert "Marketing budget" not in flat and "Open leads to call" not in flat


@pytest.mark.slow
@needs_pdftotext
def test_bundled_sample_report(tmp_path):
    """The README's command on the bundled sample: about 8 network pages and
    the pages of the zones that need action, the appendix agrees with the
    cleaning summaries, the weak zones are named on page 1."""
    visits, deposits = ps.load_sample(as_cleaned=True)
    out = ps.write_monthly_report(
        None,
        visits,
        deposits,
        zones=ps.load_sample_zones(),
        spend=ps.load_sample_spend(),
        path=tmp_path,
    )
    assert out.name == "pondstats-report-2026-10.pdf"
    # summary, map + funnel, zone table, quadrant, KPI board, leads, budget,
    # appendix: 8 network pages, then one page for each zone that needs action
    need = ps.assess_zones(
        visits.data,
        deposits.data,
        "2026-10",
        zones=ps.load_sample_zones(),
        spend=ps.load_sample_spend(),
    )["needs_action"].sum()
    assert pdf_pages(out) == 8 + need
    flat = re.sub(r"\s+", " ", pdf_text(out))
    # a bold title is real text once (its outline is a path), also for a
    # reader that does no layout analysis
    raw = subprocess.run(
        [PDFTOTEXT, "-raw", "-f", "1", "-l", "1", str(out), "-"],
        capture_output=True, check=True, text=True,
    ).stdout  # fmt: skip
    assert raw.count("Zones that need action") == 1
    vs, ds = visits.summary, deposits.summary
    assert (
        f"Visits (A-cards) {vs.rows_read:,} {vs.rows_kept:,} {vs.rows_rejected:,} "
        f"{vs.duplicates_merged:,}"
    ) in flat
    assert (
        f"Deposits (C-cards) {ds.rows_read:,} {ds.rows_kept:,} {ds.rows_rejected:,} "
        f"{ds.duplicates_merged:,}"
    ) in flat
    for reason, n in vs.rejected_by_reason.items():
        # a long reason wraps in its cell: its count follows the first line
        words = reason.split()
        first = re.escape(" ".join(words[:4]))
        assert re.search(rf"{first}[^\d]{{0,60}}? {n}\b", flat), reason
        assert " ".join(words[-3:]) in flat
    t = ps.assess_zones(
        visits.data, deposits.data, "2026-10", zones=ps.load_sample_zones()
    )
    head = flat.split("Zones that need action", 1)[1][:1500]
    assert all(region in head for region in t.loc[t["needs_action"], "region"])
    assert "北岭县" in head and "青石县" in head
    phones = pd.concat([visits.data["phone"], deposits.data["phone"]]).dropna().unique()
    text = pdf_text(out)
    assert not [p for p in phones if p in text]
