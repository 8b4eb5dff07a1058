"""plot_zone_map, plot_quadrant, explore_zones: what is drawn."""

from __future__ import annotations

import io
import json
import sys
import warnings

import geopandas as gpd
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import TwoSlopeNorm, to_rgba
from matplotlib.text import Text
from zone_helpers import grid_zones, make_rates

import pondstats as ps
from pondstats.errors import InputError
from pondstats.plotting._common import STATUS_COLORS
from pondstats.plotting._maps import CLUSTER_COLOR, NO_DATA_COLOR, TOO_FEW_WASH
from pondstats.plotting._quadrant import PROBLEM_COLORS

# 东湖区 5% weak, 西湖区 13% on track, 南湖区 too few (2 of 8), 北湖区 no row at all
ROWS = [
    ("东湖区", 400, 20, "weak"),
    ("西湖区", 300, 39, "on_track"),
    ("南湖区", 8, 2, "too_few"),
]


def _patch(ax, gid):
    found = [p for p in ax.patches if p.get_gid() == gid]
    assert len(found) == 1, (
        f"no single patch {gid}: {[p.get_gid() for p in ax.patches]}"
    )
    return found[0]


def _text(ax, gid):
    found = [t for t in ax.texts if t.get_gid() == gid]
    assert len(found) == 1
    return found[0].get_text()


def _expected_rate_colour(rate, wash=0.0):
    norm = TwoSlopeNorm(vcenter=0.13, vmin=0.0, vmax=0.26)  # computed by hand
    r, g, b, _ = mpl.colormaps["RdYlGn"](norm(rate))
    return (r + (1 - r) * wash, g + (1 - g) * wash, b + (1 - b) * wash, 1.0)


def test_zone_colours_on_the_diverging_scale():
    ax = ps.plot_zone_map(grid_zones(), make_rates(ROWS))
    east = _patch(ax, "zone:东湖区").get_facecolor()
    west = _patch(ax, "zone:西湖区").get_facecolor()
    np.testing.assert_allclose(east, _expected_rate_colour(0.05), atol=1e-2)
    np.testing.assert_allclose(west, _expected_rate_colour(0.13), atol=1e-2)
    # 5% is red, 13% is the pale centre of the scale
    assert east[0] > 0.8 and east[1] < 0.5
    assert min(west[:3]) > 0.7


def test_too_few_is_hatched_and_pale():
    ax = ps.plot_zone_map(grid_zones(), make_rates(ROWS))
    hatched = [p.get_gid() for p in ax.patches if p.get_hatch()]
    assert hatched == ["too_few:南湖区"]
    face = _patch(ax, "zone:南湖区").get_facecolor()
    np.testing.assert_allclose(
        face, _expected_rate_colour(0.25, wash=TOO_FEW_WASH), atol=1e-2
    )
    assert _text(ax, "label:南湖区") == "南湖区\n25.0% (A=8)"


def test_min_a_cards_decides_hatching():
    ax = ps.plot_zone_map(grid_zones(), make_rates(ROWS), min_a_cards=350)
    hatched = sorted(p.get_gid() for p in ax.patches if p.get_hatch())
    assert hatched == ["too_few:南湖区", "too_few:西湖区"]


def test_no_data_is_grey_never_the_lowest_class():
    ax = ps.plot_zone_map(grid_zones(), make_rates(ROWS))
    face = _patch(ax, "zone:北湖区").get_facecolor()
    assert face == pytest.approx(to_rgba(NO_DATA_COLOR))
    assert face != pytest.approx(_expected_rate_colour(0.0))
    assert _text(ax, "label:北湖区") == "北湖区\n无数据 no data"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "无数据 no data" in legend
    no_data_handle = ax.get_legend().legend_handles[legend.index("无数据 no data")]
    assert no_data_handle.get_facecolor() == pytest.approx(to_rgba(NO_DATA_COLOR))


def test_a_zone_with_zero_a_cards_is_no_data():
    ax = ps.plot_zone_map(
        grid_zones(), make_rates([*ROWS, ("北湖区", 0, 0, "too_few")])
    )
    assert _patch(ax, "zone:北湖区").get_facecolor() == pytest.approx(
        to_rgba(NO_DATA_COLOR)
    )


def test_labels_title_note_and_colourbar():
    r = make_rates(ROWS, period="2026-10")
    ax = ps.plot_zone_map(grid_zones(), r)
    assert _text(ax, "label:东湖区") == "东湖区\n5.0%"
    assert _text(ax, "label:西湖区") == "西湖区\n13.0%"
    assert ax.get_title() == "各片区来店成交率 Close rate by zone · 2026-10"
    note = _text(ax, "source_note")
    assert "期间 period: 2026-10" in note and "benchmark 13% (8%-20%)" in note
    cbar_ax = [a for a in ax.figure.axes if a is not ax][0]
    assert "基准 benchmark 13%" in cbar_ax.get_ylabel()
    ticks = [t.get_text() for t in cbar_ax.get_yticklabels()]
    assert ticks == ["0%", "8%", "13%", "20%", "26%"]


