"""The planted weak and strong zones of the sample dealer are recovered."""

from __future__ import annotations

import pytest

import pondstats as ps


@pytest.fixture(scope="module")
def sample():
    return ps.make_sample(random_state=0)


def test_planted_zones_recovered(sample):
    rates = ps.close_rates(sample.visits, sample.deposits, period=None)
    t = rates.merge(sample.truth.zones[["region", "planted", "size"]], on="region")
    assert len(t) == len(sample.truth.zones)
    # never flagged against the planted truth
    wrong = t[
        ((t["status"] == "weak") & (t["planted"] != "weak"))
        | ((t["status"] == "strong") & (t["planted"] != "strong"))
    ]
    assert wrong.empty, wrong[["region", "planted", "status"]]
    # every planted zone with enough traffic is recovered ...
    big = t[(t["planted"] != "on_track") & (t["a_cards"] >= 1000)]
    assert len(big) >= 4
    assert (big["status"] == big["planted"]).all()
    # ... and most of the small ones too (the smallest, ~10 A-cards a month,
    # can honestly look on track over two years)
    planted = t[t["planted"] != "on_track"]
    assert (planted["status"] == planted["planted"]).mean() >= 0.85


def test_latest_month_has_no_false_alarm(sample):
    rates = ps.close_rates(sample.visits, sample.deposits)
    last = rates[rates["period"] == rates["period"].max()]
    t = last.merge(sample.truth.zones[["region", "planted"]], on="region")
    flagged = t[t["status"].isin(["weak", "strong"])]
    assert (flagged["status"] == flagged["planted"]).all()
