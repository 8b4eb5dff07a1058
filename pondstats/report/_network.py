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
        L.pick(
            f"数据覆盖 {first} 至 {m},{len(cur)} 个区域。成交率 = C卡 / A卡(当月首次来店)。",
            f"Data {first} to {m}, {len(cur)} zones. Close rate = C-cards / A-cards "
            "(first visits in the month).",
            sep="\n",
        ),
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
            L.pick(
                f"样本不足、未作判断的区域: {too_few} 个(A卡太少,成交率波动大)。",
                f"Zones with too little data to judge: {too_few} (few A-cards, "
                "noisy rates).",
                sep="\n",
            ),
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
    return L.pick(
        f"全网 A卡 {fmt_int(a)} 组,C卡 {fmt_int(c)} 台,成交率 {fmt_pct(r)}"
        f"(基准 {b.target:.0%}),较上月 {dr}。",
        f"Network: {fmt_int(a)} A-cards, {fmt_int(c)} C-cards, close rate {fmt_pct(r)} "
        f"(benchmark {b.target:.0%}), {dr} vs last month.",
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
        L.pick(
            f"状态按区间与基准 {data.benchmark.target:.0%} 比较(多重检验校正);A卡太少的区域不作判断。"
            "收缩估计借用全网信息,小区域更稳。趋势为收缩估计较上月的变化(超过1个百分点)。",
            f"Status compares the interval with the {data.benchmark.target:.0%} benchmark "
            "(corrected for testing many zones); zones with few A-cards are not judged. "
            "The shrunk rate borrows strength from the network. Trend: change of the "
            "shrunk rate vs last month (more than 1 pt).",
            sep="\n",
        ),
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
        Column(L.pick("收缩成交率", "Shrunk rate"), 1.0, "right"),
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
        L.pick(
            f"客流指数 = 区域客流 / 中位区域(1 = 中位;{basis});"
            "低于 0.75 视为客流不足。转化按成交率状态判断。",
            f"Traffic index = the zone's traffic over the median zone's (1 = median; "
            f"{basis}); below 0.75 is thin traffic. Conversion follows the rate status.",
            sep="\n",
        ),
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
        L.pick(
            f"把 {fmt_int(plan.total)} 元(与 {data.month} 相同)重新分配到各区域:预计C卡 "
            f"{fmt_num(new['c_expected'])}({fmt_num(new['c_low'])}–{fmt_num(new['c_high'])}),"
            f"维持上月比例为 {fmt_num(cur['c_expected'])};新方案更好的概率 "
            f"{fmt_pct(plan.prob_better, 0)}。每个区域的预算限制在其历史投放范围内。",
            f"Splitting {fmt_int(plan.total)} yuan (as in {data.month}) across zones: "
            f"expected C-cards {fmt_num(new['c_expected'])} ({fmt_num(new['c_low'])}–"
            f"{fmt_num(new['c_high'])}) vs {fmt_num(cur['c_expected'])} keeping last "
            f"month's split; probability the plan does better {fmt_pct(plan.prob_better, 0)}. "
            "Each zone stays within the spend range it has seen.",
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
        Column(L.pick("本月投放", "Current"), 1.3, "right"),
        Column(L.pick("建议投放", "Planned"), 1.3, "right"),
        Column(L.pick("变化", "Change"), 1.2, "right"),
        Column(L.pick("预计A卡", "Exp. A"), 1.0, "right"),
        Column(L.pick("预计C卡", "Exp. C"), 1.0, "right"),
        Column(L.pick("C卡区间", "C interval"), 1.4, "center"),
        Column(L.pick("每多一台的成本", "Cost of one more"), 1.5, "right"),
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
