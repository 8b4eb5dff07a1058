"""The CLI with real exports: --column-map, --bounds, --out checked before any
work, every error a message in CLI words (never a traceback unless --debug)."""

from __future__ import annotations

import json
import os

import pandas as pd
import pytest

import pondstats as ps
from pondstats.cli import _common, main
from pondstats.cli._common import check_out, cli_message, read_bounds, read_column_map
from pondstats.errors import DataQualityWarning, PondstatsError

VISITS = "客户姓名,联系电话,接待日\n张三,13800138000,2026-10-03\n李四,13900139000,2026-10-04\n"
DEPOSITS = (
    "订单号,手机,下订日期,订金（元）,订单状态\nD1,13800138000,2026-10-05,5000,有效\n"
)


@pytest.fixture
def files(tmp_path):
    (tmp_path / "v.csv").write_text(VISITS, encoding="utf-8")
    (tmp_path / "d.csv").write_text(DEPOSITS, encoding="utf-8")
    return tmp_path


def _err(capsys) -> str:
    return capsys.readouterr().err


# --column-map ---------------------------------------------------------------


@pytest.mark.parametrize(
    "name, text",
    [
        ("map.toml", '"接待日" = "visit_date"\n'),
        ("map.json", json.dumps({"接待日": "visit_date"}, ensure_ascii=False)),
        ("sections.toml", '[visits]\n"接待日" = "visit_date"\n[deposits]\n"x" = "y"\n'),
    ],
)
def test_clean_with_a_column_map_file(files, capsys, name, text):
    (files / name).write_text(text, encoding="utf-8")
    out = files / "out"
    argv = ["clean", str(files / "v.csv"), "--kind", "visits", "--out", str(out)]
    assert (
        main([*argv, "--column-map", str(files / name), "--today", "2026-12-01"]) == 0
    )
    printed = capsys.readouterr().out
    assert "visits: 2 rows read" in printed and "kept:              2" in printed
    clean = pd.read_parquet(out / "v_clean.parquet")
    assert [str(d.date()) for d in clean["visit_date"]] == ["2026-10-03", "2026-10-04"]


def test_without_the_map_the_hint_names_the_cli_option(files, capsys):
    argv = [
        "clean",
        str(files / "v.csv"),
        "--kind",
        "visits",
        "--out",
        str(files / "o"),
    ]
    assert main(argv) == 2
    err = _err(capsys)
    assert "no column for visit_date" in err
    assert (
        '--column-map FILE (a TOML file with the line "<your header>" = "visit_date")'
        in err
    )
    assert "column_map=" not in err and "Traceback" not in err


def test_rates_reads_files_with_the_column_map(files, capsys):
    (files / "m.toml").write_text('"接待日" = "visit_date"\n', encoding="utf-8")
    argv = [
        "rates",
        "--visits",
        str(files / "v.csv"),
        "--deposits",
        str(files / "d.csv"),
    ]
    assert main([*argv, "--column-map", str(files / "m.toml")]) == 0
    assert "2026-10" in capsys.readouterr().out


def test_column_map_file_errors(files, capsys):
    bad = files / "bad.toml"
    bad.write_text('"接待日" = 3\n', encoding="utf-8")
    with pytest.raises(
        PondstatsError, match=r"each entry is \"export header\" = \"pondstats column\""
    ):
        read_column_map(str(bad), "visits")
    bad.write_text("接待日 = = visit_date", encoding="utf-8")
    with pytest.raises(PondstatsError, match="neither valid TOML nor JSON"):
        read_column_map(str(bad), "visits")
    with pytest.raises(PondstatsError, match="no such file"):
        read_column_map(str(files / "nope.toml"), "visits")
    argv = [
        "rates",
        "--visits",
        str(files / "v.csv"),
        "--deposits",
        str(files / "d.csv"),
    ]
    assert main([*argv, "--column-map", str(files / "nope.toml")]) == 2
    assert "--column-map" in _err(capsys)


