"""The report content: what each page shows, from what the library computes.

:class:`ReportData` calls the library once (close rates per zone and month,
the network totals, rates by source and consultant, return visits, the zone
diagnosis, the call list, the budget plan); the page functions only arrange
those tables and charts. A section whose library feature is not available in
this installation is left out, never drawn as a placeholder.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

import pondstats as ps
from pondstats.plotting._common import STATUS_COLORS, STATUS_LABELS
from pondstats.report._labels import (
    Labels,
    fmt_change,
    fmt_int,
    fmt_num,
    fmt_pct,
    fmt_pt,
)
from pondstats.report._layout import INK, Column, Page
from pondstats.schema import Benchmark

__all__ = ["ReportData", "build_pages", "zone_list"]

log = logging.getLogger(__name__)

NewPage = Callable[[str | None], Page]
Step = Callable[[int], None]

_STATUS_ORDER = {"weak": 0, "on_track": 1, "strong": 2, "too_few": 3}
_LIGHT = {"weak": "#fbd5cf", "strong": "#cfead8", "on_track": None, "too_few": None}
_TREND_PT = 0.01  # the trend arrow moves when the shrunk rate moves by more


def _has(name: str) -> bool:
    return hasattr(ps, name)


@dataclass
class ReportData:
    """Everything the pages show, computed by the library for one month."""

    month: pd.Period
    L: Labels
    benchmark: Benchmark
    mask: bool
    visits: pd.DataFrame
    deposits: pd.DataFrame
    zones: Any
    spend: pd.DataFrame | None
    rates: pd.DataFrame  # region x month, whole history
    network: pd.DataFrame  # month, whole history
    by_source: pd.DataFrame | None = None
    by_consultant: pd.DataFrame | None = None
    returns: pd.DataFrame | None = None
    diagnosis: pd.DataFrame | None = None
    calls: pd.DataFrame | None = None
    plan: Any = None
    codes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        month: pd.Period,
        visits: pd.DataFrame,
        deposits: pd.DataFrame,
        *,
        zones: Any = None,
        spend: pd.DataFrame | None = None,
        benchmark: Benchmark,
        mask: bool,
        L: Labels,
        leads: bool = True,
    ) -> ReportData:
        b = benchmark
        # nothing after the report month is shown (or used by any section)
        end = month.end_time
        v = visits[visits["visit_date"] <= end]
        d = deposits[deposits["deposit_date"] <= end]
        first = month - 12  # 13 months: the trend, and the same month last year
        rates = _rates(v, d, first, month, by="region", benchmark=b)
        rates = rates[rates["region"].notna()]
        network = _rates(v, d, first, month, by=None, benchmark=b)
        data = cls(
            month=month,
            L=L,
            benchmark=b,
            mask=mask,
            visits=v,
            deposits=d,
            zones=zones,
            spend=spend,
            rates=rates,
            network=network,
        )
        if zones is not None and "code" in getattr(zones, "columns", ()):
            data.codes = dict(
                zip(zones["region"].astype(str), zones["code"].astype(str), strict=True)
            )
        for col, attr in (("source", "by_source"), ("consultant", "by_consultant")):
            if col in v.columns:
                with _quiet_capped_rates():
                    t = _rates(v, d, month, month, by=["region", col], benchmark=b)
                setattr(data, attr, t)
        # first vs returning prospects: first visits in the 12 months to the report month
        window = v[v["visit_date"] > (month - 12).end_time]
        data.returns = ps.return_visit_rates(window, d, by="region")
        if _has("diagnose_zones"):
            data.diagnosis = ps.diagnose_zones(
                data.rates, zones, period=month, benchmark=b
            )
        if leads and _has("call_list") and _has("LeadScorer"):
            data.calls = _call_list(v, d, month, mask=mask, lang=L.lang)
        if spend is not None and _has_budget():
            data.plan = _plan(spend, v, d, month)
        return data

    # -- lookups -----------------------------------------------------------
    def code_of(self, region: str) -> str | None:
        return self.codes.get(str(region))

    def current(self) -> pd.DataFrame:
        """Zone rows of the report month."""
        return self.rates[self.rates["period"] == self.month]

    def zone_name(self, region: str) -> str:
        code = self.code_of(region)
        return f"{region} ({code})" if code else str(region)

    def status_label(self, status: object) -> str:
        if not isinstance(status, str):
            return "–"
        return self.L.pick(
            STATUS_LABELS["zh"].get(status, status),
            STATUS_LABELS["en"].get(status, status),
            sep=" / ",
        )


class _CappedFilter(logging.Filter):
    """Turn close_rates' "more C-cards than A-cards" warning into a debug
    message of the report: for sources and consultants within one zone and
    month it is routine (deposits from earlier visitors), and the tables show
    the capped rate with its interval anyway."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "more C-cards than A-cards" in str(record.msg):
            log.debug("close_rates: " + str(record.msg), *record.args)
            return False
        return True


