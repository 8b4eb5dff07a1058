"""The weak-zone map: a choropleth of close rates (or their status) per zone.

The quadrant is in :mod:`._quadrant`, the interactive map in :mod:`._explore`.

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
import shapely
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import TwoSlopeNorm, to_hex
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter
from shapely.geometry.polygon import orient

from pondstats.errors import InputError
from pondstats.plotting._common import STATUS_COLORS, chart_labels, get_ax, with_fonts
from pondstats.schema import Benchmark
from pondstats.vocab import KPIS, STATUSES, WORDS, both
from pondstats.zones._diagnosis import weak_clusters, zone_rates

__all__ = ["NO_DATA_COLOR", "plot_zone_map"]

#: Face colour of zones with no data at all: a mid grey that is no class.
NO_DATA_COLOR = "#8c8c8c"
#: Hatch pattern and colour of zones with too little data to judge.
TOO_FEW_HATCH = "////"
TOO_FEW_HATCH_COLOR = "#4d4d4d"
#: How far the colour of a too-few zone is blended towards white.
TOO_FEW_WASH = 0.6
CLUSTER_COLOR = "#2d004b"


#: The rate columns a map can colour (besides ``status``); names in vocab.KPIS.
_RATE_COLUMNS = ("close_rate", "shrunk_rate")


def _geom_path(geom) -> MplPath:
    """One compound matplotlib Path for a (multi)polygon, holes included."""
    polys = list(geom.geoms) if geom.geom_type == "MultiPolygon" else [geom]
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in polys:
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        poly = orient(poly, sign=1.0)  # holes wind the other way: not filled
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
    labels: bool | str = True,
    min_a_cards: int | None = None,
    title: str | None = None,
    source: str | None = None,
    aliases: Mapping[str, str] | None = None,
    cmap: str = "RdYlGn",
    legend: bool = True,
    period_label: str | None = None,
    lang: str = "both",
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
    labels : bool or "all", default True
        Write the zone name and rate on each zone. With more than 20 zones,
        zones under 15% of the median zone's area are left unlabelled
        (their labels would cover their neighbours'); ``"all"`` labels
        every zone.
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
    lang : {"both", "zh", "en"}, default "both"
        Language of every text of the map (title, labels, legend, colour
        bar, note); "both" writes 中文 English. Zone names are as given.

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
    >>> ps.plot_zone_map(z, r, lang="en").get_title()
    'Close rate by zone · all'
    """
    L = chart_labels(lang)
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
    if label_period == both(WORDS["all"]):  # a whole-range table
        label_period = L.word(WORDS["all"])
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
        area = shapely.area(np.asarray(zr.geometry))  # degrees², compared only
        tiny = (
            area < 0.15 * np.median(area)
            if n_zones > 20 and labels != "all"
            else np.zeros(n_zones, dtype=bool)
        )
        for i, row in enumerate(zr.itertuples(index=False)):
            if tiny[i]:
                continue
            if no_data[i]:
                second = L.word(WORDS["no_data"])
            elif column == "status" and np.isnan(rates_shown.iloc[i]):
                status = STATUSES.get(row.status, (str(row.status),) * 2)
                second = status[1] if lang == "en" else status[0]
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

    name_zh, name_en = KPIS[column].name
    if title is None:
        name = L.word(WORDS["map_title"], zh=name_zh, en=name_en)
        title = f"{name} · {label_period}"
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
                        label=L.word(STATUSES[s]),
                    )
                )
        else:
            sm = ScalarMappable(norm=norm, cmap=colormaps[cmap])
            cbar = fig.colorbar(sm, ax=ax, shrink=0.6, extend="max", pad=0.02)
            ticks = sorted({0.0, b.low, b.target, b.high, norm.vmax})
            cbar.set_ticks(ticks)
            cbar.ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: _pct(v)))
            cbar.ax.axhline(b.target, color="black", lw=1.2)
            bench = L.word(WORDS["benchmark"])
            what = L.pick(name_zh, f"{name_en[:1].lower()}{name_en[1:]}")
            cbar.set_label(f"{what} ({bench} {_pct(b.target)})")
        handles.append(
            Patch(
                facecolor=NO_DATA_COLOR,
                edgecolor="white",
                label=L.word(WORDS["no_data"]),
            )
        )
        if column != "status":
            handles.append(
                Patch(
                    facecolor="white",
                    edgecolor=TOO_FEW_HATCH_COLOR,
                    lw=0.5,
                    hatch=TOO_FEW_HATCH,
                    label=f"{L.word(WORDS['too_few_judge'])} ({L.word(WORDS['pale'])})",
                )
            )
        if len(marked):
            handles.append(
                Patch(
                    facecolor="none",
                    edgecolor=CLUSTER_COLOR,
                    lw=2.4,
                    label=L.word(WORDS["weak_cluster"]),
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
    note.append(f"{L.chart('map_period')}: {label_period}")
    note.append(
        f"{L.chart('map_rate_note')}; {L.chart('map_benchmark')} "
        f"{_pct(b.target)} ({_pct(b.low)}-{_pct(b.high)})"
    )
    if len(marked):
        note.append(L.chart("map_clusters"))
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