# --bounds -------------------------------------------------------------------


def test_bounds_files(tmp_path):
    (tmp_path / "b.toml").write_text(
        '"东湖区" = [0, 50000]\n"西湖区" = 80000\n', encoding="utf-8"
    )
    assert read_bounds(str(tmp_path / "b.toml")) == {
        "东湖区": (0.0, 50000.0),
        "西湖区": (None, 80000.0),
    }
    (tmp_path / "b.csv").write_text(
        "区域,最低,最高\n东湖区,1000,50000\n西湖区,,9000\n", encoding="utf-8"
    )
    assert read_bounds(str(tmp_path / "b.csv")) == {
        "东湖区": (1000.0, 50000.0),
        "西湖区": (None, 9000.0),
    }
    (tmp_path / "bad.json").write_text('{"东湖区": "lots"}', encoding="utf-8")
    with pytest.raises(
        PondstatsError, match=r'give \[min, max\] in yuan, e.g. "东湖区" = \[0, 50000\]'
    ):
        read_bounds(str(tmp_path / "bad.json"))


def test_plan_budget_names_a_bounds_entry_that_is_not_a_pair():
    from pondstats.budget._plan import _bounds_frame

    class Fit:
        params = pd.DataFrame(
            {"region": ["东湖区"], "spend_min": [1000.0], "spend_max": [9000.0]}
        )

    with pytest.raises(
        ps.InputError,
        match=r"bounds for 东湖区 must be a \(min, max\) pair of yuan, got 50000",
    ):
        _bounds_frame(Fit(), {"东湖区": 50000})
    assert _bounds_frame(Fit(), {"东湖区": (None, 5000)}).loc["东湖区"].tolist() == [
        1000.0,
        5000.0,
    ]


@pytest.mark.slow
def test_budget_with_a_bounds_file(tmp_path, capsys):
    (tmp_path / "b.toml").write_text('"东湖区" = [0, 20000]\n', encoding="utf-8")
    out = tmp_path / "plan.csv"
    argv = ["budget", "--total", "500000", "--out", str(out), "--draws", "2"]
    assert main([*argv, "--bounds", str(tmp_path / "b.toml")]) == 0
    plan = pd.read_csv(out, encoding="utf-8-sig")
    assert plan.loc[plan["region"] == "东湖区", "planned_spend"].iloc[0] <= 20000 + 1e-6


# --out before any work ------------------------------------------------------


@pytest.fixture
def no_work(monkeypatch):
    """Any data loading fails the test: --out must be refused first."""

    def boom(*a, **k):
        raise AssertionError("work started before --out was checked")

    monkeypatch.setattr(_common, "load_data", boom)
    for mod in ("_rates", "_budget", "_map", "_score"):
        monkeypatch.setattr(f"pondstats.cli.{mod}.load_data", boom)
    monkeypatch.setattr("pondstats.datasets.make_sample", boom)
    monkeypatch.setattr("pondstats.datasets.load_sample", boom)
    monkeypatch.setattr("pondstats.io.read_visits", boom)


COMMANDS = {
    "rates": ["rates"],
    "budget": ["budget", "--total", "1000"],
    "map": ["map"],
    "score": ["score", "--as-of", "2026-10-01"],
    "report": ["report"],
    "sample": ["sample"],
}


@pytest.mark.parametrize("command", ["rates", "budget", "map", "score"])
def test_out_in_a_missing_directory(tmp_path, capsys, no_work, command):
    suffix = ".png" if command == "map" else ".csv"
    target = tmp_path / "nodir" / f"x{suffix}"
    assert main([*COMMANDS[command], "--out", str(target)]) == 2
    assert f"the directory {tmp_path / 'nodir'} does not exist" in _err(capsys)