@contextlib.contextmanager
def _quiet_capped_rates() -> Iterator[None]:
    flt = _CappedFilter()
    logger = logging.getLogger("pondstats.funnel")
    logger.addFilter(flt)
    try:
        yield
    finally:
        logger.removeFilter(flt)


def _has_budget() -> bool:
    try:
        from pondstats import budget  # noqa: F401
    except ImportError:
        return False
    return True


#: Monthly snapshots the lead scorer is trained on (the months before the report).
LEAD_SNAPSHOTS = 6
#: At most this many snapshot rows train the scorer (a uniform random sample
#: with a fixed seed beyond it), so the report's time stays bounded on big networks.
LEAD_TRAIN_ROWS = 20_000


def _call_list(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    month: pd.Period,
    *,
    mask: bool,
    lang: str,
) -> pd.DataFrame | None:
    """The call list as of the first day after the month, from a scorer
    trained on leakage-free monthly snapshots of the months before it."""
    from pondstats.leads import LEAD_FEATURES

    as_of = (month + 1).start_time
    dates = pd.date_range(end=month.start_time, periods=LEAD_SNAPSHOTS, freq="MS")
    snaps = ps.lead_snapshots(visits, deposits, dates, complete_only=True)
    if len(snaps) > LEAD_TRAIN_ROWS:  # a uniform sample keeps the calibration honest
        snaps = snaps.sample(n=LEAD_TRAIN_ROWS, random_state=0).sort_index()
    y = snaps["converted"].astype("int64")
    if y.nunique() < 2:
        log.info("no call list: the training snapshots have a single class")
        return None
    scorer = ps.LeadScorer(random_state=0).fit(snaps[list(LEAD_FEATURES)], y)
    return ps.call_list(
        scorer,
        visits,
        deposits,
        as_of,
        mask=mask,
        n_factors=2,
        lang="en" if lang == "en" else "zh",
    )


def _plan(
    spend: pd.DataFrame, visits: pd.DataFrame, deposits: pd.DataFrame, month: pd.Period
) -> Any:
    """Next month's plan for the same total as spent in the report month."""
    from pondstats import budget

    spend = spend[spend["month"] <= month]
    total = float(spend.loc[spend["month"] == month, "spend"].sum())
    if total <= 0:
        log.info("no budget page: no spend recorded in %s", month)
        return None
    history = budget.budget_history(spend, visits, deposits)
    return budget.plan_budget(history, total, month=month + 1)