def test_status_classes():
    ax = ps.plot_zone_map(grid_zones(), make_rates(ROWS), column="status")
    assert _patch(ax, "zone:东湖区").get_facecolor() == pytest.approx(
        to_rgba(STATUS_COLORS["weak"])
    )
    assert _patch(ax, "zone:西湖区").get_facecolor() == pytest.approx(
        to_rgba(STATUS_COLORS["on_track"])
    )
    assert _patch(ax, "zone:北湖区").get_facecolor() == pytest.approx(
        to_rgba(NO_DATA_COLOR)
    )
    assert _patch(ax, "too_few:南湖区").get_hatch()
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == [
        "偏弱 weak",
        "未定 inconclusive",
        "领先 strong",
        "样本不足 too few",
        "无数据 no data",
    ]
    assert ax.get_title() == "各片区成交率状态 Close-rate status by zone · 全部 all"


def test_clusters_are_outlined():
    clusters = grid_zones()[["region", "geometry"]].assign(
        cluster=["weak", "weak", "none", None]
    )
    ax = ps.plot_zone_map(grid_zones(), make_rates(ROWS), clusters=clusters)
    assert sorted(
        p.get_gid() for p in ax.patches if p.get_gid().startswith("cluster:")
    ) == [
        "cluster:东湖区",
        "cluster:西湖区",
    ]
    assert "弱片区集群 weak cluster" in [
        t.get_text() for t in ax.get_legend().get_texts()
    ]


def test_draws_on_the_given_axes_and_leaves_rcparams_alone():
    before = dict(mpl.rcParams)
    fig, axes = plt.subplots(1, 2)
    out = ps.plot_zone_map(grid_zones(), make_rates(ROWS), ax=axes[1], legend=False)
    assert out is axes[1]
    assert not axes[0].patches
    assert dict(mpl.rcParams) == before


def test_chinese_renders_when_saved_after_the_call():
    ax = ps.plot_zone_map(grid_zones(), make_rates(ROWS), column="status")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ax.figure.savefig(io.BytesIO(), format="png")
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_map_errors():
    z, r = grid_zones(), make_rates(ROWS)
    with pytest.raises(InputError, match="column='a_cards' cannot be mapped"):
        ps.plot_zone_map(z, r, column="a_cards")
    with pytest.raises(InputError, match="has no 'shrunk_rate' column"):
        ps.plot_zone_map(z, r.drop(columns="shrunk_rate"), column="shrunk_rate")
    two = pd.concat(
        [make_rates(ROWS, period="2026-09"), make_rates(ROWS, period="2026-10")]
    )
    with pytest.raises(InputError, match="has 2 periods"):
        ps.plot_zone_map(z, two)
    english = make_rates([("Gansu", 100, 13, "on_track")])
    with pytest.raises(InputError, match=r"do not match.*东湖区.*Gansu"):
        ps.plot_zone_map(z, english)


def test_map_does_not_mutate_inputs():
    z, r = grid_zones(), make_rates(ROWS)
    z0, r0 = z.copy(), r.copy()
    ps.plot_zone_map(z, r, clusters=True)
    pd.testing.assert_frame_equal(r, r0)
    pd.testing.assert_frame_equal(pd.DataFrame(z), pd.DataFrame(z0))


