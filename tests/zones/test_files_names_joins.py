"""zones.py: reading zone files, matching names, assigning regions to points."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, box
from zone_helpers import GRID_NAMES, grid_zones

from pondstats.errors import DataQualityWarning, InputError
from pondstats.zones import (
    assign_regions,
    match_zones,
    prepare_zones,
    read_zones,
    region_key,
)

# ---------------------------------------------------------------------------
# read_zones / prepare_zones
# ---------------------------------------------------------------------------


def _file_zones() -> gpd.GeoDataFrame:
    """Zones as a GIS file has them: Chinese column names, no code/potential."""
    g = grid_zones()
    return gpd.GeoDataFrame(
        {
            "片区": [" 东湖 ", "西湖区", "南湖区", "北湖区"],
            "户数": [1000, 2000, 3000, 4000],
        },
        geometry=g.geometry,
        crs="EPSG:4326",
    )


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".shp"])
def test_read_zones_formats(tmp_path, suffix):
    path = tmp_path / f"zones{suffix}"
    _file_zones().to_file(path, engine="pyogrio")
    z = read_zones(path, key="片区", potential="户数")
    assert list(z.columns[:3]) == ["region", "code", "potential"]
    assert z.geometry.name == "geometry"
    assert z.crs.to_epsg() == 4326
    assert z["region"].tolist() == ["东湖", "西湖区", "南湖区", "北湖区"]  # stripped
    assert z["code"].tolist() == ["Z01", "Z02", "Z03", "Z04"]
    assert z["potential"].tolist() == [1000.0, 2000.0, 3000.0, 4000.0]
    assert z.geometry.iloc[0].equals_exact(box(114.0, 30.0, 114.1, 30.1), 1e-9) or (
        z.geometry.iloc[0].symmetric_difference(box(114.0, 30.0, 114.1, 30.1)).area
        < 1e-12
    )


def test_read_zones_gbk_shapefile_without_cpg(tmp_path):
    path = tmp_path / "gbk.shp"
    _file_zones().to_file(path, encoding="GBK")
    path.with_suffix(".cpg").unlink()
    z = read_zones(path, key="片区")
    assert z["region"].tolist() == ["东湖", "西湖区", "南湖区", "北湖区"]
    z2 = read_zones(path, key="片区", encoding="gbk")
    assert z2["region"].tolist() == z["region"].tolist()


def test_read_zones_reprojects_to_4326(tmp_path):
    path = tmp_path / "zones_3857.gpkg"
    _file_zones().to_crs(3857).to_file(path)
    z = read_zones(path, key="片区")
    assert z.crs.to_epsg() == 4326
    np.testing.assert_allclose(z.total_bounds, [114.0, 30.0, 114.2, 30.2], atol=1e-6)


def test_read_zones_without_crs_in_degrees_warns(tmp_path):
    path = tmp_path / "zones.shp"
    _file_zones().to_file(path)
    path.with_suffix(".prj").unlink()
    with pytest.warns(
        DataQualityWarning, match="declares no CRS; its coordinates look like"
    ):
        z = read_zones(path, key="片区")
    assert z.crs.to_epsg() == 4326


def test_read_zones_without_crs_projected_is_an_error(tmp_path):
    path = tmp_path / "zones.shp"
    _file_zones().to_crs(3857).to_file(path)
    path.with_suffix(".prj").unlink()
    with pytest.raises(
        InputError, match=r"declares no CRS and its coordinates are not degrees"
    ):
        read_zones(path, key="片区")
    z = read_zones(path, key="片区", crs=3857)
    np.testing.assert_allclose(z.total_bounds, [114.0, 30.0, 114.2, 30.2], atol=1e-6)


def test_read_zones_missing_file(tmp_path):
    with pytest.raises(InputError, match="zones file not found"):
        read_zones(tmp_path / "nope.geojson")


def test_read_zones_unreadable_file(tmp_path):
    path = tmp_path / "zones.geojson"
    path.write_text("this is not geojson", encoding="utf-8")
    with pytest.raises(InputError, match="could not read zones file"):
        read_zones(path)


def test_missing_key_lists_columns_and_suggests_chinese_one():
    with pytest.raises(InputError, match=r"no column 'region'.*key='片区'"):
        prepare_zones(_file_zones())


def test_existing_region_column_is_kept_aside():
    g = _file_zones().assign(region=["East China"] * 4)
    z = prepare_zones(g, key="片区")
    assert z["region"].iloc[1] == "西湖区"
    assert z["region_file"].tolist() == ["East China"] * 4


def test_duplicated_names_are_an_error():
    g = _file_zones()
    g["片区"] = ["东湖区", "东湖区", "南湖区", "北湖区"]
    with pytest.raises(
        InputError, match=r"zone names repeat in column '片区': \['东湖区'\]"
    ):
        prepare_zones(g, key="片区")


def test_missing_names_are_an_error():
    g = _file_zones()
    g["片区"] = ["东湖区", None, "南湖区", "北湖区"]
    with pytest.raises(InputError, match=r"1 of 4 features have no name.*\[1\]"):
        prepare_zones(g, key="片区")


def test_missing_geometry_is_an_error():
    g = _file_zones()
    g.loc[2, "geometry"] = None
    with pytest.raises(InputError, match=r"zones without a geometry: \['南湖区'\]"):
        prepare_zones(g, key="片区")


def test_points_are_not_zones():
    g = gpd.GeoDataFrame(
        {"region": ["a", "b"]}, geometry=[Point(0, 0), Point(1, 1)], crs=4326
    )
    with pytest.raises(InputError, match="expected Polygon or MultiPolygon"):
        prepare_zones(g)


def test_not_a_geodataframe():
    with pytest.raises(InputError, match="zones must be a GeoDataFrame"):
        prepare_zones(pd.DataFrame({"region": ["a"]}))


def test_bad_potential_warns_and_is_left_empty():
    g = _file_zones().assign(户数=["1000", "很多", "3000", None])
    with pytest.warns(
        DataQualityWarning, match="1 zones have a '户数' that is not a number"
    ):
        z = prepare_zones(g, key="片区", potential="户数")
    assert z["potential"].iloc[[0, 2]].tolist() == [1000.0, 3000.0]
    assert z["potential"].iloc[[1, 3]].isna().all()


def test_invalid_polygon_is_made_valid():
    bowtie = gpd.GeoSeries.from_wkt(["POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))"])
    g = gpd.GeoDataFrame({"region": ["蝴蝶区"]}, geometry=bowtie, crs=4326)
    z = prepare_zones(g)
    assert z.geometry.is_valid.all()
    assert z.geometry.iloc[0].area == pytest.approx(0.5)


def test_prepare_zones_does_not_mutate():
    g = _file_zones()
    before = g.copy()
    prepare_zones(g, key="片区", potential="户数", aliases={"东湖": "东湖区"})
    pd.testing.assert_frame_equal(pd.DataFrame(g), pd.DataFrame(before))


def test_aliases_rename_zone_names():
    z = prepare_zones(_file_zones(), key="片区", aliases={"东湖": "东湖区"})
    assert z["region"].iloc[0] == "东湖区"


# ---------------------------------------------------------------------------
# names
# ---------------------------------------------------------------------------


def test_region_key_examples():
    names = pd.Series(
        [
            "东湖区",
            "东湖",
            "东湖片区",
            "内蒙古自治区",
            "内蒙古",
            "沛县",
            "浦东新区",
            None,
        ]
    )
    assert region_key(names).tolist()[:7] == [
        "东湖",
        "东湖",
        "东湖",
        "内蒙古",
        "内蒙古",
        "沛县",
        "浦东",
    ]
    assert pd.isna(region_key(names).iloc[7])


_FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@given(st.text(alphabet="东西南北湖江山城关新ABCxyz129", min_size=1, max_size=6))
def test_region_key_ignores_width_case_and_spaces(name):
    variant = "  " + "".join(_FULLWIDTH.get(ch, ch) for ch in name.upper()) + " "
    assert (
        region_key(pd.Series([variant])).iloc[0]
        == region_key(pd.Series([name])).iloc[0]
    )


def test_match_zones_normalises_and_reports_both_sides():
    z = grid_zones(["东湖", "西湖区", "南湖片区", "北湖区"])
    m = match_zones(z, pd.Series(["东湖区", "西湖区", "南湖区", "中湖区", None]))
    assert m.zones["region"].tolist() == ["东湖区", "西湖区", "南湖区", "北湖区"]
    assert m.zones["zone_name"].tolist() == ["东湖", "西湖区", "南湖片区", "北湖区"]
    assert m.unmatched_zones == ("北湖区",)
    assert m.unmatched_regions == ("中湖区",)
    assert not m.complete
    assert sorted(m.pairs["how"]) == ["exact", "normalised", "normalised"]
    text = str(m)
    assert "1 zones on the map have no data: 北湖区" in text
    assert "1 regions in the data are not on the map: 中湖区" in text


def test_match_zones_accepts_a_frame_and_aliases():
    z = grid_zones()
    data = pd.DataFrame({"region": ["老东湖", "西湖区", "南湖区", "北湖区"]})
    m = match_zones(z, data, aliases={"老东湖": "东湖区"})
    assert m.complete
    assert m.zones["region"].tolist() == ["老东湖", "西湖区", "南湖区", "北湖区"]


def test_match_zones_ambiguous_key_is_left_unmatched():
    z = grid_zones(["东湖区", "东湖县", "南湖区", "北湖区"])
    m = match_zones(z, ["东湖", "南湖区"])
    assert m.unmatched_regions == ("东湖",)
    assert set(m.unmatched_zones) == {"东湖区", "东湖县", "北湖区"}


def test_no_match_at_all_lists_both_sides():
    z = grid_zones()
    with pytest.raises(
        InputError,
        match=r"do not match.*Zones \(4\): 东湖区, 西湖区.*Regions in the data \(2\): Gansu, Hubei",
    ):
        match_zones(z, ["Gansu", "Hubei"])


def test_match_zones_does_not_mutate():
    z = grid_zones(["东湖", "西湖区", "南湖区", "北湖区"])
    before = z.copy()
    match_zones(z, GRID_NAMES)
    pd.testing.assert_frame_equal(pd.DataFrame(z), pd.DataFrame(before))


# ---------------------------------------------------------------------------
# assign_regions
# ---------------------------------------------------------------------------


def _visits() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "visit_id": [f"V{i}" for i in range(8)],
            "region": ["西湖区", None, None, None, None, None, None, None],
            "lat": [30.05, 30.05, 30.15, 30.10, 31.00, np.nan, 0.0, 30.15],
            "lon": [114.05, 114.15, 114.05, 114.10, 114.00, 114.05, 0.0, 114.15],
        }
    ).astype({"region": "str"})


def test_assign_regions_fills_missing_and_counts_the_rest():
    v = _visits()
    before = v.copy()
    z = grid_zones()
    with pytest.warns(
        DataQualityWarning,
        match=r"3 of 7 visits without a region got none: 1 lie outside",
    ):
        out = assign_regions(v, z)
    pd.testing.assert_frame_equal(v, before)  # input unchanged
    assert len(out) == len(v)  # never drops rows
    # independent check with shapely, zone by zone
    expected = []
    for lat, lon, reg in zip(v["lat"], v["lon"], v["region"], strict=True):
        if isinstance(reg, str):
            expected.append(reg)
            continue
        hits = [
            n
            for n, g in zip(z["region"], z.geometry, strict=True)
            if g.intersects(Point(lon, lat))
        ]
        expected.append(hits[0] if hits and not (lat == 0 and lon == 0) else None)
    got = [r if isinstance(r, str) else None for r in out["region"]]
    assert got == expected
    assert (
        got[0] == "西湖区"
    )  # an existing region is kept although the point is in 东湖区
    assert got[3] == "东湖区"  # the corner shared by four zones: the first zone
    summary = out.attrs["pondstats"]["assign_regions"]
    assert summary == {
        "to_assign": 7,
        "assigned": 4,
        "outside": 1,
        "no_coordinates": 1,
        "impossible_coordinates": 1,
        "inside_if_swapped": 0,
    }


def test_assign_regions_overwrite():
    v = _visits().iloc[[0]]
    out = assign_regions(v, grid_zones(), overwrite=True)
    assert out["region"].tolist() == ["东湖区"]


def test_assign_regions_hints_at_swapped_coordinates():
    v = pd.DataFrame(
        {"region": [None, None], "lat": [114.05, 30.05], "lon": [30.05, 114.05]}
    )
    with pytest.warns(
        DataQualityWarning, match="1 of them fall in a zone with lat and lon swapped"
    ):
        out = assign_regions(v, grid_zones())
    assert out["region"].isna().tolist() == [True, False]


def test_assign_regions_needs_coordinates():
    with pytest.raises(
        InputError, match=r"needs 'lat' and 'lon' columns.*missing \['lon'\]"
    ):
        assign_regions(pd.DataFrame({"lat": [30.0]}), grid_zones())


def test_assign_regions_without_region_column():
    v = pd.DataFrame({"lat": [30.05], "lon": [114.15]})
    assert assign_regions(v, grid_zones())["region"].tolist() == ["西湖区"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.floats(29.9, 30.3), st.just(np.nan), st.just(0.0), st.just(120.0)
            ),
            st.one_of(st.floats(113.9, 114.3), st.just(np.nan), st.just(0.0)),
            st.sampled_from([None, "西湖区"]),
        ),
        max_size=30,
    )
)
def test_assign_regions_accounts_for_every_row(rows):
    v = pd.DataFrame(rows, columns=["lat", "lon", "region"]).astype({"region": "str"})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        out = assign_regions(v, grid_zones())
    s = out.attrs["pondstats"]["assign_regions"]
    assert len(out) == len(v)
    assert s["to_assign"] == int(v["region"].isna().sum())
    assert (
        s["assigned"] + s["outside"] + s["no_coordinates"] + s["impossible_coordinates"]
        == s["to_assign"]
    )
    assert int(out["region"].isna().sum()) == s["to_assign"] - s["assigned"]
    kept = v["region"].notna()
    assert (out.loc[kept, "region"] == v.loc[kept, "region"]).all()
