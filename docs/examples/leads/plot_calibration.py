"""
Are the lead scores honest probabilities?
=========================================

A call list ranks leads, but marketing also reads the scores as chances: "30%
likely to pay a deposit within 30 days". :func:`pondstats.plot_calibration`
is the reliability diagram of a time-split evaluation: observed deposit rate
per bin of predicted probability. Points on the diagonal mean the
probabilities can be taken at their word; a point's area is its number of leads.
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

ax = ps.plot_calibration(ev, lang="en")
