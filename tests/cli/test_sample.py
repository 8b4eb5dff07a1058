"""The ``sample`` command writes the sample dealer's exports."""

from __future__ import annotations

from pondstats.datasets import SAMPLE_FILES


def test_cli_sample_writes_the_exports(tmp_path, capsys):
    from pondstats.cli import main

    assert main(["sample", "--out", str(tmp_path), "--scale", "0.05"]) == 0
    out = capsys.readouterr().out
    assert "visits.csv" in out and "deposits.xlsx" in out
    assert all((tmp_path / f).is_file() for f in SAMPLE_FILES)
