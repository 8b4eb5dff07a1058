"""The network pages: summary, map and funnel, zone table, traffic vs
conversion, budget."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pondstats.plotting import (
    plot_budget_plan,
    plot_funnel,
    plot_quadrant,
    plot_zone_map,
)
from pondstats.report._common import (
    _LIGHT,
    _STATUS_ORDER,
    _TREND_PT,
    NewPage,
    _get,
    _legend_below,
    _ok,
    _plot_lang,
    _row,
    _tiles,
    _trend_block,
)
from pondstats.report._data import ReportData
from pondstats.report._layout import Column, Page
from pondstats.vocab import PROBLEMS, fmt_int, fmt_num, fmt_pct, fmt_pt

__all__ = [
    "summary_pages",
    "map_funnel_pages",
    "zone_table_pages",
    "quadrant_pages",
    "budget_pages",
]


def summary_pages(
    data: ReportData, new_page: NewPage, *, only: str | None = None
) -> list[Page]:
    """Network summary: KPI tiles, the 13-month trend, weak and strong zones."""
    L, m = data.L, data.month
    page = new_page(f"{L('report')} · {m}")
    first = pd.Period(data.visits["visit_date"].min(), freq="M")
    cur = data.current()
    page.add_paragraph(
        L("summary_intro", first=first, m=m, n=len(cur), sep="\n"),
        color="#444444",
    )
    page.add_section(L("network"))
    nt = data.network.assign(_k=0)
    page.add_tiles(_tiles(data, nt, _k=0))
    if only is not None:
        page.add_section(data.zone_name(only))
        page.add_tiles(_tiles(data, data.rates, region=only))
    _trend_block(
        data,
        page,
        data.network,
        L("network_trend_13"),
        height=3.0 if only is None else 2.6,
    )
    if only is None:
        page.add_section(L("this_month"))
        page.add_paragraph(_headline(data, nt, _k=0))
        for status in ("weak", "strong"):
            names = [
                data.zone_name(r) for r in cur.loc[cur["status"] == status, "region"]
            ]
            key = "weak_zones" if status == "weak" else "strong_zones"
            page.add_paragraph(f"{L(key)} ({len(names)}): " + ("、".join(names) or "–"))
        too_few = int((cur["status"] == "too_few").sum())
        page.add_paragraph(
            L("too_few_zones", n=too_few, sep="\n"),
            color="#444444",
        )
    return [page]


def _headline(data: ReportData, frame: pd.DataFrame, **keys: object) -> str:
    """One sentence with the month's key figures."""
    L, m, b = data.L, data.month, data.benchmark
    now, prev = _row(frame, m, **keys), _row(frame, m - 1, **keys)
    a, c, r = (_get(now, k) for k in ("a_cards", "c_cards", "close_rate"))
    dr = (
        fmt_pt(float(r) - float(_get(prev, "close_rate")))
        if _ok(r, _get(prev, "close_rate"))
        else "–"
    )
    return L(
        "headline",
        a=fmt_int(a),
        c=fmt_int(c),
        r=fmt_pct(r),
        target=b.target,
        dr=dr,
        sep="\n",
    )


def map_funnel_pages(data: ReportData, new_page: NewPage) -> list[Page]:
    """The zone map (when zones are given) and the funnel plot."""
    have_map = data.zones is not None
    L = data.L
    page = new_page(L("map_funnel") if have_map else L("funnel"))
    if have_map:
        h = 5.9
        # room above for the map's title, below for its legend and source note
        ax = page.add_axes(
            h, pad_left=0.05, pad_bottom=0.9, pad_top=0.4, pad_right=0.05
        )
        plot_zone_map(
            data.zones, data.rates, period=data.month, ax=ax, benchmark=data.benchmark
        )
    ax = page.add_axes(page.room() - 0.05, pad_bottom=0.55, pad_top=0.35)
    plot_funnel(
        data.rates,
        period=data.month,
        ax=ax,
        benchmark=data.benchmark,
        lang=_plot_lang(data),
    )
    return [page]


