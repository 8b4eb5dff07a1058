"""The words of lead scoring: the call list's factors, the lead charts, horizon
tiers, call capacity, drift and the tier back-test."""

from __future__ import annotations

from pondstats.vocab._kpis import Word
from pondstats.vocab._values import GROUPS

#: Names of the lead-table columns, as shown in the factors of the call list;
#: a column a rate table is grouped by too has its word of :data:`GROUPS`
#: (but ``model``: the lead's intended model, 意向车型).
FEATURES: dict[str, Word] = {
    "n_visits": ("来店次数", "visits"),
    "visits_30d": ("近30天来店", "visits in last 30 days"),
    "days_since_first": ("距首次来店天数", "days since first visit"),
    "days_since_last": ("距上次来店天数", "days since last visit"),
    "returned": ("再次来店", "returned"),
    "test_drive": ("试驾", "test drive"),
    "source": GROUPS["source"],
    "model": ("意向车型", "model"),
    "grade": ("意向级别", "grade"),
    "consultant": GROUPS["consultant"],
    "store": GROUPS["store"],
    "region": GROUPS["region"],
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
