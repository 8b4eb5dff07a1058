"""Every word shown to people, in Chinese and English, and the number formats.

One module so that a word is changed, or a KPI named, in one place: the CLI,
the charts and the report all read from here. A word is a ``(zh, en)`` pair.

- :data:`KPIS`: KPI and column names, each a :class:`Term` with a ``name``
  (headings, tiles, chart titles), a ``column`` (table headers in the terminal)
  and a ``short`` header (narrow report tables).
- :data:`STATUSES`: the close-rate status classes.
- :data:`GROUPS`: the names of the columns a table can be grouped by.
- :data:`PROBLEMS` and :data:`ACTIONS`: the zone diagnosis (traffic or
  conversion) and what to do about it; :data:`UNJUDGED_ACTION`.
- :data:`FEATURES` and :data:`FACTOR_WORDS`: the lead-score factors of the
  call list.
- :data:`WORDS`: every other word of the report and the charts (some are
  templates with ``str.format`` fields); :data:`LEAD_CHARTS`: the words of
  the lead-scoring charts; :data:`LEAD_WORDS`: horizon tiers, call
  capacity, drift and the tier back-test; :data:`BILINGUAL`: texts that always show both
  languages at once (chart axes, legends and notes, the CLI's legend lines).
- :class:`Labels` picks a language (``both``, ``zh`` or ``en``); the
  ``fmt_*`` functions format numbers the same way everywhere.

This is a ground-floor module: it imports nothing from pondstats but errors.

Examples
--------
>>> KPIS["close_rate"].name
('来店成交率', 'Close rate')
>>> Labels("both").kpi("a_cards", form="short")
'A卡 A'
>>> word("no_data", "en")
'no data'
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pondstats.errors import InputError

__all__ = [
    "ACTIONS",
    "BILINGUAL",
    "FACTOR_WORDS",
    "FEATURES",
    "GROUPS",
    "KPIS",
    "LEAD_CHARTS",
    "LEAD_WORDS",
    "LANGS",
    "PROBLEMS",
    "STATUSES",
    "UNJUDGED_ACTION",
    "WORDS",
    "Labels",
    "Term",
    "both",
    "fmt_change",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "fmt_pt",
    "lang_table",
    "word",
]

#: ``(zh, en)``
Word = tuple[str, str]

#: The languages of :class:`Labels`: ``both`` is 中文 followed by English.
LANGS: tuple[str, ...] = ("both", "zh", "en")


@dataclass(frozen=True)
class Term:
    """The names of one KPI or column: long, table header and short header.

    ``column`` and ``short`` fall back to the longer form when not given.

    Examples
    --------
    >>> t = Term(("退订", "Cancelled deposits"), ("退订", "cancelled"))
    >>> t.short
    ('退订', 'cancelled')
    """

    name: Word
    column_: Word | None = None
    short_: Word | None = None

    @property
    def column(self) -> Word:
        """The table header (terminal tables, files)."""
        return self.column_ or self.name

    @property
    def short(self) -> Word:
        """The header of a narrow report table."""
        return self.short_ or self.column


#: KPI and column names. Naming a new KPI is one entry here.
KPIS: dict[str, Term] = {
    "a_cards": Term(
        ("A卡(首次来店)", "A-cards (first visits)"), ("A卡", "A-cards"), ("A卡", "A")
    ),
    "c_cards": Term(
        ("C卡(订单)", "C-cards (deposits)"), ("C卡", "C-cards"), ("C卡", "C")
    ),
    "ac_ratio": Term(("A/C 比", "A/C ratio"), ("A/C", "A/C")),
    "close_rate": Term(
        ("来店成交率", "Close rate"), ("成交率", "close rate"), ("成交率", "Rate")
    ),
    "shrunk_rate": Term(
        ("来店成交率(收缩估计)", "Shrunk close rate"),
        ("收缩估计", "shrunk"),
        ("收缩估计", "Shrunk"),
    ),
    "cancelled": Term(("退订", "Cancelled deposits"), ("退订", "cancelled")),
    "unlinked": Term(("未关联A卡的订单", "Unlinked deposits"), ("未关联", "unlinked")),
    "interval": Term(("95% 区间", "95% interval"), ("95%区间", "95% interval")),
    "status": Term(
        ("成交率状态", "Close-rate status"), ("状态", "status"), ("状态", "Status")
    ),
    "traffic_index": Term(("客流指数", "Traffic index")),
}

#: The close-rate status classes (see ``close_rates``).
STATUSES: dict[str, Word] = {
    "weak": ("偏弱", "weak"),
    "on_track": ("达标附近", "on track"),
    "strong": ("领先", "strong"),
    "too_few": ("样本不足", "too few"),
}

#: Columns a rate table is grouped by (``--by`` / ``by=``).
GROUPS: dict[str, Word] = {
    "region": ("区域", "region"),
    "store": ("门店", "store"),
    "consultant": ("销售顾问", "consultant"),
    "source": ("来源", "source"),
    "model": ("车型", "model"),
}

#: What holds a zone back (``diagnose_zones``' ``problem``).
PROBLEMS: dict[str, Word] = {
    "traffic": ("客流不足", "traffic"),
    "conversion": ("转化偏弱", "conversion"),
    "both": ("客流与转化", "both"),
    "none": ("无", "none"),
}

#: The action per problem.
ACTIONS: dict[str, Word] = {
    "traffic": ("引流", "grow traffic"),
    "conversion": ("提升转化", "fix conversion"),
    "both": ("引流+提升转化", "grow traffic + fix conversion"),
    "none": ("健康", "healthy"),
}

#: The action of a zone whose traffic is fine but whose close rate rests on too
#: few A-cards to judge (``status == "too_few"``).
UNJUDGED_ACTION: Word = ("观察(样本不足)", "watch: too few to judge")

#: Names of the lead-table columns, as shown in the factors of the call list.
FEATURES: dict[str, Word] = {
    "n_visits": ("来店次数", "visits"),
    "visits_30d": ("近30天来店", "visits in last 30 days"),
    "days_since_first": ("距首次来店天数", "days since first visit"),
    "days_since_last": ("距上次来店天数", "days since last visit"),
    "returned": ("再次来店", "returned"),
    "test_drive": ("试驾", "test drive"),
    "source": ("来源", "source"),
    "model": ("意向车型", "model"),
    "grade": ("意向级别", "grade"),
    "consultant": ("销售顾问", "consultant"),
    "store": ("门店", "store"),
    "region": ("区域", "region"),
    "region_close_rate": ("区域成交率", "region close rate"),
    "first_weekday": ("首次来店星期", "weekday of first visit"),
    "first_month": ("首次来店月份", "month of first visit"),
}

#: The value words of a factor text (``试驾: 是 ↑``).
FACTOR_WORDS: dict[str, Word] = {
    "missing": ("未填", "missing"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "up": ("↑", "↑"),
    "down": ("↓", "↓"),
}

#: The words of the lead-scoring charts (gains and calibration).
LEAD_CHARTS: dict[str, Word] = {
    "gains_title": (
        "累计增益:按得分从高到低联系客户",
        "Cumulative gains: calling leads best score first",
    ),
    "gains_x": ("已联系的潜客比例", "share of leads contacted"),
    "gains_y": ("覆盖的下订客户比例", "share of deposits captured"),
    "model": ("模型", "model"),
    "random": ("随机", "random"),
    "top": (
        "前{share:.0%}潜客覆盖{gain:.0%}下订 (提升 {lift:.1f} 倍)",
        "top {share:.0%} of leads hold {gain:.0%} of deposits (lift {lift:.1f}x)",
    ),
    "cal_title": (
        "校准:预测概率与实际下订率",
        "Calibration: predicted probability vs observed deposit rate",
    ),
    "cal_x": ("预测下订概率", "predicted probability"),
    "cal_y": ("实际下订率", "observed rate"),
    "perfect": ("完全校准", "perfectly calibrated"),
    "ece": ("校准误差 ECE {ece:.3f}", "calibration error (ECE) {ece:.3f}"),
}

#: Words of the horizon tiers, the call schedule, drift and the back-test.
LEAD_WORDS: dict[str, Word] = {
    # the first-visit month as a factor is seasonality, not a calendar fact
    "seasonality": ("季节(首次来店月份)", "seasonality (month of first visit)"),
    "tier_H": ("H级:7天内", "H: within 7 days"),
    "tier_A": ("A级:15天内", "A: within 15 days"),
    "tier_B": ("B级:30天内", "B: within 30 days"),
    "tier_C": ("C级:更久", "C: later"),
    "scheduled": ("已排期", "scheduled"),
    "waiting": ("超出产能待拨", "waiting beyond capacity"),
    "later": ("未到联系日", "not yet due"),
    "stable": ("稳定", "stable"),
    "watch": ("留意", "watch"),
    "drift": ("漂移", "drift"),
    "model_higher": ("模型评级更高", "model grades higher"),
    "consultant_higher": ("顾问评级更高", "consultant grades higher"),
    # the report's leads page
    "leads_page": ("潜客分级:回测与漂移", "Lead tiers: back-test and drift"),
    "backtest_title": ("上月分级的实际结果", "How last month's tiers closed"),
    "backtest_note": (
        "{as_of} 的模型(只用当日已知数据训练)给当日在跟潜客的分级,与其后实际下订对比(数据截至 {to})。"
        "预测与实际接近、且 H 级比 A 级下订更快,分级才可信。",
        "The tiers a model trained only on what was known on {as_of} gave the prospects "
        "open that day, against their deposits since (data to {to}). The tiers can be "
        "trusted when predicted and observed agree and H closes faster than A.",
    ),
    "tier": ("分级", "tier"),
    "leads": ("潜客数", "leads"),
    "pred": ("预测{h}天内", "predicted {h} d"),
    "obs": ("实际{h}天内", "observed {h} d"),
    "median_days": ("下订中位天数", "median days to deposit"),
    "drift_title": (
        "本月潜客与训练数据的差异(PSI)",
        "This month's leads against the training data (PSI)",
    ),
    "drift_ok": (
        "未发现漂移:本月潜客的特征与得分分布与训练数据一致。",
        "No drift: this month's leads look like the training data in every feature and in their scores.",
    ),
    "drift_warning": (
        "警告:{features} 已漂移(PSI ≥ {drift}),模型所学的潜客与本月不同;请重新训练,或检查导出字段是否变化。",
        "Warning: {features} drifted (PSI >= {drift}); the model learnt from leads unlike this "
        "month's. Retrain it, or check whether an export field changed.",
    ),
    "psi_note": (
        "PSI(群体稳定性指数):< {watch} 稳定,{watch}–{drift} 留意,≥ {drift} 漂移。",
        "PSI (population stability index): below {watch} stable, {watch}-{drift} watch, {drift} or more drift.",
    ),
    "feature": ("特征", "feature"),
    "score": ("得分(30天下订概率)", "score (30-day deposit probability)"),
    "status": ("状态", "status"),
    "disagree_title": (
        "顾问评级与模型分级不一致",
        "Consultant grade against model tier",
    ),
    "disagree_note": (
        "月末在跟潜客中 {n} 位的顾问评级与模型分级相差两级或以上"
        "(模型更高 {up} 位,顾问更高 {down} 位),请经理复核。",
        "{n} leads open at the month's end have a consultant grade two or more levels "
        "from the model tier ({up} graded higher by the model, {down} by the "
        "consultant): for a manager's review.",
    ),
    "none_disagree": (
        "顾问评级与模型分级没有相差两级以上的潜客。",
        "No open lead has a consultant grade two or more levels from its model tier.",
    ),
}

#: Every other word of the report, the charts and the CLI.
WORDS: dict[str, Word] = {
    # report: titles and sections
    "report": ("月度经营报告", "Monthly management report"),
    "network": ("全网概览", "Network summary"),
    "weak_zones": ("偏弱区域", "Weak zones"),
    "strong_zones": ("领先区域", "Strong zones"),
    "vs_last_month": ("环比", "vs last month"),
    "vs_last_year": ("同比", "vs last year"),
    "benchmark": ("基准", "benchmark"),
    "zone": ("区域", "Zone"),
    "code": ("代码", "Code"),
    "trend": ("环比", "Trend"),
    "zone_table": ("区域成交率", "Close rate by zone"),
    "map_funnel": ("区域地图与漏斗图", "Zone map and funnel plot"),
    "funnel": ("漏斗图", "Funnel plot"),
    "quadrant": ("客流与转化", "Traffic vs conversion"),
    "problem": ("问题", "Problem"),
    "action": ("建议", "Action"),
    "traffic": ("客流", "Traffic"),
    "conversion": ("转化", "Conversion"),
    "zone_page": ("区域详情", "Zone detail"),
    "trend_13": ("近13个月成交率", "Close rate, last 13 months"),
    "network_trend_13": ("全网近13个月成交率", "Network close rate, last 13 months"),
    "this_month": ("本月要点", "This month"),
    "by_source": ("按线索来源", "By lead source"),
    "by_consultant": ("按销售顾问", "By consultant"),
    "source": ("来源", "Source"),
    "consultant": ("顾问", "Consultant"),
    "returning": ("首次与再次来店", "First-only vs returning prospects"),
    "leads": ("优先回访的潜客", "Open leads to call first"),
    "budget": ("下月营销预算", "Marketing budget, next month"),
    "quality": ("附录:数据质量", "Appendix: data quality"),
    "rows_read": ("读取行数", "Rows read"),
    "rows_kept": ("保留", "Kept"),
    "rows_rejected": ("剔除", "Rejected"),
    "duplicates": ("合并重复", "Duplicates merged"),
    "reason": ("剔除原因", "Reason rejected"),
    "rows": ("行数", "Rows"),
    "table": ("数据表", "Table"),
    "visits": ("来店登记(A卡)", "Visits (A-cards)"),
    "deposits": ("订单(C卡)", "Deposits (C-cards)"),
    "page": ("第 {n} 页 / 共 {total} 页", "Page {n} of {total}"),
    "period": ("报告期", "Period"),
    "period_of": ("报告期 {m}", "Period {m}"),
    "data_cover": ("数据覆盖", "Data covers"),
    "continued": ("(续)", "(continued)"),
    "source_note": ("数据来源", "Source"),
    "masked": ("电话与姓名已脱敏", "phones and names masked"),
    "missing_value": ("(未填)", "(missing)"),
    # report: sentences (templates)
    "summary_intro": (
        "数据覆盖 {first} 至 {m},{n} 个区域。成交率 = C卡 / A卡(当月首次来店)。",
        "Data {first} to {m}, {n} zones. Close rate = C-cards / A-cards (first visits in the month).",
    ),
    "too_few_zones": (
        "样本不足、未作判断的区域: {n} 个(A卡太少,成交率波动大)。",
        "Zones with too little data to judge: {n} (few A-cards, noisy rates).",
    ),
    "headline": (
        "全网 A卡 {a} 组,C卡 {c} 台,成交率 {r}(基准 {target:.0%}),较上月 {dr}。",
        "Network: {a} A-cards, {c} C-cards, close rate {r} (benchmark {target:.0%}), {dr} vs last month.",
    ),
    "zone_table_note": (
        "状态按区间与基准 {target:.0%} 比较(多重检验校正);A卡太少的区域不作判断。收缩估计借用全网信息,小区域更稳。趋势为收缩估计较上月的变化(超过1个百分点)。",
        "Status compares the interval with the {target:.0%} benchmark (corrected for testing many zones); zones with few A-cards are not judged. The shrunk rate borrows strength from the network. Trend: change of the shrunk rate vs last month (more than 1 pt).",
    ),
    "quadrant_note": (
        "客流指数 = 区域客流 / 中位区域(1 = 中位;{basis});低于 0.75 视为客流不足。转化按成交率状态判断。",
        "Traffic index = the zone's traffic over the median zone's (1 = median; {basis}); below 0.75 is thin traffic. Conversion follows the rate status.",
    ),
    "budget_note": (
        "把 {total} 元(与 {month} 相同)重新分配到各区域:预计C卡 {c}({c_low}–{c_high}),维持上月比例为 {c_now};新方案更好的概率 {p}。每个区域的预算限制在其历史投放范围内。",
        "Splitting {total} yuan (as in {month}) across zones: expected C-cards {c} ({c_low}\u2013{c_high}) vs {c_now} keeping last month's split; probability the plan does better {p}. Each zone stays within the spend range it has seen.",
    ),
    "quality_note": (
        "每一行输入都有去处:读取 = 保留 + 剔除 + 合并的重复行。剔除的行不会被悄悄丢弃,按原因计数如下。",
        "Every input row is accounted for: read = kept + rejected + duplicates merged. Rejected rows are never dropped silently; they are counted by reason below.",
    ),
    "returning_note": (
        "近12个月首次来店的潜客;只统计到报告月末的订单。",
        "Prospects whose first visit fell in the last 12 months; deposits up to the end of the report month.",
    ),
    "leads_note": (
        "截至 {month} 月初仍未下订的潜客,按模型预测的30天内下订概率排序。",
        "Prospects still open at the start of {month}, by the predicted chance of a deposit within 30 days.",
    ),
    # report: table headers
    "spend_current": ("本月投放", "Current"),
    "spend_planned": ("建议投放", "Planned"),
    "change": ("变化", "Change"),
    "a_expected": ("预计A卡", "Exp. A"),
    "c_expected": ("预计C卡", "Exp. C"),
    "c_interval": ("C卡区间", "C interval"),
    "cost_of_one_more": ("每多一台的成本", "Cost of one more"),
    "encoding": ("编码", "Encoding"),
    "prospects": ("潜客", "Prospects"),
    "return_rate": ("再次来店率", "Return-visit rate"),
    "rate_one_visit": ("只来一次的成交率", "Close rate, one visit only"),
    "rate_returning": ("再次来店的成交率", "Close rate, returning"),
    "lift": ("倍数", "Lift"),
    "name": ("姓名", "Name"),
    "phone": ("电话", "Phone"),
    "score": ("分数", "Score"),
    "tier": ("级别", "Tier"),
    "next_contact": ("下次联系", "Next contact"),
    "main_factors": ("主要因素", "Main factors"),
    # report: the notes under the KPI tiles
    "ac_benchmark": ("基准 {ratio:.1f}", "benchmark {ratio:.1f}"),
    "cancelled_note": ("不计入C卡", "not counted as C-cards"),
    "unlinked_note": ("客户无来店登记", "customer has no A-card"),
    "interval_note": ("成交率的95%区间", "95% interval of the close rate"),
    "status_note": ("相对基准的判断", "judged against the benchmark"),
    # charts
    "all": ("全部", "all"),
    "no_data": ("无数据", "no data"),
    "empty": ("空", "missing"),
    "map_title": ("各片区{zh}", "{en} by zone"),
    "too_few_judge": ("样本不足", "too few to judge"),
    "pale": ("颜色变浅", "pale"),
    "weak_cluster": ("弱片区集群", "weak cluster"),
    "tip_zone": ("片区", "zone"),
    "tip_rate": ("成交率", "rate"),
    "tip_interval": ("区间", "interval"),
    "hollow": ("空心 = 样本不足", "hollow = too few to judge"),
    "band": ("行业区间", "benchmark"),
    "target": ("行业均值", "benchmark"),
    # CLI
    "rates_title": ("月度成交率", "close rates"),
    "whole_period": ("全期", "whole period"),
    "sample_dealer": ("示例经销商", "sample dealer"),
}

#: Texts always shown in both languages at once: chart axes, legends and notes,
#: the CLI legend (templates with ``str.format`` fields).
BILINGUAL: dict[str, str] = {
    "rates_legend": (
        "状态 status: 偏弱 weak / 领先 strong = 可信地低于/高于 credibly below/above "
        "{target:.0%} (exact binomial test, Benjamini-Hochberg FDR {alpha:.0%}); "
        "样本不足 too few = 预期C卡 expected C-cards < {min_exp:g}; "
        "收缩估计 shrunk = empirical-Bayes rate"
    ),
    "unlinked_cli": (
        "{n} C-card(s) have no A-card (unlinked; counted in C卡) | C 卡无对应 A 卡"
    ),
    # charts
    "funnel_x": "A卡（首次来店组数） A-cards (first visits)",
    "rate_y": "来店成交率 close rate (C/A)",
    "funnel_title": "成交率漏斗图 Funnel plot of close rates{period}",
    "month_x": "月份 month",
    "trend_title": "成交率走势（阴影为95%区间） Close-rate trend (band: 95% interval)",
    "limits": "{level:.1%} 控制限 limits ({what})",
    "overdispersed": "含组间离散 overdispersed",
    "binomial": "二项 binomial",
    "thin_traffic": "客流偏低线 thin-traffic line ({low:.0%} of median)",
    "quadrant_x": "客流指数 traffic index (1 = 中位片区 median zone)",
    "quadrant_x_potential": "客流指数: 每千户A卡 / 中位片区 traffic index: A-cards per 1000 potential vs median zone",
    "quadrant_y": "来店成交率(收缩) close rate, shrunk",
    "quadrant_title": "客流 vs 转化 Traffic vs conversion · {period}",
    "map_period": "期间 period: {period}",
    "map_rate_note": "成交率 = C卡/首次来店A卡 close rate = C-cards / first-visit A-cards; 行业基准 benchmark {target} ({low}-{high})",
    "map_clusters": "集群: 局部Moran's I, FDR校正 clusters: local Moran's I, FDR-corrected",
    "budget_points": "月度A卡(季节调整) monthly A-cards, seasonally adjusted",
    "budget_curve": "拟合曲线 fitted curve",
    "budget_beyond": "超出历史投放范围 beyond the spend seen",
    "budget_band": "{level:.0%} 区间 interval",
    "budget_range": "历史投放范围 spend range seen",
    "current": "当前 current",
    "planned": "计划 planned",
    "spend_x": "月投放 spend (万元, 10k yuan)",
    "budget_y": "首次来店 first-visit A-cards",
    "allowed": "允许范围 allowed range",
    "current_last": "当前 current (上月 last month)",
    "plan_title": "预算方案 budget plan {month}: 预计订单 expected C-cards {planned:.1f} vs {split:.1f} (维持上月比例 last month's split)\n柱旁数字: 计划下预计订单 numbers: expected C-cards under the plan",
    "plan_more": "计划 增加 planned, more",
    "plan_less": "计划 减少 planned, less",
}


def word(key: str, lang: str, **fmt: object) -> str:
    """The word ``key`` of :data:`WORDS` in ``zh`` or ``en``, formatted.

    Examples
    --------
    >>> word("page", "en", n=2, total=9)
    'Page 2 of 9'
    """
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**fmt)


def both(w: Word, *, sep: str = " ") -> str:
    """``中文 English`` of one ``(zh, en)`` word, the charts' bilingual form.

    Examples
    --------
    >>> both(STATUSES["weak"])
    '偏弱 weak'
    """
    return f"{w[0]}{sep}{w[1]}"


def lang_table(words: dict[str, Word]) -> dict[str, dict[str, str]]:
    """``{"zh": {key: zh}, "en": {key: en}}`` of a table of words.

    Examples
    --------
    >>> lang_table(STATUSES)["en"]["on_track"]
    'on track'
    """
    return {
        lang: {k: w[i] for k, w in words.items()} for i, lang in enumerate(("zh", "en"))
    }


class Labels:
    """Look up words in the chosen language (``both`` = 中文 English).

    Examples
    --------
    >>> Labels("both")("close_rate")
    '来店成交率 Close rate'
    >>> Labels("en")("close_rate")
    'Close rate'
    >>> Labels("zh").status("weak")
    '偏弱'
    >>> Labels("fr")
    Traceback (most recent call last):
    ...
    pondstats.errors.InputError: expected lang to be one of 'both', 'zh', 'en', got 'fr'
    """

    def __init__(self, lang: str = "both") -> None:
        if lang not in LANGS:
            raise InputError(
                f"expected lang to be one of {', '.join(map(repr, LANGS))}, got {lang!r}"
            )
        self.lang = lang

    def pick(self, zh: str, en: str, *, sep: str = " ") -> str:
        """``zh``, ``en`` or both joined by ``sep``."""
        if self.lang == "zh":
            return zh
        if self.lang == "en":
            return en
        return f"{zh}{sep}{en}"

    def word(self, w: Word, *, sep: str = " ", **fmt: object) -> str:
        """One ``(zh, en)`` word in the chosen language, formatted with ``fmt``.

        A word spelled the same in both languages (``A/C``) is shown once.
        """
        zh, en = w[0].format(**fmt), w[1].format(**fmt)
        return zh if zh == en else self.pick(zh, en, sep=sep)

    def __call__(self, key: str, *, sep: str = " ", **fmt: object) -> str:
        """A word of :data:`WORDS`, or the name of a KPI of :data:`KPIS`."""
        w = KPIS[key].name if key in KPIS else WORDS[key]
        return self.word(w, sep=sep, **fmt)

    def kpi(self, key: str, *, form: str = "name", sep: str = " ") -> str:
        """A KPI's ``name``, ``column`` or ``short`` header."""
        return self.word(getattr(KPIS[key], form), sep=sep)

    def status(self, status: object, *, sep: str = " / ") -> str:
        """A status class by its name; unknown ones as they are, a dash for none."""
        if not isinstance(status, str):
            return "–"
        return self.word(STATUSES.get(status, (status, status)), sep=sep)


