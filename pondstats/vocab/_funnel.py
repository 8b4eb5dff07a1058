"""The words of the whole funnel: stages, lifecycle, the logging audit."""

from __future__ import annotations

from pondstats.vocab._kpis import Word

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
