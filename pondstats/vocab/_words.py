"""The word tables: statuses, verdicts, groups, actions, lead factors, report and chart words."""

from __future__ import annotations

from pondstats.vocab._kpis import Word

#: The close-rate status classes (see ``close_rates``).
STATUSES: dict[str, Word] = {
    "weak": ("偏弱", "weak"),
    # not proven either way: never read as "fine" (the verdicts of
    # ``assess_zones`` say whether a zone is on target)
    "on_track": ("未定", "inconclusive"),
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
    "traffic": ("客流不足", "traffic short"),
    "conversion": ("转化偏弱", "conversion weak"),
    "both": ("客流不足且转化偏弱", "traffic short, conversion weak"),
    "none": ("无", "none"),
}

#: The action per problem.
ACTIONS: dict[str, Word] = {
    "traffic": ("引流", "grow traffic"),
    "conversion": ("提升转化", "fix conversion"),
    "both": ("引流+提升转化", "grow traffic + fix conversion"),
    "none": ("无明显问题", "no clear problem"),
}

#: The action of a zone whose traffic is fine but whose close rate rests on too
#: few A-cards to judge (``status == "too_few"``).
UNJUDGED_ACTION: Word = ("观察(样本不足)", "watch: too few to judge")

#: The verdicts of ``assess_zones``, weakest first (see its Notes).
VERDICTS: dict[str, Word] = {
    "persistently_weak": ("持续偏弱", "persistently weak"),
    "newly_weak": ("新近转弱", "newly weak"),
    "recovering": ("正在回升", "recovering"),
    "not_enough_data": ("数据尚不足", "not enough data yet"),
    "on_target": ("达标", "on target"),
    "strong": ("领先", "strong"),
}

#: How a verdict is shown when the zone's traffic is short (problem
#: ``traffic`` or ``both``): the verdict judges conversion only, so the
#: traffic problem comes first ("traffic short; conversion: on target", never
#: a bare "on target" beside "grow traffic"). See ``Labels.verdict``.
VERDICT_TRAFFIC_SHORT: Word = (
    "客流不足;转化:{verdict}",
    "traffic short; conversion: {verdict}",
)

#: The status classes of the report's map and funnel plot, which colour the
#: zones by their verdict (weak: persistently or newly weak; on_track: on
#: target or recovering; too_few: not enough data yet).
VERDICT_CLASSES: dict[str, Word] = {
    "weak": ("偏弱", "weak"),
    "on_track": ("达标或回升", "on target or recovering"),
    "strong": ("领先", "strong"),
    "too_few": ("数据尚不足", "not enough data yet"),
}

#: The action of an ``assess_zones`` verdict, in plain words.
VERDICT_ACTIONS: dict[str, Word] = {
    "fix_conversion": (
        "提升转化:逐一复盘未成交的A卡,加强跟进与成交培训",
        "fix conversion: review lost A-cards, coach follow-up and closing",
    ),
    "fix_both": (
        "引流并提升转化:先补跟进与成交,再加投放与外拓",
        "fix conversion first, then grow traffic (outreach, events)",
    ),
    "find_cause": (
        "查明近3个月下滑原因(人员、车型、竞品),提升转化",
        "find what changed in the last 3 months (staff, models, rivals); fix conversion",
    ),
    "grow_traffic": (
        "引流:外拓、活动与转介绍",
        "grow traffic: outreach, events, referrals",
    ),
    "keep_improving": (
        "保持改进,下月复查",
        "keep the improvement going; check next month",
    ),
    "share_practice": ("总结经验,推广到其他区域", "share what works with other zones"),
    "keep_course": ("保持现状", "keep the course"),
    "collect_data": ("继续积累数据,暂不下结论", "keep collecting data before judging"),
}

