"""The `pondstats rates` command."""

from __future__ import annotations

import pandas as pd
import pytest

import pondstats as ps
from pondstats.cli import main


@pytest.fixture(scope="module")
def small_sample():
    s = ps.make_sample(months=6)
    return s.visits, s.deposits


@pytest.fixture
def fast_sample(monkeypatch, small_sample):
    monkeypatch.setattr("pondstats.datasets.load_sample", lambda: small_sample)
    return small_sample


def test_rates_default_prints_latest_month_whole_period_and_legend(capsys, fast_sample):
    assert main(["rates"]) == 0
    out = capsys.readouterr().out
    visits, _ = fast_sample
    latest = str(visits["visit_date"].max().to_period("M"))
    assert f"月度成交率 {latest}" in out
    assert "全期" in out and "区域" in out and "成交率" in out
    assert "东湖区" in out and "北岭县" in out
    assert "状态 status:" in out and "Benjamini-Hochberg" in out
    assert any(word in out for word in ("偏弱", "领先", "未定"))


def test_rates_by_month_lang_and_out(capsys, tmp_path, fast_sample):
    path = tmp_path / "rates.xlsx"
    assert (
        main(["rates", "--by", "region,store", "--lang", "en", "--out", str(path)]) == 0
    )
    out = capsys.readouterr().out
    assert "close rates" in out and "store" in out and "inconclusive" in out
    table = pd.read_excel(path, engine="calamine")
    assert list(table.columns[:3]) == ["region", "store", "period"]
    assert table["a_cards"].sum() == (fast_sample[0]["visit_no"] == 1).sum()


def test_rates_bad_month(capsys, fast_sample):
    assert main(["rates", "--month", "2030-01"]) == 2
    assert "no data for --month 2030-01" in capsys.readouterr().err
    assert main(["rates", "--month", "October"]) == 2
    assert (
        "argument --month: expected a month as YYYY-MM (e.g. 2026-10), got"
        in capsys.readouterr().err
    )


def test_rates_bad_group(capsys, fast_sample):
    assert main(["rates", "--by", "colour"]) == 2
    assert "cannot group by ['colour']" in capsys.readouterr().err


@pytest.mark.slow
def test_rates_on_the_bundled_sample(capsys):
    assert main(["rates", "--month", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert "月度成交率 2026-10" in out and "全期 2024-11 .. 2026-10" in out
