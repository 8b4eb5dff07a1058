"""
Cumulative gains of the call list's model
=========================================

Does calling the highest-scored leads first pay off? The call list's horizon
model is trained as ``pondstats score --as-of 2026-11-01`` trains it, but on the
monthly snapshots before September 2026 only (each counted for the days before
1 September), and tested on the September and October snapshots: did a deposit
follow within 30 days (:func:`pondstats.evaluate_horizons`, the evaluation the
command prints)? :func:`pondstats.plot_gains` shows the share of the test
months' deposits found when calling the top x% of leads, against calling at
random (the diagonal).
"""

import pondstats as ps

visits, deposits = ps.load_sample()
scored = ps.score_open_leads(visits, deposits, "2026-11-01")
ev = ps.evaluate_horizons(scored.snapshots, horizon_days=30)

ax = ps.plot_gains(ev)

# %%
# The evaluation in numbers (ROC AUC, calibration error, lift):
print(ev.summary("en"))
