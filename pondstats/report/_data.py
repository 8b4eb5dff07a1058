"""What the report shows, computed by the library once per report.

:class:`ReportData` calls the library (close rates per zone and month, the
network totals, rates by source and consultant, return visits, the zone
diagnosis, the call list, the budget plan); the page modules only arrange
those tables and charts. A section whose input is absent (no spend, no zones)
leaves its field None and its page out.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from pondstats.budget import budget_history, plan_budget
from pondstats.errors import InputError
from pondstats.leads import score_open_leads
from pondstats.leads._monitor import lead_review
from pondstats.rates import close_rates, return_visit_rates
from pondstats.schema import Benchmark
from pondstats.vocab import Labels
from pondstats.zones import assess_zones

__all__ = [
    "ReportData",
    "month_slice",
    "zone_list",
]


log = logging.getLogger(__name__)


@dataclass
class ReportData:
    """Everything the pages show, computed by the library for one month."""

    month: pd.Period
    L: Labels
    benchmark: Benchmark
    mask: bool
    visits: pd.DataFrame
    deposits: pd.DataFrame
    zones: Any
    spend: pd.DataFrame | None
    rates: pd.DataFrame  # region x month, whole history
    network: pd.DataFrame  # month, whole history
    by_source: pd.DataFrame | None = None
    by_consultant: pd.DataFrame | None = None
    returns: pd.DataFrame | None = None
    diagnosis: pd.DataFrame | None = None
    verdicts: pd.DataFrame | None = None  # assess_zones: what every page says
    calls: pd.DataFrame | None = None
    # the leads page: the back-test of last month's tiers and the drift check
    # (None: no call list, or too little history for a back-test)
    lead_review: Any = None
    plan: Any = None
    codes: dict[str, str] = field(default_factory=dict)
    targets: pd.DataFrame | None = None  # monthly C-card targets (KPI page)

    @classmethod
    def build(
        cls,
        month: pd.Period,
        visits: pd.DataFrame,
        deposits: pd.DataFrame,
        *,
        zones: Any = None,
        spend: pd.DataFrame | None = None,
        benchmark: Benchmark,
        mask: bool,
        L: Labels,
        leads: bool = True,
        budget_options: dict[str, Any] | None = None,
    ) -> ReportData:
        b = benchmark
        # nothing after the report month is shown (or used by any section)
        end = month.end_time
        v = visits[visits["visit_date"] <= end]
        d = deposits[deposits["deposit_date"] <= end]
        first = month - 12  # 13 months: the trend, and the same month last year
        rates = _rates(v, d, first, month, by="region", benchmark=b)
        rates = rates[rates["region"].notna()]
        network = _rates(v, d, first, month, by=None, benchmark=b)
        data = cls(
            month=month,
            L=L,
            benchmark=b,
            mask=mask,
            visits=v,
            deposits=d,
            zones=zones,
            spend=spend,
            rates=rates,
            network=network,
        )
        if zones is not None and "code" in getattr(zones, "columns", ()):
            data.codes = dict(
                zip(zones["region"].astype(str), zones["code"].astype(str), strict=True)
            )
        for col, attr in (("source", "by_source"), ("consultant", "by_consultant")):
            if col in v.columns:
                t = _rates(v, d, month, month, by=["region", col], benchmark=b)
                setattr(data, attr, t)
        # first vs returning prospects: customers whose first visit falls in the
        # 12 months to the report month (earlier customers are not new prospects)
        # (an export that starts inside the window: from its first day)
        start = max((month - 11).start_time, v["visit_date"].min().normalize())
        data.returns = return_visit_rates(v, d, by="region", start=start)
        # the one verdict per zone that every page reads
        data.verdicts = assess_zones(v, d, month, zones=zones, spend=spend, benchmark=b)
        data.diagnosis = _diagnosis(data.verdicts)
        if leads:
            data.calls = _call_list(v, d, month, mask=mask, lang=L.lang)
        if data.calls is not None:
            data.lead_review = _lead_review(v, d, month, calls=data.calls, lang=L.lang)
        if spend is not None:
            data.plan = _plan(spend, v, d, month, budget_options)
        return data

    # -- lookups -----------------------------------------------------------
    def code_of(self, region: str) -> str | None:
        return self.codes.get(str(region))

    def current(self) -> pd.DataFrame:
        """Zone rows of the report month."""
        return self.rates[self.rates["period"] == self.month]

    def zone_name(self, region: str) -> str:
        code = self.code_of(region)
        return f"{region} ({code})" if code else str(region)

    def status_label(self, status: object) -> str:
        return self.L.status(status)


def _diagnosis(verdicts: pd.DataFrame) -> pd.DataFrame:
    """The verdict table in the shape of ``diagnose_zones`` (for the quadrant):
    12-month traffic and shrunk rate, the verdict's problem."""
    t = verdicts
    out = pd.DataFrame(
        {
            "region": t["region"],
            "a_cards": t["a_cards_12m"],
            "c_cards": t["c_cards_12m"],
            "traffic_index": t["traffic_index"],
            "traffic_weak": t["traffic_weak"],
            "close_rate": t["rate_12m"],
            "shrunk_rate": t["shrunk_rate_12m"],
            "status": t["verdict"],
            "conversion_judged": t["verdict"] != "not_enough_data",
            "conversion_weak": t["problem"].isin(["conversion", "both"]),
            "problem": t["problem"],
            "verdict": t["verdict"],
            "action": t["action"],
        }
    )
    a = t.attrs.get("pondstats", {})
    out.attrs = {
        "pondstats": {
            "benchmark": a.get("benchmark"),
            "traffic_low": 0.75,
            "period": a.get("month"),
        }
    }
    return out


