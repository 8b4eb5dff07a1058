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
