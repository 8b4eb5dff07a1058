"""Interactive zone map for notebooks, over ``GeoDataFrame.explore()``.

folium and mapclassify are imported only when a map is made; without them
the error says ``pip install "pondstats[maps]"``.
"""

from __future__ import annotations

from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd

from pondstats.errors import InputError
from pondstats.plotting._common import STATUS_COLORS, chart_labels
from pondstats.plotting._maps import (
    _RATE_COLUMNS,
    CLUSTER_COLOR,
    NO_DATA_COLOR,
    TOO_FEW_HATCH_COLOR,
    _rate_norm,
    _too_few,
)
from pondstats.schema import Benchmark
from pondstats.vocab import KPIS, STATUSES, WORDS, both
from pondstats.zones._diagnosis import weak_clusters, zone_rates

__all__ = ["explore_zones"]


def _require_maps(what: str) -> None:
    missing = []
    for mod in ("folium", "mapclassify"):
        try:
            __import__(mod)
        except ImportError:
            missing.append(mod)
    if missing:
        raise ImportError(
            f'{what} needs {" and ".join(missing)}: pip install "pondstats[maps]"'
        )


def explore_zones(
    zones: gpd.GeoDataFrame,
    rates: pd.DataFrame,
    *,
    column: str = "close_rate",
    period: str | pd.Period | None = None,
    tiles: str | None = "OpenStreetMap",
    clusters: gpd.GeoDataFrame | bool | None = None,
    benchmark: Benchmark | None = None,
    aliases: Mapping[str, str] | None = None,
    period_label: str | None = None,
    lang: str = "both",
    **kwargs,
):
    """Interactive map of the zones for notebooks (``GeoDataFrame.explore``).

    Hovering a zone shows 片区 zone, A卡 A, C卡 C, 成交率 rate, 区间
    interval and 状态 status. Colours follow :func:`plot_zone_map`; zones
    without data are grey, zones with too little data have a dashed
    border. ``tiles=None`` draws on a blank base, so the map works with no
    internet tile server (a dealer's intranet). Needs the ``maps`` extra.

    Parameters
    ----------
    zones, rates, column, period, benchmark, aliases, period_label, lang
        As in :func:`plot_zone_map`.
    tiles : str or None, default "OpenStreetMap"
        A folium tile name, or None for a blank base.
    clusters : GeoDataFrame or bool, optional
        Outline weak clusters (:func:`pondstats.weak_clusters`, or True).
    **kwargs
        Passed to ``GeoDataFrame.explore``.

    Returns
    -------
    folium.Map

    Examples
    --------
    >>> import pandas as pd, geopandas as gpd
    >>> from shapely.geometry import box
    >>> import pondstats as ps
    >>> z = gpd.GeoDataFrame({"region": ["东湖区", "西湖区"]},
    ...     geometry=[box(114, 30, 114.1, 30.1), box(114.1, 30, 114.2, 30.1)], crs=4326)
    >>> r = pd.DataFrame({"region": ["东湖区"], "a_cards": [300], "c_cards": [21],
    ...     "close_rate": [0.07], "ci_low": [0.046], "ci_high": [0.105], "status": ["weak"]})
    >>> m = ps.explore_zones(z, r, tiles=None)
    >>> type(m).__name__, m.get_root().render().count("tileLayer")
    ('Map', 0)
    """
    _require_maps("explore_zones")
    L = chart_labels(lang)
    b = benchmark or rates.attrs.get("benchmark") or Benchmark()
    if column not in (*_RATE_COLUMNS, "status"):
        raise InputError(
            f"column={column!r} cannot be mapped; use 'close_rate', 'shrunk_rate' or 'status'."
        )
    zr = zone_rates(zones, rates, period=period, aliases=aliases)
    label_period = period_label or zr.attrs["pondstats"]["period"]
    if label_period == both(WORDS["all"]):  # a whole-range table
        label_period = L.word(WORDS["all"])
    show = gpd.GeoDataFrame(geometry=zr.geometry, crs=zr.crs)
    tip = {
        "zone": L.word(WORDS["tip_zone"]),
        "a": L.word(KPIS["a_cards"].short),
        "c": L.word(KPIS["c_cards"].short),
        "rate": L.word(WORDS["tip_rate"]),
        "interval": L.word(WORDS["tip_interval"]),
        "status": L.word(KPIS["status"].column),
    }
    show[tip["zone"]] = zr["region"]

    def num(col: str) -> pd.Series:
        return (
            pd.to_numeric(zr[col], errors="coerce")
            if col in zr.columns
            else pd.Series(np.nan, index=zr.index)
        )

    def fmt(values: pd.Series, f) -> pd.Series:
        return pd.Series(
            [f(v) if pd.notna(v) else "-" for v in values], index=zr.index, dtype="str"
        )

    show[tip["a"]] = fmt(num("a_cards"), lambda v: f"{int(v)}")
    show[tip["c"]] = fmt(num("c_cards"), lambda v: f"{int(v)}")
    show[tip["rate"]] = fmt(num("close_rate"), lambda v: f"{v:.1%}")
    lo, hi = num("ci_low"), num("ci_high")
    show[tip["interval"]] = pd.Series(
        [
            f"{a_:.1%} - {b_:.1%}" if pd.notna(a_) and pd.notna(b_) else "-"
            for a_, b_ in zip(lo, hi, strict=True)
        ],
        index=zr.index,
        dtype="str",
    )
    status = (
        zr["status"]
        if "status" in zr.columns
        else pd.Series(pd.NA, index=zr.index, dtype="str")
    )
    show[tip["status"]] = pd.Series(
        [
            L.word(STATUSES[s]) if s in STATUS_COLORS else L.word(WORDS["no_data"])
            for s in status.fillna("")
        ],
        index=zr.index,
        dtype="str",
    )
    too_few = set(zr.loc[_too_few(zr, None), "region"])
    tooltip = list(tip.values())
    style = {"color": "#ffffff", "weight": 1.2, "fillOpacity": 0.75}

    def style_function(feature):
        name = feature["properties"][tip["zone"]]
        if name in too_few:
            return {"dashArray": "6 4", "color": TOO_FEW_HATCH_COLOR, "weight": 1.5}
        return {}

    options = {
        "tooltip": tooltip,
        "tiles": tiles,
        "style_kwds": {**style, "style_function": style_function},
        "missing_kwds": {"color": NO_DATA_COLOR, "label": L.word(WORDS["no_data"])},
        "legend_kwds": {"caption": f"{L.word(KPIS[column].name)} · {label_period}"},
        "name": f"{KPIS[column].name[1 if lang == 'en' else 0]} {label_period}",
    }
    if column == "status":
        cats = ["weak", "on_track", "strong", "too_few"]
        show["value"] = pd.Categorical(
            [s if s in STATUS_COLORS else None for s in status.fillna("")],
            categories=cats,
        )
        options.update(
            column="value",
            categorical=True,
            cmap=[STATUS_COLORS[c] for c in cats],
        )
        options["legend_kwds"] = {}
    else:
        norm = _rate_norm(b)
        # the colormap is linear in explore(): centre it on the target by the range
        half = max(b.target - norm.vmin, norm.vmax - b.target)
        show["value"] = num(column).where(zr["has_data"])
        options.update(
            column="value", cmap="RdYlGn", vmin=b.target - half, vmax=b.target + half
        )
    options.update(kwargs)
    m = show.explore(**options)
    if clusters is True:
        clusters = weak_clusters(zones, rates, period=period)
    if isinstance(clusters, pd.DataFrame):
        weak = clusters[clusters["cluster"] == "weak"]
        if len(weak):
            gpd.GeoDataFrame(weak[["region", "geometry"]], crs=clusters.crs).explore(
                m=m,
                tiles=None,
                style_kwds={"fill": False, "color": CLUSTER_COLOR, "weight": 4},
                name=L.word(WORDS["weak_cluster"]),
                tooltip=["region"],
            )
    return m
