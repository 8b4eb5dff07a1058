"""assess_zones / verdict_counts: the decision rule on hand-made counts, a
simulation on generated networks with known weak, healthy and strong zones,
and the sample's two weak zones in every month of the last year."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import InputError
from pondstats.vocab import VERDICT_ACTIONS, VERDICTS
from pondstats.zones import NEEDS_ACTION, VERDICT_ORDER, verdict_counts

MONTHS = pd.period_range(end="2026-10", periods=12, freq="M")

#: true monthly close rates of each kind of zone over the 12 months
KINDS = {
    "persistent": [0.065] * 12,
    "newly": [0.13] * 9 + [0.06] * 3,
    "recovering": [0.065] * 9 + [0.15] * 3,
    "healthy": [0.13] * 12,
    "strong": [0.20] * 12,
}

#: (kind, A-cards per month); the small zones do not have enough data
SPEC = (
    [("persistent", 150)] * 3
    + [("newly", 150)] * 3
    + [("recovering", 150)]
    + [("healthy", 150)] * 6
    + [("strong", 150)] * 2
    + [("healthy", 15), ("persistent", 15)]
)


def counts(rows: dict[str, list[tuple[int, int]]]) -> pd.DataFrame:
    """Monthly (A, C) per region over MONTHS (the last list item = 2026-10)."""
    out = []
    for region, ac in rows.items():
        for m, (a, c) in zip(MONTHS[-len(ac) :], ac, strict=True):
            out.append((region, m, a, c))
    return pd.DataFrame(out, columns=["region", "period", "a_cards", "c_cards"])


def network(seed: int, spec=SPEC) -> pd.DataFrame:
    rng = np.random.default_rng([seed, 12])
    rows = {}
    for i, (kind, size) in enumerate(spec):
        a = rng.poisson(size, 12)
        rows[f"{kind}{i:02d}"] = list(zip(a, rng.binomial(a, KINDS[kind]), strict=True))
    return counts(rows)


# ---------------------------------------------------------------------------
# the rule on hand-made counts
# ---------------------------------------------------------------------------


def test_verdicts_by_hand():
    t = verdict_counts(
        counts(
            {
                # 9/150 = 6% every month: 108 of 1800, far below 13%
                "A": [(150, 9)] * 12,
                # 20/150 = 13.3% for 9 months, then 6/150 = 4%
                "B": [(150, 20)] * 9 + [(150, 6)] * 3,
                # 6% for 9 months, then 22/150 = 14.7%
                "C": [(150, 9)] * 9 + [(150, 22)] * 3,
                # 13.3%: on target, the 12-month interval inside 8%-20%
                "D": [(150, 20)] * 12,
                # 40/150 = 26.7%
                "E": [(150, 40)] * 12,
                # 10 A-cards a month, 1 C-card: too few to tell
                "F": [(10, 1)] * 12,
            }
        ),
        "2026-10",
    )
    assert t["region"].tolist() == list("ABCDEF")
    assert t["verdict"].tolist() == [
        "persistently_weak",
        "newly_weak",
        "recovering",
        "on_target",
        "strong",
        "not_enough_data",
    ]
    a = t.iloc[0]
    assert (a["a_cards_12m"], a["c_cards_12m"]) == (1800, 108)
    assert a["rate_12m"] == pytest.approx(0.06)
    assert a["rate_3m"] == pytest.approx(27 / 450)
    assert a["months_below"] == 12 and a["months_judged"] == 12
    assert t.loc[1, "rate_before"] == pytest.approx(180 / 1350)
    assert t.loc[1, "months_below"] == 3  # 4% in the last 3 months
    # the report month's own counts
    assert t.loc[1, "close_rate"] == pytest.approx(0.04)


def test_one_bad_month_does_not_make_a_zone_weak():
    """13.3% for 11 months, then 6 of 150 (4%) this month: on target."""
    t = verdict_counts(counts({"A": [(150, 20)] * 11 + [(150, 6)]}), "2026-10")
    assert t["verdict"].iloc[0] == "on_target"
    assert t["close_rate"].iloc[0] == pytest.approx(0.04)


def test_months_outside_the_window_are_ignored():
    rows = counts({"A": [(150, 9)] * 12})
    later = rows.assign(period=rows["period"] + 12, c_cards=40)
    t = verdict_counts(pd.concat([rows, later]), "2026-10")
    assert t["rate_12m"].iloc[0] == pytest.approx(0.06)


def test_verdict_counts_errors():
    with pytest.raises(
        InputError, match=r"monthly counts need columns .*missing \['c_cards'\]"
    ):
        verdict_counts(counts({"A": [(10, 1)]}).drop(columns="c_cards"), "2026-10")
    with pytest.raises(InputError, match="month"):
        verdict_counts(counts({"A": [(10, 1)]}), "2026/10")


def test_vocabulary_is_complete():
    assert set(VERDICTS) == set(VERDICT_ORDER)
    assert set(VERDICTS) >= NEEDS_ACTION
    assert all(
        len(w) == 2 and all(w) for w in (*VERDICTS.values(), *VERDICT_ACTIONS.values())
    )
    # never "on track" for a zone that is merely unknown
    assert "track" not in VERDICTS["not_enough_data"][1]


# ---------------------------------------------------------------------------
# simulation: generated networks with known kinds of zone
# ---------------------------------------------------------------------------


def test_simulation_names_weak_zones_and_leaves_healthy_ones_alone():
    """100 networks of 17 zones: every truly weak zone with enough data (150
    A-cards a month) is flagged, persistent ones as persistently weak; no
    healthy zone is called weak in the first 10 networks, and across all
    100 at most 1% of healthy zones are (the false-discovery control)."""
    n = 100
    got: dict[str, list[str]] = {}
    for seed in range(n):
        t = verdict_counts(network(seed), "2026-10")
        for region, verdict in zip(t["region"], t["verdict"], strict=True):
            got.setdefault(region, []).append(verdict)
        if seed < 10:
            healthy = t[t["region"].str.startswith("healthy")]
            assert not healthy["verdict"].isin(NEEDS_ACTION).any(), seed
    big = {f"{k}{i:02d}": k for i, (k, size) in enumerate(SPEC) if size >= 100}
    weak = [r for r, k in big.items() if k in ("persistent", "newly")]
    flagged = [np.mean([v in NEEDS_ACTION for v in got[r]]) for r in weak]
    assert min(flagged) >= 0.97
    for r, k in big.items():
        if k == "persistent":
            assert got[r] == ["persistently_weak"] * n
        if k == "strong":
            assert got[r] == ["strong"] * n
    healthy = [v for r, k in big.items() if k == "healthy" for v in got[r]]
    assert np.mean([v in NEEDS_ACTION for v in healthy]) <= 0.01
    assert np.mean([v == "on_target" for v in healthy]) >= 0.95
    # a healthy zone with 15 A-cards a month: rarely called weak
    small = got[f"healthy{len(SPEC) - 2:02d}"]
    assert np.mean([v in NEEDS_ACTION for v in small]) <= 0.05


def _frames(monthly: pd.DataFrame, rng) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Visits and deposits with these monthly counts (each deposit's customer
    has a first visit in the same month)."""
    vis, dep = [], []
    k = 0
    for r in monthly.itertuples(index=False):
        days = rng.integers(0, r.period.days_in_month, r.a_cards)
        for j, day in enumerate(days):
            key = f"c{k:07d}"
            k += 1
            date = r.period.start_time + pd.Timedelta(days=int(day))
            vis.append((key, date, 1, r.region))
            if j < r.c_cards:
                dep.append((key, date, "active"))
    v = pd.DataFrame(vis, columns=["customer_key", "visit_date", "visit_no", "region"])
    d = pd.DataFrame(dep, columns=["customer_key", "deposit_date", "status"])
    return v, d