#: The usual lead sources (``source`` values of the exports), shown in the
#: report's language; a source not listed is shown as the export spells it.
SOURCES: dict[str, Word] = {
    "自然到店": ("自然到店", "walk-in"),
    "网络": ("网络", "online"),
    "电话": ("电话", "phone"),
    "转介绍": ("转介绍", "referral"),
    "车展": ("车展", "auto show"),
    "外拓": ("外拓", "outreach"),
    "社区推广": ("社区推广", "community"),
    "异业联盟": ("异业联盟", "partners"),
}

#: Weekdays as the lead table codes them (``first_weekday``), in both languages.
WEEKDAYS: dict[str, Word] = {
    "Mon": ("周一", "Mon"),
    "Tue": ("周二", "Tue"),
    "Wed": ("周三", "Wed"),
    "Thu": ("周四", "Thu"),
    "Fri": ("周五", "Fri"),
    "Sat": ("周六", "Sat"),
    "Sun": ("周日", "Sun"),
}

#: Lost-deal reasons (战败原因) as dealers record them, in both languages;
#: a reason not listed here is shown as the export spells it.
LOST_REASONS: dict[str, Word] = {
    "价格": ("价格", "price"),
    "竞品": ("竞品", "competitor"),
    "暂缓购车": ("暂缓购车", "purchase postponed"),
    "家人意见": ("家人意见", "family's view"),
    "贷款未批": ("贷款未批", "loan not approved"),
    "无现车": ("无现车", "no car in stock"),
    "预算不足": ("预算不足", "budget short"),
    "服务不满": ("服务不满", "unhappy with service"),
}

#: Why cleaning rejected a row, by the reason the cleaning records (its
#: English text, the key), as the report's data-quality appendix shows it.
REJECT_REASONS: dict[str, Word] = {
    "no way to identify the customer (no valid phone, landline or customer id)": (
        "无法识别客户(无有效手机、座机或客户编号)",
        "no way to identify the customer (no valid phone, landline or customer id)",
    ),
}
for _en, _zh in (("visit date", "来店日期"), ("deposit date", "下订日期")):
    REJECT_REASONS.update(
        {
            f"no {_en}": (f"无{_zh}", f"no {_en}"),
            f"unparseable {_en}": (f"{_zh}无法识别", f"unparseable {_en}"),
            f"{_en} in the future": (f"{_zh}在未来", f"{_en} in the future"),
            f"impossible time of day in {_en} (e.g. 24:30)": (
                f"{_zh}的时刻不存在(如 24:30)",
                f"impossible time of day in {_en} (e.g. 24:30)",
            ),
        }
    )

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
        "月末在跟潜客中 {n} 位的顾问评级仍在有效期内(末次来店在该级别的周期内),且与模型分级相差两级或以上"
        "(模型更高 {up} 位,顾问更高 {down} 位),请经理复核;已过期的评级应在下次联系时重新评级。",
        "{n} leads open at the month's end have a current consultant grade (last visit within "
        "the grade's horizon) two or more levels from the model tier ({up} graded higher by "
        "the model, {down} by the consultant): for a manager's review. Lapsed grades want a "
        "new grade at the next contact.",
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
    # report: the verdicts of assess_zones (page 1, zone table, budget)
    "needs_action": ("需要行动的区域", "Zones that need action"),
    "budget_why": ("大幅调整的原因", "Why the large moves"),
    "prob_draws": ("{p}(基于 {n} 次抽样)", "{p} (of {n} draws)"),
    "move_conversion": (
        "{zone}:{change} 元。投放在这里换来的新增A卡很少(多一台订单需 {cost} 元,中位区域 {median} 元);差距在转化:{action}。",
        "{zone}: {change} yuan. Spend has bought few extra A-cards here (one more deposit costs {cost} vs {median} yuan in the median zone); the gap is conversion: {action}.",
    ),
    "move_traffic_cut": (
        "{zone}:{change} 元。区域需要客流,但加投放换来的A卡很少(多一台订单需 {cost} 元,中位区域 {median} 元):用外拓、活动、转介绍引流,而不是加广告。",
        "{zone}: {change} yuan. The zone needs traffic, but extra spend has bought few extra A-cards here (one more deposit costs {cost} vs {median} yuan in the median zone): grow it by outreach, events and referrals rather than ads.",
    ),
    "move_cut": (
        "{zone}:{change} 元。再多投放的回报已递减(多一台订单需 {cost} 元,中位区域 {median} 元)。",
        "{zone}: {change} yuan. More spend here no longer pays (one more deposit costs {cost} vs {median} yuan in the median zone).",
    ),
    "move_raise": (
        "{zone}:{change} 元。每多投一元在这里换来的订单更多(多一台订单需 {cost} 元,中位区域 {median} 元)。",
        "{zone}: {change} yuan. Each extra yuan buys more deposits here (one more deposit costs {cost} vs {median} yuan in the median zone).",
    ),
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


