"""`pondstats budget` on the bundled sample (and a spend file)."""

from __future__ import annotations

import pandas as pd
import pytest

from pondstats.cli import main


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("budget") / "plan.csv"
    rc = main(
        [
            "budget",
            "--total",
            "600000",
            "--month",
            "2026-12",
            "--out",
            str(out),
            "--draws",
            "8",
        ]
    )
    return rc, out


def test_budget_cli_writes_the_plan(sample_run, capsys):
    rc, out = sample_run
    assert rc == 0
    plan = pd.read_csv(out)
    assert len(plan) == 16
    assert plan["planned_spend"].sum() == pytest.approx(600000, rel=1e-6)
    assert (plan["planned_spend"] >= plan["min_spend"] - 1e-3).all()
    assert {"current_spend", "c_expected", "c_low", "c_high", "marginal_cost"} <= set(
        plan
    )


def test_budget_cli_prints_totals(tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    rc = main(["budget", "--total", "600000", "--out", str(out), "--draws", "4"])
    text = capsys.readouterr().out
    assert rc == 0
    assert "budget plan for 2026-11" in text
    assert "keeping last month's split" in text and "planned split" in text
    assert "chance the plan does better" in text
    assert out.exists()


def test_budget_cli_total_too_small(tmp_path, capsys):
    rc = main(
        ["budget", "--total", "10", "--out", str(tmp_path / "p.csv"), "--draws", "2"]
    )
    assert rc == 2
    assert "below the sum of the zones' minimum spend" in capsys.readouterr().err


def test_budget_cli_needs_spend_with_own_visits(tmp_path, capsys):
    rc = main(
        [
            "budget",
            "--total",
            "1",
            "--out",
            str(tmp_path / "p.csv"),
            "--visits",
            "v.csv",
            "--deposits",
            "d.csv",
        ]
    )
    assert rc == 2
    assert "give --spend FILE with --visits/--deposits" in capsys.readouterr().err


def test_budget_cli_reads_a_spend_file(tmp_path, capsys):
    import pondstats as ps
    from pondstats.io import write_table

    spend = ps.load_sample_spend()
    path = write_table(
        spend.assign(month=spend["month"].astype(str)), tmp_path / "spend.csv"
    )
    rc = main(
        [
            "budget",
            "--total",
            "600000",
            "--spend",
            str(path),
            "--out",
            str(tmp_path / "p.csv"),
            "--draws",
            "2",
        ]
    )
    assert rc == 0, capsys.readouterr().err
    assert len(pd.read_csv(tmp_path / "p.csv")) == 16
