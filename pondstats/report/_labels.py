"""Words shown in the report, in Chinese and English, and number formats."""

from __future__ import annotations

import math

from pondstats.errors import InputError

__all__ = ["LANGS", "Labels", "fmt_int", "fmt_pct", "fmt_num", "fmt_pt", "fmt_change"]

LANGS: tuple[str, ...] = ("both", "zh", "en")

_WORDS: dict[str, tuple[str, str]] = {
    "report": ("月度经营报告", "Monthly management report"),
    "network": ("全网概览", "Network summary"),
    "a_cards": ("A卡(首次来店)", "A-cards (first visits)"),
    "c_cards": ("C卡(订单)", "C-cards (deposits)"),
    "ac_ratio": ("A/C 比", "A/C ratio"),
    "close_rate": ("来店成交率", "Close rate"),
    "cancelled": ("退订", "Cancelled deposits"),
    "unlinked": ("未关联A卡的订单", "Unlinked deposits"),
    "weak_zones": ("偏弱区域", "Weak zones"),
    "strong_zones": ("领先区域", "Strong zones"),
    "vs_last_month": ("环比", "vs last month"),
    "vs_last_year": ("同比", "vs last year"),
    "benchmark": ("基准", "benchmark"),
    "zone": ("区域", "Zone"),
    "code": ("代码", "Code"),
    "a": ("A卡", "A"),
    "c": ("C卡", "C"),
    "rate": ("成交率", "Rate"),
    "interval": ("95% 区间", "95% interval"),
    "status": ("状态", "Status"),
    "trend": ("环比", "Trend"),
    "zone_table": ("区域成交率", "Close rate by zone"),
    "map_funnel": ("区域地图与漏斗图", "Zone map and funnel plot"),
    "quadrant": ("客流与转化", "Traffic vs conversion"),
    "action": ("建议", "Action"),
    "traffic": ("客流", "Traffic"),
    "conversion": ("转化", "Conversion"),
    "zone_page": ("区域详情", "Zone detail"),
    "trend_13": ("近13个月成交率", "Close rate, last 13 months"),
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
    "data_cover": ("数据覆盖", "Data covers"),
    "continued": ("(续)", "(continued)"),
    "source_note": ("数据来源", "Source"),
    "masked": ("电话与姓名已脱敏", "phones and names masked"),
}


class Labels:
    """Look up report words in the chosen language (``both`` = 中文 English).

    Examples
    --------
    >>> Labels("both")("close_rate")
    '来店成交率 Close rate'
    >>> Labels("en")("close_rate")
    'Close rate'
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

    def __call__(self, key: str, *, sep: str = " ", **fmt: object) -> str:
        zh, en = _WORDS[key]
        return self.pick(zh.format(**fmt), en.format(**fmt), sep=sep)


def _bad(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_int(x: object) -> str:
    """``1,234``; a dash for missing."""
    return "–" if _bad(x) else f"{int(round(float(x))):,}"


def fmt_num(x: object, digits: int = 1) -> str:
    """``7.7``; a dash for missing or infinite."""
    if _bad(x) or not math.isfinite(float(x)):
        return "–"
    return f"{float(x):,.{digits}f}"


def fmt_pct(x: object, digits: int = 1) -> str:
    """``13.0%``; a dash for missing."""
    return "–" if _bad(x) else f"{float(x):.{digits}%}"


def fmt_pt(x: object) -> str:
    """A change of a rate in percentage points: ``+1.2 pt``."""
    return "–" if _bad(x) else f"{float(x) * 100:+.1f} pt"


def fmt_change(now: object, before: object) -> str:
    """Relative change of a count: ``+5.2%``; a dash when not defined."""
    if _bad(now) or _bad(before) or float(before) == 0:
        return "–"
    return f"{float(now) / float(before) - 1:+.1%}"