#: The words of the charts (axes, titles, legends, notes), one ``(zh, en)``
#: pair each; a chart picks one language or both (``Labels``). Numbers and
#: periods are added by the chart, outside the words.
CHART_WORDS: dict[str, Word] = {
    "funnel_x": ("A卡（首次来店组数）", "A-cards (first visits)"),
    "rate_y": ("来店成交率", "close rate (C/A)"),
    "funnel_title": ("成交率漏斗图", "Funnel plot of close rates"),
    "month_x": ("月份", "month"),
    "trend_title": (
        "成交率走势（阴影为95%区间）",
        "Close-rate trend (band: 95% interval)",
    ),
    "limits": ("控制限", "limits"),
    "overdispersed": ("含组间离散", "overdispersed"),
    "binomial": ("二项", "binomial"),
    "thin_traffic": (
        "客流偏低线(中位的 {low:.0%})",
        "thin-traffic line ({low:.0%} of median)",
    ),
    "quadrant_x": ("客流指数(1 = 中位片区)", "traffic index (1 = median zone)"),
    "quadrant_x_potential": (
        "客流指数:每千户A卡 / 中位片区",
        "traffic index: A-cards per 1000 potential vs median zone",
    ),
    "quadrant_y": ("来店成交率(收缩)", "close rate, shrunk"),
    "quadrant_title": ("客流 vs 转化", "Traffic vs conversion"),
    "map_period": ("期间", "period"),
    "map_rate_note": (
        "成交率 = C卡/首次来店A卡",
        "close rate = C-cards / first-visit A-cards",
    ),
    "map_benchmark": ("行业基准", "benchmark"),
    "map_clusters": (
        "集群: 局部Moran's I, FDR校正",
        "clusters: local Moran's I, FDR-corrected",
    ),
    "budget_points": ("月度A卡(季节调整)", "monthly A-cards, seasonally adjusted"),
    "budget_curve": ("拟合曲线", "fitted curve"),
    "budget_beyond": ("超出历史投放范围", "beyond the spend seen"),
    "budget_band": ("区间", "interval"),
    "budget_range": ("历史投放范围", "spend range seen"),
    "current": ("当前", "current"),
    "planned": ("计划", "planned"),
    "spend_x": ("月投放(万元)", "spend (10k yuan)"),
    "budget_y": ("首次来店", "first-visit A-cards"),
    "allowed": ("允许范围", "allowed range"),
    "current_last": ("当前(上月)", "current (last month)"),
    "plan_title": (
        "预算方案 {month}:预计订单 {planned:.1f} vs {split:.1f}(维持上月比例)",
        "budget plan {month}: expected C-cards {planned:.1f} vs {split:.1f} "
        "(last month's split)",
    ),
    "plan_numbers": (
        "柱旁数字:计划下预计订单",
        "numbers: expected C-cards under the plan",
    ),
    "plan_more": ("计划增加", "planned, more"),
    "plan_less": ("计划减少", "planned, less"),
}


