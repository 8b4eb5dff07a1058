"""
Spend-response curves per zone
==============================

Behind the budget plan: each zone's traffic-vs-spend curve with diminishing
returns, fitted with partial pooling across zones.
:func:`pondstats.plot_response_curves` draws one small panel per zone: its
months (A-cards adjusted for the season), the fitted curve with its band
(dashed beyond the spend range seen), and the current and planned spend.
"""

import pondstats as ps

visits, deposits = ps.load_sample()
history = ps.budget_history(ps.load_sample_spend(), visits, deposits)
plan = ps.plan_budget(history, total=600_000, fit_kwargs={"uncertainty": "laplace"})

axes = ps.plot_response_curves(plan, regions=plan.table["region"].tolist()[:8])
