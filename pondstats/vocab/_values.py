"""The words of the data's own columns and values: group columns, lead sources,
weekdays, lost-deal reasons, and why cleaning rejected a row."""

from __future__ import annotations

from pondstats.vocab._kpis import Word

#: Columns a rate table is grouped by (``--by`` / ``by=``).
GROUPS: dict[str, Word] = {
    "region": ("区域", "region"),
    "store": ("门店", "store"),
    "consultant": ("销售顾问", "consultant"),
    "source": ("来源", "source"),
    "model": ("车型", "model"),
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
