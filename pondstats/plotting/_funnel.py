"""Funnel plot and trend chart of close rates (tables from ``close_rates``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.ticker import PercentFormatter

from pondstats._checks import check_frame
from pondstats.dates import parse_month
from pondstats.errors import InputError
from pondstats.plotting._common import (
    STATUS_COLORS,
    benchmark_band,
    chart_labels,
    get_ax,
    with_fonts,
)
from pondstats.plotting._quadrant import _place_labels
from pondstats.rates.stats import funnel_limits, overdispersion, wilson_interval
from pondstats.schema import RATE_COLUMNS, RATE_STATUSES, Benchmark
from pondstats.vocab import STATUSES, WORDS, Labels

__all__ = ["plot_funnel", "plot_trend"]

log = logging.getLogger(__name__)

_LIMIT_STYLE = {0.95: ("#636363", "--"), 0.998: ("#252525", ":")}


def _check_rates(rates: pd.DataFrame, need: Sequence[str]) -> list[str]:
    """Validate a close-rate table; return its group columns."""
    check_frame(
        rates,
        "rates",
        need,
        fix="Pass the table returned by ps.close_rates(visits, deposits).",
    )
    return [c for c in rates.columns if c not in (*RATE_COLUMNS, "period")]


def _labels(frame: pd.DataFrame, by: list[str], L: Labels) -> pd.Series:
    if not by:
        return pd.Series([L.word(WORDS["all"])] * len(frame), index=frame.index)
    parts = frame[by].astype("str").fillna(f"({L.word(WORDS['empty'])})")
    return parts.agg(" / ".join, axis=1)


def _status_names(
    L: Labels, words: Mapping[str, tuple[str, str]] | None = None
) -> dict[str, str]:
    """The legend names of the statuses in ``L``'s language."""
    words = {**STATUSES, **(words or {})}
    return {s: L.word(w) for s, w in words.items()}


def _benchmark(rates: pd.DataFrame, benchmark: Benchmark | None) -> Benchmark:
    if benchmark is not None:
        return benchmark
    b = rates.attrs.get("benchmark")
    return b if isinstance(b, Benchmark) else Benchmark()


