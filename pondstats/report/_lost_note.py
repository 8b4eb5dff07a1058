"""Lost reasons (战败原因) on a zone page, when the visits record them."""

from __future__ import annotations

from typing import Any

from pondstats.report._layout import Page
from pondstats.vocab import fmt_pct

__all__ = ["lost_note"]


def lost_note(data: Any, page: Page, region: str, *, most: int = 4) -> bool:
    """Add the zone's lost rate and reasons mix to ``page``; False when there are none.

    ``data`` is the report's ``ReportData`` (its ``visits`` and ``L``). Nothing
    is drawn when the visits carry no ``lost_reason`` for the zone.
    """
    from pondstats.rates import lost_analysis

    v = data.visits
    if "lost_reason" not in v.columns or "region" not in v.columns:
        return False
    zone = v[(v["region"] == region).to_numpy()]
    if zone.empty or zone["lost_reason"].isna().all():
        return False
    L = data.L
    rate = lost_analysis(zone, by=None).iloc[0]
    mix = lost_analysis(zone, by=None, mix=True).dropna(subset=["lost_reason"])
    parts = [f"{r.lost_reason} {fmt_pct(r.share)}" for r in mix.head(most).itertuples()]
    page.add_section(L("lost_reasons"), size=10)
    page.add_paragraph(
        L(
            "lost_line",
            rate=fmt_pct(rate["lost_rate"]),
            lost=int(rate["lost"]),
            n=int(rate["prospects"]),
            mix=", ".join(parts),
        ),  # fmt: skip
        size=8,
    )
    return True
