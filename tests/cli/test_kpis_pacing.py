"""The `pondstats kpis` and `pondstats pacing` commands."""

from __future__ import annotations

import warnings

import pandas as pd

from pondstats.cli import main
from pondstats.errors import DataQualityWarning
from pondstats.vocab import KPI_DEFINITIONS


def test_kpis_list_prints_the_dictionary(capsys):
    assert main(["kpis", "--list"]) == 0
    out = capsys.readouterr().out
    for k in KPI_DEFINITIONS:
        assert f"{k.id}  {k.name[0]}" in out
    assert "基准 13% (8%–20%)" in out
    assert main(["kpis", "--list", "--lang", "en"]) == 0
    assert "close_rate  Close rate  =  C / A" in capsys.readouterr().out


def test_kpis_board_of_a_month(capsys, tmp_path):
    path = tmp_path / "kpis.csv"
    assert main(["kpis", "--month", "2026-09", "--out", str(path)]) == 0
    out = capsys.readouterr().out
    assert "KPI看板 2026-09 · 区域" in out
    assert "试驾率" in out and "二次来店率" in out and "C卡成本" in out
    table = pd.read_csv(path)
    assert {"test_drive_rate", "cost_per_c_card", "period"} <= set(table.columns)


def test_kpis_by_source_and_consultant(capsys):
    assert main(["kpis", "--by", "source", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "KPI board 2026-10 · source" in out and "转介绍" in out and "cost/C" in out
    assert main(["kpis", "--by", "consultant", "--month", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert "顾问排名 2026-10" in out and "前25%概率" in out


def test_kpis_errors(capsys, tmp_path):
    assert main(["kpis", "--month", "2030-01"]) == 2
    assert "no data for --month 2030-01; the data covers" in capsys.readouterr().err
    assert main(["kpis", "--month", "2026-13"]) == 2
    assert "expected a month as YYYY-MM" in capsys.readouterr().err
    spend = tmp_path / "spend.csv"
    spend.write_text("区域,月份,费用\n东湖区,2026-10,100\n", encoding="utf-8")
    assert main(["kpis", "--by", "store", "--spend", str(spend)]) == 2
    assert "--spend has no store column" in capsys.readouterr().err


def test_pacing(capsys, tmp_path):
    assert main(["pacing", "--as-of", "2026-10-20"]) == 0
    out = capsys.readouterr().out
    assert "目标进度 2026-10 · 截至 2026-10-20" in out
    assert "东湖区" in out and "预计月末" in out and "达成概率" in out
    targets = tmp_path / "targets.csv"
    targets.write_text(
        "区域,月份,任务\n东湖区,2026-10,30\n东湖,2026-10,5\n", encoding="utf-8"
    )
    with warnings.catch_warnings():  # as on a user's machine: warnings are shown
        warnings.simplefilter("default", DataQualityWarning)
        code = main(
            ["pacing", "--as-of", "2026-10-20", "--targets", str(targets)]
            + ["--lang", "en"]
        )
    assert code == 0
    captured = capsys.readouterr()
    assert "pacing 2026-10" in captured.out
    # the CLI shows a warning as one line on stderr, in its own words
    assert (
        "pondstats: DataQualityWarning: targets name region(s) that no deposit or "
        "visit has: ['东湖 (did you mean 东湖区?)']" in captured.err
    )


def test_pacing_errors(capsys, tmp_path):
    assert main(["pacing", "--as-of", "2026-10"]) == 2
    assert "expected a day as YYYY-MM-DD" in capsys.readouterr().err
    targets = tmp_path / "targets.csv"
    targets.write_text("区域,月份,目标\n东湖区,2026-09,30\n", encoding="utf-8")
    assert main(["pacing", "--as-of", "2026-10-20", "--targets", str(targets)]) == 2
    assert "targets have no row for 2026-10" in capsys.readouterr().err
