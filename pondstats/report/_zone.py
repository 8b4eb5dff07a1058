"""One page per zone: KPIs, 13-month trend, sources, consultants, first vs
returning prospects, the open leads to call."""

from __future__ import annotations

import pandas as pd

from pondstats.report._common import (
    _LIGHT,
    NewPage,
    _name,
    _ok,
    _tiles,
    _trend_block,
    page_x,
)
from pondstats.report._data import ReportData
from pondstats.report._layout import Column, Page, wrap_text
from pondstats.report._lost_note import lost_note
from pondstats.vocab import SOURCES, VERDICT_ACTIONS, fmt_int, fmt_num, fmt_pct

__all__ = ["zone_pages", "TOP_LEADS"]


#: Open leads listed per zone page.
TOP_LEADS = 5


def _source(x: object, L) -> str:
    """A lead source in the report's language (as the export spells it when
    vocab does not know it)."""
    name = _name(x, L)
    return L.word(SOURCES[name]) if name in SOURCES else name


def zone_pages(data: ReportData, new_page: NewPage, region: str) -> list[Page]:
    """One zone: KPIs, 13-month trend, sources, consultants, returners, leads."""
    L = data.L
    page = new_page(f"{L('zone_page')} · {data.zone_name(region)}")
    page.add_tiles(_tiles(data, data.rates, region=region)[:4], height=0.95)
    v = data.verdicts
    row = v[v["region"] == region]
    if len(row):
        r = row.iloc[0]
        verdict = L.verdict(r["verdict"], r.get("problem"))
        action = L.word(VERDICT_ACTIONS.get(str(r["action"]), (str(r["action"]),) * 2))
        reason = L.pick(str(r["reason_zh"]), str(r["reason_en"]), sep=" / ")
        page.add_paragraph(f"{L('verdict')}: {verdict} · {reason}", size=8.5)
        page.add_paragraph(f"{L('action')}: {action}", size=8.5)
    lost_note(data, page, region)
    zone_rates = data.rates[data.rates["region"] == region]
    _trend_block(data, page, zone_rates, L("trend_13"), height=1.85, group=region)

    # sources and consultants side by side
    top = page.cursor
    half = (page.width - 0.25) / 2
    bottoms = []
    for k, (frame, col, key) in enumerate(
        (
            (data.by_source, "source", "by_source"),
            (data.by_consultant, "consultant", "by_consultant"),
        )
    ):
        if frame is None:
            continue
        t = (
            frame[frame["region"] == region]
            .sort_values(["a_cards", col], ascending=[False, True], kind="stable")
            .head(6)
        )
        if t.empty:
            continue
        page.cursor = top
        x = k * (half + 0.25)
        page._text(page_x(x), page.cursor, L(key), size=10, weight="bold")
        page.cursor -= 0.25
        cols = [
            Column(L(col), 2.4),
            Column(L.kpi("a_cards", form="short"), 0.7, "right"),
            Column(L.kpi("c_cards", form="short"), 0.7, "right"),
            Column(L.kpi("close_rate", form="short"), 1.1, "right"),
            Column(L.kpi("status", form="short"), 2.1),
        ]
        rows = [
            [
                _source(getattr(r, col), L)
                if col == "source"
                else _name(getattr(r, col), L),
                fmt_int(r.a_cards),
                fmt_int(r.c_cards),
                fmt_pct(r.close_rate),
                data.status_label(r.status),
            ]
            for r in t.itertuples(index=False)
        ]
        fills = [[None] * 4 + [_LIGHT.get(r.status)] for r in t.itertuples(index=False)]
        page.add_table(cols, rows, x=x, width=half, size=7.5, max_lines=2, fills=fills)
        bottoms.append(page.cursor)
    if bottoms:
        page.cursor = min(bottoms)

    if data.returns is not None:
        r = data.returns[data.returns["region"] == region]
        if not r.empty:
            r = r.iloc[0]
            page.add_section(L("returning_section"), size=10)
            cols = [
                Column(L("prospects"), 1.2, "right"),
                Column(L("return_rate"), 1.5, "right"),
                Column(
                    L("rate_one_visit"),
                    2.0,
                    "right",
                ),
                Column(L("rate_returning"), 2.0, "right"),
                Column(L("lift"), 0.9, "right"),
            ]
            rows = [
                [
                    fmt_int(r["prospects"]),
                    fmt_pct(r["return_rate"]),
                    f"{fmt_pct(r['one_time_rate'])} ({fmt_pct(r['one_time_low'])}–"
                    f"{fmt_pct(r['one_time_high'])})",
                    f"{fmt_pct(r['returning_rate'])} ({fmt_pct(r['returning_low'])}–"
                    f"{fmt_pct(r['returning_high'])})",
                    fmt_num(r["lift"]) + "×" if _ok(r["lift"]) else "–",
                ]
            ]
            page.add_table(cols, rows, size=8)
            page.add_paragraph(
                L("returning_note", sep=" "),
                size=7,
                color="#6b6b6b",
            )
    extra = _leads_block(data, page, region, new_page)
    return [page] if extra is None else [page, extra]


def _leads_block(
    data: ReportData, page: Page, region: str, new_page: NewPage
) -> Page | None:
    """Top open leads of the zone to call, masked unless asked otherwise.

    Returns a continuation page when the list does not fit on ``page``.
    """
    if data.calls is None:
        return None
    t = data.calls[data.calls["region"] == region].head(TOP_LEADS)
    if t.empty:
        return None
    L = data.L
    cols = [
        Column(L("lead_code"), 1.0),
        Column(L("name"), 0.7),
        Column(L("phone"), 1.2),
        Column(L("consultant"), 1.0),
        Column(L("score"), 0.6, "right"),
        Column(L("tier"), 0.5, "center"),
        Column(L("next_contact"), 1.1, "center"),
        Column(L("main_factors"), 4.3),
    ]
    rows = [
        [
            _name(getattr(r, "lead_code", None), L),
            _name(r.name, L),
            _name(r.phone, L),
            _name(r.consultant, L),
            str(r.score),
            str(r.tier),
            pd.Timestamp(r.next_contact).strftime("%Y-%m-%d")
            if _ok(r.next_contact)
            else "–",
            _name(r.factors, L),
        ]
        for r in t.itertuples(index=False)
    ]
    note = L("leads_note", month=data.month + 1, sep=" ")
    # the section, the whole table and its note, measured: the list moves to a
    # new page only when it does not fit (never split: it is one call list)
    need = (
        0.32
        + page.table_height(cols, rows, size=7, max_lines=1)
        + len(wrap_text(note, page.width * 72, 7)) * 7 / 72 * 1.45
        + 0.05
    )
    extra = None
    if page.room() < need:
        extra = page = new_page(
            f"{L('zone_page')} · {data.zone_name(region)} {L('continued')}"
        )
    page.add_section(L("leads") + f" (top {len(t)})", size=10)
    page.add_table(cols, rows, size=7, max_lines=1)
    page.add_paragraph(
        note,
        size=7,
        color="#6b6b6b",
    )
    return extra
