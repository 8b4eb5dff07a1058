"""Budget charts: response curves per zone and the planned vs current split."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from pondstats.budget import BudgetPlan, ResponseFit
from pondstats.budget._response import saturation_curve
from pondstats.errors import InputError
from pondstats.plotting._common import chart_labels, get_ax, with_fonts

__all__ = ["plot_response_curves", "plot_budget_plan", "BUDGET_COLORS"]

#: Colours of the budget charts.
BUDGET_COLORS: dict[str, str] = {
    "data": "#6b6b6b",
    "curve": "#2166ac",
    "band": "#92c5de",
    "range": "#f0f0f0",
    "current": "#525252",
    "planned": "#e66101",
    "increase": "#1a9850",
    "decrease": "#d7301f",
}

_WAN = FuncFormatter(lambda x, _: f"{x / 1e4:g}")  # yuan shown in 万 (10k)


def _unpack(obj) -> tuple[ResponseFit, BudgetPlan | None]:
    if isinstance(obj, BudgetPlan):
        return obj.fit, obj
    if isinstance(obj, ResponseFit):
        return obj, None
    raise InputError(
        f"expected a BudgetPlan (ps.plan_budget) or a ResponseFit (ps.fit_response), "
        f"got {type(obj).__name__}."
    )


@with_fonts
def plot_response_curves(
    plan: BudgetPlan | ResponseFit,
    *,
    regions: list[str] | None = None,
    ncols: int = 4,
    axes=None,
    level: float = 0.9,
    lang: str = "both",
) -> np.ndarray:
    """Small multiples: each zone's traffic-vs-spend curve with its data.

    Points are the zone's months (A-cards divided by the month's seasonal
    multiplier, so they line up with the curve); the line is the fitted
    curve (dashed beyond the spend range seen, shaded in grey), the band its
    ``level`` interval; with a plan, the current and planned spend are marked.

    Parameters
    ----------
    plan : BudgetPlan or ResponseFit
    regions : list of str, optional
        Zones to draw (default all, in the fit's order).
    ncols : int
        Panels per row when a new figure is made.
    axes : array of Axes, optional
        At least one Axes per zone; a new figure is made when None.
    level : float
        Level of the band.
    lang : {"both", "zh", "en"}, default "both"
        Language of the axis labels and the legend.

    Returns
    -------
    ndarray of Axes
        One per zone drawn (extra panels of a new figure are hidden).

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> p = pd.DataFrame({"region": ["东区", "西区"], "base": [10.0, 5.0],
    ...                   "gain": [30.0, 20.0], "scale": [1000.0, 2000.0],
    ...                   "close_rate": [0.13, 0.1]})
    >>> plan = ps.plan_budget(ps.ResponseFit.from_params(p), 3000)
    >>> axes = plot_response_curves(plan)
    >>> [ax.get_title() for ax in axes]
    ['东区', '西区']
    """
    L = chart_labels(lang)
    fit, bp = _unpack(plan)
    names = fit.regions if regions is None else list(regions)
    unknown = sorted(set(names) - set(fit.regions))
    if unknown:
        raise InputError(f"regions not in the fit: {unknown}. Known: {fit.regions}.")
    if axes is None:
        nrows = math.ceil(len(names) / ncols)
        fig, grid = plt.subplots(
            nrows,
            min(ncols, len(names)),
            figsize=(3.2 * min(ncols, len(names)), 2.6 * nrows),
            layout="constrained",
            squeeze=False,
        )
        flat = grid.ravel()
        for extra in flat[len(names) :]:
            extra.set_visible(False)
    else:
        flat = np.asarray(axes, dtype=object).ravel()
        if len(flat) < len(names):
            raise InputError(
                f"axes has {len(flat)} Axes for {len(names)} zones; pass one per zone."
            )
        fig = flat[0].figure
    p = fit.params.set_index("region")
    h = fit.history
    season = fit.seasonality
    q = [(1 - level) / 2, (1 + level) / 2]
    for ax, name in zip(flat, names, strict=False):
        i = fit.regions.index(name)
        row = p.loc[name]
        top = max(row["spend_max"], 1.0)
        if bp is not None:
            t = bp.table.set_index("region").loc[name]
            top = max(top, t["planned_spend"], t["current_spend"])
        s = np.linspace(0, 1.15 * top, 120)
        curve = saturation_curve(s, row["base"], row["gain"], row["scale"])
        d = fit.draws
        band = saturation_curve(
            s[None, :], d["base"][:, [i]], d["gain"][:, [i]], d["scale"][:, [i]]
        )
        lo_b, hi_b = np.quantile(band, q, axis=0)
        ax.axvspan(
            row["spend_min"], row["spend_max"], color=BUDGET_COLORS["range"], zorder=0
        )
        ax.fill_between(
            s, lo_b, hi_b, color=BUDGET_COLORS["band"], alpha=0.5, lw=0, zorder=1
        )
        inside = (s >= row["spend_min"]) & (s <= row["spend_max"])
        ax.plot(
            s,
            np.where(inside, curve, np.nan),
            color=BUDGET_COLORS["curve"],
            lw=2,
            zorder=3,
        )
        ax.plot(
            s,
            np.where(inside, np.nan, curve),
            color=BUDGET_COLORS["curve"],
            lw=1.2,
            ls="--",
            zorder=3,
        )
        if not h.empty:
            zh = h.loc[h["region"] == name]
            adj = (
                zh["a_cards"].to_numpy(float)
                / season.loc[zh["month"].dt.month].to_numpy()
            )
            ax.scatter(
                zh["spend"], adj, s=12, color=BUDGET_COLORS["data"], alpha=0.7, zorder=2
            )
        if bp is not None:
            for col, key, marker in (
                ("current_spend", "current", "o"),
                ("planned_spend", "planned", "D"),
            ):
                x = t[col]
                y = saturation_curve(x, row["base"], row["gain"], row["scale"])
                ax.scatter(
                    [x],
                    [y],
                    s=46,
                    marker=marker,
                    color=BUDGET_COLORS[key],
                    edgecolor="white",
                    zorder=5,
                )
        ax.set_title(name)
        ax.xaxis.set_major_formatter(_WAN)
        ax.set_ylim(bottom=0)
        ax.set_xlim(0, 1.15 * top)
    handles = [
        Line2D(
            [],
            [],
            color=BUDGET_COLORS["data"],
            marker="o",
            ls="",
            ms=4,
            label=L.chart("budget_points"),
        ),
        Line2D(
            [], [], color=BUDGET_COLORS["curve"], lw=2, label=L.chart("budget_curve")
        ),
        Line2D(
            [],
            [],
            color=BUDGET_COLORS["curve"],
            lw=1.2,
            ls="--",
            label=L.chart("budget_beyond"),
        ),
        Patch(
            color=BUDGET_COLORS["band"],
            alpha=0.5,
            label=f"{level:.0%} {L.chart('budget_band')}",
        ),
        Patch(color=BUDGET_COLORS["range"], label=L.chart("budget_range")),
    ]
    if bp is not None:
        handles += [
            Line2D(
                [],
                [],
                color=BUDGET_COLORS["current"],
                marker="o",
                ls="",
                label=L.chart("current"),
            ),
            Line2D(
                [],
                [],
                color=BUDGET_COLORS["planned"],
                marker="D",
                ls="",
                label=L.chart("planned"),
            ),
        ]
    if axes is None:
        fig.supxlabel(L.chart("spend_x"))
        fig.supylabel(L.chart("budget_y"))
        fig.legend(
            handles=handles,
            loc="outside upper center",
            ncols=4,
            fontsize="small",
            frameon=False,
        )
    else:
        flat[0].legend(handles=handles, fontsize="x-small", loc="lower right")
    return flat[: len(names)]


@with_fonts
def plot_budget_plan(
    plan: BudgetPlan,
    *,
    ax: Axes | None = None,
    sort: bool = True,
    lang: str = "both",
) -> Axes:
    """Planned vs current spend per zone, with each zone's allowed range.

    Grey bars are last month's spend, coloured bars the plan (green where it
    adds money, red where it takes money away); the thin line behind each
    zone is its allowed range (by default the spend range it has seen), and
    the label gives the expected deposits (C-cards) under the plan.

    Parameters
    ----------
    plan : BudgetPlan
    ax : Axes, optional
    sort : bool
        Zones sorted by planned spend (largest on top).
    lang : {"both", "zh", "en"}, default "both"
        Language of the title, the axis label and the legend.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> p = pd.DataFrame({"region": ["东区", "西区"], "base": [10.0, 5.0],
    ...                   "gain": [30.0, 20.0], "scale": [1000.0, 2000.0],
    ...                   "close_rate": [0.13, 0.1]})
    >>> ax = plot_budget_plan(ps.plan_budget(ps.ResponseFit.from_params(p), 3000))
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['西区', '东区']
    """
    L = chart_labels(lang)
    _, bp = _unpack(plan)
    if bp is None:
        raise InputError(
            "plot_budget_plan needs a BudgetPlan: ps.plan_budget(history, total)."
        )
    t = bp.table
    if sort:
        t = t.sort_values("planned_spend", kind="stable")
    ax = get_ax(ax, figsize=(8, 0.42 * len(t) + 1.6))
    y = np.arange(len(t))
    ax.barh(
        y,
        t["max_spend"] - t["min_spend"],
        left=t["min_spend"],
        height=0.9,
        fill=False,
        edgecolor="#404040",
        ls=":",
        lw=1,
        zorder=3,
        label=L.chart("allowed"),
    )
    ax.barh(
        y + 0.2,
        t["current_spend"],
        height=0.38,
        color=BUDGET_COLORS["current"],
        alpha=0.55,
        label=L.chart("current_last"),
    )
    up = (t["planned_spend"] >= t["current_spend"]).to_numpy()
    colors = np.where(up, BUDGET_COLORS["increase"], BUDGET_COLORS["decrease"])
    bars = ax.barh(y - 0.2, t["planned_spend"], height=0.38, color=colors)
    for bar, c in zip(bars, t["c_expected"], strict=True):
        ax.annotate(
            f"{c:.1f}",
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize="x-small",
        )
    ax.set_yticks(y, t["region"])
    ax.xaxis.set_major_formatter(_WAN)
    ax.set_xlabel(L.chart("spend_x"))
    tot = bp.totals
    head = L.chart(
        "plan_title",
        sep="\n",
        month=bp.month,
        planned=tot.loc["planned", "c_expected"],
        split=tot.loc["current_split", "c_expected"],
    )
    ax.set_title(f"{head}\n{L.chart('plan_numbers')}", fontsize="medium")
    handles, _ = ax.get_legend_handles_labels()
    handles += [
        Patch(color=BUDGET_COLORS["increase"], label=L.chart("plan_more")),
        Patch(color=BUDGET_COLORS["decrease"], label=L.chart("plan_less")),
    ]
    ax.legend(handles=handles, fontsize="small", loc="lower right")
    ax.set_xlim(0, max(t["max_spend"].max(), t["planned_spend"].max()) * 1.12)
    return ax
