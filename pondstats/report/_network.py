"""The network pages: summary, map and funnel, zone table, traffic vs
conversion, budget."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pondstats.plotting import (
    plot_budget_plan,
    plot_funnel,
    plot_quadrant,
    plot_zone_map,
)
from pondstats.report._common import (
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
from pondstats.report._layout import Column, Page, wrap_text
from pondstats.vocab import (
    PROBLEMS,
    VERDICT_ACTIONS,
    VERDICT_CLASSES,
    WORDS,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_pt,
)
from pondstats.zones import VERDICT_ORDER

#: Cell colours of the verdicts (weak red, strong green, as the charts).
_VERDICT_FILL = {
    "persistently_weak": "#fbd5cf",
    "newly_weak": "#fde6c8",
    "strong": "#cfead8",
}

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
        height=1.85 if only is None else 2.6,
    )
    if only is None:
        page.add_paragraph(_headline(data, nt, _k=0))
        return _action_block(data, page, new_page)
    return [page]


def _verdict_word(data: ReportData, verdict: object, problem: object = None) -> str:
    """The verdict as every page shows it (a traffic-short zone says so)."""
    return data.L.verdict(verdict, problem)


def _action_word(data: ReportData, action: object) -> str:
    return data.L.word(VERDICT_ACTIONS.get(str(action), (str(action), str(action))))


def _reason(data: ReportData, row: Any) -> str:
    zh, en = str(row.reason_zh), str(row.reason_en)
    return data.L.pick(zh, en, sep=" / ")


def _names(data: ReportData, regions: Any) -> str:
    sep = WORDS["list_sep"][1 if data.L.lang == "en" else 0]
    return sep.join(data.zone_name(r) for r in regions) or "–"


def _action_block(data: ReportData, page: Page, new_page: NewPage) -> list[Page]:
    """Page 1's decision part: the zones that need action, most deposits at
    stake first (verdict, reason, action, worth), then what improved."""
    L, t = data.L, data.verdicts
    pages = [page]
    act = t[t["needs_action"]]
    page.add_section(f"{L('needs_action')} ({len(act)})")
    if act.empty:
        page.add_paragraph(L("no_action"))
    else:
        cols = [
            Column(L("zone"), 0.85),
            Column(L("verdict"), 1.13),
            Column(L("why"), 2.25),
            Column(L("action"), 2.04),
            Column(L("at_stake"), 0.8, "right"),
        ]
        rows = [
            [
                data.zone_name(r.region),
                _verdict_word(data, r.verdict, r.problem),
                _reason(data, r),
                _action_word(data, r.action),
                f"+{fmt_num(r.deposits_at_stake)}",
            ]
            for r in act.itertuples(index=False)
        ]
        fills = [
            [
                _VERDICT_FILL.get(r.verdict),
                _VERDICT_FILL.get(r.verdict),
                None,
                None,
                None,
            ]
            for r in act.itertuples(index=False)
        ]
        while rows:
            n = pages[-1].add_table(cols, rows, fills=fills, size=7, max_lines=4)
            rows, fills = rows[n:], fills[n:]
            if rows:
                pages.append(new_page(f"{L('needs_action')} {L('continued')}"))
    last = pages[-1]

    def room(inches: float) -> Page:
        nonlocal last
        if last.room() < inches:
            last = new_page(f"{L('report')} · {data.month} {L('continued')}")
            pages.append(last)
        return last

    # the method note in small type under the table it explains
    room(0.4).add_paragraph(
        L("verdict_note", target=data.benchmark.target, sep="\n"),
        size=7,
        color="#6b6b6b",
    )
    room(0.9).add_section(L("improved"), size=10)
    rising = t[
        (t["rate_3m"] - t["rate_before"] > 0.02)
        & (t["verdict"] != "not_enough_data")
        & ~t["needs_action"]
    ]
    for key, regions in (
        ("recovering_list", t.loc[t["verdict"] == "recovering", "region"]),
        ("rising_list", rising.loc[rising["verdict"] != "recovering", "region"]),
        ("strong_list", t.loc[t["verdict"] == "strong", "region"]),
        ("unknown_list", t.loc[t["verdict"] == "not_enough_data", "region"]),
    ):
        if len(regions):
            # the label in the report's language(s), the zone names once (they
            # are spelled the same in both languages)
            zh, en = (w.split("{names}")[0].rstrip(": ") for w in WORDS[key])
            text = f"{L.word((zh, en))}: {_names(data, regions)}"
            room(0.3).add_paragraph(text, size=8.5)
    return pages


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
    year = year_rates(data)
    label = f"{data.month - 11}..{data.month}"
    if have_map:
        h = 5.9
        # room above for the map's title, below for its legend and source note
        ax = page.add_axes(
            h, pad_left=0.05, pad_bottom=0.9, pad_top=0.4, pad_right=0.05
        )
        plot_zone_map(
            data.zones,
            year,
            ax=ax,
            benchmark=data.benchmark,
            period_label=label,
            lang=_plot_lang(data),
        )
    # the legend goes under the axis label: it covers no point in any language
    ax = page.add_axes(page.room() - 0.05, pad_bottom=1.2, pad_top=0.35)
    plot_funnel(
        year,
        ax=ax,
        benchmark=data.benchmark,
        lang=_plot_lang(data),
        annotate="all" if len(year) <= 20 else "flagged",
        status_words=VERDICT_CLASSES,
    )
    _legend_below(ax, 0.5, ncol=3)
    return [page]


#: The status class each verdict is drawn as on the map and the funnel plot.
_VERDICT_STATUS = {
    "persistently_weak": "weak",
    "newly_weak": "weak",
    "strong": "strong",
    "not_enough_data": "too_few",
}


def year_rates(data: ReportData) -> pd.DataFrame:
    """The verdict table as a 12-month rate table (map and funnel plot):
    coloured by the verdict, so the charts say what page 1 says."""
    t = data.verdicts
    return pd.DataFrame(
        {
            "region": t["region"],
            "a_cards": t["a_cards_12m"].astype("int64"),
            "c_cards": t["c_cards_12m"].astype("int64"),
            "close_rate": t["rate_12m"],
            "ci_low": t["ci_low_12m"],
            "ci_high": t["ci_high_12m"],
            "shrunk_rate": t["shrunk_rate_12m"],
            "status": t["verdict"]
            .map(_VERDICT_STATUS)
            .fillna("on_track")
            .astype("str"),
        }
    )


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
    """The zone table: the verdict per zone with this month, 3 and 12 months;
    weakest first (the order of the verdict table)."""
    L = data.L
    t = data.verdicts.copy()
    t["_o"] = t["verdict"].map({v: i for i, v in enumerate(VERDICT_ORDER)})
    t = t.sort_values(
        ["_o", "deposits_at_stake", "rate_12m"],
        ascending=[True, False, True],
        kind="stable",
    )
    cols = [
        Column(L("zone"), 1.7),
        Column(L("verdict"), 1.7),
        Column(L.kpi("a_cards", form="short"), 0.7, "right"),
        Column(L("rate_month"), 0.8, "right"),
        Column(L("rate_3m"), 0.8, "right"),
        Column(L("rate_12m"), 1.9, "center"),
        Column(L("problem"), 1.2),
        Column(L("at_stake"), 1.0, "right"),
        Column(L("trend"), 0.6, "center"),
    ]
    rows, fills = [], []
    for r in t.itertuples(index=False):
        rows.append(
            [
                data.zone_name(r.region),
                _verdict_word(data, r.verdict, r.problem),
                fmt_int(r.a_cards),
                fmt_pct(r.close_rate),
                fmt_pct(r.rate_3m),
                f"{fmt_pct(r.rate_12m)} [{fmt_pct(r.ci_low_12m)}–{fmt_pct(r.ci_high_12m)}]",
                data.L.word(PROBLEMS.get(r.problem, (r.problem, r.problem))),
                f"+{fmt_num(r.deposits_at_stake)}" if r.deposits_at_stake > 0 else "–",
                _arrow(data, r.region),
            ]
        )
        fill = [None] * len(cols)
        fill[1] = _VERDICT_FILL.get(r.verdict)
        if highlight is not None and r.region == highlight:
            fill[0] = "#fff2b3"
        fills.append(fill)
    title = L("zone_table")
    pages = [new_page(title)]
    pages[0].add_paragraph(
        L("verdict_note", target=data.benchmark.target, sep="\n"),
        size=8,
        color="#444444",
    )
    while rows:
        n = pages[-1].add_table(cols, rows, fills=fills, max_lines=4)
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
        3.9, pad_left=0.7, pad_bottom=1.15, pad_top=0.35, pad_right=0.15
    )
    plot_quadrant(diag, ax=ax, benchmark=data.benchmark, lang=_plot_lang(data))
    _legend_below(ax, 0.55, ncol=3)
    pages[0].gap(0.1)
    t = diag.copy()
    t["_o"] = (
        t["problem"]
        .map({"both": 0, "conversion": 1, "traffic": 2, "none": 3})
        .fillna(9)
    )
    t = t.sort_values(["_o", "region"], kind="stable")
    basis = data.verdicts.attrs.get("pondstats", {}).get("traffic_basis", "")
    cols = [
        Column(L("zone"), 1.3),
        Column(L.kpi("a_cards", form="short"), 0.6, "right"),
        Column(L("traffic_index"), 0.8, "right"),
        Column(L.kpi("shrunk_rate", form="short"), 0.8, "right"),
        Column(L("verdict"), 2.3),
        Column(L("action"), 4.6),
    ]
    rows, fills = [], []
    for r in t.itertuples(index=False):
        rows.append(
            [
                data.zone_name(r.region),
                fmt_int(r.a_cards),
                fmt_num(r.traffic_index, 2),
                fmt_pct(r.shrunk_rate),
                _verdict_word(data, r.verdict, r.problem),
                _action_word(data, r.action),
            ]
        )
        fill = [None] * len(cols)
        if r.problem != "none":
            fill[5] = "#fde6c8"
        fills.append(fill)
    pages[0].add_paragraph(
        L("quadrant_note", basis=basis, sep="\n"),
        size=7.5,
        color="#444444",
    )
    while rows:
        n = pages[-1].add_table(cols, rows, fills=fills, size=7.5, max_lines=3)
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
            p=_prob(data, plan),
            sep="\n",
        ),
        size=8.5,
    )
    n = len(plan.table)
    ax = pages[0].add_axes(
        min(1.0 + 0.15 * n, 5.2), pad_left=1.0, pad_bottom=0.55, pad_top=0.6
    )
    plot_budget_plan(plan, ax=ax, lang=_plot_lang(data))
    # zone names in 7 pt: one row of bars per zone is 0.15 in high
    ax.tick_params(axis="y", labelsize=7)
    if ax.get_legend() is not None:
        _legend_below(ax, 0.4, ncol=4)
        pages[0].gap(0.15)
    t = plan.table.copy()
    t["_code"] = [data.code_of(r) or "~" for r in t["region"]]
    t = t.sort_values(["_code", "region"], kind="stable")
    # the zone's verdict beside its money, as on every other page
    verdicts = data.verdicts.set_index("region") if data.verdicts is not None else None
    cols = [
        Column(L("zone"), 1.15),
        Column(L("verdict"), 2.5),
        Column(L("spend_current"), 1.1, "right"),
        Column(L("spend_planned"), 1.1, "right"),
        Column(L("change"), 1.0, "right"),
        Column(L("a_expected"), 0.7, "right"),
        # expected C-cards and their interval in one cell, as the zone table
        # shows a rate and its interval
        Column(L("c_expected_interval"), 1.6, "center"),
        Column(L("cost_of_one_more"), 1.55, "right"),
    ]
    rows, fills = [], []
    for r in t.itertuples(index=False):
        verdict = "–"
        if verdicts is not None and r.region in verdicts.index:
            v = verdicts.loc[r.region]
            verdict = _verdict_word(data, v["verdict"], v.get("problem"))
        rows.append(
            [
                data.zone_name(r.region),
                verdict,
                fmt_int(r.current_spend),
                fmt_int(r.planned_spend),
                f"{float(r.change):+,.0f}" if _ok(r.change) else "–",
                fmt_num(r.a_expected, 0),
                f"{fmt_num(r.c_expected)} [{fmt_num(r.c_low)}–{fmt_num(r.c_high)}]",
                fmt_int(r.marginal_cost)
                if _ok(r.marginal_cost) and np.isfinite(r.marginal_cost)
                else "–",
            ]
        )
        fill = [None] * len(cols)
        if _ok(r.change) and r.change > 0:
            fill[4] = "#cfead8"
        elif _ok(r.change) and r.change < 0:
            fill[4] = "#fbd5cf"
        fills.append(fill)
    while rows:
        n = pages[-1].add_table(cols, rows, fills=fills, size=7.5)
        rows, fills = rows[n:], fills[n:]
        if rows:
            pages.append(new_page(f"{L('budget')} {L('continued')}"))
    lines = _moves(data, plan)
    if lines:
        page = pages[-1]

        def height(text: str) -> float:
            return len(wrap_text(text, page.width * 72, 7.5)) * 7.5 / 72 * 1.25 + 0.03

        # the section with its first paragraphs, then paragraph by paragraph
        # (a new page when one does not fit)
        if page.room() < 0.32 + sum(height(x) for x in lines[:2]):
            page = new_page(f"{L('budget')} {L('continued')}")
            pages.append(page)
        page.add_section(L("budget_why"), size=10)
        for k, line in enumerate(lines):
            if page.room() < height(line):
                page = new_page(f"{L('budget')} {L('continued')}")
                pages.append(page)
            page.add_paragraph(
                line,
                size=7.5,
                leading=1.25,
                after=0.03,
                color="#444444" if k == 0 else "#262626",
            )
    return pages


def _prob(data: ReportData, plan: Any) -> str:
    """The probability that the plan beats the current split, honest about
    its finite draws: "> 99%" rather than "100%"."""
    p, n = float(plan.prob_better), int(getattr(plan, "n_draws", 0) or 0)
    if n and p >= 1 - 1 / n:
        shown = f"> {1 - 1 / n:.0%}" if n < 1000 else "> 99.9%"
    elif n and p <= 1 / n:
        shown = f"< {1 / n:.0%}" if n < 1000 else "< 0.1%"
    else:
        shown = fmt_pct(p, 0)
    return data.L("prob_draws", p=shown, n=n) if n else shown


#: A move is explained when it changes a zone's spend by this share or more.
_BIG_MOVE = 0.2


def _moves(data: ReportData, plan: Any) -> list[str]:
    """The large moves (20% of the zone's spend or more) and the cuts of
    zones that need traffic, in the zones' own terms (their verdict and what
    extra spend has bought there): a note with the median zone's cost, then
    one paragraph per reason naming its zones, largest move first, each
    with its change and what one more deposit costs there."""
    t = plan.table
    v = data.verdicts.set_index("region")
    try:
        marg = plan.fit.marginal_deposits(
            t["current_spend"].to_numpy(float), plan.month
        )
    except Exception:  # a fit without curves: no explanations, the table stays
        return []
    with np.errstate(divide="ignore"):
        cost = np.where(marg > 0, 1 / marg, np.inf)
    finite = cost[np.isfinite(cost)]
    median = float(np.median(finite)) if len(finite) else np.nan
    base = t["current_spend"].to_numpy(float)
    share = np.abs(t["change"].to_numpy(float)) / np.where(base > 0, base, np.nan)
    order = np.argsort(-np.abs(t["change"].to_numpy(float)), kind="stable")
    groups: dict[tuple[str, str], list[str]] = {}
    for i in order:
        r = t.iloc[i]
        if not _ok(r["change"]) or abs(float(r["change"])) < 1:
            continue
        region = str(r["region"])
        problem = str(v["problem"].get(region, "none"))
        cut_traffic = r["change"] < 0 and problem in ("traffic", "both")
        if not (share[i] >= _BIG_MOVE) and base[i] > 0 and not cut_traffic:
            continue
        if r["change"] > 0:
            key = "why_raise"
        elif problem in ("conversion", "both"):
            key = "why_conversion"
        elif problem == "traffic":
            key = "why_traffic_cut"
        else:
            key = "why_cut"
        action = str(v["action"].get(region, "keep_course"))
        c = fmt_int(cost[i]) if np.isfinite(cost[i]) else "∞"
        # (only the conversion reason names the zone's action)
        group = (key, action if key == "why_conversion" else "")
        groups.setdefault(group, []).append(
            f"{data.zone_name(region)} {float(r['change']):+,.0f} ({c})"
        )
    if not groups:
        return []
    out = [data.L("moves_note", median=fmt_int(median), sep=" / ")]
    for (key, action), zones in groups.items():
        why = data.L(
            key,
            action=data.L.word(VERDICT_ACTIONS.get(action, (action,) * 2)),
            sep=" / ",
        )
        out.append(f"{why}: {'; '.join(zones)}")
    return out