def _arrow(data: ReportData, region: str) -> str:
    now = _get(_row(data.rates, data.month, region=region), "shrunk_rate")
    prev = _get(_row(data.rates, data.month - 1, region=region), "shrunk_rate")
    if not _ok(now, prev):
        return "–"
    diff = float(now) - float(prev)
    if diff > _TREND_PT:
        return "↑"
    if diff < -_TREND_PT:
        return "↓"
    return "→"


def zone_table_pages(
    data: ReportData, new_page: NewPage, *, highlight: str | None = None
) -> list[Page]:
    """The zone table: A, C, A/C, rate, interval, status, trend; weak first."""
    L = data.L
    cur = data.current().copy()
    cur["_o"] = cur["status"].map(_STATUS_ORDER).fillna(9)
    cur = cur.sort_values(["_o", "shrunk_rate", "region"], kind="stable")
    cols = [
        Column(L("zone"), 2.3),
        Column(L.kpi("a_cards", form="short"), 0.9, "right"),
        Column(L.kpi("c_cards", form="short"), 0.9, "right"),
        Column(L.kpi("ac_ratio", form="short"), 0.8, "right"),
        Column(L.kpi("close_rate", form="short"), 1.0, "right"),
        Column(L("interval"), 1.6, "center"),
        Column(L.kpi("shrunk_rate", form="short"), 1.0, "right"),
        Column(L.kpi("status", form="short"), 2.2),
        Column(L("trend"), 0.8, "center"),
    ]
    rows, fills = [], []
    for r in cur.itertuples(index=False):
        rows.append(
            [
                data.zone_name(r.region),
                fmt_int(r.a_cards),
                fmt_int(r.c_cards),
                fmt_num(r.ac_ratio),
                fmt_pct(r.close_rate),
                f"{fmt_pct(r.ci_low)} – {fmt_pct(r.ci_high)}",
                fmt_pct(r.shrunk_rate),
                data.status_label(r.status),
                _arrow(data, r.region),
            ]
        )
        fill = [None] * len(cols)
        fill[7] = _LIGHT.get(r.status)
        if highlight is not None and r.region == highlight:
            fill[0] = "#fff2b3"
        fills.append(fill)
    title = L("zone_table")
    pages = [new_page(title)]
    pages[0].add_paragraph(
        L("zone_table_note", target=data.benchmark.target, sep="\n"),
        size=8,
        color="#444444",
    )
    while rows:
        n = pages[-1].add_table(cols, rows, fills=fills)
        rows, fills = rows[n:], fills[n:]
        if rows:
            pages.append(new_page(f"{title} {L('continued')}"))
    return pages


def quadrant_pages(data: ReportData, new_page: NewPage) -> list[Page]:
    """Traffic vs conversion: the quadrant chart and the action per zone."""
    diag = data.diagnosis
    if diag is None:
        return []
    L = data.L
    pages = [new_page(L("quadrant"))]
    ax = pages[0].add_axes(
        5.0, pad_left=0.7, pad_bottom=1.15, pad_top=0.35, pad_right=0.15
    )
    plot_quadrant(diag, ax=ax, benchmark=data.benchmark)
    _legend_below(ax, 0.55, ncol=3)
    pages[0].gap(0.1)
    t = diag[diag["region"].isin(data.current()["region"])].copy()
    t["_o"] = (
        t["problem"]
        .map({"both": 0, "conversion": 1, "traffic": 2, "none": 3})
        .fillna(9)
    )
    t = t.sort_values(["_o", "region"], kind="stable")
    basis = str(t["traffic_basis"].iloc[0]) if len(t) else ""
    cols = [
        Column(L("zone"), 1.8),
        Column(L.kpi("a_cards", form="short"), 0.6, "right"),
        Column(L("traffic_index"), 1.0, "right"),
        Column(L.kpi("shrunk_rate", form="short"), 1.0, "right"),
        Column(L.kpi("status", form="short"), 1.9),
        Column(L("problem"), 1.5),
        Column(L("action"), 3.2),
    ]
    rows, fills = [], []
    for r in t.itertuples(index=False):
        rows.append(
            [
                data.zone_name(r.region),
                fmt_int(r.a_cards),
                fmt_num(r.traffic_index, 2),
                fmt_pct(r.shrunk_rate),
                data.status_label(r.status),
                L.word(PROBLEMS.get(r.problem, (str(r.problem),) * 2)),
                L.pick(str(r.action_zh), str(r.action_en)),
            ]
        )
        fill = [None] * len(cols)
        if r.problem != "none":
            fill[5] = fill[6] = "#fde6c8"
        fills.append(fill)
    pages[0].add_paragraph(
        L("quadrant_note", basis=basis, sep="\n"),
        size=7.5,
        color="#444444",
    )
    while rows:
        n = pages[-1].add_table(cols, rows, fills=fills, size=7.5, max_lines=2)
        rows, fills = rows[n:], fills[n:]
        if rows:
            pages.append(new_page(f"{L('quadrant')} {L('continued')}"))
    return pages


