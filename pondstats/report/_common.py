"""Helpers shared by the page modules: lookups in rate tables, KPI tiles,
the trend block, legends moved onto the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from pondstats.plotting import plot_trend
from pondstats.plotting._common import STATUS_COLORS
from pondstats.report._data import ReportData
from pondstats.report._layout import INK, Page
from pondstats.vocab import (
    Labels,
    fmt_change,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_pt,
)

NewPage = Callable[[str | None], Page]


Step = Callable[[int], None]


_STATUS_ORDER = {"weak": 0, "on_track": 1, "strong": 2, "too_few": 3}


_LIGHT = {"weak": "#fbd5cf", "strong": "#cfead8", "on_track": None, "too_few": None}


_TREND_PT = 0.01  # the trend arrow moves when the shrunk rate moves by more


def _delta_note(
    L: Labels, now: object, prev: object, year: object, *, rate: bool
) -> str:
    f = fmt_pt if rate else None
    if rate:
        a = f(float(now) - float(prev)) if _ok(now, prev) else "–"
        b = f(float(now) - float(year)) if _ok(now, year) else "–"
    else:
        a, b = fmt_change(now, prev), fmt_change(now, year)
    return f"{L('vs_last_month')} {a} · {L('vs_last_year')} {b}"


def _ok(*xs: object) -> bool:
    return all(x is not None and not pd.isna(x) for x in xs)


def _row(frame: pd.DataFrame, period: pd.Period, **keys: object) -> pd.Series | None:
    m = frame["period"] == period
    for k, v in keys.items():
        m &= frame[k] == v
    hit = frame[m]
    return None if hit.empty else hit.iloc[0]


def _get(row: pd.Series | None, col: str) -> object:
    return None if row is None else row[col]


def _rate_color(status: object) -> str:
    return {"weak": STATUS_COLORS["weak"], "strong": STATUS_COLORS["strong"]}.get(
        status if isinstance(status, str) else "", INK
    )


def _tiles(data: ReportData, frame: pd.DataFrame, **keys: object) -> list[tuple]:
    L, m, b = data.L, data.month, data.benchmark
    now, prev, year = (_row(frame, p, **keys) for p in (m, m - 1, m - 12))
    g = _get
    return [
        (
            L("a_cards"),
            fmt_int(g(now, "a_cards")),
            _delta_note(
                L, g(now, "a_cards"), g(prev, "a_cards"), g(year, "a_cards"), rate=False
            ),
            INK,
        ),
        (
            L("c_cards"),
            fmt_int(g(now, "c_cards")),
            _delta_note(
                L, g(now, "c_cards"), g(prev, "c_cards"), g(year, "c_cards"), rate=False
            ),
            INK,
        ),
        (
            L("ac_ratio"),
            fmt_num(g(now, "ac_ratio")),
            L("ac_benchmark", ratio=b.ac_ratio, sep=" · "),
            INK,
        ),
        (
            L("close_rate"),
            fmt_pct(g(now, "close_rate")),
            f"{L('benchmark')} {b.target:.0%} ({b.low:.0%}–{b.high:.0%}) · "
            + _delta_note(
                L,
                g(now, "close_rate"),
                g(prev, "close_rate"),
                g(year, "close_rate"),
                rate=True,
            ),
            _rate_color(g(now, "status")),
        ),
        (
            L("cancelled"),
            fmt_int(g(now, "cancelled")),
            L("cancelled_note", sep=" · "),
            INK,
        ),
        (
            L("unlinked"),
            fmt_int(g(now, "unlinked")),
            L("unlinked_note", sep=" · "),
            INK,
        ),
        (
            L("interval"),
            f"{fmt_pct(g(now, 'ci_low'))} – {fmt_pct(g(now, 'ci_high'))}",
            L("interval_note", sep=" · "),
            INK,
        ),
        (
            L.kpi("status", form="short"),
            data.status_label(g(now, "status")),
            L("status_note", sep=" · "),
            _rate_color(g(now, "status")),
        ),
    ]


def _trend_block(
    data: ReportData,
    page: Page,
    frame: pd.DataFrame,
    title: str,
    *,
    height: float,
    group: str | None = None,
) -> None:
    """The 13-month trend of a rate table (one group) against the band."""
    page.add_section(title)
    ax = page.add_axes(height, pad_bottom=0.75, pad_top=0.35)
    window = frame[
        (frame["period"] > data.month - 13) & (frame["period"] <= data.month)
    ]
    plot_trend(window, group, ax=ax, benchmark=data.benchmark, lang=_plot_lang(data))
    label = ax.get_ylabel()
    if data.L.lang == "both" and " " in label:
        # the short Axes holds the two-language label on two lines, not one
        # running up into the section heading
        ax.set_ylabel(label.replace(" ", "\n", 1))
    leg = ax.get_legend()
    n = 0 if leg is None else len(leg.legend_handles)
    if n > 5:  # two legend rows: the Axes gives up the room for the second
        pos, fig_h = ax.get_position(), ax.figure.get_figheight()
        ax.set_position(
            (pos.x0, pos.y0 + 0.15 / fig_h, pos.width, pos.height - 0.15 / fig_h)
        )
    _legend_below(ax, 0.42, ncol=n if n <= 5 else 4, columnspacing=1.2)


def _plot_lang(data: ReportData) -> str:
    """The charts' ``lang``: the report's own ("both", "zh" or "en")."""
    return data.L.lang


def _legend_below(
    ax: Any, inches: float, *, ncol: int, columnspacing: float = 2.0
) -> None:
    """Move the Axes' legend (drawn outside on the right by the plotting
    function) under the x-axis label, ``inches`` below the Axes, so it stays
    on the A4 page."""
    leg = ax.get_legend()
    if leg is None:
        return
    handles, labels = leg.legend_handles, [t.get_text() for t in leg.get_texts()]
    leg.remove()
    h = ax.get_position().height * ax.figure.get_figheight()
    ax.legend(
        handles,
        labels,
        loc="upper center",
        bbox_to_anchor=(0.5, -inches / h),
        ncol=ncol,
        columnspacing=columnspacing,
        fontsize=7,
        frameon=False,
    )


def _name(x: object, L: Labels) -> str:
    return L("missing_value") if not _ok(x) else str(x)


def page_x(x: float) -> float:
    """Content-relative x (inches) to the page's absolute x."""
    from pondstats.report._layout import MARGIN_X

    return MARGIN_X + x