def _call_list(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    month: pd.Period,
    *,
    mask: bool,
    lang: str,
) -> pd.DataFrame | None:
    """The call list of the first day after the month: the one of
    ``pondstats score --as-of`` that day (:func:`score_open_leads`)."""
    scored = score_open_leads(
        visits,
        deposits,
        (month + 1).start_time,
        mask=mask,
        n_factors=2,
        lang="en" if lang == "en" else "zh",
    )
    if scored.calls is None:
        log.info("no call list: the training snapshots have a single class")
    return scored.calls


def _lead_review(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    month: pd.Period,
    *,
    calls: pd.DataFrame | None = None,
    lang: str,
) -> Any:
    """The leads page's :func:`lead_review` (one model of the day before the
    month serves its back-test and its drift check; the disagreements are
    those of the report's call list ``calls``); None when the history is too
    short for a back-test."""
    try:
        return lead_review(
            visits, deposits, month, calls=calls, lang="en" if lang == "en" else "zh"
        )
    except InputError as err:
        log.info("no leads page: %s", err)
        return None


#: Above this many zones the budget page uses Laplace intervals by default.
LAPLACE_ABOVE_ZONES = 30

#: Bootstrap refits of the budget page's response curves (up to 30 zones).
REPORT_BUDGET_DRAWS = 40


def _plan(
    spend: pd.DataFrame,
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    month: pd.Period,
    options: dict[str, Any] | None = None,
) -> Any:
    """Next month's plan for the same total as spent in the report month."""
    spend = spend[spend["month"] <= month]
    total = float(spend.loc[spend["month"] == month, "spend"].sum())
    if total <= 0:
        log.info("no budget page: no spend recorded in %s", month)
        return None
    history = budget_history(spend, visits, deposits)
    if options is None and history["region"].nunique() > LAPLACE_ABOVE_ZONES:
        # the bootstrap's 100 refits grow with the network; keep the report fast
        log.info(
            "budget page: Laplace intervals (more than %d zones)", LAPLACE_ABOVE_ZONES
        )
        options = {"uncertainty": "laplace"}
    elif options is None:
        # 40 bootstrap refits: the page's intervals and its "of 40 draws"
        # probability stay honest, and the report stays under 10 s
        options = {"n_draws": REPORT_BUDGET_DRAWS}
    return plan_budget(history, total, month=month + 1, fit_kwargs=options)


def month_slice(
    visits: pd.DataFrame, deposits: pd.DataFrame, first: pd.Period, last: pd.Period
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rows ``close_rates`` needs for the months ``first`` .. ``last``.

    Deposits dated in those months, first visits dated in them, and every
    visit of a customer with such a deposit (for linking and attribution).
    ``close_rates`` judges each period on its own (prior, multiple testing),
    so its rows for these months are the same as on the full tables (tested);
    this only saves time on long histories.
    """
    vm = visits["visit_date"].dt.to_period("M")
    dm = deposits["deposit_date"].dt.to_period("M")
    d = deposits[(dm >= first) & (dm <= last)]
    v = visits[
        ((vm >= first) & (vm <= last)) | visits["customer_key"].isin(d["customer_key"])
    ]
    return v, d


def _rates(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    first: pd.Period,
    last: pd.Period,
    *,
    by: Any,
    benchmark: Benchmark,
) -> pd.DataFrame:
    v, d = month_slice(visits, deposits, first, last)
    out = close_rates(v, d, by=by, period="M", benchmark=benchmark)
    return out[(out["period"] >= first) & (out["period"] <= last)].reset_index(
        drop=True
    )


def zone_list(data: ReportData, *, all_zones: bool = True) -> list[str]:
    """Zones with a page, weakest first (the verdict table's order).

    With ``all_zones``, every zone with A- or C-cards in the report month;
    otherwise only the zones whose verdict needs action.
    """
    t = data.verdicts
    cur = data.current()
    active = set(
        cur.loc[(cur["a_cards"] > 0) | (cur["c_cards"] > 0), "region"].astype(str)
    )
    keep = t["region"].astype(str).isin(active)
    if not all_zones:
        keep &= t["needs_action"]
    return [str(r) for r in t.loc[keep, "region"]]