def test_multipolygon_with_hole_is_one_patch_and_the_hole_is_empty():
    from shapely.geometry import MultiPolygon, Polygon

    ring = Polygon([(0, 0), (3, 0), (3, 3), (0, 3)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    island = Polygon([(4, 0), (5, 0), (5, 1), (4, 1)])
    z = gpd.GeoDataFrame(
        {"region": ["环岛区"]}, geometry=[MultiPolygon([ring, island])], crs=4326
    )
    fig, ax = plt.subplots(figsize=(4, 3), dpi=100)
    ps.plot_zone_map(
        z, make_rates([("环岛区", 100, 5, "weak")]), ax=ax, labels=False, legend=False
    )
    patch = _patch(ax, "zone:环岛区")
    assert (patch.get_path().codes == 1).sum() == 3  # two outer rings and the hole
    fig.canvas.draw()
    pixels = np.asarray(fig.canvas.buffer_rgba())

    def colour_at(x, y):
        px, py = ax.transData.transform((x, y))
        return pixels[int(round(pixels.shape[0] - py)), int(round(px))][:3] / 255

    face = np.array(patch.get_facecolor()[:3])
    np.testing.assert_allclose(colour_at(0.5, 0.5), face, atol=0.02)
    np.testing.assert_allclose(colour_at(4.5, 0.5), face, atol=0.02)
    np.testing.assert_allclose(colour_at(1.5, 1.5), [1, 1, 1], atol=0.02)  # the hole


# ---------------------------------------------------------------------------
# quadrant
# ---------------------------------------------------------------------------


def test_quadrant_colours_and_labels():
    rows = [
        ("东湖区", 300, 15, "weak"),
        ("西湖区", 200, 10, "weak"),
        ("南湖区", 100, 14, "on_track"),
        ("北湖区", 120, 18, "on_track"),
    ]
    d = ps.diagnose_zones(make_rates(rows), grid_zones())
    ax = ps.plot_quadrant(d)
    by_gid = {c.get_gid(): c for c in ax.collections if c.get_gid()}
    assert set(by_gid) == {
        "problem:conversion",
        "problem:both",
        "problem:traffic",
        "problem:none",
    }
    for problem, coll in by_gid.items():
        colour = PROBLEM_COLORS[problem.split(":")[1]]
        assert coll.get_facecolors()[0] == pytest.approx(to_rgba(colour))
    # 东湖区 at (30/17, shrunk rate)
    x, y = by_gid["problem:conversion"].get_offsets()[0]
    assert x == pytest.approx(30 / 17)
    assert y == pytest.approx((15 + 13) / (300 + 100))
    labels = {t.get_text() for t in ax.texts}
    assert {
        "东湖区",
        "西湖区",
        "南湖区",
        "北湖区",
        "引流 grow traffic",
        "无明显问题 no clear problem",
    } <= labels
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert (
        "提升转化 fix conversion" in legend
        and "引流+提升转化 grow traffic + fix conversion" in legend
    )
    assert ax.get_title() == "客流 vs 转化 Traffic vs conversion · 全部 all"


def test_quadrant_hollow_when_not_judged():
    rows = [
        ("东湖区", 300, 15, "weak"),
        ("西湖区", 5, 1, "too_few"),
        ("南湖区", 250, 30, "on_track"),
    ]
    d = ps.diagnose_zones(make_rates(rows))
    ax = ps.plot_quadrant(d)
    traffic = next(c for c in ax.collections if c.get_gid() == "problem:traffic")
    assert traffic.get_facecolors()[0] == pytest.approx(to_rgba("white"))


def test_quadrant_needs_a_diagnosis():
    with pytest.raises(InputError, match="needs the table of ps.diagnose_zones"):
        ps.plot_quadrant(make_rates(ROWS))


# ---------------------------------------------------------------------------
# interactive map
# ---------------------------------------------------------------------------


def test_explore_tooltips_and_blank_base():
    r = make_rates(ROWS, period="2026-10")
    m = ps.explore_zones(grid_zones(), r, tiles=None)
    html = m.get_root().render()
    assert html.count("tileLayer") == 0  # no tile server needed
    for field in [
        "片区 zone",
        "A卡 A",
        "C卡 C",
        "成交率 rate",
        "区间 interval",
        "状态 status",
    ]:
        assert json.dumps(field)[1:-1] in html
    assert json.dumps("东湖区")[1:-1] in html
    assert json.dumps("偏弱 weak")[1:-1] in html
    assert (
        "5.0%" in html
        and "无数据 no data" in html
        or json.dumps("无数据 no data")[1:-1] in html
    )


def test_explore_with_tiles_and_clusters():
    clusters = grid_zones()[["region", "geometry"]].assign(
        cluster=["weak", "none", "none", None]
    )
    m = ps.explore_zones(
        grid_zones(), make_rates(ROWS), tiles="OpenStreetMap", clusters=clusters
    )
    html = m.get_root().render()
    assert html.count("tileLayer") == 1
    assert CLUSTER_COLOR in html


def test_explore_status_column():
    m = ps.explore_zones(grid_zones(), make_rates(ROWS), column="status", tiles=None)
    assert STATUS_COLORS["weak"] in m.get_root().render()


def test_explore_without_folium_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "folium", None)
    with pytest.raises(ImportError, match=r'pip install "pondstats\[maps\]"'):
        ps.explore_zones(grid_zones(), make_rates(ROWS), tiles=None)


def test_quadrant_labels_do_not_overlap_on_a_crowded_chart():
    # eight zones bunched around the median, as in a real network
    rows = [
        (f"{name}区", a, c, "on_track")
        for name, a, c in [
            ("东湖", 200, 26),
            ("西湖", 205, 27),
            ("南湖", 198, 25),
            ("北湖", 202, 27),
            ("东山", 210, 28),
            ("西山", 195, 25),
            ("南山", 207, 26),
            ("北山", 199, 26),
        ]
    ]
    rates = make_rates(rows)
    d = ps.diagnose_zones(rates)
    fig, ax = plt.subplots(figsize=(6, 4))
    ps.plot_quadrant(d, ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [
        Text.get_window_extent(t, renderer)  # the text alone, not its leader line
        for t in ax.texts
        if str(t.get_gid()).startswith("label:")
    ]
    assert len(boxes) == 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), "two zone labels overlap"
