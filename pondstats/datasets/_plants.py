"""What the sample plants for the whole funnel: lost reasons and an inaccurate grader.

Drawn by :func:`pondstats.make_sample` from a random stream of its own
(``default_rng([seed, 17])``, ``seed`` one more draw of the main stream after
its last), so no existing value of the visits or deposits moves except the
planted ones:

* **lost reasons** (战败原因): a prospect who never paid a deposit and has
  been silent for :data:`LOST_AFTER_DAYS` days by the end of the sample is
  recorded as lost by the consultant with probability
  :data:`LOST_RECORDED_SHARE`; the reason is written on the prospect's latest
  visit (the A-card export's 战败原因 column) and drawn from
  :data:`LOST_REASONS` (悦行EV from :data:`LOST_REASONS_EV`: stock is short);
* **an inaccurate grader**: one consultant (:attr:`SampleTruth.bad_grader`)
  writes grades that carry no information: each graded visit's grade is
  re-drawn from the usual grade mix, independently of the prospect's real
  intent (which still drives the deposit). Everyone else grades as before.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "LOST_AFTER_DAYS",
    "LOST_RECORDED_SHARE",
    "LOST_REASONS",
    "LOST_REASONS_EV",
    "lost_reasons_truth",
    "plant_bad_grader",
    "plant_lost_reasons",
]

#: Planted reasons mix of the recorded lost deals (all models but 悦行EV).
LOST_REASONS: dict[str, float] = {
    "价格": 0.30,
    "竞品": 0.24,
    "暂缓购车": 0.16,
    "家人意见": 0.10,
    "贷款未批": 0.10,
    "无现车": 0.10,
}
#: The mix for 悦行EV: stock is short, so "no car in stock" leads.
LOST_REASONS_EV: dict[str, float] = {
    "价格": 0.20,
    "竞品": 0.20,
    "暂缓购车": 0.10,
    "家人意见": 0.05,
    "贷款未批": 0.10,
    "无现车": 0.35,
}
#: Chance that a silent prospect without a deposit is recorded as lost.
LOST_RECORDED_SHARE = 0.6
#: Days of silence before the end of the sample after which the lost deal is recorded.
LOST_AFTER_DAYS = 30


def plant_bad_grader(
    visits: pd.DataFrame, rng: np.random.Generator, grades, grade_p
) -> tuple[pd.DataFrame, str | None]:
    """Re-draw one consultant's grades at random; return (visits, the consultant).

    The consultant is drawn among those with at least the median number of
    first visits (so that the sample holds enough of their grades to judge).
    """
    first = visits[visits["visit_no"].to_numpy() == 1]
    n = first["consultant"].value_counts().sort_index()
    if n.empty:
        return visits, None
    eligible = n.index[n.to_numpy() >= np.median(n.to_numpy())]
    who = str(eligible[rng.integers(0, len(eligible))])
    m = (visits["consultant"].eq(who) & visits["grade"].notna()).to_numpy()
    out = visits.copy()
    g = np.asarray(grades, dtype=object)[
        rng.choice(len(grades), size=int(m.sum()), p=grade_p)
    ]
    grade = out["grade"].to_numpy(dtype=object, na_value=None).copy()
    grade[m] = g
    out["grade"] = pd.array(grade, dtype=visits["grade"].dtype)
    return out, who


def plant_lost_reasons(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    end: pd.Timestamp,
    rng: np.random.Generator,
) -> pd.DataFrame:
    """``visits`` with a ``lost_reason`` column (missing except on lost prospects)."""
    bought = set(deposits["customer_key"].dropna())
    last = visits.groupby("customer_key", sort=True)["visit_date"].idxmax()
    last = last[~last.index.isin(bought)]
    rows = last.to_numpy()
    day = visits.loc[rows, "visit_date"].dt.normalize()
    silent = (end.normalize() - day).dt.days.to_numpy() >= LOST_AFTER_DAYS
    rows = rows[silent]
    recorded = rng.random(len(rows)) < LOST_RECORDED_SHARE
    rows = rows[recorded]
    ev = visits.loc[rows, "model"].eq("悦行EV").fillna(False).to_numpy(dtype=bool)
    reason = np.empty(len(rows), dtype=object)
    for mask, mix in ((~ev, LOST_REASONS), (ev, LOST_REASONS_EV)):
        names = np.asarray(list(mix), dtype=object)
        p = np.array(list(mix.values()))
        reason[mask] = names[rng.choice(len(names), size=int(mask.sum()), p=p)]
    col = np.full(len(visits), None, dtype=object)
    pos = visits.index.get_indexer(rows)
    col[pos] = reason
    out = visits.copy()
    out["lost_reason"] = pd.array(col, dtype="str")
    return out


def lost_reasons_truth() -> pd.DataFrame:
    """The planted mixes as a table: ``model`` (``"*"``: every other model),
    ``lost_reason``, ``share``."""
    rows = [("*", r, p) for r, p in LOST_REASONS.items()]
    rows += [("悦行EV", r, p) for r, p in LOST_REASONS_EV.items()]
    return pd.DataFrame(rows, columns=["model", "lost_reason", "share"])