@pytest.mark.parametrize("command", ["rates", "budget", "map", "score"])
def test_out_is_a_directory_where_a_file_is_expected(
    tmp_path, capsys, no_work, command
):
    assert main([*COMMANDS[command], "--out", str(tmp_path)]) == 2
    assert "is a directory; give a file name inside it" in _err(capsys)


@pytest.mark.parametrize("command", ["clean", "sample", "report"])
def test_out_is_a_file_where_a_directory_is_expected(
    tmp_path, capsys, no_work, command
):
    f = tmp_path / "exists.csv"
    f.write_text("x")
    argv = (
        ["clean", str(f), "--kind", "visits"]
        if command == "clean"
        else COMMANDS[command]
    )
    assert main([*argv, "--out", str(f)]) == 2
    assert "is a file, and a directory is expected here" in _err(capsys)
    assert f.read_text() == "x"  # not overwritten


@pytest.mark.parametrize(
    "command, name, allowed",
    [
        ("map", "m.docx", ".png, .pdf, .svg"),
        ("rates", "r.txt", ".csv, .xlsx, .parquet"),
        ("score", "calls", ".csv, .xlsx, .parquet"),
        ("report", "r.docx", "a directory or a .pdf file name"),
    ],
)
def test_out_with_a_wrong_suffix(tmp_path, capsys, no_work, command, name, allowed):
    assert main([*COMMANDS[command], "--out", str(tmp_path / name)]) == 2
    assert allowed in _err(capsys)


@pytest.mark.parametrize("command", ["rates", "sample"])
def test_out_in_a_read_only_directory(tmp_path, capsys, monkeypatch, no_work, command):
    ro = tmp_path / "ro"
    ro.mkdir()
    real = os.access
    monkeypatch.setattr(
        _common.os,
        "access",
        lambda p, mode: False if ro in (os.fspath(p), p) else real(p, mode),
    )
    target = ro / "x.csv" if command == "rates" else ro
    assert main([*COMMANDS[command], "--out", str(target)]) == 2
    assert "no permission" in _err(capsys)


def test_check_out_accepts_good_outputs(tmp_path):
    check_out(tmp_path / "t.xlsx")
    check_out(tmp_path / "new_dir", directory=True)
    check_out(tmp_path / "r.pdf", dir_or="pdf")
    check_out(tmp_path, dir_or="pdf")
    check_out(None)


# errors as messages -----------------------------------------------------------


def test_an_unexpected_error_says_it_is_a_bug(monkeypatch, capsys):
    def broken(args):
        raise KeyError("oops")

    monkeypatch.setattr("pondstats.cli._rates.run", broken)
    assert main(["rates"]) == 1
    err = _err(capsys)
    assert (
        "this is a bug in pondstats; please report it with the output of --debug" in err
    )
    assert "Traceback" not in err
    assert main(["--debug", "rates"]) == 1
    assert "Traceback" in _err(capsys)


def test_map_clusters_without_the_maps_extra_names_it(monkeypatch, capsys, tmp_path):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "esda" else real(n, *a)
    )
    assert main(["map", "--clusters", "--out", str(tmp_path / "m.png")]) == 2
    assert 'pip install "pondstats[maps]"' in _err(capsys)


def test_empty_month_is_an_argument_error(capsys):
    assert main(["budget", "--total", "1000", "--out", "x.csv", "--month", ""]) == 2
    assert "expected a month as YYYY-MM" in _err(capsys)


def test_big5_hint_and_long_lists_in_cli_words(tmp_path, capsys, monkeypatch):
    from pondstats.io import _sniff as _read

    monkeypatch.setattr(
        _read, "_share_common", lambda t, e, lead: 0.5 + 0.2 * (e == "big5")
    )
    f = tmp_path / "v.csv"
    f.write_bytes(
        "區域,客戶姓名,聯繫電話,來店日期\n東湖區,陳大文,13800138000,2026-10-03\n".encode(
            "big5"
        )
    )
    assert (
        main(["clean", str(f), "--kind", "visits", "--out", str(tmp_path / "o")]) == 2
    )
    err = _err(capsys)
    assert "--encoding big5" in err and "--encoding gb18030" in err
    assert "encoding=" not in err
    # with the encoding named, it reads
    argv = ["clean", str(f), "--kind", "visits", "--out", str(tmp_path / "o")]
    assert main([*argv, "--encoding", "big5", "--today", "2026-12-01"]) == 0


