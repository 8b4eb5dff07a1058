"""
Next month's budget split
=========================

:func:`pondstats.plan_budget` splits a fixed marketing total across zones to
maximise expected deposits (C-cards), never sending a zone outside the spend
range it has seen. :func:`pondstats.plot_budget_plan` shows planned vs last
month's spend per zone (green: more money, red: less), each zone's allowed
range, and the expected deposits under the plan.
"""

import pondstats as ps

visits, deposits = ps.load_sample()
spend = ps.load_sample_spend()
history = ps.budget_history(spend, visits, deposits)
plan = ps.plan_budget(history, total=600_000, fit_kwargs={"uncertainty": "laplace"})

ax = ps.plot_budget_plan(plan)

# %%
# Expected A- and C-cards: last month's split against the plan.
plan.totals
