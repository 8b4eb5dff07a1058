"""
Weak-zone map
=============

:func:`pondstats.plot_zone_map` colours each zone by its close rate, centred
on the 13% benchmark: red below, pale yellow at 13%, green above. Zones with
too few A-cards to judge are hatched and pale; a zone without data is flat
grey, never drawn as the lowest class.
"""

import pondstats as ps

visits, deposits = ps.load_sample()
zones = ps.load_sample_zones()  # GeoDataFrame: region, code, potential, geometry
rates = ps.close_rates(visits, deposits, by="region", period="M")

ax = ps.plot_zone_map(zones, rates, period="2026-10")

# %%
# The same month coloured by status (weak / strong / not judged):
ax = ps.plot_zone_map(zones, rates, period="2026-10", column="status")
