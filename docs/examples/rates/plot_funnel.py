"""
Funnel plot: which zones are really off the 13% line
=====================================================

:func:`pondstats.plot_funnel` draws each zone's close rate against its number
of A-cards (first visits). The 13% benchmark is the centre line, the 8%-20%
band the industry range, and the funnel-shaped control limits show how far a
zone of that size may stray by chance alone. A small zone far from 13% can sit
inside the funnel (noise); a large zone just outside it is a real problem.
The limits allow for the genuine spread between zones (overdispersion).
"""

import pondstats as ps

visits, deposits = ps.load_sample()
whole = ps.close_rates(visits, deposits, period=None)  # the whole 24 months

ax = ps.plot_funnel(whole)

# %%
# The table behind it: the weak zones (credibly below 13%) come first.
whole.sort_values("shrunk_rate")[
    ["region", "a_cards", "c_cards", "close_rate", "shrunk_rate", "status"]
].head(5)