def test_assess_zones_on_a_generated_network():
    """The whole function on visit and deposit rows of one generated network:
    the counts come back, every weak zone needs action, no healthy one does."""
    monthly = network(7)
    v, d = _frames(monthly, np.random.default_rng(7))
    before = (v.copy(), d.copy())
    t = ps.assess_zones(v, d, "2026-10")
    pd.testing.assert_frame_equal(v, before[0])  # inputs not mutated
    year = monthly.groupby("region")[["a_cards", "c_cards"]].sum()
    got = t.set_index("region")
    assert (got.loc[year.index, "a_cards_12m"] == year["a_cards"]).all()
    assert (got.loc[year.index, "c_cards_12m"] == year["c_cards"]).all()
    kind = got.index.str.rstrip("0123456789")
    big = got["a_cards_12m"] >= 1200
    assert got.loc[big & kind.isin(["persistent", "newly"]), "needs_action"].all()
    assert not got.loc[kind == "healthy", "verdict"].isin(NEEDS_ACTION).any()
    assert (
        got.loc[big & (kind == "persistent"), "verdict"] == "persistently_weak"
    ).all()
    weak = got[got["verdict"].isin(NEEDS_ACTION)]
    assert (weak["problem"].isin(["conversion", "both"])).all()
    assert (weak["deposits_at_stake"] > 0).all()
    fine = got[got["problem"] == "none"]
    assert (fine["deposits_at_stake"] == 0).all() and not fine["needs_action"].any()
    # needs-action zones first, most deposits at stake first
    n = int(t["needs_action"].sum())
    assert t["needs_action"].iloc[:n].all()
    assert t["deposits_at_stake"].iloc[:n].is_monotonic_decreasing


