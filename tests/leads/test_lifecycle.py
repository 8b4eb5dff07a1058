"""lifecycle_stages and winback_list on a tiny hand-made customer base."""

import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import InputError

D = pd.to_datetime


def _tables():
    v = pd.DataFrame(
        {
            "customer_key": ["13800000001", "13800000002", "13800000002", "13800000003",
                             "13800000004", "13800000005", "13800000006"],
            "name": ["张三", "李四", "李四", "王五", "赵六", "钱七", "孙八"],
            "phone": ["13800000001", "13800000002", "13800000002", "13800000003",
                      "13800000004", "13800000005", "13800000006"],
            "visit_date": D(["2026-09-20", "2026-08-01", "2026-09-01", "2026-03-01",
                             "2023-05-01", "2026-09-01", "2026-05-01"]),
            "grade": ["B", "C", "C", "H", "A", "A", "H"],
        }
    )  # fmt: skip
    d = pd.DataFrame(
        {
            "customer_key": ["13800000004", "13800000007", "13800000007", "13800000005",
                             "13800000008"],
            "deposit_date": D(["2023-05-02", "2026-01-10", "2026-06-10", "2026-09-05",
                               "2026-09-30"]),
            "status": ["delivered", "delivered", "active", "active", "cancelled"],
            "delivery_date": D(["2023-05-20", "2026-02-01", None, None, None]),
        }
    )  # fmt: skip
    return v, d


def test_lifecycle_stages_hand_computed():
    v, d = _tables()
    t = ps.lifecycle_stages(v, d, "2026-10-01").set_index("customer_key")
    assert t["stage"].astype(str).to_dict() == {
        "13800000001": "prospect",  # one visit, 11 days ago, grade B
        "13800000002": "qualified",  # came back
        "13800000003": "lapsed",  # prospect silent 214 days
        "13800000004": "lapsed",  # customer silent over 24 months
        "13800000005": "new_customer",  # first purchase this month
        "13800000006": "lapsed",  # graded H but silent 153 days
        "13800000007": "established",  # two purchases
        "13800000008": "prospect",  # only a cancelled deposit, 1 day ago
    }
    assert t.loc["13800000007", "n_purchases"] == 2
    assert t.loc["13800000004", "was_customer"]
    assert t.loc["13800000003", "days_silent"] == 214


def test_lifecycle_rules_are_configurable_and_checked():
    v, d = _tables()
    rules = ps.LifecycleRules(prospect_lapse_days=365, established_orders=3)
    t = ps.lifecycle_stages(v, d, "2026-10-01", rules=rules).set_index("customer_key")
    assert t.loc["13800000003", "stage"] == "qualified"  # graded H, not yet lapsed
    assert t.loc["13800000007", "stage"] == "new_customer"
    with pytest.raises(InputError, match=r"prospect_lapse_days=...\) must be a whole"):
        ps.LifecycleRules(prospect_lapse_days=0)
    t = ps.lifecycle_stages(v, d, "2026-06-01").set_index("customer_key")
    assert "13800000005" not in t.index or t.loc["13800000005", "n_purchases"] == 0


def test_winback_list_is_masked_and_ordered():
    v, d = _tables()
    w = ps.winback_list(v, d, "2026-10-01")
    assert w["phone"].tolist() == ["138****0004", "138****0006", "138****0003"]
    assert w["name"].tolist() == ["赵*", "孙*", "王*"]
    assert "customer_key" not in w.columns
    assert w["rank"].tolist() == [1, 2, 3]
    w = ps.winback_list(v, d, "2026-10-01", prospects=False, mask=False)
    assert w["customer_key"].tolist() == ["13800000004"]
    assert w["phone"].tolist() == ["13800000004"]
    with pytest.raises(InputError, match=r"limit must be a whole number"):
        ps.winback_list(v, d, "2026-10-01", limit=0)
    with pytest.raises(InputError, match=r"as_of: expected a day"):
        ps.winback_list(v, d, "2026/10/01")


def test_planted_repeat_lapsed_and_new_customers_are_recognised():
    from funnel_sim import add_history, simulate_network

    _, v, d, _ = simulate_network(2, days=200)
    v, d, truth, end = add_history(v, d, 2)
    t = ps.lifecycle_stages(v, d, end).set_index("customer_key")
    got = t.loc[list(truth), "stage"].astype(str).to_dict()
    assert got == truth
    w = ps.winback_list(v, d, end, prospects=False, mask=False)
    lapsed = {k for k, s in truth.items() if s == "lapsed"}
    assert set(w["customer_key"]) == lapsed
