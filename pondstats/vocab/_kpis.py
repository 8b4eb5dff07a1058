"""KPI and column names, and the KPI dictionary (``ps.KPIS``): one entry per KPI."""

from __future__ import annotations

from dataclasses import dataclass

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


# ---------------------------------------------------------------------------
# The KPI dictionary: every KPI column a function returns, defined once
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kpi:
    """One KPI of the dealer's board: names, formula, unit, direction, benchmark.

    ``numerator`` / ``denominator`` name the count columns a rate is made of
    (``compare_periods`` tests a rate's change on them); a KPI with an
    ``interval`` comes with ``<id>_low`` / ``<id>_high`` columns.

    Examples
    --------
    >>> k = KPI_DEFINITIONS[0]
    >>> k.id, k.unit, k.better
    ('a_cards', 'count', 'higher')
    """

    id: str
    name: Word
    formula: Word
    symbols: str
    unit: str
    better: str | None = None
    benchmark: str | None = None
    column: Word | None = None
    short: Word | None = None
    numerator: str | None = None
    denominator: tuple[str, ...] = ()
    interval: bool = False

    @property
    def term(self) -> Term:
        """The KPI's names as a :class:`Term` (what :data:`KPIS` holds)."""
        return Term(self.name, self.column, self.short)


#: Units of :class:`Kpi` (``kpi_table`` and ``pondstats kpis --list`` format by them).
KPI_UNITS: dict[str, Word] = {
    "count": ("个/组/台", "count"),
    "share": ("比例", "share"),
    "ratio": ("倍", "ratio"),
    "yuan": ("元", "yuan"),
    "probability": ("概率", "probability"),
    "rank": ("名次", "rank"),
    "per_day": ("台/天", "per day"),
}