def budget_pages(data: ReportData, new_page: NewPage) -> list[Page]:
    """Next month's budget split (when spend is given)."""
    plan = data.plan
    if plan is None:
        return []
    L = data.L
    pages = [new_page(f"{L('budget')} · {plan.month}")]
    tot = plan.totals
    cur, new = tot.loc["current_split"], tot.loc["planned"]
    pages[0].add_paragraph(
        L(
            "budget_note",
            total=fmt_int(plan.total),
            month=data.month,
            c=fmt_num(new["c_expected"]),
            c_low=fmt_num(new["c_low"]),
            c_high=fmt_num(new["c_high"]),
            c_now=fmt_num(cur["c_expected"]),
            p=fmt_pct(plan.prob_better, 0),
            sep="\n",
        )
    )
    n = len(plan.table)
    ax = pages[0].add_axes(
        min(1.5 + 0.2 * n, 5.2), pad_left=1.0, pad_bottom=0.55, pad_top=0.6
    )
    plot_budget_plan(plan, ax=ax)
    if ax.get_legend() is not None:
        _legend_below(ax, 0.4, ncol=4)
        pages[0].gap(0.2)
    t = plan.table.copy()
    t["_code"] = [data.code_of(r) or "~" for r in t["region"]]
    t = t.sort_values(["_code", "region"], kind="stable")
    cols = [
        Column(L("zone"), 2.2),
        Column(L("spend_current"), 1.3, "right"),
        Column(L("spend_planned"), 1.3, "right"),
        Column(L("change"), 1.2, "right"),
        Column(L("a_expected"), 1.0, "right"),
        Column(L("c_expected"), 1.0, "right"),
        Column(L("c_interval"), 1.4, "center"),
        Column(L("cost_of_one_more"), 1.5, "right"),
    ]
    rows, fills = [], []
    for r in t.itertuples(index=False):
        rows.append(
            [
                data.zone_name(r.region),
                fmt_int(r.current_spend),
                fmt_int(r.planned_spend),
                f"{float(r.change):+,.0f}" if _ok(r.change) else "–",
                fmt_num(r.a_expected, 0),
                fmt_num(r.c_expected),
                f"{fmt_num(r.c_low)}–{fmt_num(r.c_high)}",
                fmt_int(r.marginal_cost)
                if _ok(r.marginal_cost) and np.isfinite(r.marginal_cost)
                else "–",
            ]
        )
        fill = [None] * len(cols)
        if _ok(r.change) and r.change > 0:
            fill[3] = "#cfead8"
        elif _ok(r.change) and r.change < 0:
            fill[3] = "#fbd5cf"
        fills.append(fill)
    while rows:
        n = pages[-1].add_table(cols, rows, fills=fills, size=7.5)
        rows, fills = rows[n:], fills[n:]
        if rows:
            pages.append(new_page(f"{L('budget')} {L('continued')}"))
    return pages
