"""Zones in the history store: ingest, read back as read_zones read them, snapshots."""

from __future__ import annotations

import json

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import box

import pondstats as ps
from pondstats.datasets import sample_dir
from pondstats.errors import DataQualityWarning
from pondstats.io import read_zones
from pondstats.store import SCHEMA_VERSION, Store, StoreError, WrongKindError, _schema

TODAY = "2026-11-02"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        yield s


def _zones_file(path, names, *, shift=0.0, crs="EPSG:4326", **cols):
    geoms = [
        box(114 + i / 10 + shift, 30, 114.1 + i / 10, 30.1) for i in range(len(names))
    ]
    gpd.GeoDataFrame({"片区": names, **cols}, geometry=geoms, crs=crs).to_file(path)
    return path


def _state(store):
    return store.counts(), store.imports().to_dict(), store.snapshot_id


def test_the_sample_zones_come_back_as_read_zones_reads_them(store):
    path = sample_dir() / "zones.geojson"
    s = store.ingest(path, kind="zones")
    assert (s.kind, s.import_id, s.rows_read, s.new, s.updated, s.removed) == (
        "zones", 1, 16, 16, 0, 0,
    )  # fmt: skip
    assert_geodataframe_equal(store.zones(), read_zones(path))
    m = store.imports().iloc[0]
    assert (m["kind"], m["file_name"], m["rows_read"], m["rows_rejected"]) == (
        "zones", "zones.geojson", 16, 0,
    )  # fmt: skip
    assert len(m["sha256"]) == 64
    assert json.loads(m["summary"]) == {"key": "region", "crs": "EPSG:4326",
                                        "removed": []}  # fmt: skip
    assert store.counts()["zones"] == 16


def test_a_geopackage_with_more_columns_keeps_columns_dtypes_and_order(store, tmp_path):
    path = _zones_file(
        tmp_path / "z.gpkg",
        ["东湖区", "西湖区", "青山湖区"],
        households=[1200, 800, 950],
        note=["新店", None, "老店"],
        share=[0.25, np.nan, 1 / 3],
        opened=pd.to_datetime(["2024-01-02", "2025-06-30", None]),
    )
    kw = {"key": "片区", "potential": "households"}
    expected = read_zones(path, **kw)
    assert list(expected.columns) == ["region", "code", "potential", "note", "share",
                                      "opened", "geometry"]  # fmt: skip
    zones = store.ingest(expected, kind="zones")  # a GeoDataFrame read before
    assert zones.new == 3
    assert_geodataframe_equal(store.zones(), expected)
    assert store.zones()["share"].iloc[2] == 1 / 3  # exact, not rounded


def test_a_zones_file_with_its_name_column(store, tmp_path):
    path = _zones_file(tmp_path / "z.geojson", ["东湖区", "西湖区"], households=[5, 7])
    store.ingest(path, kind="zones", key="片区")
    assert_geodataframe_equal(store.zones(), read_zones(path, key="片区"))
    assert store.zones()["region"].tolist() == ["东湖区", "西湖区"]


def test_the_same_zones_file_twice_changes_nothing_and_says_so(store):
    path = sample_dir() / "zones.geojson"
    store.ingest(path, kind="zones")
    before = _state(store)
    again = store.ingest(path, kind="zones")
    assert again.already == 1 and again.import_id is None
    assert "already imported" in str(again)
    assert _state(store) == before


def test_a_newer_zones_import_replaces_the_older_one_as_of_its_snapshot(
    store, tmp_path
):
    a = _zones_file(tmp_path / "a.geojson", ["东湖区", "西湖区", "南湖区"])
    b = _zones_file(tmp_path / "b.geojson", ["东湖区", "西湖区", "北湖区"], shift=0.01)
    with pytest.warns(DataQualityWarning):  # no visits before this export
        store.ingest(pd.DataFrame({"phone": ["13800138000"],
                                   "visit_date": ["2026-09-03"]}),
                     kind="visits", today=TODAY)  # fmt: skip
    assert store.zones() is None
    store.ingest(a, kind="zones", key="片区")  # import 2
    s = store.ingest(b, kind="zones", key="片区")  # import 3
    # 东湖区 keeps its box (shift only moves the left edge of zones 1..):
    # box(114 + 0 + 0.01, ...) differs, so every kept zone changed
    assert (s.new, s.updated, s.unchanged, s.removed) == (1, 2, 0, 1)
    assert "removed (not in the new file): 1" in str(s)
    assert_geodataframe_equal(store.zones(), read_zones(b, key="片区"))
    assert_geodataframe_equal(store.snapshot(2).zones(), read_zones(a, key="片区"))
    assert store.snapshot(1).zones() is None
    assert store.counts()["zones"] == 3
    assert store.snapshot(2).counts()["zones"] == 3
    # the visits are untouched by a zones import
    assert store.visits()["customer_key"].tolist() == ["13800138000"]


