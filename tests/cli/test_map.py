"""``pondstats map``: the sample's weak-zone map from the command line."""

from __future__ import annotations

import pytest

import pondstats as ps
from pondstats.cli import main
from pondstats.vocab import VERDICT_ACTIONS


@pytest.mark.slow
def test_map_of_the_sample(tmp_path, capsys):
    out = tmp_path / "map.png"
    assert (
        main(["map", "--month", "2026-10", "--out", str(out), "--column", "status"])
        == 0
    )
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000
    text = capsys.readouterr().out
    assert text.startswith("period 2026-10: close rate and diagnosis per zone")
    rows = text.splitlines()[2:-1]
    assert sorted(r.split()[0] for r in rows) == sorted(
        ps.load_sample_zones()["region"]
    )
    actions = {zh for zh, _ in VERDICT_ACTIONS.values()}
    assert {r.split()[-1] for r in rows} <= actions
    weak = [r for r in rows if r.split()[0] in ("北岭县", "青石县")]
    assert all("persistently_weak" in r and "conversion" in r for r in weak)
    assert text.endswith(f"wrote {out}\n")


@pytest.mark.slow
def test_map_of_a_month_not_in_the_data(tmp_path, capsys):
    assert main(["map", "--month", "2030-01", "--out", str(tmp_path / "m.png")]) == 2
    err = capsys.readouterr().err
    assert "period 2030-01 is not in the rates table" in err


def test_own_visits_need_zones(tmp_path, capsys, test_data):
    visits = test_data / "visits_gbk.csv"
    code = main(
        [
            "map",
            "--visits",
            str(visits),
            "--deposits",
            str(visits),
            "--out",
            str(tmp_path / "m.png"),
        ]
    )
    assert code == 2
    assert "give --zones FILE" in capsys.readouterr().err


def test_help_of_every_command_renders(capsys):
    assert main(["--help"]) == 0
    assert "map" in capsys.readouterr().out
    assert main(["map", "--help"]) == 0
    assert "13% benchmark" in capsys.readouterr().out
