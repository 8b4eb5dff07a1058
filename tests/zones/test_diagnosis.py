"""diagnosis.py: periods, rates on zones, traffic vs conversion, weak clusters."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box
from zone_helpers import grid_zones, make_rates

from pondstats.errors import DataQualityWarning, InputError
from pondstats.schema import Benchmark
from pondstats.zones._diagnosis import (
    ACTIONS,
    diagnose_zones,
    select_period,
    weak_clusters,
    zone_rates,
)

# four zones built so that each problem occurs once (potential 10k, 20k, 10k, 5k):
#   东湖区 300 A / 10k households -> 30 per 1000; 15 C (5%) weak  -> conversion
#   西湖区 200 A / 20k -> 10 per 1000 (thin);  10 C weak          -> both
#   南湖区 100 A / 10k -> 10 per 1000 (thin);  14 C on track       -> traffic
#   北湖区 120 A /  5k -> 24 per 1000;          18 C on track       -> none
ROWS = [
    ("东湖区", 300, 15, "weak"),
    ("西湖区", 200, 10, "weak"),
    ("南湖区", 100, 14, "on_track"),
    ("北湖区", 120, 18, "on_track"),
]


def test_select_period():
    r = pd.concat(
        [make_rates(ROWS, period="2026-09"), make_rates(ROWS, period="2026-10")]
    )
    sub, label = select_period(r, "2026-10")
    assert label == "2026-10" and len(sub) == 4
    assert (sub["period"] == pd.Period("2026-10", "M")).all()
    one, label = select_period(make_rates(ROWS, period="2026-10"))
    assert label == "2026-10" and len(one) == 4
    whole, label = select_period(make_rates(ROWS))
    assert label == "全部 all"
    r2 = make_rates(ROWS)
    r2.attrs["period_label"] = "2024-11..2026-10"
    assert select_period(r2)[1] == "2024-11..2026-10"


def test_multi_period_table_needs_a_period():
    r = pd.concat(
        [make_rates(ROWS, period="2026-09"), make_rates(ROWS, period="2026-10")]
    )
    with pytest.raises(
        InputError, match=r"has 2 periods \(2026-09, 2026-10\); choose one with period="
    ):
        diagnose_zones(r)
    with pytest.raises(InputError, match=r"period 2025-01 is not in the rates table"):
        select_period(r, "2025-01")
    with pytest.raises(
        InputError, match=r"period: expected a month as YYYY-MM .*, got 'soon'"
    ):
        select_period(r, "soon")


def test_diagnose_with_potential_by_hand():
    r = make_rates(ROWS)
    before = r.copy()
    d = diagnose_zones(r, grid_zones())
    pd.testing.assert_frame_equal(r, before)
    # by hand: traffic per 1000 households = 30, 10, 10, 24; median 17
    np.testing.assert_allclose(d["traffic"], [30.0, 10.0, 10.0, 24.0])
    np.testing.assert_allclose(d["traffic_index"], np.array([30, 10, 10, 24]) / 17.0)
    assert d["traffic_weak"].tolist() == [False, True, True, False]
    assert d["conversion_weak"].tolist() == [True, True, False, False]
    assert d["problem"].tolist() == ["conversion", "both", "traffic", "none"]
    assert d["action_zh"].tolist() == [
        "提升转化",
        "引流+提升转化",
        "引流",
        "无明显问题",
    ]
    assert d["action_en"].tolist() == [
        "fix conversion",
        "grow traffic + fix conversion",
        "grow traffic",
        "no clear problem",
    ]
    assert (d["traffic_basis"] == "a_cards per 1000 potential").all()
    np.testing.assert_allclose(d["conversion_index"], r["shrunk_rate"] / 0.13)
    assert d["period"].eq("全部 all").all()


def test_diagnose_without_zones_is_relative():
    d = diagnose_zones(make_rates(ROWS))
    # A-cards 300, 200, 100, 120: median 160
    np.testing.assert_allclose(
        d["traffic_index"], np.array([300, 200, 100, 120]) / 160.0
    )
    # 120 / 160 = 0.75 exactly: at the threshold is not below it
    assert d["traffic_weak"].tolist() == [False, False, True, False]
    assert d["problem"].tolist() == ["conversion", "conversion", "traffic", "none"]
    assert (d["traffic_basis"] == "a_cards relative").all()


def test_zone_without_data_has_no_traffic():
    d = diagnose_zones(make_rates(ROWS[:3]), grid_zones())
    row = d.set_index("region").loc["北湖区"]
    assert row["a_cards"] == 0 and row["status"] == "too_few"
    assert row["problem"] == "traffic" and not row["conversion_judged"]


def test_regions_off_the_map_stay_in_the_diagnosis():
    r = make_rates([*ROWS, ("中湖区", 500, 20, "weak")])
    with pytest.warns(DataQualityWarning, match="on no zone of the map.*中湖区"):
        d = diagnose_zones(r, grid_zones())
    assert d["region"].tolist() == ["东湖区", "西湖区", "南湖区", "北湖区", "中湖区"]
    assert d["on_map"].tolist() == [True, True, True, True, False]
    row = d.set_index("region").loc["中湖区"]
    assert np.isnan(row["traffic_index"]) and not row["traffic_weak"]
    assert row["problem"] == "conversion"
    # the four zones on the map are judged exactly as without the extra region
    np.testing.assert_allclose(
        d["traffic_index"].iloc[:4], np.array([30, 10, 10, 24]) / 17.0
    )


def test_partial_potential_warns_and_falls_back():
    z = grid_zones(potential=(10_000, np.nan, 10_000, 5_000))
    with pytest.warns(
        DataQualityWarning, match=r"1 zones have no positive potential \(\['西湖区'\]\)"
    ):
        d = diagnose_zones(make_rates(ROWS), z)
    assert (d["traffic_basis"] == "a_cards relative").all()


def test_too_few_is_not_judged_on_conversion():
    rows = [*ROWS[:3], ("北湖区", 4, 0, "too_few")]
    d = diagnose_zones(make_rates(rows))
    row = d.set_index("region").loc["北湖区"]
    assert not row["conversion_judged"] and not row["conversion_weak"]
    assert row["problem"] == "traffic"  # 4 A-cards: thin traffic all the same
    rows = [*ROWS[:3], ("北湖区", 150, 1, "too_few")]
    row = diagnose_zones(make_rates(rows)).set_index("region").loc["北湖区"]
    assert row["problem"] == "none"
    assert (row["action_zh"], row["action_en"]) == (
        "观察(样本不足)",
        "watch: too few to judge",
    )


def test_diagnose_errors():
    with pytest.raises(InputError, match=r"rates has no column\(s\) \['status'\]"):
        diagnose_zones(make_rates(ROWS).drop(columns="status"))
    r = pd.concat([make_rates(ROWS), make_rates(ROWS)])
    with pytest.raises(InputError, match="expected one row per region"):
        diagnose_zones(r)
    with pytest.raises(InputError, match="traffic_low must be in"):
        diagnose_zones(make_rates(ROWS), traffic_low=1.5)


def test_actions_cover_every_problem():
    assert set(ACTIONS) == {"traffic", "conversion", "both", "none"}
    assert all(set(v) == {"zh", "en"} for v in ACTIONS.values())


def test_zone_rates_keeps_every_zone_and_warns_about_regions_off_the_map():
    r = make_rates([*ROWS[:3], ("中湖区", 50, 5, "on_track")])
    with pytest.warns(
        DataQualityWarning,
        match="1 regions of the data are on no zone of the map.*中湖区",
    ):
        zr = zone_rates(grid_zones(), r)
    assert zr["region"].tolist() == ["东湖区", "西湖区", "南湖区", "北湖区"]
    assert zr["has_data"].tolist() == [True, True, True, False]
    assert isinstance(zr, gpd.GeoDataFrame)


def test_benchmark_changes_the_index():
    d = diagnose_zones(
        make_rates(ROWS), benchmark=Benchmark(target=0.10, low=0.05, high=0.2)
    )
    np.testing.assert_allclose(
        d["conversion_index"], make_rates(ROWS)["shrunk_rate"] / 0.10
    )


# ---------------------------------------------------------------------------
# weak clusters
# ---------------------------------------------------------------------------


def _grid16():
    names = [f"Z{i}{j}" for i in range(4) for j in range(4)]
    geoms = [box(i, j, i + 1, j + 1) for i in range(4) for j in range(4)]
    return gpd.GeoDataFrame({"region": names}, geometry=geoms, crs=4326)


def test_weak_cluster_is_found():
    z = _grid16()
    rate = [0.05 if (i < 2 and j < 2) else 0.15 for i in range(4) for j in range(4)]
    r = pd.DataFrame({"region": z["region"], "shrunk_rate": rate})
    c = weak_clusters(z, r, alpha=0.2, random_state=1)
    assert sorted(c.loc[c["cluster"] == "weak", "region"]) == [
        "Z00",
        "Z01",
        "Z10",
        "Z11",
    ]
    assert (c.loc[c["cluster"] == "weak", "quadrant"] == "LL").all()


def test_checkerboard_has_no_weak_cluster():
    z = _grid16()
    rate = [0.05 if (i + j) % 2 else 0.15 for i in range(4) for j in range(4)]
    r = pd.DataFrame({"region": z["region"], "shrunk_rate": rate})
    c = weak_clusters(z, r, alpha=0.2)
    assert not (c["cluster"] == "weak").any()
    assert set(c["quadrant"].dropna()) <= {"HL", "LH", "HH", "LL"}


def test_clusters_skip_zones_without_data():
    z = _grid16()
    r = pd.DataFrame(
        {"region": z["region"][:-1], "shrunk_rate": np.linspace(0.05, 0.2, 15)}
    )
    c = weak_clusters(z, r)
    assert pd.isna(c["cluster"].iloc[-1]) and np.isnan(c["p_sim"].iloc[-1])
