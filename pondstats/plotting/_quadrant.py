"""The traffic x conversion quadrant of the weak-zone diagnosis."""

from __future__ import annotations

import matplotlib.patheffects as pe
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.text import Text
from matplotlib.ticker import PercentFormatter

from pondstats.errors import InputError
from pondstats.plotting._common import benchmark_band, chart_labels, get_ax, with_fonts
from pondstats.schema import Benchmark
from pondstats.vocab import ACTIONS, WORDS, both

__all__ = ["PROBLEM_COLORS", "plot_quadrant"]

#: Where each problem's action is written: x, y (axes fraction), ha, va.
_CORNERS = {
    "traffic": (0.01, 0.98, "left", "top"),
    "none": (0.99, 0.98, "right", "top"),
    "both": (0.01, 0.02, "left", "bottom"),
    "conversion": (0.99, 0.02, "right", "bottom"),
}

#: Marker colours of :func:`plot_quadrant`, per problem.
PROBLEM_COLORS: dict[str, str] = {
    "traffic": "#4575b4",
    "conversion": "#d7301f",
    "both": "#7b3294",
    "none": "#1a9850",
}


@with_fonts
def plot_quadrant(
    diag: pd.DataFrame,
    *,
    ax: Axes | None = None,
    benchmark: Benchmark | None = None,
    labels: bool = True,
    title: str | None = None,
    lang: str = "both",
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
    lang : {"both", "zh", "en"}, default "both"
        Language of every text of the chart (title, axes, legend, the actions
        in the corners); "both" writes 中文 English.

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
    '客流指数(1 = 中位片区) traffic index (1 = median zone)'
    >>> ps.plot_quadrant(ps.diagnose_zones(r), lang="en").get_xlabel()
    'traffic index (1 = median zone)'
    """
    need = ("region", "traffic_index", "shrunk_rate", "problem")
    missing = [c for c in need if c not in diag.columns]
    if missing:
        raise InputError(
            f"plot_quadrant needs the table of ps.diagnose_zones(rates, zones); {missing} "
            f"missing (found {list(diag.columns)})."
        )
    L = chart_labels(lang)
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

    benchmark_band(ax, b, orientation="h", label=True, lang=lang)
    ax.axvline(1.0, color="#888888", lw=0.8, ls=":", zorder=1)
    ax.axvline(
        low,
        color="#4575b4",
        lw=1.0,
        ls="--",
        zorder=1,
        label=L.chart("thin_traffic", low=low),
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
            label=L.word(ACTIONS[problem]),
        )
    if (~judged).any():
        ax.scatter(
            [],
            [],
            s=40,
            facecolors="white",
            edgecolors="#555555",
            label=L.word(WORDS["hollow"]),
        )
    finite_y = y[np.isfinite(y)]
    ytop = max(b.high * 1.25, float(finite_y.max()) * 1.1 if len(finite_y) else 0)
    ax.set_ylim(0, ytop)
    finite_x = x[np.isfinite(x)]
    ax.set_xlim(0, max(2.0, float(finite_x.max()) * 1.1 if len(finite_x) else 2.0))
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    if labels:
        _place_labels(ax, x, y, diag["region"].astype(str).tolist(), np.sqrt(sizes) / 2)
    corner = {
        "fontsize": 9,
        "color": "#666666",
        "alpha": 0.9,
        "transform": ax.transAxes,
    }
    for problem, (x0, y0, ha, va) in _CORNERS.items():
        ax.text(x0, y0, L.word(ACTIONS[problem]), ha=ha, va=va, **corner)
    basis = (
        str(diag["traffic_basis"].iloc[0])
        if "traffic_basis" in diag and len(diag)
        else ""
    )
    ax.set_xlabel(L.chart("quadrant_x"))
    if basis.startswith("a_cards per"):
        ax.set_xlabel(L.chart("quadrant_x_potential"))
    ax.set_ylabel(L.chart("quadrant_y"))
    period = diag.attrs.get("pondstats", {}).get("period", "")
    if period == both(WORDS["all"]):  # a whole-range table
        period = L.word(WORDS["all"])
    ax.set_title(title or f"{L.chart('quadrant_title')} · {period}", fontsize=12)
    leg = ax.legend(
        loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False
    )
    for handle in leg.legend_handles:
        if isinstance(handle, PathCollection):
            handle.set_sizes(
                [60]
            )  # one marker size in the legend, whatever the A-cards
    return ax


def _overlap(a, b) -> float:
    """Area shared by two display-space boxes (x0, y0, x1, y1)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return max(w, 0.0) * max(h, 0.0)


def _text_box(text, renderer) -> tuple[float, float, float, float]:
    """Display box of an annotation's text alone (without its leader line)."""
    text.update_positions(renderer)
    return tuple(Text.get_window_extent(text, renderer).extents)


def _place_labels(
    ax, x, y, names: list[str], radii_pt, *, others=None, other_radius: float = 3.5
) -> None:
    """Label each point where its text covers no other label or marker.

    Greedy: the biggest markers are labelled first; each label tries eight
    positions around its marker and takes the first that is free (inside the
    Axes, clear of placed labels and of every marker, ``others`` included:
    ``(x, y)`` of unlabelled points of ``other_radius`` points), else the
    least crowded one. Texts carry ``gid="label:<name>"``.
    """
    halo = [pe.withStroke(linewidth=2, foreground="white")]
    fig = ax.get_figure(root=True)
    # any canvas (Agg, PDF, a bare Figure's) can give a renderer this way
    renderer = fig._get_renderer() if hasattr(fig, "_get_renderer") else None
    ok = np.isfinite(x) & np.isfinite(y)
    px = ax.transData.transform(
        np.column_stack([np.where(ok, x, 0), np.where(ok, y, 0)])
    )
    scale = ax.figure.dpi / 72.0
    markers = [
        (cx - r * scale, cy - r * scale, cx + r * scale, cy + r * scale)
        for (cx, cy), r in zip(px, radii_pt, strict=True)
    ]
    extra = []
    if others is not None and len(others[0]):
        ox, oy = (np.asarray(v, dtype="float64") for v in others)
        fine = np.isfinite(ox) & np.isfinite(oy)
        r = other_radius * scale
        extra = [
            (cx - r, cy - r, cx + r, cy + r)
            for cx, cy in ax.transData.transform(np.column_stack([ox[fine], oy[fine]]))
        ]
    axes_box = ax.get_window_extent(renderer).extents if renderer is not None else None
    placed: list[tuple[float, float, float, float]] = []
    for i in np.argsort(-np.asarray(radii_pt), kind="stable"):
        if not ok[i]:
            continue
        base = float(radii_pt[i]) + 2.0
        candidates = []
        for ring, gap in enumerate((base, base + 14.0, base + 28.0)):
            d = gap * 0.7
            for offset, ha, va in (
                ((gap, 0), "left", "center"),
                ((-gap, 0), "right", "center"),
                ((0, gap), "center", "bottom"),
                ((0, -gap), "center", "top"),
                ((d, d), "left", "bottom"),
                ((-d, d), "right", "bottom"),
                ((d, -d), "left", "top"),
                ((-d, -d), "right", "top"),
            ):
                candidates.append((offset, ha, va, ring))
        best = None
        for offset, ha, va, ring in candidates:
            leader = (
                {"arrowstyle": "-", "color": "#999999", "lw": 0.6} if ring else None
            )
            text = ax.annotate(
                names[i],
                (x[i], y[i]),
                xytext=offset,
                textcoords="offset points",
                ha=ha,
                va=va,
                fontsize=8,
                path_effects=halo,
                zorder=4,
                gid=f"label:{names[i]}",
                arrowprops=leader,
            )
            if renderer is None:
                best = (0.0, text)
                break
            box = _text_box(text, renderer)
            cost = sum(_overlap(box, b) for b in placed) + ring * 1e-3
            cost += sum(
                _overlap(box, m) for j, m in enumerate(markers) if j != i and ok[j]
            )
            cost += sum(_overlap(box, m) for m in extra)
            if axes_box is not None:
                inside = _overlap(box, axes_box)
                cost += ((box[2] - box[0]) * (box[3] - box[1]) - inside) * 10
            if best is None or cost < best[0]:
                if best is not None:
                    best[1].remove()
                best = (cost, text)
            else:
                text.remove()
            if cost <= ring * 1e-3:
                break
        if renderer is not None:
            placed.append(_text_box(best[1], renderer))
