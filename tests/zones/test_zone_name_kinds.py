"""Zone names that share a core but name different places are never merged."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import box

import pondstats as ps
from pondstats.clean import normalize_region
from pondstats.zones import match_zones


def test_county_and_city_with_one_core_stay_two_zones():
    s = pd.Series(["长沙县", "长沙市", "长沙县", "朝阳区", "朝阳县", "长沙"])
    assert normalize_region(s).tolist() == [
        "长沙县",
        "长沙市",
        "长沙县",
        "朝阳区",
        "朝阳县",
        "长沙",
    ]


def test_bare_name_joins_its_one_full_name():
    s = pd.Series(["东湖", "东湖区", "东湖片区", "西山", "西山县"])
    out = normalize_region(s).tolist()
    assert out[3:] == ["西山县", "西山县"]
    assert len(set(out[:3])) == 1 and out[0] in ("东湖区", "东湖片区")


def test_cleaning_keeps_both_zones_and_their_counts():
    raw = pd.DataFrame({
        "phone": [f"1380013800{i}" for i in range(5)],
        "visit_date": ["2026-10-03"] * 5,
        "region": ["长沙县", "长沙市", "长沙市", "朝阳区", "朝阳县"],
    })  # fmt: skip
    res = ps.clean_visits(raw, today="2026-12-01")
    assert res.data["region"].value_counts().to_dict() == {
        "长沙市": 2, "长沙县": 1, "朝阳区": 1, "朝阳县": 1
    }  # fmt: skip
    s = res.summary
    assert s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged


def _zones(names):
    return gpd.GeoDataFrame(
        {"region": names},
        geometry=[box(i, 0, i + 1, 1) for i in range(len(names))],
        crs=4326,
    )


def test_match_zones_never_pairs_different_kinds_of_place():
    m = match_zones(
        _zones(["长沙县", "朝阳区", "东湖"]), ["长沙市", "朝阳县", "东湖区"]
    )
    assert m.pairs["zone_name"].tolist() == ["东湖"]
    assert m.unmatched_zones == ("长沙县", "朝阳区")
    assert m.unmatched_regions == ("长沙市", "朝阳县")


def test_match_zones_with_both_names_on_both_sides_is_exact():
    m = match_zones(_zones(["长沙县", "长沙市"]), ["长沙市", "长沙县"])
    assert dict(zip(m.pairs["zone_name"], m.pairs["region"], strict=True)) == {
        "长沙县": "长沙县", "长沙市": "长沙市"
    }  # fmt: skip
    assert set(m.pairs["how"]) == {"exact"}


def test_bare_map_name_with_two_full_data_names_is_left_unmatched():
    m = match_zones(_zones(["长沙", "东湖"]), ["长沙县", "长沙市", "东湖区"])
    assert m.unmatched_zones == ("长沙",)
    assert set(m.unmatched_regions) == {"长沙县", "长沙市"}
