"""One language per chart: with lang="en" no text of any chart is Chinese,
with lang="zh" no chart word is English only (numbers, units and zone names
allowed), and no glyph is missing."""

from __future__ import annotations

import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text
from shapely.geometry import box

import pondstats as ps
from pondstats.budget import plan_budget
from pondstats.budget._response import ResponseFit
from pondstats.errors import InputError
from pondstats.fonts import font_context
from pondstats.leads._evaluation import calibration_table, gains_table

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: Latin words a Chinese chart may show: units and symbols, not words.
ZH_ALLOWED = {"vs", "ECE", "FDR", "Moran's", "PSI", "C/A"}

ZONES = ["东湖区", "西湖区", "南湖区", "北湖区"]


def _zone_rates() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "region": ZONES,
            "a_cards": [300, 12, 210, 90],
            "c_cards": [21, 3, 27, 16],
            "close_rate": [0.07, 0.25, 0.129, 0.178],
            "ci_low": [0.046, 0.09, 0.09, 0.11],
            "ci_high": [0.105, 0.53, 0.18, 0.27],
            "shrunk_rate": [0.075, 0.14, 0.129, 0.16],
            "status": ["weak", "too_few", "on_track", "strong"],
        }
    )


def _monthly_rates() -> pd.DataFrame:
    months = pd.period_range("2026-07", periods=4, freq="M")
    rows = []
    for i, m in enumerate(months):
        for z, (a, c) in zip(ZONES, [(80, 5), (10, 2), (60, 8), (40, 8)], strict=True):
            rows.append({"period": m, "region": z, "a_cards": a + i, "c_cards": c})
    t = pd.DataFrame(rows)
    t["close_rate"] = t["c_cards"] / t["a_cards"]
    t["ci_low"], t["ci_high"] = t["close_rate"] * 0.7, t["close_rate"] * 1.3
    t["status"] = np.where(t["close_rate"] < 0.08, "weak", "on_track")
    return t


def _zones() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"region": ZONES},
        geometry=[
            box(114, 30, 114.1, 30.1),
            box(114.1, 30, 114.2, 30.1),
            box(114, 29.9, 114.1, 30),
            box(114.1, 29.9, 114.2, 30),
        ],
        crs=4326,
    )


def _plan():
    p = pd.DataFrame(
        {
            "region": ZONES[:2],
            "base": [10.0, 5.0],
            "gain": [30.0, 20.0],
            "scale": [1000.0, 2000.0],
            "close_rate": [0.13, 0.1],
        }
    )
    return plan_budget(ResponseFit.from_params(p), 3000)


_Y = [1, 1, 0, 1, 0, 0, 0, 0, 0, 0]
_P = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0]


def _whole_funnel() -> pd.DataFrame:
    t = pd.DataFrame({"inquiries": [400], "visited": [120], "deposited": [30]})
    t = t.assign(delivered=[25])
    t.attrs = {"stages": ["inquiries", "visited", "deposited", "delivered"]}
    return t


#: One chart per plotting function (and form), drawn in a language.
CHARTS = {
    "funnel": lambda lang: ps.plot_funnel(_zone_rates(), annotate="all", lang=lang),
    "trend": lambda lang: ps.plot_trend(_monthly_rates(), lang=lang),
    "map": lambda lang: ps.plot_zone_map(_zones(), _zone_rates(), lang=lang),
    "map_status": lambda lang: ps.plot_zone_map(
        _zones(), _zone_rates(), column="status", lang=lang
    ),
    "quadrant": lambda lang: ps.plot_quadrant(
        ps.diagnose_zones(_zone_rates()), lang=lang
    ),
    "budget_plan": lambda lang: ps.plot_budget_plan(_plan(), lang=lang),
    "response_curves": lambda lang: ps.plot_response_curves(_plan(), lang=lang)[0],
    "gains": lambda lang: ps.plot_gains(gains_table(_Y, _P), lang=lang),
    "calibration": lambda lang: ps.plot_calibration(
        calibration_table(_Y, _P), lang=lang
    ),
    "whole_funnel": lambda lang: ps.plot_whole_funnel(_whole_funnel(), lang=lang),
}


def _texts(ax) -> list[str]:
    """Every text of the Axes' figure, drawn first (tick labels exist then);
    a missing glyph is a failure."""
    fig = ax.get_figure(root=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with font_context():
            fig.canvas.draw()
    missing = [str(w.message) for w in caught if "missing" in str(w.message)]
    assert not missing, missing
    texts = [t.get_text() for t in fig.findobj(Text) if t.get_text().strip()]
    return [t for t in texts if not t.startswith("$")]  # mathtext: numbers (10^2)


def _without_zones(text: str) -> str:
    for z in ZONES:
        text = text.replace(z, "")
    return text


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_every_chart_speaks_one_language(chart, lang):
    texts = _texts(CHARTS[chart](lang))
    assert texts
    for text in texts:
        rest = _without_zones(text)
        if lang == "en":
            assert not CJK.search(rest), text
        elif not CJK.search(rest):
            words = re.findall(r"[A-Za-z][A-Za-z'/]+", rest)
            assert set(words) <= ZH_ALLOWED, text


def test_both_keeps_the_two_languages_side_by_side():
    ax = ps.plot_funnel(_zone_rates(), lang="both")
    assert ax.get_xlabel() == "A卡（首次来店组数） A-cards (first visits)"
    ax = ps.plot_quadrant(ps.diagnose_zones(_zone_rates()), lang="both")
    assert ax.get_ylabel() == "来店成交率(收缩) close rate, shrunk"


@pytest.mark.parametrize(
    "draw",
    [
        lambda: ps.plot_zone_map(_zones(), _zone_rates(), lang="fr"),
        lambda: ps.plot_quadrant(ps.diagnose_zones(_zone_rates()), lang="fr"),
        lambda: ps.plot_budget_plan(_plan(), lang="fr"),
        lambda: ps.plot_response_curves(_plan(), lang="fr"),
        lambda: ps.plot_trend(_monthly_rates(), lang="fr"),
    ],
)
def test_an_unknown_language_is_refused(draw):
    with pytest.raises(InputError, match="expected lang to be one of 'both', 'zh'"):
        draw()


def test_the_funnel_legend_covers_no_point_and_no_label():
    rates = _zone_rates()
    ax = ps.plot_funnel(rates, annotate="all", lang="en")
    fig = ax.get_figure(root=True)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    legend = ax.get_legend().get_window_extent(renderer)
    for text in ax.texts:
        assert not legend.overlaps(text.get_window_extent(renderer)), text.get_text()
    for coll in ax.collections:
        for xy in coll.get_offset_transform().transform(coll.get_offsets()):
            assert not legend.contains(*xy)
    labels = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(labels) == len(rates)
    for i, a in enumerate(labels):
        assert not any(a.overlaps(b) for b in labels[i + 1 :])
