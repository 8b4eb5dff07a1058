"""
Traffic vs conversion: which remedy for which zone
==================================================

A zone can be weak in two ways. :func:`pondstats.diagnose_zones` measures
traffic as A-cards per 1,000 households of the zone's potential, relative to
the median zone, and conversion by the close-rate status.
:func:`pondstats.plot_quadrant` puts every zone on those two axes, coloured by
its problem: grow traffic (引流), fix conversion (提升转化), both, or healthy.
"""

import pondstats as ps

visits, deposits = ps.load_sample()
zones = ps.load_sample_zones()
whole = ps.close_rates(visits, deposits, by="region", period=None)
diag = ps.diagnose_zones(whole, zones)

ax = ps.plot_quadrant(diag)

# %%
# The diagnosis table, one action per zone:
diag[["region", "traffic_index", "shrunk_rate", "problem", "action_zh", "action_en"]]
