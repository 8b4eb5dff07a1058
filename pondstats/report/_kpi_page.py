"""The KPI page: test-drive and return-visit rates by zone, the consultant
league's top and bottom, what a C-card costs per lead source (when the spend
has sources) and the pacing against the targets (when targets are given).

Computed by the library (:func:`pondstats.kpi_table`,
:func:`pondstats.consultant_league`, :func:`pondstats.source_roi`,
:func:`pondstats.quota_pacing`); this module only lays it out.
"""

from __future__ import annotations

import pandas as pd

from pondstats.rates import consultant_league, kpi_table, quota_pacing, source_roi
from pondstats.report._common import NewPage
from pondstats.report._data import ReportData, month_slice
from pondstats.report._layout import Column, Page
from pondstats.vocab import GROUPS, fmt_int, fmt_pct

__all__ = ["kpi_pages", "LEAGUE_SHOWN", "LEAGUE_MONTHS"]

#: Consultants shown at each end of the league.
LEAGUE_SHOWN = 5
#: Months of data the league is ranked on (to the report month).
LEAGUE_MONTHS = 12


def _money(x: object) -> str:
    return "–" if x is None or pd.isna(x) else f"{float(x):,.0f}"


def _interval(lo: object, hi: object) -> str:
    return f"{fmt_pct(lo)}–{fmt_pct(hi)}"


def _continue(pages: list[Page], new_page: NewPage, title: str, cols, rows) -> None:
    while rows:
        n = pages[-1].add_table(cols, rows, size=7.5)
        rows = rows[n:]
        if rows:
            pages.append(new_page(title))


def _zone_rows(data: ReportData) -> tuple[list[Column], list[list[str]]]:
    L, m = data.L, data.month
    v, d = month_slice(data.visits, data.deposits, m, m)
    t = kpi_table(v, d, by="region", period="M", benchmark=data.benchmark)
    t = t[(t["period"] == m) & t["region"].notna() & (t["a_cards"] > 0)]
    t = t.sort_values("test_drive_rate", ascending=False, kind="stable")
    cols = [
        Column(L("zone"), 1.3),
        Column(L.kpi("a_cards", form="short"), 0.7, "right"),
        Column(L.kpi("test_drive_rate", form="short"), 1.1, "right"),
        Column(L("interval"), 1.5, "center"),
        Column(L.kpi("test_drive_close_rate", form="short"), 1.2, "right"),
        Column(L.kpi("no_test_drive_close_rate", form="short"), 1.2, "right"),
        Column(L.kpi("return_rate", form="short"), 1.1, "right"),
        Column(L("interval"), 1.5, "center"),
    ]
    rows = [
        [
            data.zone_name(r.region),
            fmt_int(r.a_cards),
            fmt_pct(r.test_drive_rate),
            _interval(r.test_drive_rate_low, r.test_drive_rate_high),
            fmt_pct(r.test_drive_close_rate),
            fmt_pct(r.no_test_drive_close_rate),
            fmt_pct(r.return_rate),
            _interval(r.return_rate_low, r.return_rate_high),
        ]
        for r in t.itertuples(index=False)
    ]
    return cols, rows


def _league_rows(data: ReportData):
    L, m = data.L, data.month
    first = m - (LEAGUE_MONTHS - 1)
    v, d = month_slice(data.visits, data.deposits, first, m)
    v = v[v["visit_date"] >= first.start_time]
    d = d[d["deposit_date"] >= first.start_time]
    league = consultant_league(v, d, by_store="store" in v.columns)
    ranked = league[league["rank"].notna()]
    n = LEAGUE_SHOWN
    shown = (
        ranked if len(ranked) <= 2 * n else pd.concat([ranked.head(n), ranked.tail(n)])
    )
    cols = [
        Column(L.kpi("rank", form="short"), 0.6, "right"),
        Column(L("consultant"), 1.4),
        *([Column(L.word(GROUPS["store"]), 1.4)] if "store" in league.columns else []),
        Column(L.kpi("a_cards", form="short"), 0.8, "right"),
        Column(L.kpi("close_rate", form="short"), 0.9, "right"),
        Column(L.kpi("shrunk_rate", form="short"), 0.9, "right"),
        Column(L("interval"), 1.4, "center"),
        Column(L.kpi("p_top", form="short"), 1.0, "right"),
        Column(L.kpi("p_bottom", form="short"), 1.0, "right"),
    ]
    rows = []
    for r in shown.itertuples(index=False):
        rows.append(
            [
                str(int(r.rank)),
                str(r.consultant),
                *([str(r.store)] if "store" in league.columns else []),
                fmt_int(r.a_cards),
                fmt_pct(r.close_rate),
                fmt_pct(r.shrunk_rate),
                _interval(r.shrunk_low, r.shrunk_high),
                fmt_pct(r.p_top, 0),
                fmt_pct(r.p_bottom, 0),
            ]
        )
    return cols, rows, int(league["too_few"].sum()), first


