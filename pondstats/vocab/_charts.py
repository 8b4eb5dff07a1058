"""The words of the charts: :data:`CHART_WORDS` (axes, titles, legends, notes,
read by ``Labels.chart``) and the chart part of ``WORDS``."""

from __future__ import annotations

from pondstats.vocab._kpis import Word

#: The chart words read through ``WORDS`` (``L.word(WORDS[...])``): maps,
#: tooltips, legends.
CHART_LABELS: dict[str, Word] = {
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
    "benchmark_line": ("行业均值", "benchmark"),
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
    "budget_band": CHART_LABELS["tip_interval"],
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
