"""
Monthly trend of the weakest zones
==================================

:func:`pondstats.plot_trend` draws a zone's monthly close rate with its 95%
interval against the benchmark band. Without a zone named, it picks the zones
most credibly below 13% (at most ``max_groups``).
"""

import pondstats as ps

visits, deposits = ps.load_sample()
rates = ps.close_rates(visits, deposits)  # region x month

ax = ps.plot_trend(rates, max_groups=2)

# %%
# One zone by name, with English labels:
ax = ps.plot_trend(rates, "西江区", lang="en")