def _source_rows(data: ReportData):
    L, m = data.L, data.month
    roi = source_roi(data.visits, data.deposits, data.spend, month=m)
    cols = [
        Column(L("source"), 1.5),
        Column(L.kpi("a_cards", form="short"), 0.8, "right"),
        Column(L.kpi("c_cards", form="short"), 0.8, "right"),
        Column(L.kpi("close_rate", form="short"), 0.9, "right"),
        Column(L.kpi("spend", form="short"), 1.1, "right"),
        Column(L.kpi("cost_per_a_card", form="short"), 1.0, "right"),
        Column(L.kpi("cost_per_c_card", form="short"), 1.0, "right"),
        Column(L("interval"), 1.6, "center"),
        Column(L.kpi("deposit_share", form="short"), 1.0, "right"),
    ]
    rows = [
        [
            L.pick("(未填)", "(missing)") if pd.isna(r.source) else str(r.source),
            fmt_int(r.a_cards),
            fmt_int(r.c_cards),
            fmt_pct(r.close_rate),
            _money(r.spend),
            _money(r.cost_per_a_card),
            _money(r.cost_per_c_card),
            "–"
            if pd.isna(r.cost_per_c_card)
            else f"{_money(r.cost_per_c_card_low)}–{_money(r.cost_per_c_card_high)}",
            fmt_pct(r.deposit_share),
        ]
        for r in roi.itertuples(index=False)
    ]
    return cols, rows


def _pacing_rows(data: ReportData):
    L, m = data.L, data.month
    t = data.targets
    key = next((c for c in ("region", "store", "consultant") if c in t.columns), None)
    as_of = m.end_time.normalize()
    p = quota_pacing(data.deposits, t, as_of, visits=data.visits)
    group = {"region": L("zone"), "store": L.word(GROUPS["store"]),
             "consultant": L("consultant")}  # fmt: skip
    cols = [
        *([Column(group[key], 1.3)] if key else []),
        Column(L.kpi("target", form="short"), 0.9, "right"),
        Column(L.kpi("month_to_date", form="short"), 0.9, "right"),
        Column(L.kpi("gap", form="short"), 0.9, "right"),
        Column(L.kpi("p_reach", form="short"), 1.0, "right"),
    ]
    rows = [
        [
            *(
                [
                    data.zone_name(getattr(r, key))
                    if key == "region"
                    else str(getattr(r, key))
                ]
                if key
                else []
            ),
            fmt_int(r.target),
            fmt_int(r.month_to_date),
            "–" if pd.isna(r.target) else f"{r.month_to_date - r.target:+,.0f}",
            fmt_pct(r.p_reach, 0),
        ]
        for r in p.itertuples(index=False)
    ]
    return cols, rows


def kpi_pages(data: ReportData, new_page: NewPage) -> list[Page]:
    """The KPI page(s) of the report month."""
    L = data.L
    title = L("kpi_page")
    pages = [new_page(title)]
    cont = f"{title} {L('continued')}"
    pages[-1].add_section(L("kpi_zones"), size=10)
    pages[-1].add_paragraph(
        L("kpi_zones_note", sep="\n"), size=8, color="#444444", leading=1.3
    )
    cols, rows = _zone_rows(data)
    _continue(pages, new_page, cont, cols, rows)
    if "consultant" in data.visits.columns:
        cols, rows, too_few, first = _league_rows(data)
        pages[-1].add_section(L("kpi_league"), size=10)
        pages[-1].add_paragraph(
            L("kpi_league_note", first=first, last=data.month, n=too_few, sep="\n"),
            size=8,
            color="#444444",
            leading=1.3,
        )
        _continue(pages, new_page, cont, cols, rows)
    spend = data.spend
    if (
        spend is not None
        and "source" in spend.columns
        and (spend["month"] == data.month).any()
    ):
        cols, rows = _source_rows(data)
        pages[-1].add_section(L("kpi_sources"), size=10)
        _continue(pages, new_page, cont, cols, rows)
    targets = getattr(data, "targets", None)
    if targets is not None and (targets["month"] == data.month).any():
        cols, rows = _pacing_rows(data)
        pages[-1].add_section(L("kpi_pacing"), size=10)
        # five narrow columns: two halves side by side when they fit
        if len(rows) < 6 or not pages[-1].add_table_side_by_side(cols, rows, size=7.5):
            _continue(pages, new_page, cont, cols, rows)
    return pages