#: The KPI dictionary: one :class:`Kpi` per KPI column any pondstats function
#: returns (``ps.KPIS`` is this as a table; ``pondstats kpis --list`` prints it).
KPI_DEFINITIONS: tuple[Kpi, ...] = (
    Kpi("a_cards", ("A卡(首次来店)", "A-cards (first visits)"),
        ("当期首次来店登记数", "first-visit registrations dated in the period"),
        "A = #{visit_no = 1}", "count", "higher",
        column=("A卡", "A-cards"), short=("A卡", "A")),
    Kpi("c_cards", ("C卡(订单)", "C-cards (deposits)"),
        ("当期未退订的订单数", "deposits dated in the period, not cancelled"),
        "C = #{deposit, status ≠ cancelled}", "count", "higher",
        column=("C卡", "C-cards"), short=("C卡", "C")),
    Kpi("cancelled", ("退订", "Cancelled deposits"),
        ("当期已退订的订单数(不计入C卡)", "cancelled deposits dated in the period (not C-cards)"),
        "#{deposit, status = cancelled}", "count", "lower",
        column=("退订", "cancelled")),
    Kpi("unlinked", ("未关联A卡的订单", "Unlinked deposits"),
        ("客户没有来店登记的C卡", "C-cards whose customer has no A-card"),
        "#{C, no A-card}", "count", "lower", column=("未关联", "unlinked")),
    Kpi("close_rate", ("来店成交率", "Close rate"),
        ("C卡 / A卡(当期)", "C-cards / A-cards of the period"),
        "C / A", "share", "higher", "13% (8%–20%)",
        column=("成交率", "close rate"), short=("成交率", "Rate"),
        numerator="c_cards", denominator=("a_cards",), interval=True),
    Kpi("shrunk_rate", ("来店成交率(收缩估计)", "Shrunk close rate"),
        ("向同组均值收缩的成交率(经验贝叶斯后验均值)",
         "close rate pooled towards its group (empirical-Bayes posterior mean)"),
        "(α + C) / (α + β + A)", "share", "higher", "13% (8%–20%)",
        column=("收缩估计", "shrunk"), short=("收缩估计", "Shrunk"), interval=True),
    Kpi("ac_ratio", ("A/C 比", "A/C ratio"),
        ("每个C卡对应的A卡数", "A-cards per C-card"),
        "A / C", "ratio", "lower", "7.7 (13%)", column=("A/C", "A/C"),
        interval=True),
    Kpi("cancel_rate", ("退订率", "Cancellation rate"),
        ("退订 / (C卡 + 退订)", "cancelled / (C-cards + cancelled)"),
        "X / (C + X)", "share", "lower", column=("退订率", "cancel rate"),
        numerator="cancelled", denominator=("c_cards", "cancelled"), interval=True),
    Kpi("test_drives", ("试驾(首次来店)", "Test drives (first visits)"),
        ("首次来店即试驾的A卡数", "first-visit A-cards with a test drive"),
        "T = #{A, test drive}", "count", "higher", column=("试驾", "test drives")),
    Kpi("test_drive_rate", ("试乘试驾率", "Test-drive rate"),
        ("首次来店试驾的A卡 / A卡(未填视为未试驾)",
         "first-visit A-cards with a test drive / A-cards (no flag = no test drive)"),
        "T / A", "share", "higher", column=("试驾率", "test-drive rate"),
        numerator="test_drives", denominator=("a_cards",), interval=True),
    Kpi("test_drive_closed", ("试驾后成交", "Closed after a test drive"),
        ("试驾的潜客在观察期内下订的人数",
         "test-drive prospects with a deposit within the follow-up window"),
        "#{T, deposit ≤ h days}", "count", "higher", column=("试驾成交", "TD closed")),
    Kpi("test_drive_close_rate", ("试驾客户成交率", "Close rate after a test drive"),
        ("试驾的潜客中观察期内下订的比例",
         "share of test-drive prospects with a deposit within the follow-up window"),
        "C_T / T", "share", "higher", column=("试驾成交率", "TD close rate"),
        numerator="test_drive_closed", denominator=("test_drives",), interval=True),
    Kpi("no_test_drive_closed", ("未试驾成交", "Closed without a test drive"),
        ("未试驾的潜客在观察期内下订的人数",
         "prospects without a test drive with a deposit within the follow-up window"),
        "#{A − T, deposit ≤ h days}", "count", "higher",
        column=("未试驾成交", "no-TD closed")),
    Kpi("no_test_drive_close_rate", ("未试驾客户成交率", "Close rate without a test drive"),
        ("未试驾的潜客中观察期内下订的比例",
         "share of prospects without a test drive with a deposit within the window"),
        "C_¬T / (A − T)", "share", "higher", column=("未试驾成交率", "no-TD close rate"),
        numerator="no_test_drive_closed", denominator=("a_cards", "-test_drives"),
        interval=True),
    Kpi("test_drive_lift", ("试驾成交倍数", "Test-drive lift"),
        ("试驾客户成交率 / 未试驾客户成交率(相关,非因果)",
         "close rate after a test drive / without one (association, not effect)"),
        "(C_T / T) / (C_¬T / (A − T))", "ratio", "higher", column=("试驾倍数", "TD lift")),
    Kpi("returning", ("再次来店潜客", "Returning prospects"),
        ("观察期内再次来店的潜客数", "prospects with another visit within the window"),
        "R = #{A, 2nd visit ≤ h days}", "count", "higher", column=("再次来店", "returning")),
    Kpi("return_rate", ("二次来店率", "Return-visit rate"),
        ("观察期内再次来店的潜客 / A卡", "prospects back within the window / A-cards"),
        "R / A", "share", "higher", column=("二次来店率", "return rate"),
        numerator="returning", denominator=("a_cards",), interval=True),
    Kpi("spend", ("市场费用", "Marketing spend"),
        ("当期市场费用合计", "marketing spend of the period"),
        "S", "yuan", None, column=("费用", "spend")),
    Kpi("cost_per_a_card", ("单个A卡成本", "Cost per A-card"),
        ("市场费用 / A卡", "spend / A-cards"), "S / A", "yuan", "lower",
        column=("A卡成本", "cost/A"), interval=True),
    Kpi("cost_per_c_card", ("单个C卡成本", "Cost per C-card"),
        ("市场费用 / C卡", "spend / C-cards"), "S / C", "yuan", "lower",
        column=("C卡成本", "cost/C"), interval=True),
    Kpi("deposit_share", ("订单占比", "Share of deposits"),
        ("本来源C卡 / 全部C卡", "C-cards of this source / all C-cards"),
        "C_s / ΣC", "share", "higher", column=("订单占比", "share of C"),
        interval=True),
    Kpi("rank", ("排名", "Rank"),
        ("按收缩成交率排名(1 = 最好),样本不足者不排名",
         "rank by shrunk close rate (1 = best); too few to judge: not ranked"),
        "rank(shrunk)", "rank", "lower", column=("排名", "rank")),
    Kpi("pool_rate", ("收缩目标成交率", "Pooling rate"),
        ("收缩所向的成交率(门店或全网)", "the rate a consultant is pooled towards (store or all)"),
        "ΣC / ΣA", "share", None, column=("门店成交率", "pool rate")),
    Kpi("p_top", ("进入前25%的概率", "P(top quarter)"),
        ("后验模拟中排进前四分之一的比例",
         "share of posterior draws ranking in the top quarter"),
        "P(rank ≤ m/4)", "probability", "higher", column=("前25%概率", "P(top)")),
    Kpi("p_bottom", ("落入后25%的概率", "P(bottom quarter)"),
        ("后验模拟中排进后四分之一的比例",
         "share of posterior draws ranking in the bottom quarter"),
        "P(rank > 3m/4)", "probability", "lower", column=("后25%概率", "P(bottom)")),
    Kpi("target", ("C卡目标", "C-card target"),
        ("当月C卡任务", "the month's C-card target"), "G", "count", None,
        column=("目标", "target")),
    Kpi("month_to_date", ("本月累计C卡", "C-cards month to date"),
        ("本月1日至截止日的C卡", "C-cards from the 1st to the as-of day"),
        "C_≤d", "count", "higher", column=("累计C卡", "MTD")),
    Kpi("expected_share", ("截至当日应完成比例", "Expected share by now"),
        ("往月截至同一天的C卡占全月的平均比例",
         "average share of a month's C-cards earlier months had by the same day"),
        "mean_j C_j,≤d / C_j", "share", None, column=("应完成比例", "share by day")),
    Kpi("projected", ("预计月末C卡", "Projected month end"),
        ("本月累计 + 预计余下天数的C卡(按往月日分布)",
         "month to date + the rest of the month from earlier months' daily profile"),
        "C_≤d + E[C_>d]", "count", "higher", column=("预计月末", "projected"),
        interval=True),
    Kpi("gap", ("预计缺口", "Projected gap"),
        ("预计月末 − 目标(负数 = 差距)", "projected month end − target (negative = short)"),
        "E[C] − G", "count", "higher", column=("缺口", "gap")),
    Kpi("needed_per_day", ("剩余每天需C卡", "Needed per remaining day"),
        ("(目标 − 本月累计) / 剩余天数", "(target − month to date) / days left"),
        "(G − C_≤d) / days left", "per_day", None, column=("每天需", "needed/day")),
    Kpi("p_reach", ("完成目标的概率", "P(reaching the target)"),
        ("预测分布中月末C卡 ≥ 目标的概率",
         "predictive probability that the month ends at or above target"),
        "P(C ≥ G)", "probability", "higher", column=("达成概率", "P(reach)")),
    Kpi("days_left", ("剩余天数", "Days left"),
        ("截止日之后本月剩余的天数", "days of the month after the as-of day"),
        "days in month − d", "count", None, column=("剩余天数", "days left")),
)  # fmt: skip

#: The KPI dictionary by id.
KPI_BY_ID: dict[str, Kpi] = {k.id: k for k in KPI_DEFINITIONS}


#: KPI and column names: the KPIs' come from :data:`KPI_DEFINITIONS` (naming a
#: new KPI is one entry there); the other column words follow.
KPIS: dict[str, Term] = {
    **{k.id: k.term for k in KPI_DEFINITIONS},
    "interval": Term(("95% 区间", "95% interval"), ("95%区间", "95% interval")),
    "status": Term(
        ("成交率状态", "Close-rate status"), ("状态", "status"), ("状态", "Status")
    ),
    "traffic_index": Term(("客流指数", "Traffic index")),
}
