"""`pondstats clean FILE --kind ... --out DIR`."""

from __future__ import annotations

import pandas as pd
import pytest

from pondstats.cli import main


def test_clean_visits_command(test_data, tmp_path, capsys):
    out = tmp_path / "out"
    rc = main(
        ["clean", str(test_data / "visits_gbk.csv"), "--kind", "visits", "--out", str(out),
         "--today", "2026-11-01"]
    )  # fmt: skip
    assert rc == 0
    printed = capsys.readouterr().out
    assert "visits: 9 rows read, encoding gb18030" in printed
    assert "kept:              4" in printed and "duplicates merged: 1" in printed
    clean = pd.read_parquet(out / "visits_gbk_clean.parquet")
    assert clean["customer_key"].tolist()[:2] == ["13800138000", "13900139000"]
    assert str(clean["visit_date"].dtype) == "datetime64[ns]"
    csv = pd.read_csv(out / "visits_gbk_clean.csv", encoding="utf-8-sig", dtype=str)
    assert len(csv) == 4
    assert csv["备注"].iloc[-1] == '\'=HYPERLINK("x")'  # formula neutralised in CSV
    rejected = pd.read_csv(out / "visits_gbk_rejected.csv", encoding="utf-8-sig")
    assert rejected["row"].tolist() == [7, 8, 9, 10]
    assert "no visit date" in rejected["reason"].tolist()


def test_clean_deposits_and_spend_commands(tmp_path, capsys):
    dep = tmp_path / "dep.csv"
    dep.write_bytes(
        "订单号,手机,下订日期,订金（元）,订单状态\nD1,13800138000,2026/10/3,5000,有效\n".encode(
            "gbk"
        )
    )
    assert main(["clean", str(dep), "--kind", "deposits", "--out", str(tmp_path)]) == 0
    assert "deposits: 1 rows read" in capsys.readouterr().out
    assert pd.read_parquet(tmp_path / "dep_clean.parquet")["status"].tolist() == [
        "active"
    ]
    spend = tmp_path / "spend.csv"
    spend.write_text("区域,月份,费用\n东湖区,2026-10,100\n", encoding="utf-8")
    assert main(["clean", str(spend), "--kind", "spend", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "spend_clean.csv").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope.csv", "--kind", "visits"], r"error: file not found: 'nope\.csv'"),
        (["{empty}", "--kind", "visits"], r"error: .* is empty"),
        # a wrong option is reported before any file is read
        (["{empty}", "--kind", "visits", "--today", "soon"], r"argument --today: "),
        (
            ["{ok}", "--kind", "visits", "--today", "soon"],
            r"argument --today: expected a day as YYYY-MM-DD .*, got 'soon'",
        ),
        (
            ["{ok}", "--kind", "visits", "--encoding", "utf-8"],
            r"cannot be decoded as 'utf-8'",
        ),
    ],
)
def test_clean_command_errors(tmp_path, capsys, args, message):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    ok = tmp_path / "ok.csv"
    ok.write_bytes("来店日期,手机\n2026-10-03,13800138000\n".encode("gbk"))
    args = [a.format(empty=empty, ok=ok) for a in args]
    rc = main(["clean", *args, "--out", str(tmp_path / "out")])
    assert rc == 2
    err = capsys.readouterr().err
    assert err.startswith("pondstats clean: error:")
    import re

    assert re.search(message, err), err


def test_clean_command_needs_kind(tmp_path, capsys):
    assert main(["clean", "x.csv", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(
        "pondstats clean: error: the following arguments are required: --kind"
    )
    assert "see 'pondstats clean --help'" in err
