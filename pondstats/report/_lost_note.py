"""Lost reasons (战败原因) on a zone page, when the visits record them."""

from __future__ import annotations

from typing import Any

from pondstats.report._layout import Page
from pondstats.vocab import LOST_REASONS, fmt_int, fmt_pct

__all__ = ["lost_note"]


def lost_note(data: Any, page: Page, region: str, *, most: int = 4) -> bool:
    """Add the zone's lost rate and reasons mix to ``page``; False when there are none.

    One line under the zone's verdict and action ("Lost deals, last 12
    months: 412 of 1,096 prospects lost (37.6%); reasons: price 31.0%, ..."):
    the prospects whose latest visit falls in the 12 months to the report's
    month (all of them when ``data`` has no ``month``), the usual reasons in
    the report's language (:data:`pondstats.vocab.LOST_REASONS`), others as
    the export spells them. ``data`` is the report's ``ReportData`` (its
    ``visits`` and ``L``). Nothing is drawn when the visits carry no
    ``lost_reason`` for the zone.
    """
    from pondstats.rates import lost_analysis

    v = data.visits
    if "lost_reason" not in v.columns or "region" not in v.columns:
        return False
    zone = v[(v["region"] == region).to_numpy()]
    month = getattr(data, "month", None)
    if month is not None:  # the 12 months to the report month, as the zone page
        start, end = (month - 11).start_time, month.end_time
        zone = zone[zone["visit_date"].between(start, end).to_numpy()]
    if zone.empty or zone["lost_reason"].isna().all():
        return False
    L = data.L
    rate = lost_analysis(zone, by=None).iloc[0]
    mix = lost_analysis(zone, by=None, mix=True).dropna(subset=["lost_reason"])
    parts = [
        f"{L.word(LOST_REASONS.get(r.lost_reason, (r.lost_reason,) * 2))} "
        f"{fmt_pct(r.share)}"
        for r in mix.head(most).itertuples()
    ]
    page.add_paragraph(
        L("lost_reasons" if month is None else "lost_reasons_12")
        + ": "
        + L(
            "lost_line",
            rate=fmt_pct(rate["lost_rate"]),
            lost=fmt_int(rate["lost"]),
            n=fmt_int(rate["prospects"]),
            mix=", ".join(parts),
        ),  # fmt: skip
        size=8.5,
    )
    return True
