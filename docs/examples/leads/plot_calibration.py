"""
Are the lead scores honest probabilities?
=========================================

A call list ranks leads, but marketing also reads the scores as chances: "30%
likely to pay a deposit within 30 days". :func:`pondstats.plot_calibration`
is the reliability diagram of a time-split evaluation: observed deposit rate
per bin of predicted probability. Points on the diagonal mean the
probabilities can be taken at their word; a point's area is its number of leads.

Here the model is the call list's (:func:`pondstats.evaluate_horizons`, trained
before September 2026 and tested on September and October). Nearly every lead
sits in the lowest bin, on the diagonal; the few hundred leads above it paid
less often than predicted. Read the high probabilities as a ranking, and the
expected deposits summed over all leads at face value.
"""

import pondstats as ps

visits, deposits = ps.load_sample()
scored = ps.score_open_leads(visits, deposits, "2026-11-01")
ev = ps.evaluate_horizons(scored.snapshots, horizon_days=30)

ax = ps.plot_calibration(ev, lang="en")