#: The whole funnel: stage names, lifecycle stages, the logging audit's
#: reasons and its note in the report (templates with ``str.format`` fields).
FUNNEL_WORDS: dict[str, Word] = {
    "stage_inquiries": ("线索", "inquiries"),
    "stage_first_visits": ("首次来店", "first visits"),
    "stage_visited": ("到店", "visited"),
    "stage_deposited": ("下订", "deposits"),
    "stage_delivered": ("交车", "deliveries"),
    "whole_funnel": ("全漏斗", "the whole funnel"),
    "life_prospect": ("潜在客户", "prospect"),
    "life_qualified": ("合格潜客", "qualified prospect"),
    "life_new_customer": ("新客户", "new customer"),
    "life_established": ("老客户", "established customer"),
    "life_lapsed": ("流失客户", "lapsed"),
    "audit": ("登记审计", "Logging audit"),
    "cli_funnel": (
        "全漏斗(单位:{unit};{within} 天内到店,{horizon} 天内下订)",
        "whole funnel (units: {unit_en}; visit within {within} days, deposit within "
        "{horizon} days)",
    ),
    "cli_invite": (
        "邀约到店率({within} 天内首次来店)",
        "invite-to-visit rate (first visit within {within} days)",
    ),
    "cli_delivery": ("订单交车", "deposits -> deliveries"),
    "cli_audit": (
        "登记审计({by}):{n} / {total} 可疑",
        "logging audit by {by_en}: {n} suspect of {total}",
    ),
    "cli_lifecycle": ("客户生命周期 {day}", "customer lifecycle on {day}"),
    "cli_history": (
        "含历史订单 {n} 张({first} 至 {last})",
        "with {n} earlier orders ({first} to {last})",
    ),
    "cli_extra_store": (
        "含另行导出的门店:{stores}({n_v} 条来店、{n_d} 张订单)",
        "with the separately exported store(s) {stores} ({n_v} visits, {n_d} deposits)",
    ),
    "cli_winback": (
        "复活旧客户:{n} 位值得联系的流失客户",
        "win-back list: {n} lapsed customer(s) worth a call",
    ),
    "lost_reasons": ("战败原因", "Lost deals"),
    "lost_reasons_12": ("战败(近 12 个月)", "Lost deals, last 12 months"),
    "lost_line": (
        "战败 {lost} 位 / 潜客 {n} 位(战败率 {rate});原因:{mix}",
        "{lost} of {n} prospects lost ({rate}); reasons: {mix}",
    ),
    "audit_same_day": (
        "{share:.0%} 的订单客户在下订当天才首次登记(同行 {peer:.0%})",
        "{share:.0%} of deposits from customers first registered on the deposit "
        "day (peers {peer:.0%})",
    ),
    "audit_close": (
        "成交率 {rate:.0%},远高于同行 {peer:.0%}",
        "close rate {rate:.0%}, far above peers' {peer:.0%}",
    ),
    "audit_few_visits": (
        "每个工作日仅 {rate:.1f} 组首次来店(同行 {peer:.1f})",
        "only {rate:.1f} first visits per working day (peers {peer:.1f})",
    ),
    "audit_too_few": (
        "数据太少,不下结论({n_dep} 张订单、{n_a} 张 A 卡;需要 {min_dep} / {min_a})",
        "too little data for a verdict ({n_dep} deposits, {n_a} A-cards; needs "
        "{min_dep} / {min_a})",
    ),
    "audit_count": (
        "{group}:{n} 个可疑(共 {total} 个,{few} 个数据太少不下结论)",
        "{group}: {n} suspect of {total} ({few} with too little data for a verdict)",
    ),
    "audit_note": (
        "只登记成交客户会虚高成交率:下订当天才首次登记的订单比例、每个工作日的首次来店数、"
        "成交率,与同行相比(精确检验,控制错误发现率)。",
        "Registering only the buyers inflates close rates: the share of deposits "
        "first registered on the deposit day, first visits per working day and "
        "the close rate, each against the peers (exact tests, false discovery "
        "control).",
    ),
}
WORDS.update(FUNNEL_WORDS)


#: The words of the report's KPI page and the KPI commands.
WORDS.update(
    {
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
)
