"""
Cumulative gains of the lead scorer
===================================

Does calling the highest-scored leads first pay off? The lead scorer is trained
on monthly snapshots up to April 2026 and tested on the later ones
(:func:`pondstats.evaluate_scorer`). :func:`pondstats.plot_gains` shows the
share of the test period's deposits found when calling the top x% of leads,
against calling at random (the diagonal).
"""

import pandas as pd

import pondstats as ps

visits, deposits = ps.load_sample()
snaps = ps.lead_snapshots(
    visits,
    deposits,
    pd.date_range("2025-10-01", "2026-09-01", freq="MS"),
    complete_only=True,
)
ev = ps.evaluate_scorer(ps.LeadScorer(random_state=0), snaps, split="2026-05-01")

ax = ps.plot_gains(ev)

# %%
# The evaluation in numbers (ROC AUC, calibration error, lift):
print(ev.summary("en"))
