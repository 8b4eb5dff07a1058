"""The leads page: how last month's H/A/B/C tiers closed, and whether this
month's leads drifted from the data the model learnt from
(:func:`pondstats.leads._monitor.lead_review`, computed in :mod:`._data`)."""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from pondstats.leads._explain import FEATURE_LABELS
from pondstats.leads._monitor import PSI_THRESHOLDS
from pondstats.report._common import NewPage
from pondstats.report._data import ReportData
from pondstats.report._layout import Column, Page
from pondstats.vocab import LEAD_WORDS, fmt_int, fmt_pct

__all__ = ["leads_pages"]

log = logging.getLogger(__name__)

_FILLS = {"drift": "#f6d5d1", "watch": "#fbeccc", "stable": None}
#: Drift rows shown (worst first).
DRIFT_ROWS = 8
#: Consultants shown in the disagreement table (most disagreements first).
DISAGREE_ROWS = 6


def _w(data: ReportData, key: str, **fmt: object) -> str:
    zh, en = LEAD_WORDS[key]
    return data.L.pick(zh.format(**fmt), en.format(**fmt))


def _feature(data: ReportData, name: str) -> str:
    if name == "score":
        return _w(data, "score")
    zh = FEATURE_LABELS["zh"].get(name, name)
    en = FEATURE_LABELS["en"].get(name, name)
    return data.L.pick(zh, en)


def _pct(x: object) -> str:
    return "–" if x is None or not np.isfinite(float(x)) else fmt_pct(x, 1)


def leads_pages(data: ReportData, new_page: NewPage) -> list[Page]:
    """One page; none when the history is too short for a back-test."""
    review = data.lead_review  # computed once with the report's data
    if review is None:
        return []
    page = new_page(_w(data, "leads_page"))
    bt = review.backtest
    page.add_section(_w(data, "backtest_title"))
    page.add_paragraph(
        _w(
            data,
            "backtest_note",
            as_of=review.as_of.date(),
            to=bt.attrs["observed_to"].date(),
        ),
        color="#444444",
    )
    horizons = [int(c[2:]) for c in bt.columns if c.startswith("p_")]
    cols = [Column(_w(data, "tier"), 1.6), Column(_w(data, "leads"), 0.9, "right")]
    for h in horizons:
        cols += [
            Column(_w(data, "pred", h=h), 1.0, "right"),
            Column(_w(data, "obs", h=h), 1.0, "right"),
        ]
    cols.append(Column(_w(data, "median_days"), 1.1, "right"))
    rows = []
    for tier, r in bt.iterrows():
        row = [_w(data, f"tier_{tier}"), fmt_int(r["leads"])]
        for h in horizons:
            row += [_pct(r[f"p_{h}"]), _pct(r[f"within_{h}"])]
        md = r["median_days"]
        row.append("–" if not np.isfinite(md) else f"{md:.0f}")
        rows.append(row)
    page.add_table(cols, rows)
    page.gap(0.2)
    page.add_section(_w(data, "drift_title"))
    drifted = review.drifted
    if drifted:
        names = ", ".join(_feature(data, f) for f in drifted)
        text = _w(data, "drift_warning", features=names, drift=PSI_THRESHOLDS["drift"])
        page.add_paragraph(text, color="#b03a2e", size=10)
    else:
        page.add_paragraph(_w(data, "drift_ok"))
    d = review.drift.sort_values("psi", ascending=False, kind="stable").head(DRIFT_ROWS)
    cols = [
        Column(_w(data, "feature"), 3.0),
        Column("PSI", 1.0, "right"),
        Column(_w(data, "status"), 1.4),
    ]
    rows = [
        [_feature(data, r.feature), f"{r.psi:.3f}", _w(data, r.status)]
        for r in d.itertuples()
    ]
    fills = [[None, None, _FILLS[r.status]] for r in d.itertuples()]
    page.add_table(cols, rows, fills=fills)
    page.add_paragraph(
        _w(
            data,
            "psi_note",
            watch=PSI_THRESHOLDS["watch"],
            drift=PSI_THRESHOLDS["drift"],
        ),
        color="#444444",
        size=8,
    )
    _disagreements(data, page, review.disagreements)
    return [page]


def _disagreements(data: ReportData, page: Page, dis: pd.DataFrame | None) -> None:
    """Counts per consultant (no names or phones: the page is shared)."""
    if dis is None:
        return
    page.gap(0.2)
    page.add_section(_w(data, "disagree_title"))
    if dis.empty:
        page.add_paragraph(_w(data, "none_disagree"))
        return
    up = int((dis["direction"] == "model_higher").sum())
    page.add_paragraph(
        _w(data, "disagree_note", n=fmt_int(len(dis)), up=up, down=len(dis) - up)
    )
    if "consultant" not in dis:
        return
    who = dis["consultant"].astype("object").fillna("–")
    t = (
        dis.assign(consultant=who)
        .groupby(["consultant", "direction"])
        .size()
        .unstack(fill_value=0)
        .reindex(columns=["model_higher", "consultant_higher"], fill_value=0)
    )
    t = t.assign(total=t.sum(axis=1)).sort_values("total", ascending=False)
    cols = [
        Column(data.L.pick("销售顾问", "consultant"), 2.0),
        Column(_w(data, "model_higher"), 1.6, "right"),
        Column(_w(data, "consultant_higher"), 1.6, "right"),
    ]
    rows = [
        [str(c), fmt_int(r["model_higher"]), fmt_int(r["consultant_higher"])]
        for c, r in t.head(DISAGREE_ROWS).iterrows()
    ]
    page.add_table(cols, rows)
