"""The words of the report and the CLI (parts of ``WORDS``) and the CLI's
bilingual legend lines (``BILINGUAL``)."""

from __future__ import annotations

from pondstats.vocab._kpis import Word

#: The words of the report: titles, sections, verdict lines, table headers,
#: sentences (templates with ``str.format`` fields) and the KPI tiles' notes.
REPORT_WORDS: dict[str, Word] = {
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
    # report: the verdicts of assess_zones (page 1, zone table, budget)
    "needs_action": ("需要行动的区域", "Zones that need action"),
    "budget_why": ("大幅调整的原因", "Why the large moves"),
    "prob_draws": ("{p}(基于 {n} 次抽样)", "{p} (of {n} draws)"),
    # the budget's large moves grouped by their reason (each reason once)
    "moves_note": (
        "每个区域:调整金额(元),括号内为在该区域多一台订单需要的投放(元);中位区域 {median} 元。",
        "Each zone: change (yuan), in brackets what one more deposit costs there (yuan); {median} yuan in the median zone.",
    ),
    "why_raise": (
        "每多投一元在这里换来的订单更多",
        "Each extra yuan buys more deposits here",
    ),
    "why_conversion": (
        "投放在这里换来的新增A卡很少;差距在转化:{action}",
        "Spend has bought few extra A-cards here; the gap is conversion: {action}",
    ),
    "why_traffic_cut": (
        "区域需要客流,但加投放换来的A卡很少:用外拓、活动、转介绍引流,而不是加广告",
        "The zone needs traffic, but extra spend has bought few extra A-cards here: grow it by outreach, events and referrals rather than ads",
    ),
    "why_cut": ("再多投放的回报已递减", "More spend here no longer pays"),
    "no_action": ("本月没有需要行动的区域。", "No zone needs action this month."),
    "improved": ("有所改善与领先", "What improved, and who leads"),
    "recovering_list": ("正在回升: {names}", "Recovering: {names}"),
    "strong_list": ("领先: {names}", "Strong: {names}"),
    "rising_list": (
        "近3个月比此前9个月高出2个百分点以上: {names}",
        "Up by more than 2 pt in the last 3 months vs the 9 before: {names}",
    ),
    "unknown_list": (
        "数据尚不足、暂不判断: {names}",
        "Not enough data yet, not judged: {names}",
    ),
    "verdict": ("判断", "Verdict"),
    "lead_code": ("线索编号", "Lead code"),
    "why": ("依据", "Why"),
    "at_stake": ("每月可多C卡", "Deposits/month"),
    "rate_month": ("本月", "Month"),
    "rate_3m": ("近3月", "3 mo"),
    "rate_12m": ("近12月 [95%区间]", "12 mo [95% interval]"),
    "verdict_note": (
        "判断看近3个月与近12个月(精确二项检验,与基准相差1个百分点以上才算,"
        "多区域按 Benjamini-Hochberg 控制错误发现率 5%);单月波动不改变判断。"
        "每月可多C卡 = 成交率补到 {target:.0%} 时每月多出的订单(客流不足时另加客流补到中位区域 75% 的部分)。",
        "Verdicts use the last 3 and 12 months (exact binomial tests, at least 1 pt "
        "from the benchmark, Benjamini-Hochberg false discovery rate 5% across zones); "
        "one noisy month does not change them. Deposits/month = extra deposits a month "
        "at a {target:.0%} close rate (plus, for thin traffic, traffic up to 75% of the "
        "median zone).",
    ),
    "by_source": ("按线索来源", "By lead source"),
    "by_consultant": ("按销售顾问", "By consultant"),
    "source": ("来源", "Source"),
    "consultant": ("顾问", "Consultant"),
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
    "c_expected_interval": ("预计C卡 [区间]", "Exp. C [interval]"),
    "cost_of_one_more": ("每多一台的成本", "Cost of one more"),
    "encoding": ("编码", "Encoding"),
    "prospects": ("潜客", "Prospects"),
    "returning_section": ("首次与再次来店", "First-only vs returning prospects"),
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
}


#: The words of the CLI, the list separator and the history store.
CLI_WORDS: dict[str, Word] = {
    # CLI
    "rates_title": ("月度成交率", "close rates"),
    "whole_period": ("全期", "whole period"),
    "sample_dealer": ("示例经销商", "sample dealer"),
    # the separator of a list of names in a sentence
    "list_sep": ("、", ", "),
    # the history store (ingest summary, report footer)
    "store_rows_read": ("读取行数", "rows read"),
    "store_new": ("新增", "new"),
    "store_updated": ("更新", "updated"),
    "store_unchanged": ("未变", "unchanged"),
    "store_merged": ("文件内重复合并", "duplicates merged (inside the export)"),
    "store_rejected": ("拒收", "rejected"),
    "store_conflicts": ("冲突", "conflicts"),
    "store_removed": ("移除（新文件中没有）", "removed (not in the new file)"),
    "store_import": ("导入", "import"),
    "store_already": ("已导入过", "already imported"),
    "store_nothing": ("未作改动", "nothing changed"),
    "store_snapshot": ("快照", "snapshot"),
    "store": ("历史库", "store"),
}


#: The words of the report's KPI page and the KPI commands.
KPI_PAGE_WORDS: dict[str, Word] = {
    "kpi_page": ("KPI 看板", "KPI board"),
    "kpi_zones": (
        "试驾与二次来店(按区域)",
        "Test drives and return visits by zone",
    ),
    "kpi_zones_note": (
        "试驾率 = 首次来店即试驾的A卡 / A卡;试驾/未试驾成交率与二次来店率按首次来店后90天计"
        "(相关,非因果);区间为95%。",
        "Test-drive rate = first-visit A-cards with a test drive / A-cards; close rates "
        "with and without a test drive and the return-visit rate follow each first "
        "visit for 90 days (association, not effect); 95% intervals.",
    ),
    "kpi_league": (
        "销售顾问排名:前5与后5",
        "Consultant league: top and bottom five",
    ),
    "kpi_league_note": (
        "{first} 至 {last} 的成交率,向门店收缩后排名;前/后25%概率来自后验模拟。"
        "样本不足未排名:{n} 人。",
        "Close rate {first} to {last}, pooled towards the store, then ranked; "
        "P(top/bottom quarter) by posterior simulation. Too few to rank: {n}.",
    ),
    "kpi_sources": ("线索来源的成本", "What a card costs per lead source"),
    "kpi_pacing": ("月度C卡目标完成", "C-card targets of the month"),
}


#: Texts always shown in both languages at once: the CLI's legend lines
#: (templates with ``str.format`` fields). Chart words are in :data:`CHART_WORDS`.
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
}
