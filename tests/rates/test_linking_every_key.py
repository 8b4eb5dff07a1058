"""Deposits link through every key both tables share; a high unlinked share warns;
warnings where the data defeats the period rate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import DataQualityWarning

TODAY = "2026-12-01"


def _visits(n=6):
    return ps.clean_visits(
        pd.DataFrame({
            "visit_id": [f"V{i}" for i in range(n)],
            "phone": [f"1380013800{i}" for i in range(n)],
            "customer_id": [f"C{i}" for i in range(n)],
            "visit_date": ["2026-10-03"] * n,
            "region": ["东湖区"] * n,
        }),
        today=TODAY,
    ).data  # fmt: skip


def test_deposits_with_only_the_customer_id_link_to_visits_with_phone_and_id():
    v = _visits()
    d = ps.clean_deposits(
        pd.DataFrame({
            "deposit_id": ["D1", "D2"], "customer_id": ["C1", "C4"],
            "deposit_date": ["2026-10-05", "2026-10-06"], "status": ["有效", "有效"],
        }),
        today=TODAY,
    ).data  # fmt: skip
    assert d["customer_key"].tolist() == ["id:C1", "id:C4"]  # the keys differ
    out = ps.link_deposits(v, d)
    assert out["linked"].tolist() == [True, True]
    assert out["first_visit_id"].tolist() == ["V1", "V4"]
    assert out["region"].tolist() == ["东湖区", "东湖区"]
    rates = ps.close_rates(v, d, period=None)
    assert rates[["a_cards", "c_cards", "unlinked"]].iloc[0].tolist() == [6, 2, 0]


def test_the_visit_id_on_the_order_links():
    v = _visits()
    d = pd.DataFrame({
        "deposit_id": ["D1"], "customer_key": ["id:X9"], "visit_id": ["V3"],
        "deposit_date": pd.to_datetime(["2026-10-09"]), "status": ["active"],
    })  # fmt: skip
    out = ps.link_deposits(v, d)
    assert out["linked"].tolist() == [True]
    assert out["first_visit_id"].tolist() == ["V3"]


def test_a_high_unlinked_share_warns_with_the_share():
    v = _visits(2)
    d = pd.DataFrame({
        "customer_key": [f"id:Z{i}" for i in range(12)] + ["13800138000"],
        "deposit_date": pd.to_datetime(["2026-10-09"] * 13),
        "status": ["active"] * 13,
    })  # fmt: skip
    with pytest.warns(
        DataQualityWarning, match=r"12 of 13 deposits \(92%\) have no A-card"
    ):
        out = ps.link_deposits(v, d)
    assert out["linked"].sum() == 1


def test_a_lagged_funnel_points_to_cohort_rates():
    n = 30
    v = pd.DataFrame({
        "customer_key": [f"k{i}" for i in range(n)],
        "visit_date": pd.to_datetime(["2026-01-05"] * n), "visit_no": [1] * n,
        "region": ["东湖区"] * n,
    })  # fmt: skip
    d = pd.DataFrame({
        "customer_key": [f"k{i}" for i in range(n)],
        "deposit_date": pd.to_datetime(["2026-03-20"] * n), "status": ["active"] * n,
    })  # fmt: skip
    with pytest.warns(
        DataQualityWarning,
        match=r"median 74 days after the first visit.*ps.cohort_rates",
    ):
        ps.close_rates(v, d, by=None)


def test_a_group_that_closes_every_visit_warns():
    n = 12
    v = pd.DataFrame({
        "customer_key": [f"k{i}" for i in range(2 * n)],
        "visit_date": pd.to_datetime(["2026-01-05"] * 2 * n), "visit_no": [1] * 2 * n,
        "region": ["东湖区"] * n + [np.nan] * n,
    })  # fmt: skip
    d = pd.DataFrame({
        "customer_key": [f"k{i}" for i in range(n)],
        "deposit_date": pd.to_datetime(["2026-01-09"] * n), "status": ["active"] * n,
    })  # fmt: skip
    with pytest.warns(
        DataQualityWarning, match=r"1 group\(s\) close \(nearly\) every A-card: 东湖区"
    ):
        rates = ps.close_rates(v, d, period=None)
    assert rates.loc[rates["region"] == "东湖区", "close_rate"].tolist() == [1.0]


def test_the_sample_raises_none_of_these_warnings():
    import warnings

    v, d = ps.load_sample()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DataQualityWarning)
        ps.close_rates(v, d)
        ps.link_deposits(v, d)