@with_fonts
def plot_funnel(
    rates: pd.DataFrame,
    *,
    period: str | pd.Period | None = None,
    benchmark: Benchmark | None = None,
    levels: Sequence[float] = (0.95, 0.998),
    overdispersed: bool = True,
    annotate: str = "flagged",
    lang: str = "zh",
    status_words: Mapping[str, tuple[str, str]] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Funnel plot: close rate against A-cards, with overdispersed control limits.

    Each group is a point coloured by its ``status``; the benchmark target
    (13%) is the centre line inside the 8%-20% band. The control limits
    ``target +- z sqrt(target (1 - target) / n + tau^2)`` use the between-group
    variance ``tau^2`` estimated from the groups shown (Spiegelhalter's
    additive overdispersion; FunnelPlotR's default is the plain binomial
    ``tau^2 = 0``, which flags too many large groups when groups genuinely
    differ).

    Parameters
    ----------
    rates : DataFrame
        A table from :func:`pondstats.close_rates`.
    period : str or Period, optional
        Which period to draw when the table has several; the latest by default.
    benchmark : Benchmark, optional
        Defaults to ``rates.attrs["benchmark"]``, else ``Benchmark()``.
    levels : sequence of float, default (0.95, 0.998)
        Coverage of the control limits drawn.
    overdispersed : bool, default True
        Widen the limits by the between-group variance (False: binomial limits).
    annotate : {"flagged", "all", "none"}, default "flagged"
        Which points get their group name written next to them.
    lang : {"zh", "en", "both"}, default "zh"
        Language of every text of the chart (title, axes, legend, the "all"
        label); "both" writes 中文 English.
    status_words : mapping, optional
        The legend's ``(zh, en)`` name of each status class (default
        ``vocab.STATUSES``); the report names them by the verdicts they stand
        for (``vocab.VERDICT_CLASSES``).
    ax : Axes, optional
        Drawn on a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pondstats as ps
    >>> s = ps.make_sample(months=3)
    >>> ax = ps.plot_funnel(ps.close_rates(s.visits, s.deposits))
    >>> ax.get_xlabel()
    'A卡（首次来店组数）'
    >>> ps.plot_funnel(ps.close_rates(s.visits, s.deposits), lang="en").get_xlabel()
    'A-cards (first visits)'
    """
    by = _check_rates(rates, ["a_cards", "c_cards", "close_rate", "status"])
    if annotate not in ("flagged", "all", "none"):
        raise InputError(
            f"annotate must be 'flagged', 'all' or 'none', got {annotate!r}."
        )
    L = chart_labels(lang)
    names = _status_names(L, status_words)
    b = _benchmark(rates, benchmark)
    frame = rates
    title_period = ""
    if "period" in rates.columns and rates["period"].notna().any():
        want = (
            rates["period"].max()
            if period is None
            else parse_month(period, name="period").asfreq(rates["period"].dt.freq)
        )
        frame = rates[rates["period"] == want]
        if frame.empty:
            raise InputError(
                f"no rows for period {want}; the table covers "
                f"{rates['period'].min()} to {rates['period'].max()}."
            )
        title_period = f" {want}"
    frame = frame[frame["a_cards"] > 0]
    if frame.empty:
        raise InputError("no group has any A-card: nothing to draw.")
    ax = get_ax(ax, figsize=(8, 5.5))
    n = frame["a_cards"].to_numpy(dtype="float64")
    k = np.minimum(frame["c_cards"].to_numpy(dtype="float64"), n)
    tau2 = overdispersion(k, n, target=b.target) if overdispersed else 0.0
    benchmark_band(ax, b, lang=lang)
    grid = np.geomspace(max(1.0, n.min() * 0.7), n.max() * 1.4, 300)
    for level in levels:
        colour, style = _LIMIT_STYLE.get(level, ("#636363", "-."))
        lo, hi = funnel_limits(grid, target=b.target, tau2=tau2, level=level)
        what = L.chart("overdispersed" if tau2 > 0 else "binomial")
        ax.plot(
            grid,
            lo,
            color=colour,
            ls=style,
            lw=1,
            label=f"{level:.1%} {L.chart('limits')} ({what})",
        )
        ax.plot(grid, hi, color=colour, ls=style, lw=1)
    for status in RATE_STATUSES:
        sel = (frame["status"] == status).to_numpy()
        if not sel.any():
            continue
        ax.scatter(
            n[sel],
            frame["close_rate"].to_numpy()[sel],
            s=46,
            color=STATUS_COLORS[status],
            edgecolors="#404040",
            linewidths=0.7,
            zorder=3,
            label=f"{names[status]} ({int(sel.sum())})",
            gid=f"status:{status}",
        )
    if annotate != "none":
        labels = _labels(frame, by, L)
        show = (
            frame["status"].isin(["weak", "strong"])
            if annotate == "flagged"
            else pd.Series(True, index=frame.index)
        )
    if n.max() / max(n.min(), 1.0) > 20:
        ax.set_xscale("log")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    top = max(b.high * 1.4, float(np.nanmax(frame["close_rate"])) * 1.1)
    ax.set_ylim(0, min(1.0, top))
    if annotate != "none":
        # each label where it covers no other label or point (as the quadrant's)
        ax.set_xlim(ax.get_xlim())  # fix the limits before measuring the labels
        rate = frame["close_rate"].to_numpy(dtype="float64")
        sel = show.to_numpy(bool)
        _place_labels(
            ax,
            n[sel],
            rate[sel],
            [str(x) for x in labels[sel]],
            np.full(int(sel.sum()), np.sqrt(46) / 2),
            others=(n[~sel], rate[~sel]),
        )
    ax.set_xlabel(L.chart("funnel_x"))
    ax.set_ylabel(L.chart("rate_y"))
    ax.set_title(L.chart("funnel_title") + title_period)
    _place_legend(ax)
    return ax


#: Legend positions tried, in order, before the legend goes outside the Axes.
_LEGEND_SPOTS = (
    "upper right",
    "lower right",
    "upper left",
    "lower left",
    "center right",
)


def _place_legend(ax: Axes) -> None:
    """A legend that covers no point and no zone label: the first corner of
    the Axes whose legend box is clear of every marker and annotation, else
    outside the Axes on the right. Without a renderer, the upper right."""
    fig = ax.get_figure(root=True)
    renderer = fig._get_renderer() if hasattr(fig, "_get_renderer") else None
    if renderer is None:
        ax.legend(fontsize=8, loc="upper right", framealpha=0.9)
        return
    boxes = [t.get_window_extent(renderer) for t in ax.texts if t.get_text()]
    scale = fig.dpi / 72.0
    for coll in ax.collections:
        offsets = coll.get_offsets()
        if not len(offsets):
            continue
        r = float(np.sqrt(np.max(coll.get_sizes(), initial=36.0))) / 2 * scale + 1
        for cx, cy in coll.get_offset_transform().transform(offsets):
            boxes.append((cx - r, cy - r, cx + r, cy + r))
    extents = [getattr(b, "extents", b) for b in boxes]
    for loc in _LEGEND_SPOTS:
        leg = ax.legend(fontsize=8, loc=loc, framealpha=0.9)
        x0, y0, x1, y1 = leg.get_window_extent(renderer).extents
        if not any(
            min(x1, b[2]) > max(x0, b[0]) and min(y1, b[3]) > max(y0, b[1])
            for b in extents
        ):
            return
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)


@with_fonts
def plot_trend(
    rates: pd.DataFrame,
    groups: object | Sequence[object] | None = None,
    *,
    benchmark: Benchmark | None = None,
    max_groups: int = 3,
    lang: str = "zh",
    ax: Axes | None = None,
) -> Axes:
    """A group's monthly close rate with its interval, against the benchmark band.

    Parameters
    ----------
    rates : DataFrame
        A table from :func:`pondstats.close_rates` with a ``period`` column.
    groups : value or list of values, optional
        Groups to draw (values of the group column; tuples when grouped by
        several columns). By default the ``max_groups`` most credibly weak
        groups: the lowest upper 95% Wilson bound of the rate pooled over the
        table (a tiny zone with a low rate is not "weakest" on noise).
    benchmark : Benchmark, optional
        Defaults to ``rates.attrs["benchmark"]``, else ``Benchmark()``.
    max_groups : int, default 3
        How many groups to pick when ``groups`` is None.
    lang : {"zh", "en", "both"}, default "zh"
        Language of every text of the chart (title, axes, legend).
    ax : Axes, optional
        Drawn on a new figure when omitted.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pondstats as ps
    >>> s = ps.make_sample(months=6)
    >>> rates = ps.close_rates(s.visits, s.deposits)
    >>> ax = ps.plot_trend(rates, ["北岭县", "东湖区"])
    >>> [line.get_label() for line in ax.get_lines()][1:]
    ['北岭县', '东湖区']
    """
    by = _check_rates(
        rates,
        ["period", "a_cards", "c_cards", "close_rate", "ci_low", "ci_high", "status"],
    )
    L = chart_labels(lang)
    names = _status_names(L)
    b = _benchmark(rates, benchmark)
    labels = _labels(rates, by, L)
    if groups is None:
        pooled = rates.groupby(labels, sort=False)[["c_cards", "a_cards"]].sum()
        pooled = pooled[pooled["a_cards"] > 0]
        k = np.minimum(pooled["c_cards"], pooled["a_cards"]).to_numpy()
        _, upper = wilson_interval(k, pooled["a_cards"].to_numpy())
        # the most credibly low: lowest upper bound of the pooled rate
        wanted = list(pd.Series(upper, index=pooled.index).nsmallest(max_groups).index)
    else:
        items = (
            [groups]
            if isinstance(groups, str | tuple) or np.isscalar(groups)
            else list(groups)
        )
        wanted = [
            " / ".join(map(str, g)) if isinstance(g, tuple) else str(g) for g in items
        ]
        unknown = [g for g in wanted if g not in set(labels)]
        if unknown:
            raise InputError(
                f"group(s) {unknown} not in the table; available: "
                f"{sorted(set(labels))[:10]}..."
            )
    ax = get_ax(ax, figsize=(9, 4.8))
    benchmark_band(ax, b, lang=lang)
    cycle = ["#2c7bb6", "#7b3294", "#e66101", "#008837", "#5e3c99", "#a6611a"]
    seen_status: set[str] = set()
    for i, g in enumerate(wanted):
        part = rates[(labels == g).to_numpy()].sort_values("period")
        part = part[part["a_cards"] > 0]
        x = part["period"].dt.to_timestamp().to_numpy()
        colour = cycle[i % len(cycle)]
        ax.plot(x, part["close_rate"], color=colour, lw=1.6, label=g, zorder=3)
        ax.fill_between(
            x, part["ci_low"], part["ci_high"], color=colour, alpha=0.15, lw=0, zorder=2
        )
        for status in RATE_STATUSES:
            sel = (part["status"] == status).to_numpy()
            if sel.any():
                ax.scatter(
                    x[sel],
                    part["close_rate"].to_numpy()[sel],
                    s=30,
                    color=STATUS_COLORS[status],
                    edgecolors=colour,
                    linewidths=1.0,
                    zorder=4,
                    label=None if status in seen_status else names[status],
                    gid=f"status:{status}",
                )
                seen_status.add(status)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
    ax.set_ylim(bottom=0)
    ax.set_xlabel(L.chart("month_x"))
    ax.set_ylabel(L.chart("rate_y"))
    ax.set_title(L.chart("trend_title"))
    ax.legend(fontsize=8, loc="upper left", ncols=2, framealpha=0.9)
    return ax
