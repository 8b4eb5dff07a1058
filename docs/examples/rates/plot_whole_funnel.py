"""
The whole funnel: inquiries to deliveries
=========================================

:func:`pondstats.plot_whole_funnel` draws :func:`pondstats.funnel_table`: online
and phone leads (inquiries), those that came to the showroom (first visit within
30 days), deposits (C-cards) and deliveries, with the rate of each step.
"""

import pondstats as ps

visits, deposits = ps.load_sample()
inquiries = ps.load_sample_inquiries()
table = ps.funnel_table(inquiries, visits, deposits)

ax = ps.plot_whole_funnel(table)

# %%
# By lead source, the invite-to-visit rate (邀约到店率) with its interval:
rates = ps.invite_rates(inquiries, visits, by="source")
rates[["source", "inquiries", "visited", "invite_rate", "ci_low", "ci_high"]]
