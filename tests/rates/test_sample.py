"""The planted weak and strong zones of the sample dealer are recovered."""

from __future__ import annotations

import pytest

import pondstats as ps


@pytest.fixture(scope="module")
def sample(sample_dealer):
    return sample_dealer


def test_planted_zones_recovered(sample):
    rates = ps.close_rates(sample.visits, sample.deposits, period=None)
    t = rates.merge(
        sample.truth.zones[["region", "planted", "true_close_rate"]], on="region"
    )
    assert len(t) == len(sample.truth.zones)
    # a flag is a claim about the true rate against 13%: never on the wrong side
    # (an on_track zone planted at 14.5% may rightly be found credibly above 13%)
    assert (t.loc[t["status"] == "weak", "true_close_rate"] < 0.13).all()
    assert (t.loc[t["status"] == "strong", "true_close_rate"] > 0.13).all()
    assert not t.loc[t["planted"] == "weak", "status"].eq("strong").any()
    assert not t.loc[t["planted"] == "strong", "status"].eq("weak").any()
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
    t = last.merge(sample.truth.zones[["region", "true_close_rate"]], on="region")
    assert (t.loc[t["status"] == "weak", "true_close_rate"] < 0.13).all()
    assert (t.loc[t["status"] == "strong", "true_close_rate"] > 0.13).all()


def test_planted_zones_recovered_from_the_bundled_exports():
    """The same through the messy exports and the cleaning (load_sample)."""
    visits, deposits = ps.load_sample()
    truth = ps.make_sample(random_state=0).truth.zones
    t = ps.close_rates(visits, deposits, period=None).merge(truth, on="region")
    big = t[(t["planted"] != "on_track") & (t["a_cards"] >= 1000)]
    assert len(big) >= 4 and (big["status"] == big["planted"]).all()
    planted = t[t["planted"] != "on_track"]
    assert (planted["status"] == planted["planted"]).mean() >= 0.85
