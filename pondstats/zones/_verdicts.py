"""One verdict per zone: the single table every page, chart and command reads.

:func:`assess_zones` judges each zone's close rate on three windows ending
at the report month (the month itself, the last 3 months, the last 12
months, plus the 9 months before the last 3), names the problem (traffic,
conversion, both, none) with :func:`~pondstats.zones.diagnose_zones`, prices
it in deposits per month (:func:`~pondstats.budget.conversion_opportunity`)
and says what to do in one line. :func:`verdict_counts` does the same on a
table of monthly counts (for simulations).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pondstats.budget._plan import conversion_opportunity
from pondstats.dates import parse_month
from pondstats.errors import InputError
from pondstats.rates._close import close_rates
from pondstats.rates.stats import assess_rates
from pondstats.schema import Benchmark
from pondstats.vocab import fmt_pct
from pondstats.zones._diagnosis import diagnose_zones

__all__ = ["VERDICT_ORDER", "NEEDS_ACTION", "assess_zones", "verdict_counts"]

#: The verdicts, weakest first (the order of every zone list).
VERDICT_ORDER: tuple[str, ...] = (
    "persistently_weak",
    "newly_weak",
    "recovering",
    "not_enough_data",
    "on_target",
    "strong",
)

#: Verdicts that put a zone on page 1 whatever its traffic.
NEEDS_ACTION: frozenset[str] = frozenset({"persistently_weak", "newly_weak"})

#: The windows, in months ending at the report month: name -> (first, last)
#: offsets back from the report month (0 = the month itself).
WINDOWS: dict[str, tuple[int, int]] = {
    "1m": (0, 0),
    "3m": (2, 0),
    "before": (11, 3),
    "12m": (11, 0),
}


def _window_counts(monthly: pd.DataFrame, month: pd.Period) -> pd.DataFrame:
    """Pooled A- and C-cards per region and window, one row per pair."""
    parts = []
    for name, (lo, hi) in WINDOWS.items():
        sel = (monthly["period"] >= month - lo) & (monthly["period"] <= month - hi)
        g = monthly[sel].groupby("region", sort=True)[["a_cards", "c_cards"]].sum()
        parts.append(g.assign(window=name))
    return pd.concat(parts).reset_index()


def verdict_counts(
    monthly: pd.DataFrame,
    month: str | pd.Period,
    *,
    benchmark: Benchmark | None = None,
    alpha: float = 0.05,
    min_expected: float = 5.0,
    margin: float = 0.01,
) -> pd.DataFrame:
    """Verdicts from monthly counts: the statistics of :func:`assess_zones`.

    Parameters
    ----------
    monthly : DataFrame
        ``region, period`` (monthly Period), ``a_cards, c_cards``: e.g. the
        rows of ``ps.close_rates(..., by="region")``. Months before the 12
        ending at ``month`` and after it are ignored.
    month : str or Period
        The report month.
    benchmark, alpha, min_expected, margin
        As in :func:`assess_zones`.

    Returns
    -------
    DataFrame
        One row per region, sorted by region; the columns of
        :func:`assess_zones` up to ``verdict`` (no traffic, no money).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.zones._verdicts import verdict_counts
    >>> months = pd.period_range("2025-11", "2026-10", freq="M")
    >>> m = pd.DataFrame({"region": ["A"] * 12 + ["B"] * 12,
    ...     "period": list(months) * 2,
    ...     "a_cards": [150] * 24, "c_cards": [9] * 12 + [20] * 12})
    >>> verdict_counts(m, "2026-10")[["region", "rate_12m", "verdict"]]
      region  rate_12m            verdict
    0      A  0.060000  persistently_weak
    1      B  0.133333          on_target
    """
    b = benchmark or Benchmark()
    month = parse_month(month, name="month")
    need = ("region", "period", "a_cards", "c_cards")
    missing = [c for c in need if c not in monthly.columns]
    if missing:
        raise InputError(
            f"monthly counts need columns {list(need)}; missing {missing}. Use the "
            "rows of ps.close_rates(visits, deposits, by='region')."
        )
    m = monthly[list(need)]
    m = m[m["region"].notna() & (m["period"] > month - 12) & (m["period"] <= month)]
    regions = sorted(m["region"].astype(str).unique())
    w = _window_counts(m, month)
    w = w.set_index(["window", "region"])
    full = pd.MultiIndex.from_product([list(WINDOWS), regions], names=w.index.names)
    w = w.reindex(full, fill_value=0).reset_index()
    w = pd.concat([w, _tests(w, b, alpha, min_expected, margin)], axis=1)
    out = pd.DataFrame({"region": pd.array(regions, dtype="str")})
    names = {
        "1m": "",
        "3m": "_3m",
        "before": "_before",
        "12m": "_12m",
    }
    for win, suf in names.items():
        part = w[w["window"] == win].set_index("region").reindex(regions)
        cols = {
            "a_cards": f"a_cards{suf}",
            "c_cards": f"c_cards{suf}",
            "close_rate": f"close_rate{suf}" if suf else "close_rate",
            "ci_low": f"ci_low{suf}",
            "ci_high": f"ci_high{suf}",
            "p_adjusted": f"q{suf or '_1m'}",
            "status": f"status{suf}",
        }
        if win == "before":
            keep = ("a_cards", "close_rate", "status")
            cols = {k: v for k, v in cols.items() if k in keep}
        for src, dst in cols.items():
            out[dst] = part[src].to_numpy()
    out = out.rename(
        columns={
            "close_rate_3m": "rate_3m",
            "close_rate_12m": "rate_12m",
            "close_rate_before": "rate_before",
        }
    )
    # months below the weak line (8%) among the months with enough A-cards to tell
    rate = m["c_cards"] / m["a_cards"].where(m["a_cards"] > 0)
    judged = m["a_cards"] * b.target >= min_expected
    below = m.assign(_b=(rate < b.low) & judged, _j=judged)
    g = below.groupby("region")[["_b", "_j"]].sum().reindex(regions, fill_value=0)
    out["months_below"] = g["_b"].to_numpy("int64")
    out["months_judged"] = g["_j"].to_numpy("int64")
    out["verdict"] = _verdict(out, b)
    return out


def _tests(
    w: pd.DataFrame, b: Benchmark, alpha: float, min_expected: float, margin: float
) -> pd.DataFrame:
    """Rate, interval, BH-adjusted one-sided tests and status per window row.

    Weak: H0 ``rate >= target - margin`` rejected; strong: H0 ``rate <=
    target + margin`` rejected; BH across the zones of each window.
    """
    k, n = w["c_cards"].to_numpy(), w["a_cards"].to_numpy()
    groups = w["window"].to_numpy()
    lo = Benchmark(
        target=b.target - margin, low=min(b.low, b.target - margin), high=b.high
    )
    hi = Benchmark(
        target=b.target + margin, low=b.low, high=max(b.high, b.target + margin)
    )
    # min_expected is judged at the target itself, as in close_rates
    me_lo = min_expected * lo.target / b.target
    me_hi = min_expected * hi.target / b.target
    below = assess_rates(
        k, n, groups=groups, benchmark=lo, alpha=alpha, min_expected=me_lo
    )
    above = assess_rates(
        k, n, groups=groups, benchmark=hi, alpha=alpha, min_expected=me_hi
    )
    weak = (below["status"] == "weak").to_numpy()
    strong = (above["status"] == "strong").to_numpy()
    too_few = ~(n * b.target >= min_expected)
    status = np.where(weak, "weak", np.where(strong, "strong", "inconclusive"))
    status = np.where(too_few, "too_few", status)
    q = np.where(
        below["close_rate"].to_numpy() < b.target,
        below["p_adjusted"].to_numpy(),
        above["p_adjusted"].to_numpy(),
    )
    return pd.DataFrame(
        {
            "close_rate": below["close_rate"].to_numpy(),
            "ci_low": below["ci_low"].to_numpy(),
            "ci_high": below["ci_high"].to_numpy(),
            "p_adjusted": q,
            "status": status,
        },
        index=w.index,
    )


def _verdict(t: pd.DataFrame, b: Benchmark) -> np.ndarray:
    """The decision rule (documented in :func:`assess_zones`)."""
    y_weak = (t["status_12m"] == "weak").to_numpy()
    y_strong = (t["status_12m"] == "strong").to_numpy()
    r_weak = (t["status_3m"] == "weak").to_numpy()
    judged = (t["status_12m"] != "too_few").to_numpy()
    r_rate = t["rate_3m"].to_numpy(float)
    r_low = np.nan_to_num(r_rate, nan=0.0) < b.target  # no recent data: not recovered
    # the 9 months before: credibly below, or under the midpoint of the weak
    # line and the target (10.5%)
    mid = (b.low + b.target) / 2
    e_weak = (t["status_before"] == "weak").to_numpy() | (
        np.nan_to_num(t["rate_before"].to_numpy(float), nan=1.0) < mid
    )
    precise = (t["ci_low_12m"].to_numpy(float) >= b.low) & (
        t["ci_high_12m"].to_numpy(float) <= b.high
    )
    return np.select(
        [
            y_weak & r_low & e_weak,
            y_weak & r_low,
            y_weak,
            r_weak,
            y_strong,
            judged & precise,
        ],
        [
            "persistently_weak",
            "newly_weak",
            "recovering",
            "newly_weak",
            "strong",
            "on_target",
        ],
        default="not_enough_data",
    ).astype(object)


def _monthly(
    visits: pd.DataFrame, deposits: pd.DataFrame, month: pd.Period, b: Benchmark
) -> pd.DataFrame:
    """Monthly close-rate rows per region for the 12 months to ``month``.

    Only the rows ``close_rates`` needs are passed on (first visits in the
    window and the visits of customers with a deposit in it): each month is
    judged on its own, so the rows equal those of the full tables.
    """
    first = month - 11
    vm = visits["visit_date"].dt.to_period("M")
    dm = deposits["deposit_date"].dt.to_period("M")
    d = deposits[(dm >= first) & (dm <= month)]
    v = visits[
        ((vm >= first) & (vm <= month)) | visits["customer_key"].isin(d["customer_key"])
    ]
    v = v[v["visit_date"] <= month.end_time]
    r = close_rates(v, d, by="region", period="M", benchmark=b)
    return r[(r["period"] >= first) & (r["period"] <= month) & r["region"].notna()]


def assess_zones(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    month: str | pd.Period,
    *,
    zones=None,
    spend: pd.DataFrame | None = None,
    benchmark: Benchmark | None = None,
    alpha: float = 0.05,
    min_expected: float = 5.0,
    traffic_low: float = 0.75,
    margin: float = 0.01,
) -> pd.DataFrame:
    """One verdict per zone for ``month``: how it is doing, why, and what to do.

    The single table the report's pages, the charts and ``pondstats zones``
    read, so they never disagree about a zone.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned A-cards and C-cards (rows after ``month`` are ignored).
    month : str or Period
        The report month, ``"YYYY-MM"``.
    zones : GeoDataFrame, optional
        Zone polygons with ``potential`` (households): traffic is then judged
        per household; without it, on A-cards relative to the other zones.
    spend : DataFrame, optional
        ``region, month, spend``: adds ``spend`` (the report month) and
        ``spend_per_a`` (yuan per A-card over the 12 months).
    benchmark : Benchmark, optional
        The target (13%) and the weak and strong lines (8%, 20%).
    alpha : float, default 0.05
        False discovery rate (Benjamini-Hochberg, across zones, per window
        and direction).
    min_expected : float, default 5
        A window is not judged when its A-cards x target is below this.
    traffic_low : float, default 0.75
        Traffic index below which traffic is short (see ``diagnose_zones``).
    margin : float, default 0.01
        How far from the target a zone must credibly be to count as weak or
        strong (1 point: a zone at 12.8% is no problem to act on).

    Returns
    -------
    DataFrame
        One row per zone with data in the 12 months, most deposits at stake
        first among the zones that need action, then by verdict: ``region,
        month, a_cards, c_cards, close_rate, ci_low, ci_high, status``
        (this month); ``a_cards_3m, c_cards_3m, rate_3m, ci_low_3m,
        ci_high_3m, q_3m, status_3m`` (last 3 months), the same with ``_12m``,
        ``rate_before`` (the 9 months before the last 3), ``months_below``
        (months under the weak line) of ``months_judged``; ``verdict``,
        ``needs_action``, ``traffic_index``, ``traffic_weak``, ``problem``
        (traffic, conversion, both, none), ``shrunk_rate_12m``,
        ``deposits_at_stake`` (per month), ``action``, ``reason_zh``,
        ``reason_en``.

    Notes
    -----
    *Windows.* The report month, the last 3 months and the last 12 months
    ending with it, and the 9 months before the last 3. Counts are pooled in
    each window: A-cards are first visits dated in it, C-cards deposits
    dated in it (the period rate of ``close_rates``).

    *Test.* In each window, exact one-sided binomial tests of the pooled
    counts: weak when H0 "rate >= target - margin" (12%) is rejected, strong
    when H0 "rate <= target + margin" (14%) is; p-values adjusted with
    Benjamini-Hochberg across the zones of that window, one family per
    direction, at false discovery rate ``alpha`` (5%). A window whose
    A-cards x target is below ``min_expected`` is not tested.

    *Verdict* (the first rule that holds):

    1. ``persistently_weak``: credibly below target over 12 months; the 9
       months before the last 3 credibly below too, or under the midpoint of
       the weak line and the target (10.5%); and the last 3 months still
       below target;
    2. ``newly_weak``: credibly below over 12 months with the last 3 months
       below target, but the 9 before near or above it; or credibly below
       over the last 3 months alone;
    3. ``recovering``: credibly below over 12 months, but the last 3 months
       at or above target;
    4. ``strong``: credibly above target over 12 months;
    5. ``on_target``: not credibly different, and the 12-month 95% interval
       lies inside the 8%-20% band (the data rule out a weak or a strong zone);
    6. ``not_enough_data``: everything else. Never read as "fine".

    One noisy month cannot move a zone in or out of the weak verdicts: this
    month's own status is shown, not used.

    *Shown as.* The verdict judges conversion only. A zone whose traffic is
    short (``problem`` traffic or both) is shown with the traffic problem
    first, "traffic short; conversion: on target" / "客流不足;转化:达标"
    (``vocab.VERDICT_TRAFFIC_SHORT``, ``Labels.verdict``), on every page of
    the report and in ``pondstats zones``: never a bare "on target" beside
    "grow traffic".

    *Problem.* Conversion is weak for the two weak verdicts; traffic is weak
    when the 12-month A-cards (per household when ``zones`` give a
    potential) are under ``traffic_low`` of the median zone's
    (``diagnose_zones``).

    *Deposits at stake* per month: the conversion gap, A-cards per month x
    (target - shrunk rate) from ``conversion_opportunity`` (12 months; last
    3 months for a newly weak zone), plus, for short traffic, the deposits
    the zone would add at its shrunk rate with traffic up to the
    ``traffic_low`` line (75% of the median zone's).

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> t = ps.assess_zones(visits, deposits, "2026-10", zones=ps.load_sample_zones())
    >>> weak = t[t["verdict"] == "persistently_weak"]
    >>> weak["region"].tolist(), weak["problem"].tolist(), weak["action"].tolist()
    (['北岭县', '青石县'], ['conversion', 'conversion'], ['fix_conversion', 'fix_conversion'])
    >>> print(weak["reason_en"].iloc[0])
    below 8% in 9 of the last 12 months; 6.7% [5.5%–8.1%] over 12 months
    """
    b = benchmark or Benchmark()
    month = parse_month(month, name="month")
    for name, df, cols in (
        ("visits", visits, ("customer_key", "visit_date", "visit_no", "region")),
        ("deposits", deposits, ("customer_key", "deposit_date", "status")),
    ):
        if not isinstance(df, pd.DataFrame):
            raise InputError(
                f"{name} must be a DataFrame of cleaned rows, got {type(df).__name__}; "
                f"pass ps.clean_{name}(...).data."
            )
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise InputError(
                f"{name} lacks {missing}: pass the cleaned table, ps.clean_{name}(...).data."
            )
    monthly = _monthly(visits, deposits, month, b)
    if (
        monthly.empty
        or not (monthly["period"] == month).any()
        and monthly["a_cards"].sum() == 0
    ):
        raise InputError(
            f"no A-cards in the 12 months to {month}: pick a month the data covers."
        )
    t = verdict_counts(
        monthly,
        month,
        benchmark=b,
        alpha=alpha,
        min_expected=min_expected,
        margin=margin,
    )
    this = monthly[monthly["period"] == month].set_index("region")
    t["status"] = this["status"].reindex(t["region"]).fillna("too_few").to_numpy()
    t.insert(1, "month", str(month))
    return _diagnose(t, monthly, month, zones, spend, b, traffic_low, alpha)


_DIAG_STATUS = {
    "persistently_weak": "weak",
    "newly_weak": "weak",
    "strong": "strong",
    "not_enough_data": "too_few",
}


def _diagnose(t, monthly, month, zones, spend, b, traffic_low, alpha) -> pd.DataFrame:
    """Traffic, money, action and reason on top of the verdicts."""
    year = monthly[monthly["region"].isin(t["region"])]
    opp12 = conversion_opportunity(year, benchmark=b).set_index("region")
    opp3 = conversion_opportunity(year[year["period"] > month - 3], benchmark=b)
    opp3 = opp3.set_index("region")
    shrunk = opp12["shrunk_rate"].reindex(t["region"]).to_numpy(float)
    t["shrunk_rate_12m"] = shrunk
    pooled = pd.DataFrame(
        {
            "region": t["region"],
            "a_cards": t["a_cards_12m"],
            "c_cards": t["c_cards_12m"],
            "close_rate": t["rate_12m"],
            "shrunk_rate": shrunk,
            "status": t["verdict"].map(_DIAG_STATUS).fillna("on_track"),
        }
    )
    diag = diagnose_zones(pooled, zones, benchmark=b, traffic_low=traffic_low)
    diag = diag.drop_duplicates("region").set_index("region")
    t["traffic_index"] = diag["traffic_index"].reindex(t["region"]).to_numpy(float)
    t["traffic_weak"] = (
        diag["traffic_weak"].reindex(t["region"]).fillna(False).to_numpy(bool)
    )
    conv = t["verdict"].isin(NEEDS_ACTION).to_numpy()
    traffic = t["traffic_weak"].to_numpy()
    t["problem"] = np.select(
        [conv & traffic, conv, traffic], ["both", "conversion", "traffic"], "none"
    )
    t["needs_action"] = conv | traffic
    # deposits at stake per month
    newly = (t["verdict"] == "newly_weak").to_numpy()
    lost12 = opp12["lost_deposits"].reindex(t["region"]).to_numpy(float)
    lost3 = opp3["lost_deposits"].reindex(t["region"]).to_numpy(float)
    lost = np.where(newly, lost3, lost12)
    a_month = t["a_cards_12m"].to_numpy(float) / 12
    ti = t["traffic_index"].to_numpy(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        short = np.where(ti > 0, a_month * (traffic_low / ti - 1), np.nan)
    traffic_gain = np.clip(np.nan_to_num(short * shrunk), 0, None)
    t["deposits_at_stake"] = np.where(conv, np.nan_to_num(lost), 0.0) + np.where(
        traffic, traffic_gain, 0.0
    )
    if spend is not None:
        s = spend.copy()
        s["month"] = pd.PeriodIndex(s["month"], freq="M")
        now = s[s["month"] == month].groupby("region")["spend"].sum()
        yr = s[(s["month"] > month - 12) & (s["month"] <= month)]
        yr = yr.groupby("region")["spend"].sum()
        t["spend"] = now.reindex(t["region"]).to_numpy(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            t["spend_per_a"] = yr.reindex(t["region"]).to_numpy(float) / t[
                "a_cards_12m"
            ].to_numpy(float)
    t["action"] = [
        _action(v, p) for v, p in zip(t["verdict"], t["problem"], strict=True)
    ]
    t["reason_zh"] = [_reason(r, b, "zh") for r in t.itertuples(index=False)]
    t["reason_en"] = [_reason(r, b, "en") for r in t.itertuples(index=False)]
    order = {v: i for i, v in enumerate(VERDICT_ORDER)}
    t["_o"] = t["verdict"].map(order)
    t["_a"] = ~t["needs_action"]
    t = t.sort_values(
        ["_a", "deposits_at_stake", "_o", "rate_12m", "region"],
        ascending=[True, False, True, True, True],
        kind="stable",
    )
    t = t.drop(columns=["_o", "_a"]).reset_index(drop=True)
    for col in ("verdict", "problem", "action", "status"):
        t[col] = t[col].astype("str")
    t.attrs = {
        "pondstats": {
            "month": str(month),
            "benchmark": b,
            "alpha": alpha,
            "traffic_basis": str(diag["traffic_basis"].iloc[0]) if len(diag) else "",
        }
    }
    return t


def _action(verdict: str, problem: str) -> str:
    if problem == "both":
        return "fix_both"
    if verdict == "persistently_weak":
        return "fix_conversion"
    if verdict == "newly_weak":
        return "find_cause"
    if problem == "traffic":
        return "grow_traffic"
    return {
        "recovering": "keep_improving",
        "strong": "share_practice",
        "on_target": "keep_course",
    }.get(verdict, "collect_data")


def _iv(rate, lo, hi) -> str:
    return f"{fmt_pct(rate)} [{fmt_pct(lo)}–{fmt_pct(hi)}]"


def _reason(r, b: Benchmark, lang: str) -> str:
    """One line: the evidence behind the verdict, in the zone's own numbers."""
    zh = lang == "zh"
    y = _iv(r.rate_12m, r.ci_low_12m, r.ci_high_12m)
    q = _iv(r.rate_3m, r.ci_low_3m, r.ci_high_3m)
    low, tgt = f"{b.low:.0%}", f"{b.target:.0%}"
    v = r.verdict
    if v == "persistently_weak":
        s = (
            f"近12个月有{r.months_below}个月低于{low},12个月成交率 {y}"
            if zh
            else f"below {low} in {r.months_below} of the last 12 months; {y} over 12 months"
        )
    elif v == "newly_weak":
        s = (
            f"近3个月 {q},此前9个月 {fmt_pct(r.rate_before)}"
            if zh
            else f"{q} in the last 3 months, {fmt_pct(r.rate_before)} in the 9 before"
        )
    elif v == "recovering":
        s = (
            f"近3个月回升到 {q},此前9个月 {fmt_pct(r.rate_before)}"
            if zh
            else f"up to {q} in the last 3 months from {fmt_pct(r.rate_before)} in the 9 before"
        )
    elif v == "strong":
        s = f"12个月成交率 {y},高于 {tgt}" if zh else f"{y} over 12 months, above {tgt}"
    elif v == "on_target":
        s = (
            f"12个月成交率 {y},与 {tgt} 相符"
            if zh
            else f"{y} over 12 months, in line with {tgt}"
        )
    else:
        a = f"{int(r.a_cards_12m):,}"
        s = (
            f"12个月仅 {a} 组A卡,成交率 {y},区间太宽无法判断"
            if zh
            else f"only {a} A-cards in 12 months: {y} is too wide to judge"
        )
    if r.traffic_weak and np.isfinite(r.traffic_index):
        s += (
            f";客流为中位区域的 {r.traffic_index:.2f} 倍"
            if zh
            else f"; traffic {r.traffic_index:.2f}x the median zone"
        )
    return s
