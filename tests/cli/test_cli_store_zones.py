"""pondstats ingest --kind zones / --column-map; the zone commands reading the store's zones."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import box

from pondstats.cli import main
from pondstats.cli._common import load_store_zones
from pondstats.cli._main import build_parser
from pondstats.io import read_zones
from pondstats.store import Store

TODAY = "2026-11-02"


@pytest.fixture
def files(tmp_path):
    pd.DataFrame(
        {
            "联系电话": ["13800138000", "13900139000", "13700137000"],
            "接待日": ["2026-09-03 10:00", "2026-10-05 11:00", "2026-10-06 12:00"],
            "所属区域": ["东湖区", "东湖区", "西山县"],
            "销售顾问": ["赵六", "赵六", "钱七"],
        }
    ).to_csv(tmp_path / "visits.csv", index=False)
    pd.DataFrame(
        {
            "订单号": ["D1", "D2"],
            "联系电话": ["13800138000", "13900139000"],
            "下订日期": ["2026-10-08", "2026-10-10"],
            "订单状态": ["有效", "有效"],
        }
    ).to_csv(tmp_path / "deposits.csv", index=False)
    (tmp_path / "map.toml").write_text('[visits]\n"接待日" = "visit_date"\n',
                                       encoding="utf-8")  # fmt: skip
    for name, names in (
        ("a", ["东湖区", "西山县"]),
        ("b", ["东湖区", "西山县", "南湖区"]),
    ):
        geoms = [box(114 + i / 10, 30, 114.1 + i / 10, 30.1) for i in range(len(names))]
        gpd.GeoDataFrame({"片区": names, "households": [900 + i for i in
                          range(len(names))]}, geometry=geoms,
                         crs="EPSG:4326").to_file(tmp_path / f"{name}.geojson")  # fmt: skip
    return tmp_path


def _ingest(files, *extra):
    return main(["ingest", *extra, "--store", str(files / "s.duckdb")])


def _store_with_data(files, capsys):
    vis = [str(files / "visits.csv"), "--kind", "visits", "--today", TODAY]
    assert _ingest(files, *vis, "--column-map", str(files / "map.toml")) == 0
    assert _ingest(files, str(files / "deposits.csv"), "--kind", "deposits") == 0
    capsys.readouterr()
    return str(files / "s.duckdb")


def test_ingest_takes_the_column_map(files, capsys):
    vis = [str(files / "visits.csv"), "--kind", "visits", "--today", TODAY]
    assert _ingest(files, *vis) == 2  # 接待日 is no known header
    assert "visit_date" in capsys.readouterr().err
    assert _ingest(files, *vis, "--column-map", str(files / "map.toml")) == 0
    out = capsys.readouterr().out
    assert "读取行数 rows read 3" in out and "新增 new: 3" in out
    with Store(files / "s.duckdb", read_only=True) as s:
        assert s.visits()["visit_date"].dt.day.tolist() == [3, 5, 6]
    assert _ingest(files, *vis, "--column-map", str(files / "none.toml")) == 2
    assert "--column-map" in capsys.readouterr().err


def test_ingest_zones_prints_the_summary_and_is_idempotent(files, capsys):
    zones = [str(files / "a.geojson"), "--kind", "zones", "--key", "片区"]
    assert _ingest(files, *zones) == 0
    out = capsys.readouterr().out
    assert "zones a.geojson: 导入 import 1, 读取行数 rows read 2" in out
    assert "新增 new: 2" in out and "快照 snapshot 1" in out
    assert _ingest(files, *zones) == 0
    assert "already imported (导入 import 1)" in capsys.readouterr().out
    with Store(files / "s.duckdb", read_only=True) as s:
        assert_geodataframe_equal(
            s.zones(), read_zones(files / "a.geojson", key="片区")
        )


def test_ingest_options_that_do_not_fit_the_kind(files, capsys):
    zones = [str(files / "a.geojson"), "--kind", "zones"]
    assert _ingest(files, *zones, "--column-map", str(files / "map.toml")) == 2
    assert "--column-map is for exports" in capsys.readouterr().err
    assert _ingest(files, str(files / "visits.csv"), "--kind", "visits",
                   "--key", "片区") == 2  # fmt: skip
    assert "--key is for --kind zones" in capsys.readouterr().err
    assert _ingest(files, *zones) == 2  # no column 'region'
    err = capsys.readouterr().err
    assert "no column 'region'" in err and "e.g. --key '片区'" in err
    assert "Give it with --key NAME" in err and "key=" not in err
    assert (
        not (files / "s.duckdb").exists()
        or Store(files / "s.duckdb", read_only=True).counts()["imports"] == 0
    )


def test_ingest_bad_zones_files(files, capsys):
    store = _store_with_data(files, capsys)
    with Store(store, read_only=True) as s:
        before = s.counts(), s.imports().to_dict()
    assert _ingest(files, str(files / "deposits.csv"), "--kind", "zones") == 2
    err = capsys.readouterr().err
    assert "looks like a deposits export, not a zones file" in err
    assert "--kind deposits" in err
    assert _ingest(files, str(files / "visits.csv"), "--kind", "zones") == 2
    err = capsys.readouterr().err  # its dates need the column map: no kind found
    assert "'visits.csv' is not a zones file: expected a GeoJSON" in err
    assert _ingest(files, str(files / "a.geojson"), "--kind", "deposits") == 2
    assert "looks like a zones file, not a deposits export" in capsys.readouterr().err
    m = gpd.GeoDataFrame({"region": ["东湖区"]},
                         geometry=[box(500000, 3300000, 510000, 3310000)])  # fmt: skip
    with pytest.warns(UserWarning, match="'crs' was not provided"):
        m.to_file(files / "metres.shp")  # no .prj
    assert _ingest(files, str(files / "metres.shp"), "--kind", "zones") == 2
    err = capsys.readouterr().err
    assert "declares no CRS" in err and "--crs 4547" in err
    with Store(store, read_only=True) as s:
        assert (s.counts(), s.imports().to_dict()) == before
    assert _ingest(files, str(files / "metres.shp"), "--kind", "zones",
                   "--crs", "4547") == 0  # fmt: skip
    with Store(store, read_only=True) as s:
        assert s.zones().crs.to_string() == "EPSG:4326"


def test_zone_commands_read_the_stores_zones(files, capsys):
    store = _store_with_data(files, capsys)
    # no zones in the store yet: map says how to add them
    png = str(files / "m.png")
    assert main(["map", "--store", store, "--out", png]) == 2
    err = capsys.readouterr().err
    assert "holds no zones" in err and "--kind zones" in err
    assert main(["zones", "--store", store, "--month", "2026-10", "--lang", "en"]) == 0
    capsys.readouterr()
    assert _ingest(files, str(files / "a.geojson"), "--kind", "zones",
                   "--key", "片区") == 0  # import 3  # fmt: skip
    assert _ingest(files, str(files / "b.geojson"), "--kind", "zones",
                   "--key", "片区") == 0  # import 4  # fmt: skip
    capsys.readouterr()
    for cmd in (["zones"], ["map", "--out", png], ["report"]):
        args = build_parser().parse_args([*cmd, "--store", store])
        assert len(load_store_zones(args)) == 3
        args = build_parser().parse_args(
            [*cmd, "--store", store, "--as-of-import", "3"]
        )
        assert_geodataframe_equal(
            load_store_zones(args), read_zones(files / "a.geojson", key="片区")
        )
    assert main(["map", "--store", store, "--out", png, "--month", "2026-10"]) == 0
    out = capsys.readouterr().out
    assert "东湖区" in out and (files / "m.png").is_file()
    from pondstats.cli._report import _report_inputs

    args = build_parser().parse_args(["report", "--store", store,
                                      "--as-of-import", "3"])  # fmt: skip
    zones = _report_inputs(args)[2]
    assert zones["region"].tolist() == ["东湖区", "西山县"]
    args = build_parser().parse_args(["report", "--store", store, "--zones",
                                      str(files / "b.geojson")])  # fmt: skip
    with pytest.raises(Exception, match="no column 'region'"):
        _report_inputs(args)  # --zones FILE wins over the store's zones
    args = ["zones", "--store", store, "--as-of-import", "9"]
    assert main(args) == 2
    assert "--as-of-import: no import 9" in capsys.readouterr().err


def test_funnel_inquiries_take_the_column_map(tmp_path, capsys):
    (tmp_path / "inquiries.csv").write_text(
        "线索编号,手机,建档时刻,线索来源\n"
        "L1,13800000001,2026-06-01,汽车之家\nL2,13800000002,2026-06-02,懂车帝\n",
        encoding="utf-8",
    )
    (tmp_path / "visits.csv").write_text(
        "客户姓名,联系电话,来店日期,销售顾问\n张三,13800000001,2026-06-03,王五\n",
        encoding="utf-8",
    )
    (tmp_path / "deposits.csv").write_text(
        "订单号,联系电话,下订日期,订单状态\nD1,13800000001,2026-06-20,有效\n",
        encoding="utf-8",
    )
    (tmp_path / "map.toml").write_text('[inquiries]\n"建档时刻" = "inquiry_date"\n',
                                       encoding="utf-8")  # fmt: skip
    args = ["funnel", "--inquiries", str(tmp_path / "inquiries.csv"),
            "--visits", str(tmp_path / "visits.csv"),
            "--deposits", str(tmp_path / "deposits.csv"), "--as-of", "2026-12-01"]  # fmt: skip
    assert main(args) == 2
    assert "inquiry_date" in capsys.readouterr().err
    assert main([*args, "--column-map", str(tmp_path / "map.toml")]) == 0
    assert "inquiries: 2 rows read, 2 kept" in capsys.readouterr().out
