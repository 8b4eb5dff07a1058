"""What the sample plants for the KPI board: targets and spend by source."""

from __future__ import annotations

import numpy as np
import pandas as pd

import pondstats as ps


def test_targets_cover_every_zone_and_month(sample_dealer):
    t = sample_dealer.targets
    assert len(t) == 16 * 24 and not t.duplicated(["region", "month"]).any()
    assert (t["target"] >= 1).all()
    truth = sample_dealer.truth.targets
    big = truth[truth["expected_c_cards"] >= 5]  # small ones are rounded
    ratio = big["target"] / big["expected_c_cards"]
    assert ratio.between(0.85, 1.35).all()


def test_spend_by_source_adds_up_to_spend(sample_dealer):
    s = sample_dealer.spend_by_source
    total = s.groupby(["region", "month"])["spend"].sum().reset_index()
    j = sample_dealer.spend.merge(total, on=["region", "month"], suffixes=("", "_src"))
    assert len(j) == len(sample_dealer.spend)
    np.testing.assert_allclose(j["spend"], j["spend_src"])
    assert "自然到店" not in set(s["source"])  # walk-ins cost no marketing money


def test_planted_costs_differ_by_source(sample_dealer):
    c = sample_dealer.truth.source_costs.dropna(subset=["cost_per_deposit"])
    order = c.sort_values("cost_per_deposit")["source"].tolist()
    assert order[0] == "转介绍" and order[-1] == "车展"
    assert c["cost_per_deposit"].max() > 3 * c["cost_per_deposit"].min()


def test_board_stream_leaves_the_other_tables_alone():
    a = ps.make_sample(3, n_zones=3, months=2)
    rng = np.random.default_rng(3)
    b = ps.make_sample(rng, n_zones=3, months=2)
    pd.testing.assert_frame_equal(a.visits, b.visits)
    pd.testing.assert_frame_equal(a.spend, b.spend)
    assert a.targets["target"].sum() > 0


def test_sample_spend_by_source_file(sample_dealer):
    s = ps.load_sample_spend(by_source=True)
    assert s.columns.tolist() == ["region", "month", "spend", "source"]
    mine = sample_dealer.spend_by_source
    assert s["spend"].sum() == mine["spend"].sum() and len(s) == len(mine)
