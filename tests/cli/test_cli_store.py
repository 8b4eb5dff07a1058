"""pondstats ingest / forget / export / sample --store, and --store on the data commands."""

from __future__ import annotations

import pandas as pd
import pytest

from pondstats.cli import main
from pondstats.store import Store

TODAY = "2026-11-02"


@pytest.fixture
def exports(tmp_path):
    v = pd.DataFrame(
        {
            "客户姓名": ["张三", "李四", "王五"],
            "联系电话": ["138 0013 8000", "13900139000", "13700137000"],
            "来店日期": ["2026-09-03 10:00", "2026-10-05 11:00", "2026-10-06 12:00"],
            "所属区域": ["东湖区", "东湖区", "西山县"],
            "销售顾问": ["赵六", "赵六", "钱七"],
        }
    )
    d = pd.DataFrame(
        {
            "订单号": ["D1", "D1", "D2"],
            "联系电话": ["13800138000", "13600136000", "13900139000"],
            "下订日期": ["2026-10-08", "2026-10-09", "2026-10-10"],
            "订金（元）": ["5000", "3000", "2000"],
            "订单状态": ["有效", "有效", "退订"],
        }
    )
    v.to_csv(tmp_path / "visits.csv", index=False)
    d.to_csv(tmp_path / "deposits.csv", index=False)
    return tmp_path


def test_ingest_prints_the_summary_and_is_idempotent(exports, capsys):
    store = str(exports / "s.duckdb")
    args = ["ingest", str(exports / "visits.csv"), "--kind", "visits"]
    assert main([*args, "--store", store, "--today", TODAY]) == 0
    out, err = capsys.readouterr()
    assert "导入 import 1, 读取行数 rows read 3" in out and "新增 new: 3" in out
    assert "快照 snapshot 1" in out
    assert "warning: the store held no visits before this export" in err
    assert main([*args, "--store", store, "--today", TODAY]) == 0
    assert "already imported (导入 import 1); 未作改动 nothing changed" in (
        capsys.readouterr().out
    )
    code = main(
        [
            "ingest",
            str(exports / "deposits.csv"),
            "--kind",
            "deposits",
            "--store",
            store,
            "--today",
            TODAY,
        ]  # fmt: skip
    )
    out = capsys.readouterr().out
    assert code == 0 and "冲突 conflicts: 1" in out


