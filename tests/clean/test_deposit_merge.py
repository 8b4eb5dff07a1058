"""The deposit merge rules: one order = order number and customer; later state wins."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.clean._dedupe import REASON_OTHER_AMOUNT, REASON_OTHER_END

TODAY = "2026-11-01"


def _raw(**cols):
    n = max(len(v) for v in cols.values())
    base = {
        "deposit_id": ["D1"] * n,
        "phone": ["13800138000"] * n,
        "deposit_date": ["2026-10-03"] * n,
        "amount": ["5000"] * n,
    }
    base.update(cols)
    return pd.DataFrame(base)


def test_active_then_cancelled_copy_is_one_cancelled_deposit():
    res = ps.clean_deposits(_raw(status=["有效", "退订"]), today=TODAY)
    assert res.data["status"].tolist() == ["cancelled"]
    assert res.summary.duplicates_merged == 1
    assert res.conflicts.empty


def test_terminal_status_wins_whichever_copy_comes_first():
    raw = _raw(status=["已交车", "有效"], delivery_date=["2026-10-20", None])
    res = ps.clean_deposits(raw, today=TODAY)
    assert res.data["status"].tolist() == ["delivered"]
    assert res.data["delivery_date"].tolist() == [pd.Timestamp("2026-10-20")]


def test_one_order_number_on_two_customers_is_two_deposits_and_a_conflict():
    raw = _raw(phone=["13800138000", "13900139000"], status=["有效", "有效"])
    res = ps.clean_deposits(raw, today=TODAY)
    assert sorted(res.data["customer_key"]) == ["13800138000", "13900139000"]
    assert res.summary.duplicates_merged == 0
    c = res.conflicts
    assert c[["deposit_id", "field", "value", "other", "rows"]].values.tolist() == [
        ["D1", "customer_key", "13800138000", "13900139000", "1, 2"]
    ]
    assert res.summary.conflicts == 1


def test_another_amount_is_rejected_with_both_values_listed():
    raw = _raw(amount=["5000", "3000"], status=["有效", "退订"])
    res = ps.clean_deposits(raw, today=TODAY)
    # the cancelled copy is the later state: it is kept, with its amount
    assert res.data[["status", "amount"]].values.tolist() == [["cancelled", 3000.0]]
    assert res.rejected["reason"].tolist() == [REASON_OTHER_AMOUNT]
    assert res.rejected["row"].tolist() == [1]
    c = res.conflicts.iloc[0]
    assert (c["field"], c["value"], c["other"], c["rows"]) == (
        "amount",
        "3000",
        "5000",
        "2, 1",
    )
    s = res.summary
    assert s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged
    assert "conflicts:" in str(s)


def test_cancelled_against_delivered_is_a_conflict():
    raw = _raw(status=["退订", "已交车"], delivery_date=[None, "2026-10-20"])
    res = ps.clean_deposits(raw, today=TODAY)
    assert len(res.data) == 1
    assert res.rejected["reason"].tolist() == [REASON_OTHER_END]
    assert res.conflicts["field"].tolist() == ["status"]
    assert sorted([res.conflicts["value"][0], res.conflicts["other"][0]]) == [
        "cancelled",
        "delivered",
    ]


def test_no_order_number_still_merges_by_customer_day_and_consultant():
    raw = _raw(
        deposit_id=[None, "D1"],
        consultant=["王五", "王五"],
        status=["有效", "有效"],
    )
    res = ps.clean_deposits(raw, today=TODAY)
    assert res.data["deposit_id"].tolist() == ["D1"]


def test_conflicts_empty_with_columns_when_none():
    res = ps.clean_deposits(_raw(status=["有效"]), today=TODAY)
    assert res.conflicts.empty
    assert res.conflicts.columns.tolist() == [
        "deposit_id",
        "customer_key",
        "field",
        "value",
        "other",
        "rows",
        "resolution",
    ]
    data, rejected, summary = res  # unpacking still gives three
    assert summary.conflicts == 0


_STATUS = st.sampled_from(["有效", "退订", "已交车"])


@settings(max_examples=40, deadline=None)
@given(st.lists(_STATUS, min_size=1, max_size=6))
def test_a_terminal_copy_is_never_undone_by_an_active_one(statuses):
    n = len(statuses)
    delivery = ["2026-10-20" if s == "已交车" else None for s in statuses]
    raw = _raw(status=statuses, delivery_date=delivery)
    before = raw.copy()
    res = ps.clean_deposits(raw, today=TODAY)
    pd.testing.assert_frame_equal(raw, before)  # input unchanged
    s = res.summary
    assert s.rows_read == n == s.rows_kept + s.rows_rejected + s.duplicates_merged
    assert s.rows_kept == 1
    terminal = {"退订", "已交车"} & set(statuses)
    kept = res.data["status"].iloc[0]
    if terminal:
        assert kept in ("cancelled", "delivered")
        if len(terminal) == 2:
            assert set(res.rejected["reason"]) == {REASON_OTHER_END}
    else:
        assert kept == "active"
    # cleaning again changes nothing
    again = ps.clean_deposits(res.data, today=TODAY)
    pd.testing.assert_frame_equal(again.data, res.data)


@pytest.mark.parametrize("status", ["有效", "退订"])
def test_same_copy_twice_is_merged_not_a_conflict(status):
    res = ps.clean_deposits(_raw(status=[status, status]), today=TODAY)
    assert len(res.data) == 1 and res.conflicts.empty