def test_a_zones_file_without_changes_after_a_renamed_copy(store, tmp_path):
    a = _zones_file(tmp_path / "a.geojson", ["东湖区", "西湖区"])
    b = _zones_file(tmp_path / "b.geojson", ["东湖区", "西湖区"], potential=[1, 2])
    store.ingest(a, kind="zones", key="片区")
    s = store.ingest(b, kind="zones", key="片区")
    assert (s.new, s.updated, s.unchanged, s.removed) == (0, 2, 0, 0)
    c = _zones_file(tmp_path / "c.geojson", ["东湖区", "西湖区"], potential=[1, 2],
                    extra=["x", "y"])  # fmt: skip
    s = store.ingest(c, kind="zones", key="片区")
    assert (s.new, s.updated, s.unchanged) == (0, 2, 0)
    d = _zones_file(tmp_path / "d.geojson", ["东湖区", "西湖区"], potential=[1, 2],
                    extra=["x", "y"])  # fmt: skip
    d.write_bytes(d.read_bytes() + b"\n")  # other bytes, same zones
    s = store.ingest(d, kind="zones", key="片区")
    assert (s.new, s.updated, s.unchanged) == (0, 0, 2)


# ---------------------------------------------------------------------------
# schema version 2: an older store opens and is migrated
# ---------------------------------------------------------------------------


def _make_v1_store(path):
    """A store as pondstats wrote it before zones (schema version 1)."""
    with Store(path) as s, pytest.warns(DataQualityWarning):
        s.ingest(pd.DataFrame({"phone": ["13800138000"], "visit_date": ["2026-09-03"]}),
                 kind="visits", today=TODAY)  # fmt: skip
    con = duckdb.connect(str(path))
    for name in _schema.ZONE_TABLES:
        con.execute(f"DROP TABLE {name}").fetchall()
    con.execute("ALTER TABLE visits DROP COLUMN lost_reason").fetchall()  # version 3
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'").fetchall()
    con.close()


def test_a_version_1_store_is_migrated_and_keeps_its_data(tmp_path):
    assert SCHEMA_VERSION == 3
    path = tmp_path / "old.duckdb"
    _make_v1_store(path)
    with pytest.raises(StoreError, match="schema version 1; open it once for writing"):
        Store(path, read_only=True)
    with Store(path) as s:
        assert s.visits()["customer_key"].tolist() == ["13800138000"]
        assert s.zones() is None
        s.ingest(sample_dir() / "zones.geojson", kind="zones")
        assert s.snapshot_id == 2 and len(s.zones()) == 16
    con = duckdb.connect(str(path), read_only=True)
    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'")
    assert version.fetchall() == [("3",)]
    con.close()
    with Store(path, read_only=True) as s:  # now it opens for reading too
        assert len(s.zones()) == 16