def month_slice(
    visits: pd.DataFrame, deposits: pd.DataFrame, first: pd.Period, last: pd.Period
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows ``close_rates`` needs for the months ``first`` .. ``last``.

    Deposits dated in those months, first visits dated in them, and every
    visit of a customer with such a deposit (for linking and attribution).
    ``close_rates`` judges each period on its own (prior, multiple testing),
    so its rows for these months are the same as on the full tables (tested);
    this only saves time on long histories.
    """
    vm = visits["visit_date"].dt.to_period("M")
    dm = deposits["deposit_date"].dt.to_period("M")
    d = deposits[(dm >= first) & (dm <= last)]
    v = visits[
        ((vm >= first) & (vm <= last)) | visits["customer_key"].isin(d["customer_key"])
    ]
    return v, d


def _rates(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    first: pd.Period,
    last: pd.Period,
    *,
    by: Any,
    benchmark: Benchmark,
) -> pd.DataFrame:
    v, d = month_slice(visits, deposits, first, last)
    out = ps.close_rates(v, d, by=by, period="M", benchmark=benchmark)
    return out[(out["period"] >= first) & (out["period"] <= last)].reset_index(
        drop=True
    )


def zone_list(data: ReportData) -> list[str]:
    """The zones with A- or C-cards in the report month, by code then name."""
    cur = data.current()
    cur = cur[(cur["a_cards"] > 0) | (cur["c_cards"] > 0)]
    regions = [str(r) for r in cur["region"]]
    return sorted(regions, key=lambda r: (data.code_of(r) or "~", r))


# ---------------------------------------------------------------------------
# pages
# ---------------------------------------------------------------------------


def build_pages(
    data: ReportData, new_page: NewPage, *, step: Step, only: str | None = None
) -> list[Page]:
    """All pages in order; ``only`` gives the per-zone report of one zone."""
    pages: list[Page] = []
    pages += summary_pages(data, new_page, only=only)
    step(1)
    if only is None:
        pages += map_funnel_pages(data, new_page)
        step(1)
    pages += zone_table_pages(data, new_page, highlight=only)
    step(1)
    if only is None:
        pages += quadrant_pages(data, new_page)
        step(1)
    for region in zone_list(data) if only is None else [only]:
        pages += zone_pages(data, new_page, region)
        step(1)
    if only is None:
        pages += budget_pages(data, new_page)
        step(1)
    return pages


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
            L.pick(f"基准 {b.ac_ratio:.1f}", f"benchmark {b.ac_ratio:.1f}", sep=" · "),
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
            L.pick("不计入C卡", "not counted as C-cards", sep=" · "),
            INK,
        ),
        (
            L("unlinked"),
            fmt_int(g(now, "unlinked")),
            L.pick("客户无来店登记", "customer has no A-card", sep=" · "),
            INK,
        ),
        (
            L("interval"),
            f"{fmt_pct(g(now, 'ci_low'))} – {fmt_pct(g(now, 'ci_high'))}",
            L.pick("成交率的95%区间", "95% interval of the close rate", sep=" · "),
            INK,
        ),
        (
            L("status"),
            data.status_label(g(now, "status")),
            L.pick("相对基准的判断", "judged against the benchmark", sep=" · "),
            _rate_color(g(now, "status")),
        ),
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
        L.pick("全网近13个月成交率", "Network close rate, last 13 months"),
        height=3.0 if only is None else 2.6,
    )
    if only is None:
        page.add_section(L.pick("本月要点", "This month"))
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
    if not _has("plot_trend"):
        return
    page.add_section(title)
    ax = page.add_axes(height, pad_bottom=0.9, pad_top=0.35)
    window = frame[
        (frame["period"] > data.month - 13) & (frame["period"] <= data.month)
    ]
    ps.plot_trend(window, group, ax=ax, benchmark=data.benchmark, lang=_plot_lang(data))
    _legend_below(ax, 0.42, ncol=4)


def _plot_lang(data: ReportData) -> str:
    return "en" if data.L.lang == "en" else "zh"


def map_funnel_pages(data: ReportData, new_page: NewPage) -> list[Page]:
    """The zone map (when zones are given) and the funnel plot."""
    have_map = data.zones is not None and _has("plot_zone_map")
    have_funnel = _has("plot_funnel")
    if not (have_map or have_funnel):
        return []
    L = data.L
    page = new_page(
        L("map_funnel")
        if have_map and have_funnel
        else L.pick("区域地图", "Zone map")
        if have_map
        else L.pick("漏斗图", "Funnel plot")
    )
    if have_map:
        h = 5.9 if have_funnel else page.room()
        # room above for the map's title, below for its legend and source note
        ax = page.add_axes(
            h, pad_left=0.05, pad_bottom=0.9, pad_top=0.4, pad_right=0.05
        )
        ps.plot_zone_map(
            data.zones, data.rates, period=data.month, ax=ax, benchmark=data.benchmark
        )
    if have_funnel:
        ax = page.add_axes(page.room() - 0.05, pad_bottom=0.55, pad_top=0.35)
        ps.plot_funnel(
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
        Column(L("a"), 0.9, "right"),
        Column(L("c"), 0.9, "right"),
        Column("A/C", 0.8, "right"),
        Column(L("rate"), 1.0, "right"),
        Column(L("interval"), 1.6, "center"),
        Column(L.pick("收缩估计", "Shrunk"), 1.0, "right"),
        Column(L("status"), 2.2),
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


def _legend_below(ax: Any, inches: float, *, ncol: int) -> None:
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
        fontsize=7,
        frameon=False,
    )


_PROBLEM = {
    "traffic": ("客流不足", "traffic"),
    "conversion": ("转化偏弱", "conversion"),
    "both": ("客流与转化", "both"),
    "none": ("无", "none"),
}


def quadrant_pages(data: ReportData, new_page: NewPage) -> list[Page]:
    """Traffic vs conversion: the quadrant chart and the action per zone."""
    diag = data.diagnosis
    if diag is None or not _has("plot_quadrant"):
        return []
    L = data.L
    pages = [new_page(L("quadrant"))]
    ax = pages[0].add_axes(
        5.0, pad_left=0.7, pad_bottom=1.15, pad_top=0.35, pad_right=0.15
    )
    ps.plot_quadrant(diag, ax=ax, benchmark=data.benchmark)
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
        Column(L("zone"), 2.2),
        Column(L("a"), 0.8, "right"),
        Column(L.pick("客流指数", "Traffic index"), 1.2, "right"),
        Column(L.pick("收缩成交率", "Shrunk rate"), 1.2, "right"),
        Column(L("status"), 1.8),
        Column(L.pick("问题", "Problem"), 1.6),
        Column(L("action"), 2.2),
    ]
    rows, fills = [], []
    for r in t.itertuples(index=False):
        zh, en = _PROBLEM.get(r.problem, (str(r.problem), str(r.problem)))
        rows.append(
            [
                data.zone_name(r.region),
                fmt_int(r.a_cards),
                fmt_num(r.traffic_index, 2),
                fmt_pct(r.shrunk_rate),
                data.status_label(r.status),
                L.pick(zh, en),
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


def zone_pages(data: ReportData, new_page: NewPage, region: str) -> list[Page]:
    """One zone: KPIs, 13-month trend, sources, consultants, returners, leads."""
    L = data.L
    page = new_page(f"{L('zone_page')} · {data.zone_name(region)}")
    page.add_tiles(_tiles(data, data.rates, region=region)[:4], height=1.05)
    zone_rates = data.rates[data.rates["region"] == region]
    _trend_block(data, page, zone_rates, L("trend_13"), height=2.6, group=region)

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
            Column(L(col), 2.0),
            Column(L("a"), 0.8, "right"),
            Column(L("c"), 0.8, "right"),
            Column(L("rate"), 1.1, "right"),
            Column(L("status"), 2.3),
        ]
        rows = [
            [
                _name(getattr(r, col), L),
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
            page.add_section(L("returning"), size=10)
            cols = [
                Column(L.pick("潜客", "Prospects"), 1.2, "right"),
                Column(L.pick("再次来店率", "Return-visit rate"), 1.5, "right"),
                Column(
                    L.pick("只来一次的成交率", "Close rate, one visit only"),
                    2.0,
                    "right",
                ),
                Column(
                    L.pick("再次来店的成交率", "Close rate, returning"), 2.0, "right"
                ),
                Column(L.pick("倍数", "Lift"), 0.9, "right"),
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
                L.pick(
                    "近12个月首次来店的潜客;只统计到报告月末的订单。",
                    "Prospects whose first visit fell in the last 12 months; deposits "
                    "up to the end of the report month.",
                    sep=" ",
                ),
                size=7,
                color="#6b6b6b",
            )
    extra = _leads_block(data, page, region, new_page)
    return [page] if extra is None else [page, extra]


def _name(x: object, L: Labels) -> str:
    return L.pick("(未填)", "(missing)") if not _ok(x) else str(x)


def page_x(x: float) -> float:
    """Content-relative x (inches) to the page's absolute x."""
    from pondstats.report._layout import MARGIN_X

    return MARGIN_X + x


#: Open leads listed per zone page.
TOP_LEADS = 5


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
    extra = None
    if page.room() < 1.1 + 0.2 * len(t):
        extra = page = new_page(
            f"{L('zone_page')} · {data.zone_name(region)} {L('continued')}"
        )
    page.add_section(L("leads") + f" (top {len(t)})", size=10)
    cols = [
        Column(L.pick("姓名", "Name"), 0.8),
        Column(L.pick("电话", "Phone"), 1.2),
        Column(L("consultant"), 0.9),
        Column(L.pick("分数", "Score"), 0.7, "right"),
        Column(L.pick("级别", "Tier"), 0.6, "center"),
        Column(L.pick("下次联系", "Next contact"), 1.2, "center"),
        Column(L.pick("主要因素", "Main factors"), 5.0),
    ]
    rows = [
        [
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
    page.add_table(cols, rows, size=7, max_lines=1)
    page.add_paragraph(
        L.pick(
            f"截至 {data.month + 1} 月初仍未下订的潜客,按模型预测的30天内下订概率排序。",
            f"Prospects still open at the start of {data.month + 1}, by the predicted "
            "chance of a deposit within 30 days.",
            sep=" ",
        ),
        size=7,
        color="#6b6b6b",
    )
    return extra


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