def _bad(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_int(x: object) -> str:
    """``1,234``; a dash for missing.

    Examples
    --------
    >>> fmt_int(1234.4), fmt_int(None)
    ('1,234', '–')
    """
    return "–" if _bad(x) else f"{int(round(float(x))):,}"


def fmt_num(x: object, digits: int = 1) -> str:
    """``7.7``; a dash for missing or infinite.

    Examples
    --------
    >>> fmt_num(7.74), fmt_num(float("inf"))
    ('7.7', '–')
    """
    if _bad(x) or not math.isfinite(float(x)):
        return "–"
    return f"{float(x):,.{digits}f}"


def fmt_pct(x: object, digits: int = 1) -> str:
    """``13.0%``; a dash for missing.

    Examples
    --------
    >>> fmt_pct(0.13)
    '13.0%'
    """
    return "–" if _bad(x) else f"{float(x):.{digits}%}"


def fmt_pt(x: object) -> str:
    """A change of a rate in percentage points: ``+1.2 pt``.

    Examples
    --------
    >>> fmt_pt(0.012)
    '+1.2 pt'
    """
    return "–" if _bad(x) else f"{float(x) * 100:+.1f} pt"


def fmt_change(now: object, before: object) -> str:
    """Relative change of a count: ``+5.2%``; a dash when not defined.

    Examples
    --------
    >>> fmt_change(105, 100), fmt_change(1, 0)
    ('+5.0%', '–')
    """
    if _bad(now) or _bad(before) or float(before) == 0:
        return "–"
    return f"{float(now) / float(before) - 1:+.1%}"
