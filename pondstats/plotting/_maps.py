"""Weak-zone maps: a choropleth of close rates, the traffic x conversion
quadrant, and an interactive map for notebooks.

What is drawn is findable (tests rely on it): every zone of
:func:`plot_zone_map` is a ``PathPatch`` with ``gid="zone:<region>"``; the
hatching of a zone with too little data is a second patch
``gid="too_few:<region>"``; a weak-cluster outline is
``gid="cluster:<region>"``; the zone labels are ``Text`` objects with
``gid="label:<region>"``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import geopandas as gpd
import matplotlib.patheffects as pe
import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import TwoSlopeNorm, to_hex
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, PercentFormatter

from pondstats.diagnosis import ACTIONS, weak_clusters, zone_rates
from pondstats.errors import InputError
from pondstats.plotting._common import (
    STATUS_COLORS,
    STATUS_LABELS,
    benchmark_band,
    get_ax,
    with_fonts,
)
from pondstats.schema import Benchmark

__all__ = [
    "NO_DATA_COLOR",
    "PROBLEM_COLORS",
    "explore_zones",
    "plot_quadrant",
    "plot_zone_map",
]

#: Face colour of zones with no data at all: a mid grey that is no class.
NO_DATA_COLOR = "#8c8c8c"
#: Hatch pattern and colour of zones with too little data to judge.
TOO_FEW_HATCH = "////"
TOO_FEW_HATCH_COLOR = "#4d4d4d"
#: How far the colour of a too-few zone is blended towards white.
TOO_FEW_WASH = 0.6
CLUSTER_COLOR = "#2d004b"

#: Marker colours of :func:`plot_quadrant`, per problem.
PROBLEM_COLORS: dict[str, str] = {
    "traffic": "#4575b4",
    "conversion": "#d7301f",
    "both": "#7b3294",
    "none": "#1a9850",
}

_RATE_COLUMNS = {
    "close_rate": ("来店成交率", "close rate"),
    "shrunk_rate": ("来店成交率(收缩估计)", "close rate, shrunk"),
}


def _geom_path(geom) -> MplPath:
    """One compound matplotlib Path for a (multi)polygon, holes included."""
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in polys:
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            c = np.full(len(xy), MplPath.LINETO, dtype=MplPath.code_type)
            c[0] = MplPath.MOVETO
            c[-1] = MplPath.CLOSEPOLY
            verts.append(xy)
            codes.append(c)
    if not verts:
        return MplPath(np.zeros((1, 2)), [MplPath.MOVETO])
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _polygons_only(geom):
    if geom.geom_type == "GeometryCollection":
        from shapely.geometry import MultiPolygon

        parts = [g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")]
        flat = [
            p
            for g in parts
            for p in (g.geoms if g.geom_type == "MultiPolygon" else [g])
        ]
        return MultiPolygon(flat)
    return geom


def _wash(rgba, amount: float = TOO_FEW_WASH) -> tuple[float, float, float]:
    """A colour blended towards white: a rate too noisy to trust looks pale."""
    r, g, b_, _ = rgba
    return (r + (1 - r) * amount, g + (1 - g) * amount, b_ + (1 - b_) * amount)


def _rate_norm(b: Benchmark) -> TwoSlopeNorm:
    """Diverging norm centred on the benchmark target (0 .. about 2x target)."""
    vmax = max(2 * b.target, b.high + (b.high - b.target) * 0.5)
    return TwoSlopeNorm(vcenter=b.target, vmin=0.0, vmax=vmax)


def _too_few(zr: pd.DataFrame, min_a_cards: int | None) -> np.ndarray:
    if min_a_cards is not None and "a_cards" in zr.columns:
        return (zr["has_data"] & (zr["a_cards"].fillna(0) < min_a_cards)).to_numpy(bool)
    if "status" in zr.columns:
        return (zr["has_data"] & (zr["status"] == "too_few")).to_numpy(bool)
    return np.zeros(len(zr), dtype=bool)


def _pct(x: float) -> str:
    return f"{x:.0%}" if abs(x * 100 - round(x * 100)) < 1e-9 else f"{x:.1%}"


@with_fonts
def plot_zone_map(
    zones: gpd.GeoDataFrame,
    rates: pd.DataFrame,
    *,
    column: str = "close_rate",
    period: str | pd.Period | None = None,
    ax: Axes | None = None,
    benchmark: Benchmark | None = None,
    clusters: gpd.GeoDataFrame | bool | None = None,
    labels: bool = True,
    min_a_cards: int | None = None,
    title: str | None = None,
    source: str | None = None,
    aliases: Mapping[str, str] | None = None,
    cmap: str = "RdYlGn",
    legend: bool = True,
    period_label: str | None = None,
) -> Axes:
    """Choropleth of the close rate (or its status) per zone.

    Rates use a diverging scale centred on the benchmark target (13%):
    red below, green above (``TwoSlopeNorm``; rates above about 26% share
    the darkest green, the colour bar says so). ``column="status"`` draws
    the status classes instead. Zones with too little data to judge
    (``status == "too_few"``, or fewer than ``min_a_cards`` A-cards) are
    hatched over their colour; zones with no data at all are drawn in a
    grey that is no class, with their own legend entry. Each zone is
    labelled with its name and rate. The title and the source note carry
    the period.

    Parameters
    ----------
    zones : GeoDataFrame
        The zones table (``region``, geometry).
    rates : DataFrame
        From ``ps.close_rates(..., by="region")``; a multi-period table
        needs ``period``.
    column : {"close_rate", "shrunk_rate", "status"}
        What to colour by.
    period : str or Period, optional
        The period to draw (e.g. ``"2026-10"``).
    ax : Axes, optional
        Drawn on when given; else a new figure.
    benchmark : Benchmark, optional
        The 13% / 8% / 20% benchmark by default.
    clusters : GeoDataFrame or bool, optional
        Outline weak clusters: the result of
        :func:`pondstats.weak_clusters`, or True to compute it here.
    labels : bool, default True
        Write the zone name and rate on each zone.
    min_a_cards : int, optional
        Hatch zones with fewer A-cards (default: hatch ``too_few`` status).
    title, source : str, optional
        Override the title; text prepended to the source note.
    aliases : mapping, optional
        Zone-name spellings (see :func:`pondstats.match_zones`).
    cmap : str, default "RdYlGn"
        A diverging colormap, low values first.
    legend : bool, default True
        Draw the colour bar / class legend and the marks legend.
    period_label : str, optional
        The period named in the title and note (default: the chosen period,
        or ``rates.attrs["period_label"]``, or "全部 all" for a whole-range
        table).

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd, geopandas as gpd
    >>> from shapely.geometry import box
    >>> import pondstats as ps
    >>> z = gpd.GeoDataFrame({"region": ["东湖区", "西湖区", "南湖区"]},
    ...     geometry=[box(114, 30, 114.1, 30.1), box(114.1, 30, 114.2, 30.1),
    ...               box(114, 29.9, 114.2, 30)], crs=4326)
    >>> r = pd.DataFrame({"region": ["东湖区", "西湖区"], "a_cards": [300, 12],
    ...     "c_cards": [21, 3], "close_rate": [0.07, 0.25], "status": ["weak", "too_few"]})
    >>> ax = ps.plot_zone_map(z, r)
    >>> ax.get_title()
    '各片区来店成交率 Close rate by zone · 全部 all'
    >>> [p.get_gid() for p in ax.patches if p.get_hatch()]
    ['too_few:西湖区']
    """
    b = benchmark or rates.attrs.get("benchmark") or Benchmark()
    if column not in (*_RATE_COLUMNS, "status"):
        raise InputError(
            f"column={column!r} cannot be mapped; use 'close_rate', 'shrunk_rate' or 'status'."
        )
    if column not in rates.columns:
        raise InputError(
            f"the rates table has no {column!r} column (found {list(rates.columns)}); "
            "make it with ps.close_rates(visits, deposits, by='region')."
        )
    zr = zone_rates(zones, rates, period=period, aliases=aliases)
    label_period = period_label or zr.attrs["pondstats"]["period"]
    zr["geometry"] = zr.geometry.map(_polygons_only)
    ax = get_ax(ax, figsize=(9, 8))
    fig = ax.figure

    has_data = zr["has_data"].to_numpy(bool)
    too_few = _too_few(zr, min_a_cards)
    if column == "status":
        values = zr[column]
        no_data = ~has_data | values.isna().to_numpy()
        faces = [
            STATUS_COLORS.get(s, NO_DATA_COLOR) if not nd else NO_DATA_COLOR
            for s, nd in zip(values.fillna(""), no_data, strict=True)
        ]
        norm = None
    else:
        values = pd.to_numeric(zr[column], errors="coerce")
        no_data = ~has_data | values.isna().to_numpy()
        norm = _rate_norm(b)
        cm = colormaps[cmap]
        faces = [
            NO_DATA_COLOR if nd else to_hex(_wash(cm(norm(v))) if tf else cm(norm(v)))
            for v, nd, tf in zip(values.fillna(0), no_data, too_few, strict=True)
        ]

    n_zones = len(zr)
    edge_lw = 0.8 if n_zones <= 40 else 0.4
    for i, row in enumerate(zr.itertuples(index=False)):
        path = _geom_path(row.geometry)
        ax.add_patch(
            PathPatch(
                path,
                facecolor=faces[i],
                edgecolor="white",
                lw=edge_lw,
                gid=f"zone:{row.region}",
                zorder=1,
            )
        )
        if too_few[i]:
            ax.add_patch(
                PathPatch(
                    path,
                    facecolor="none",
                    edgecolor=TOO_FEW_HATCH_COLOR,
                    lw=0,
                    hatch=TOO_FEW_HATCH,
                    gid=f"too_few:{row.region}",
                    zorder=2,
                )
            )

    if clusters is True:
        clusters = weak_clusters(zones, rates, period=period)
    marked = pd.DataFrame()
    if isinstance(clusters, pd.DataFrame) and len(clusters):
        marked = clusters[clusters["cluster"] == "weak"]
        for _, row in marked.iterrows():
            ax.add_patch(
                PathPatch(
                    _geom_path(_polygons_only(row.geometry)),
                    facecolor="none",
                    edgecolor=CLUSTER_COLOR,
                    lw=2.4,
                    gid=f"cluster:{row['region']}",
                    zorder=3,
                )
            )

    # extent and aspect (degrees: a km east is shorter than a km north)
    minx, miny, maxx, maxy = zr.total_bounds
    padx, pady = (maxx - minx) * 0.03, (maxy - miny) * 0.03
    ax.set_xlim(minx - padx, maxx + padx)
    ax.set_ylim(miny - pady, maxy + pady)
    ax.set_aspect(1 / math.cos(math.radians((miny + maxy) / 2)))
    ax.set_axis_off()

    if labels:
        size = 8.5 if n_zones <= 20 else 7 if n_zones <= 40 else 5.5
        halo = [pe.withStroke(linewidth=2.5, foreground="white")]
        pts = zr.geometry.representative_point()
        a_cards = (
            zr["a_cards"]
            if "a_cards" in zr.columns
            else pd.Series(np.nan, index=zr.index)
        )
        rates_shown = (
            pd.to_numeric(zr[column], errors="coerce")
            if column != "status"
            else pd.to_numeric(zr.get("close_rate"), errors="coerce")
            if "close_rate" in zr.columns
            else pd.Series(np.nan, index=zr.index)
        )
        for i, row in enumerate(zr.itertuples(index=False)):
            if no_data[i]:
                second = "无数据 no data"
            elif column == "status" and np.isnan(rates_shown.iloc[i]):
                second = STATUS_LABELS["zh"].get(row.status, str(row.status))
            else:
                second = f"{rates_shown.iloc[i]:.1%}"
                if too_few[i] and not np.isnan(a_cards.iloc[i]):
                    second += f" (A={int(a_cards.iloc[i])})"
            ax.text(
                pts.iloc[i].x,
                pts.iloc[i].y,
                f"{row.region}\n{second}",
                ha="center",
                va="center",
                fontsize=size,
                path_effects=halo,
                zorder=4,
                gid=f"label:{row.region}",
                linespacing=1.1,
            )

    what, what_en = _RATE_COLUMNS.get(column, ("", ""))
    if title is None:
        title = (
            f"各片区{_title_zh(column)} {_title_en(column)} by zone · {label_period}"
        )
    ax.set_title(title, fontsize=12)

    handles: list = []
    if legend:
        if column == "status":
            for s in ("weak", "on_track", "strong", "too_few"):
                handles.append(
                    Patch(
                        facecolor=STATUS_COLORS[s],
                        edgecolor=TOO_FEW_HATCH_COLOR if s == "too_few" else "#999999",
                        lw=0.5,
                        hatch=TOO_FEW_HATCH if s == "too_few" else None,
                        label=f"{STATUS_LABELS['zh'][s]} {STATUS_LABELS['en'][s]}",
                    )
                )
        else:
            sm = ScalarMappable(norm=norm, cmap=colormaps[cmap])
            cbar = fig.colorbar(sm, ax=ax, shrink=0.6, extend="max", pad=0.02)
            ticks = sorted({0.0, b.low, b.target, b.high, norm.vmax})
            cbar.set_ticks(ticks)
            cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _pct(v)))
            cbar.ax.axhline(b.target, color="black", lw=1.2)
            cbar.set_label(f"{what} {what_en} (基准 benchmark {_pct(b.target)})")
        handles.append(
            Patch(facecolor=NO_DATA_COLOR, edgecolor="white", label="无数据 no data")
        )
        if column != "status":
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=TOO_FEW_HATCH_COLOR,
                    lw=0.5,
                    hatch=TOO_FEW_HATCH,
                    label="样本不足 too few to judge (颜色变浅 pale)",
                )
            )
        if len(marked):
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=CLUSTER_COLOR,
                    lw=2.4,
                    label="弱片区集群 weak cluster",
                )
            )
        ax.legend(
            handles=handles,
            loc="upper left",
            bbox_to_anchor=(0.0, -0.01),
            ncol=min(3, len(handles)),
            fontsize=8,
            frameon=False,
        )

    note = [source] if source else []
    note.append(f"期间 period: {label_period}")
    note.append(
        f"成交率 = C卡/首次来店A卡 close rate = C-cards / first-visit A-cards; "
        f"行业基准 benchmark {_pct(b.target)} ({_pct(b.low)}-{_pct(b.high)})"
    )
    if len(marked):
        note.append(
            "集群: 局部Moran's I, FDR校正 clusters: local Moran's I, FDR-corrected"
        )
    ax.annotate(
        " · ".join(note[:2]) + "\n" + "\n".join(note[2:]),
        xy=(1.0, 0.0),
        xycoords="axes fraction",
        xytext=(0, -42 if legend else -4),
        textcoords="offset points",
        ha="right",
        va="top",
        fontsize=6.5,
        color="#555555",
        gid="source_note",
    )
    return ax


def _title_zh(column: str) -> str:
    return {
        "close_rate": "来店成交率",
        "shrunk_rate": "来店成交率(收缩估计)",
        "status": "成交率状态",
    }[column]


def _title_en(column: str) -> str:
    return {
        "close_rate": "Close rate",
        "shrunk_rate": "Shrunk close rate",
        "status": "Close-rate status",
    }[column]


@with_fonts
def plot_quadrant(
    diag: pd.DataFrame,
    *,
    ax: Axes | None = None,
    benchmark: Benchmark | None = None,
    labels: bool = True,
    title: str | None = None,
) -> Axes:
    """Zones on traffic x conversion axes, coloured by their problem.

    x is the traffic index of :func:`pondstats.diagnose_zones` (1 = the
    median zone; the dashed line is the ``traffic_low`` threshold), y the
    shrunk close rate with its interval over the benchmark band. Marker
    colour is the diagnosed ``problem`` (hollow: conversion not judged, too
    few A-cards); marker area grows with A-cards.

    Parameters
    ----------
    diag : DataFrame
        From :func:`pondstats.diagnose_zones`.
    ax : Axes, optional
    benchmark : Benchmark, optional
    labels : bool, default True
        Write zone names beside the markers.
    title : str, optional

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> r = pd.DataFrame({"region": ["东湖区", "西湖区", "南湖区"],
    ...     "a_cards": [200, 60, 210], "c_cards": [10, 8, 27],
    ...     "close_rate": [0.05, 0.133, 0.129], "shrunk_rate": [0.06, 0.13, 0.128],
    ...     "status": ["weak", "on_track", "on_track"]})
    >>> ax = ps.plot_quadrant(ps.diagnose_zones(r))
    >>> ax.get_xlabel()
    '客流指数 traffic index (1 = 中位片区 median zone)'
    """
    need = ("region", "traffic_index", "shrunk_rate", "problem")
    missing = [c for c in need if c not in diag.columns]
    if missing:
        raise InputError(
            f"plot_quadrant needs the table of ps.diagnose_zones(rates, zones); {missing} "
            f"missing (found {list(diag.columns)})."
        )
    b = benchmark or diag.attrs.get("pondstats", {}).get("benchmark") or Benchmark()
    low = diag.attrs.get("pondstats", {}).get("traffic_low", 0.75)
    ax = get_ax(ax, figsize=(8, 6))
    x = diag["traffic_index"].astype("float64").to_numpy()
    y = diag["shrunk_rate"].astype("float64").to_numpy()
    a = (
        diag["a_cards"].astype("float64").fillna(0).to_numpy()
        if "a_cards" in diag
        else np.ones(len(x))
    )
    judged = (
        diag["conversion_judged"].to_numpy(bool)
        if "conversion_judged" in diag
        else np.ones(len(x), dtype=bool)
    )
    sizes = (
        30 + 250 * np.sqrt(a / a.max())
        if len(a) and a.max() > 0
        else np.full(len(x), 40.0)
    )

    benchmark_band(ax, b, orientation="h", label=True)
    ax.axvline(1.0, color="#888888", lw=0.8, ls=":", zorder=1)
    ax.axvline(
        low,
        color="#4575b4",
        lw=1.0,
        ls="--",
        zorder=1,
        label=f"客流偏低线 thin-traffic line ({low:.0%} of median)",
    )
    if {"shrunk_low", "shrunk_high"} <= set(diag.columns):
        ax.vlines(
            x, diag["shrunk_low"], diag["shrunk_high"], color="#bbbbbb", lw=1, zorder=2
        )
    for problem, color in PROBLEM_COLORS.items():
        sel = (diag["problem"] == problem).to_numpy(bool)
        if not sel.any():
            continue
        faces = np.where(judged[sel], color, "white")
        ax.scatter(
            x[sel],
            y[sel],
            s=sizes[sel],
            c=list(faces),
            edgecolors=color,
            linewidths=1.5,
            zorder=3,
            gid=f"problem:{problem}",
            label=f"{ACTIONS[problem]['zh']} {ACTIONS[problem]['en']}",
        )
    if (~judged).any():
        ax.scatter(
            [],
            [],
            s=40,
            facecolors="white",
            edgecolors="#555555",
            label="空心 = 样本不足 hollow = too few to judge",
        )
    if labels:
        halo = [pe.withStroke(linewidth=2, foreground="white")]
        for xi, yi, name in zip(x, y, diag["region"], strict=True):
            if np.isfinite(xi) and np.isfinite(yi):
                ax.annotate(
                    str(name),
                    (xi, yi),
                    xytext=(6, 4),
                    textcoords="offset points",
                    fontsize=8,
                    path_effects=halo,
                    zorder=4,
                    gid=f"label:{name}",
                )
    finite_y = y[np.isfinite(y)]
    ytop = max(b.high * 1.25, float(finite_y.max()) * 1.1 if len(finite_y) else 0)
    ax.set_ylim(0, ytop)
    finite_x = x[np.isfinite(x)]
    ax.set_xlim(0, max(2.0, float(finite_x.max()) * 1.1 if len(finite_x) else 2.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    corner = {
        "fontsize": 9,
        "color": "#666666",
        "alpha": 0.9,
        "transform": ax.transAxes,
    }
    ax.text(0.01, 0.98, "引流 grow traffic", ha="left", va="top", **corner)
    ax.text(0.99, 0.98, "健康 healthy", ha="right", va="top", **corner)
    ax.text(0.01, 0.02, "引流+提升转化 both", ha="left", va="bottom", **corner)
    ax.text(0.99, 0.02, "提升转化 fix conversion", ha="right", va="bottom", **corner)
    basis = (
        str(diag["traffic_basis"].iloc[0])
        if "traffic_basis" in diag and len(diag)
        else ""
    )
    ax.set_xlabel("客流指数 traffic index (1 = 中位片区 median zone)")
    if basis.startswith("a_cards per"):
        ax.set_xlabel(
            "客流指数: 每千户A卡 / 中位片区 traffic index: A-cards per 1000 potential vs median zone"
        )
    ax.set_ylabel("来店成交率(收缩) close rate, shrunk")
    period = diag.attrs.get("pondstats", {}).get("period", "")
    ax.set_title(title or f"客流 vs 转化 Traffic vs conversion · {period}", fontsize=12)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    return ax


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
    zones, rates, column, period, benchmark, aliases, period_label
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
    b = benchmark or rates.attrs.get("benchmark") or Benchmark()
    if column not in (*_RATE_COLUMNS, "status"):
        raise InputError(
            f"column={column!r} cannot be mapped; use 'close_rate', 'shrunk_rate' or 'status'."
        )
    zr = zone_rates(zones, rates, period=period, aliases=aliases)
    label_period = period_label or zr.attrs["pondstats"]["period"]
    show = gpd.GeoDataFrame(geometry=zr.geometry, crs=zr.crs)
    show["片区 zone"] = zr["region"]

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

    show["A卡 A"] = fmt(num("a_cards"), lambda v: f"{int(v)}")
    show["C卡 C"] = fmt(num("c_cards"), lambda v: f"{int(v)}")
    show["成交率 rate"] = fmt(num("close_rate"), lambda v: f"{v:.1%}")
    lo, hi = num("ci_low"), num("ci_high")
    show["区间 interval"] = pd.Series(
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
    show["状态 status"] = pd.Series(
        [
            f"{STATUS_LABELS['zh'][s]} {STATUS_LABELS['en'][s]}"
            if s in STATUS_COLORS
            else "无数据 no data"
            for s in status.fillna("")
        ],
        index=zr.index,
        dtype="str",
    )
    too_few = set(zr.loc[_too_few(zr, None), "region"])
    tooltip = [
        "片区 zone",
        "A卡 A",
        "C卡 C",
        "成交率 rate",
        "区间 interval",
        "状态 status",
    ]
    style = {"color": "#ffffff", "weight": 1.2, "fillOpacity": 0.75}

    def style_function(feature):
        name = feature["properties"]["片区 zone"]
        if name in too_few:
            return {"dashArray": "6 4", "color": TOO_FEW_HATCH_COLOR, "weight": 1.5}
        return {}

    options = {
        "tooltip": tooltip,
        "tiles": tiles,
        "style_kwds": {**style, "style_function": style_function},
        "missing_kwds": {"color": NO_DATA_COLOR, "label": "无数据 no data"},
        "legend_kwds": {
            "caption": f"{_title_zh(column)} {_title_en(column)} · {label_period}"
        },
        "name": f"{_title_zh(column)} {label_period}",
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
            categories=cats,
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
                name="弱片区集群 weak cluster",
                tooltip=["region"],
            )
    return m
