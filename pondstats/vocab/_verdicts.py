"""The judgement words: close-rate statuses, zone problems and actions, and the
verdicts of ``assess_zones`` with their actions and map classes."""

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
    "strong": STATUSES["strong"],
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
    "weak": STATUSES["weak"],
    "on_track": ("达标或回升", "on target or recovering"),
    "strong": STATUSES["strong"],
    "too_few": VERDICTS["not_enough_data"],
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