def test_cli_message_translates_and_cuts():
    text = (
        "pass column_map={'<your header>': 'visit_date'}; encoding='big5'; "
        "bounds={region: (min, max)}; give sheet= to read another. " + "x" * 3000
    )
    out = cli_message(text)
    assert "column_map" not in out and "encoding=" not in out and "bounds=" not in out
    assert "--encoding big5" in out and "--bounds FILE" in out and "--sheet NAME" in out
    assert len(out) <= _common.MAX_MESSAGE and out.endswith("(cut)")
    lag = cli_message(
        "Use the cohort rate, ps.cohort_rates(visits, deposits, horizon_days=...), to"
    )
    assert (
        "horizon_days=" not in lag and "cohort rates (in Python: ps.cohort_rates" in lag
    )


def test_a_geojson_given_as_visits_is_a_short_message(tmp_path, capsys):
    g = tmp_path / "zones.geojson"
    g.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"region": f"区{i}"},
         "geometry": {"type": "Point", "coordinates": [114, 30]}} for i in range(500)]}))  # fmt: skip
    argv = ["rates", "--visits", str(g), "--deposits", str(g)]
    assert main(argv) == 2
    err = _err(capsys)
    assert "is a GeoJSON map" in err and "--zones" in err and len(err) < 500


# --as-of outside the data -------------------------------------------------------


def test_as_of_outside_the_data():
    from pondstats.cli._score import _check_as_of

    v = pd.DataFrame({"visit_date": pd.to_datetime(["2026-01-05", "2026-03-31"])})
    with pytest.raises(
        PondstatsError, match=r"--as-of 2025-12-01 is before the data starts"
    ):
        _check_as_of(v, pd.Timestamp("2025-12-01"), 180)
    with pytest.raises(
        PondstatsError, match=r"more than --lookback 180 days after the data ends"
    ):
        _check_as_of(v, pd.Timestamp("2027-01-01"), 180)
    with pytest.warns(
        DataQualityWarning, match=r"--as-of 2026-05-31 is 61 days after the last visit"
    ):
        _check_as_of(v, pd.Timestamp("2026-05-31"), 180)
    _check_as_of(v, pd.Timestamp("2026-04-02"), 180)  # inside: silent


def test_score_as_of_far_outside_is_an_error_in_cli_words(capsys, tmp_path):
    assert (
        main(["score", "--as-of", "2035-01-01", "--out", str(tmp_path / "c.csv")]) == 2
    )
    err = _err(capsys)
    assert "after the data ends" in err and "lead_snapshots" not in err


def test_a_warning_made_an_error_is_a_message_not_a_bug(monkeypatch, capsys):
    import warnings

    def warns(args):
        warnings.warn("something odd in the data", DataQualityWarning, stacklevel=1)
        return 0

    monkeypatch.setattr("pondstats.cli._rates.run", warns)
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        assert main(["rates"]) == 2
    assert "error: something odd in the data" in _err(capsys)
    with warnings.catch_warnings():
        warnings.simplefilter("always", DataQualityWarning)
        assert main(["rates"]) == 0
    assert "pondstats: DataQualityWarning: something odd in the data" in _err(capsys)


def test_permission_error_is_a_message(monkeypatch, capsys):
    def denied(args):
        raise PermissionError(13, "Permission denied", "/root/x.csv")

    monkeypatch.setattr("pondstats.cli._rates.run", denied)
    assert main(["rates"]) == 2
    assert "no permission to use /root/x.csv (Permission denied)" in _err(capsys)