def test_a_failed_migration_leaves_the_old_store(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    _make_v1_store(path)
    monkeypatch.setattr(
        _schema, "MIGRATIONS", {1: [*_schema.MIGRATIONS[1], "SELECT nope"]}
    )
    with pytest.raises(duckdb.Error):
        Store(path)
    con = duckdb.connect(str(path), read_only=True)
    tables = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
    version = con.execute("SELECT value FROM meta WHERE key = 'schema_version'")
    assert "zones" not in tables and version.fetchall() == [("1",)]
    con.close()


# ---------------------------------------------------------------------------
# bad input: a clear error, the store untouched
# ---------------------------------------------------------------------------


def test_an_export_given_as_zones(store):
    before = _state(store)
    with pytest.raises(
        WrongKindError, match="'visits.csv' looks like a visits export, not a zones"
    ) as err:
        store.ingest(sample_dir() / "visits.csv", kind="zones")
    assert (err.value.found, err.value.asked) == ("visits", "zones")
    assert _state(store) == before


def test_a_zones_file_given_as_an_export(store):
    before = _state(store)
    with pytest.raises(
        WrongKindError, match="'zones.geojson' is a zones file .*kind='zones'"
    ):
        store.ingest(sample_dir() / "zones.geojson", kind="visits")
    assert _state(store) == before


def test_a_file_that_is_no_zones_file_and_no_export(store, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("just some notes\n", encoding="utf-8")
    before = _state(store)
    with pytest.raises(ps.InputError, match="'notes.txt' is not a zones file"):
        store.ingest(path, kind="zones")
    assert _state(store) == before


def test_a_geojson_in_metres(store, tmp_path):
    path = tmp_path / "metres.geojson"
    geoms = [box(500000, 3300000, 510000, 3310000)]
    gdf = gpd.GeoDataFrame({"region": ["东湖区"]}, geometry=geoms, crs="EPSG:4547")
    text = json.loads(gdf.to_json())
    del text["crs"]  # no "crs" member: read as degrees, but the numbers are metres
    path.write_text(json.dumps(text), encoding="utf-8")
    before = _state(store)
    with pytest.raises(
        ps.InputError,
        match="declares no CRS and its coordinates are not degrees.*"
        "The store was not changed",
    ):
        store.ingest(path, kind="zones")
    assert _state(store) == before
    s = store.ingest(path, kind="zones", crs=4547)  # saying what it is works
    assert s.new == 1 and store.zones().crs.to_string() == "EPSG:4326"
    assert_geodataframe_equal(store.zones(), read_zones(path, crs=4547))


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_a_shapefile_without_its_prj(store, tmp_path):
    degrees = _zones_file(tmp_path / "deg.shp", ["东湖区", "西湖区"], crs=None)
    metres = tmp_path / "m.shp"
    gpd.GeoDataFrame({"region": ["东湖区"]},
                     geometry=[box(500000, 3300000, 510000, 3310000)]).to_file(metres)  # fmt: skip
    assert not degrees.with_suffix(".prj").exists()
    before = _state(store)
    with pytest.raises(ps.InputError, match="declares no CRS and its coordinates"):
        store.ingest(metres, kind="zones")
    assert _state(store) == before
    with pytest.warns(DataQualityWarning, match="declares no CRS; .* EPSG:4326"):
        s = store.ingest(degrees, kind="zones", key="片区")
    assert s.new == 2 and store.zones().crs.to_string() == "EPSG:4326"


def test_a_shapefile_is_its_sidecar_files_too(store, tmp_path):
    a = _zones_file(tmp_path / "z.shp", ["东湖区", "西湖区"])
    store.ingest(a, kind="zones", key="片区")
    _zones_file(tmp_path / "z.shp", ["东湖区", "南湖区"])  # new .dbf, same .shp
    s = store.ingest(a, kind="zones", key="片区")
    assert s.already is None and s.new == 1 and s.removed == 1


def test_options_that_do_not_fit_the_kind(store, tmp_path):
    path = sample_dir() / "zones.geojson"
    with pytest.raises(ps.InputError, match="column_map= is for exports .*key="):
        store.ingest(path, kind="zones", column_map={"名称": "region"})
    with pytest.raises(ps.InputError, match="key= is for kind='zones'"):
        store.ingest(sample_dir() / "spend.csv", kind="spend", key="片区")
    with pytest.raises(ps.InputError, match="takes a zones file .* got a DataFrame"):
        store.ingest(pd.DataFrame({"region": ["东湖区"]}), kind="zones")
    with pytest.raises(ps.InputError, match="kind must be one of .*zones"):
        store.ingest(path, kind="zone")
    assert store.counts()["imports"] == 0


def test_a_zones_import_that_fails_part_way_leaves_the_store(store, monkeypatch):
    from pondstats.store import _zones

    store.ingest(sample_dir() / "zones.geojson", kind="zones")
    before = _state(store)
    calls = []

    def fail_second(con, table, df):
        calls.append(table)
        if table == "zone_columns":
            raise RuntimeError("killed")
        return original(con, table, df)

    original = _zones._insert
    monkeypatch.setattr(_zones, "_insert", fail_second)
    path = sample_dir() / "zones.geojson"
    frame = read_zones(path).iloc[:3]
    with pytest.raises(RuntimeError, match="killed"):
        store.ingest(frame, kind="zones")
    assert calls == ["zones", "zone_columns"]
    assert _state(store) == before
    assert len(store.zones()) == 16


# ---------------------------------------------------------------------------
# invariant: whatever the file's other columns hold, they come back as read
# ---------------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8)


@pytest.mark.slow
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    data=st.lists(
        st.tuples(
            st.one_of(st.none(), _text),
            st.floats(allow_infinity=False, width=64) | st.none(),
            st.integers(-(2**62), 2**62),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_any_extra_columns_come_back_as_they_were(tmp_path_factory, data):
    n = len(data)
    gdf = gpd.GeoDataFrame(
        {
            "region": [f"区{i}" for i in range(n)],
            "note": pd.Series([d[0] for d in data], dtype="str"),
            "share": pd.Series([d[1] for d in data], dtype="float64"),
            "count": pd.Series([d[2] for d in data], dtype="int64"),
        },
        geometry=[box(114 + i, 30, 114.5 + i, 30.5) for i in range(n)],
        crs="EPSG:4326",
    )
    expected = ps.prepare_zones(gdf)
    with Store(tmp_path_factory.mktemp("z") / "s.duckdb") as store:
        store.ingest(gdf, kind="zones")
        assert_geodataframe_equal(store.zones(), expected)
        assert store.ingest(gdf, kind="zones").already == 1
