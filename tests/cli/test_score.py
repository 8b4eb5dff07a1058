"""pondstats score: trains on history before --as-of, prints evaluation, writes the list."""

from __future__ import annotations

import pandas as pd
import pytest

from pondstats.cli import main


@pytest.mark.slow
def test_score_command_writes_masked_call_list(tmp_path, capsys):
    out = tmp_path / "calls.csv"
    rc = main(
        [
            "score",
            "--as-of",
            "2026-09-30",
            "--out",
            str(out),
            "--history",
            "6",
            "--lang",
            "en",
        ]
    )
    assert rc == 0
    text = capsys.readouterr().out
    assert "ROC AUC" in text and "top-decile lift" in text and "wrote" in text
    calls = pd.read_csv(out, encoding="utf-8-sig", dtype={"phone": "str"})
    assert calls["rank"].tolist() == list(range(1, len(calls) + 1))
    assert calls["phone"].str.contains(r"\*\*\*\*").all()
    assert set(calls["tier"]) <= {"H", "A", "B", "C"}
    assert pd.to_datetime(calls["last_visit"]).max() <= pd.Timestamp("2026-10-01")


def test_score_command_bad_date(tmp_path, capsys):
    rc = main(["score", "--as-of", "soon", "--out", str(tmp_path / "c.csv")])
    assert rc == 2
    assert (
        "argument --as-of: expected a day as YYYY-MM-DD (e.g. 2026-10-31), got"
        in capsys.readouterr().err
    )


@pytest.mark.slow
def test_score_command_books_calls_within_capacity(tmp_path, capsys):
    out = tmp_path / "calls.csv"
    argv = ["score", "--as-of", "2026-09-30", "--out", str(out), "--history", "6"]
    rc = main([*argv, "--capacity", "3", "--schedule-days", "2", "--lang", "en"])
    assert rc == 0
    text = capsys.readouterr().out
    assert "model: " in text
    assert "3 calls per consultant per day over 2 days" in text
    calls = pd.read_csv(out, encoding="utf-8-sig", dtype={"phone": "str"})
    booked = calls.loc[calls["call_state"] == "scheduled"]
    assert booked.groupby(["consultant", "call_day"]).size().max() <= 3
    assert f"{(calls['call_state'] == 'waiting').sum()} waiting beyond capacity" in text


def test_score_command_bad_capacity(tmp_path, capsys):
    rc = main(
        [
            "score",
            "--as-of",
            "2026-09-30",
            "--out",
            str(tmp_path / "c.csv"),
            "--capacity",
            "0",
        ]
    )
    assert rc == 2
    assert "argument --capacity: expected a whole number of calls" in (
        capsys.readouterr().err
    )


def test_score_tiers_option_parses_and_rejects():
    from pondstats.cli._score import _tiers

    assert _tiers("H=7:0.05,A=15:0.05,B=30:0.02") == {
        "H": (7, 0.05),
        "A": (15, 0.05),
        "B": (30, 0.02),
    }
    assert _tiers("h=7:0.1") == {"H": (7, 0.1)}


@pytest.mark.parametrize("bad", ["H=7", "H=8:0.1", "X=7:0.1", "H=7:1.5", "H=7:x"])
def test_score_bad_tiers(tmp_path, capsys, bad):
    argv = ["score", "--as-of", "2026-09-30", "--out", str(tmp_path / "c.csv")]
    assert main([*argv, "--tiers", bad]) == 2
    assert "argument --tiers: expected tier=days:chance for tiers H, A, B" in (
        capsys.readouterr().err
    )


@pytest.mark.slow
def test_score_tiers_option_sets_the_rule(tmp_path, capsys):
    out = tmp_path / "calls.csv"
    argv = ["score", "--as-of", "2026-11-01", "--out", str(out), "--lang", "en"]
    assert main([*argv, "--tiers", "H=90:0.0"]) == 0
    assert "H " in capsys.readouterr().out
    calls = pd.read_csv(out, encoding="utf-8-sig", dtype={"phone": "str"})
    assert set(calls["tier"]) == {"H"}  # every lead has at least a 0% chance


@pytest.mark.slow
def test_score_command_writes_parquet(tmp_path, capsys):
    # the call list's attrs hold its day (a Timestamp): the parquet file keeps it as text
    out = tmp_path / "calls.parquet"
    assert main(["score", "--as-of", "2026-11-01", "--out", str(out)]) == 0
    calls = pd.read_parquet(out)
    assert calls.attrs["as_of"] == "2026-11-01T00:00:00"
    assert calls["rank"].tolist() == list(range(1, len(calls) + 1))
    assert calls["phone"].str.contains(r"\*\*\*\*").all()


@pytest.mark.slow
def test_score_without_enough_months_to_evaluate_still_writes_the_list(
    tmp_path, capsys
):
    # one month of snapshots: nothing earlier to train on and later to test
    out = tmp_path / "calls.csv"
    argv = ["score", "--as-of", "2026-06-01", "--history", "1", "--out", str(out)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert "no evaluation printed" in captured.err
    assert "give a longer --history" in captured.err and "ps." not in captured.err
    assert "ROC AUC" not in captured.out and "wrote" in captured.out
    assert len(pd.read_csv(out, encoding="utf-8-sig")) > 1000