def test_assess_zones_errors():
    v = pd.DataFrame(
        {"customer_key": ["a"], "visit_date": pd.to_datetime(["2026-10-01"])}
    )
    d = pd.DataFrame(
        {"customer_key": [], "deposit_date": pd.to_datetime([]), "status": []}
    )
    with pytest.raises(InputError, match=r"visits lacks \['visit_no', 'region'\]"):
        ps.assess_zones(v, d, "2026-10")
    with pytest.raises(InputError, match="visits must be a DataFrame"):
        ps.assess_zones([1], d, "2026-10")


# ---------------------------------------------------------------------------
# the sample: 北岭县 and 青石县 have been weak for two years
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    visits, deposits = ps.load_sample()
    return visits, deposits, ps.load_sample_zones(), ps.load_sample_spend()


@pytest.mark.slow
@pytest.mark.parametrize(
    "month", [str(m) for m in pd.period_range("2025-11", "2026-10", freq="M")]
)
def test_sample_weak_zones_every_month(sample, month):
    visits, deposits, zones, spend = sample
    t = ps.assess_zones(visits, deposits, month, zones=zones, spend=spend).set_index(
        "region"
    )
    for region in ("北岭县", "青石县"):
        row = t.loc[region]
        assert row["verdict"] == "persistently_weak", (month, region)
        assert row["problem"] == "conversion" and row["action"] == "fix_conversion"
        assert row["needs_action"] and row["deposits_at_stake"] > 0
        assert row["reason_en"].startswith("below 8% in ")


def test_sample_october(sample):
    visits, deposits, zones, spend = sample
    t = ps.assess_zones(visits, deposits, "2026-10", zones=zones, spend=spend)
    by = t.set_index("region")
    assert by.loc["北岭县", "reason_en"] == (
        "below 8% in 9 of the last 12 months; 6.7% [5.5%–8.1%] over 12 months"
    )
    assert by.loc["北岭县", "reason_zh"].startswith("近12个月有9个月低于8%")
    assert set(by.index[by["verdict"] == "strong"]) >= {"东湖区", "南屏区"}
    # the zones with thin traffic per household need traffic, not conversion
    assert by.loc["金港区", "problem"] == "traffic"
    assert by.loc["金港区", "action"] == "grow_traffic"
    assert by["spend"].notna().any() and (by["spend_per_a"] > 0).any()
    assert t.attrs["pondstats"]["month"] == "2026-10"