def test_ingest_a_file_of_the_wrong_kind_names_the_option(exports, capsys):
    store = str(exports / "s.duckdb")
    code = main(
        ["ingest", str(exports / "deposits.csv"), "--kind", "visits", "--store", store]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert "looks like a deposits export, not a visits export" in err
    assert "--kind deposits" in err


def test_rates_from_the_store_and_as_of_an_import(exports, capsys):
    store = str(exports / "s.duckdb")
    with Store(store) as s, pytest.warns(Warning):
        s.ingest(exports / "visits.csv", kind="visits", today=TODAY)
    with Store(store) as s:
        s.ingest(exports / "deposits.csv", kind="deposits", today=TODAY)
    assert main(["rates", "--store", store, "--month", "2026-10", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "close rates 2026-10" in out
    assert main(["rates", "--store", store, "--as-of-import", "9"]) == 2
    assert "--as-of-import: no import 9" in capsys.readouterr().err
    assert main(["rates", "--store", store, "--visits", "x.csv"]) == 2
    assert "give --store or --visits, not both" in capsys.readouterr().err


def test_rates_from_the_store_under_a_memory_limit(exports, capsys):
    store = str(exports / "s.duckdb")
    with Store(store) as s, pytest.warns(Warning):
        s.ingest(exports / "visits.csv", kind="visits", today=TODAY)
    with Store(store) as s:
        s.ingest(exports / "deposits.csv", kind="deposits", today=TODAY)
    args = ["rates", "--store", store, "--month", "2026-10", "--lang", "en"]
    assert main(args) == 0
    free = capsys.readouterr().out
    assert main([*args, "--memory-limit", "256MB"]) == 0
    assert capsys.readouterr().out == free  # a limit changes memory, not numbers
    assert main([*args, "--memory-limit", "lots"]) == 2
    err = capsys.readouterr().err
    assert "--memory-limit: 'lots' is not a size; give one like 4GB or 512MB" in err
    assert "Traceback" not in err


def test_map_from_the_store_needs_the_zones(exports, capsys):
    store = str(exports / "s.duckdb")
    with Store(store) as s, pytest.warns(Warning):
        s.ingest(exports / "visits.csv", kind="visits", today=TODAY)
    code = main(["map", "--store", store, "--out", str(exports / "m.png")])
    assert code == 2
    err = capsys.readouterr().err
    assert "holds no zones: give --zones FILE (the zone polygons)" in err
    assert f"'pondstats ingest FILE --kind zones --store {store}'" in err


def test_a_file_that_is_not_a_store(exports, capsys):
    bad = exports / "visits.csv"
    assert main(["rates", "--store", str(bad)]) == 2
    assert "is not a pondstats store" in capsys.readouterr().err


def test_forget_and_export(exports, capsys):
    store = str(exports / "s.duckdb")
    with Store(store) as s, pytest.warns(Warning):
        s.ingest(exports / "visits.csv", kind="visits", today=TODAY)
    assert main(["forget", "--phone", "138-0013-8000", "--store", store]) == 0
    assert "removed from" in capsys.readouterr().out
    with Store(store, read_only=True) as s:
        assert "13800138000" not in set(s.visits()["customer_key"])
    assert main(["forget", "--phone", "x", "--store", store]) == 2
    assert "--phone 'x' is not a phone number" in capsys.readouterr().err
    assert main(["export", "--store", store, "--parquet", str(exports / "pq")]) == 0
    assert (exports / "pq" / "visits" / "month=2026-10").is_dir()


@pytest.mark.slow
def test_sample_store_then_report_footer_names_the_snapshot(tmp_path, capsys):
    store = str(tmp_path / "s.duckdb")
    assert main(["sample", "--store", store]) == 0
    out = capsys.readouterr().out
    assert "from 24 monthly exports" in out and "31562 visits, 3324 deposits" in out
    assert "spend and zones.geojson" in out and "16 zones, snapshot 73" in out
    with Store(
        store, read_only=True
    ) as s:  # import 1: the zones, as read_zones reads them
        from geopandas.testing import assert_geodataframe_equal

        from pondstats.datasets import sample_dir
        from pondstats.io import read_zones

        assert s.imports()["kind"].iloc[0] == "zones"
        assert_geodataframe_equal(s.zones(), read_zones(sample_dir() / "zones.geojson"))
    assert main(["rates", "--store", store, "--month", "2026-10", "--lang", "en"]) == 0
    assert "close rates 2026-10" in capsys.readouterr().out
    with Store(store, read_only=True) as s:
        oct_ = s.visits(months="2026-10", columns=["visit_no"])
        assert int((oct_["visit_no"] == 1).sum()) == 1172
    out = tmp_path / "plan.csv"
    code = main(["budget", "--store", store, "--total", "600000", "--out", str(out),
                 "--draws", "4"])  # fmt: skip
    assert code == 0 and out.is_file()
    # the report reads the store and names the snapshot in its footer
    from pondstats.cli._main import build_parser
    from pondstats.cli._report import _report_inputs

    args = build_parser().parse_args(
        ["report", "--store", store, "--as-of-import", "40"]
    )
    visits, deposits, zones, spend, note = _report_inputs(args)
    assert note.endswith("snapshot 40")
    assert len(zones) == 16  # the store's zones (import 1), no --zones needed
    assert visits["visit_date"].max() < pd.Timestamp("2026-10-01")


@pytest.mark.slow
def test_a_report_from_a_snapshot_is_the_same_bytes_after_later_imports(tmp_path):
    import warnings

    import pondstats as ps
    from pondstats.datasets import monthly_exports, sample_dir

    d = sample_dir()
    parts = [
        monthly_exports(ps.read_visits(d / "visits.csv"), "visits", until="2026-10"),
        monthly_exports(
            ps.read_deposits(d / "deposits.xlsx"), "deposits", until="2026-10"
        ),
    ]
    store = str(tmp_path / "s.duckdb")
    with Store(store) as s, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for k in range(23):  # up to September
            for kind, p in zip(("visits", "deposits"), parts, strict=True):
                s.ingest(p[k][1], kind=kind, today=TODAY)
        n = s.snapshot_id
    args = ["report", "--store", store, "--as-of-import", str(n), "--month", "2026-09"]
    assert main([*args, "--out", str(tmp_path / "a")]) == 0
    with Store(store) as s:
        for kind, p in zip(("visits", "deposits"), parts, strict=True):
            s.ingest(p[23][1], kind=kind, today=TODAY)
    assert main([*args, "--out", str(tmp_path / "b")]) == 0
    a = sorted((tmp_path / "a").glob("*.pdf"))
    b = sorted((tmp_path / "b").glob("*.pdf"))
    assert a and [p.name for p in a] == [p.name for p in b]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b, strict=True))


def test_report_from_the_store_reads_the_spend_file_through_the_column_map(exports):
    import argparse

    from pondstats.cli._report import _store_report_inputs

    store = str(exports / "s.duckdb")
    with Store(store) as s, pytest.warns(Warning):
        s.ingest(exports / "visits.csv", kind="visits", today=TODAY)
    pd.DataFrame(
        {
            "片区名": ["东湖区", "西山县"],
            "期间": ["2026-10", "2026-10"],
            "费用": [5000, 2000],
        }
    ).to_csv(exports / "spend.csv", index=False)
    (exports / "map.toml").write_text(
        '[spend]\n"片区名" = "region"\n"期间" = "month"\n"费用" = "spend"\n',
        encoding="utf-8",
    )
    args = argparse.Namespace(
        store=store,
        as_of_import=None,
        memory_limit=None,
        visits=None,
        deposits=None,
        zones=None,
        spend=str(exports / "spend.csv"),
        column_map=str(exports / "map.toml"),
    )
    *_, spend, _ = _store_report_inputs(args)
    got = dict(zip(spend["region"], spend["spend"], strict=True))
    assert got == {"东湖区": 5000.0, "西山县": 2000.0}
