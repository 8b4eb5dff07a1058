"""delivery_funnel and lost_analysis on tiny hand-made frames."""

import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import InputError

D = pd.to_datetime


def _deposits():
    return pd.DataFrame(
        {
            "deposit_date": D(["2026-08-01", "2026-08-05", "2026-09-01", "2026-10-20",
                               "2026-08-10"]),
            "status": ["delivered", "cancelled", "active", "active", "delivered"],
            "delivery_date": D(["2026-08-21", None, None, None, "2026-09-19"]),
            "store": ["S1", "S1", "S1", "S1", "S2"],
        }
    )  # fmt: skip


def test_delivery_funnel_hand_computed():
    t = ps.delivery_funnel(_deposits(), by="store", as_of="2026-10-31")
    s1, s2 = t.iloc[0], t.iloc[1]
    assert s1[["deposits", "cancelled", "delivered", "open", "overdue"]].tolist() == [
        4, 1, 1, 2, 1,
    ]  # fmt: skip
    assert s1["cancel_rate"] == pytest.approx(0.25)
    assert s1["delivery_rate"] == pytest.approx(0.25)
    assert s1["median_days_to_delivery"] == 20
    assert s2["delivery_rate"] == 1.0
    assert s2["mean_days_to_delivery"] == 40
    assert s1["delivery_low"] < 0.25 < s1["delivery_high"]
    t = ps.delivery_funnel(_deposits(), overdue_days=10, as_of="2026-10-31")
    assert t["overdue"].iloc[0] == 2


def test_delivery_funnel_errors():
    with pytest.raises(InputError, match=r"deposits has no column\(s\) \['status'\]"):
        ps.delivery_funnel(_deposits().drop(columns="status"))
    with pytest.raises(InputError, match=r"cannot group by \['model'\]: deposits"):
        ps.delivery_funnel(_deposits(), by="model")
    with pytest.raises(InputError, match=r"overdue_days must be a whole number"):
        ps.delivery_funnel(_deposits(), overdue_days=1.5)


def _visits():
    return pd.DataFrame(
        {
            "customer_key": ["a", "a", "b", "c", "d", "e", "f"],
            "visit_date": D(["2026-09-01", "2026-09-10", "2026-09-02", "2026-09-03",
                             "2026-09-04", "2026-09-05", "2026-09-06"]),
            "region": ["东湖区", "西江区", "东湖区", "东湖区", "西江区", "西江区",
                       "西江区"],
            # a: lost at the second visit (counted in 东湖区, its first);
            # e: graded F without a reason; f: H
            "grade": ["B", "F", "F", "A", "F", "F", "H"],
            "lost_reason": [None, "价格", "竞品", None, "价格", None, None],
        }
    )  # fmt: skip


def test_lost_analysis_hand_computed():
    t = ps.lost_analysis(_visits())
    assert t["region"].tolist() == ["东湖区", "西江区"]
    assert t["prospects"].tolist() == [3, 3]
    assert t["lost"].tolist() == [2, 2]
    assert t["lost_rate"].tolist() == pytest.approx([2 / 3, 2 / 3])
    assert t["top_reason"].tolist() == ["价格", "价格"]
    assert t["top_share"].tolist() == pytest.approx([0.5, 0.5])


def test_lost_reasons_mix():
    m = ps.lost_analysis(_visits(), by=None, mix=True)
    assert m["lost"].sum() == 4
    by_reason = dict(zip(m["lost_reason"].fillna("?"), m["share"], strict=True))
    assert by_reason == pytest.approx({"价格": 0.5, "竞品": 0.25, "?": 0.25})


def test_lost_analysis_needs_a_grade_or_a_reason():
    v = _visits().drop(columns=["grade", "lost_reason"])
    with pytest.raises(InputError, match=r"needs a grade .* or a lost_reason column"):
        ps.lost_analysis(v)


def test_lost_reason_headers_are_read():
    import io

    text = "手机,来店日期,战败原因\n13800138000,2026-10-01,价格太高\n"
    raw = ps.read_visits(io.BytesIO(text.encode()))
    assert "lost_reason" in raw.columns
    clean = ps.clean_visits(raw, today="2026-11-01").data
    assert clean["lost_reason"].tolist() == ["价格太高"]
    assert ps.lost_analysis(clean, by=None)["lost"].tolist() == [1]


def test_delivery_funnel_wants_clean_status_words():
    with pytest.raises(InputError, match=r"ps.clean_deposits, which maps 退订"):
        ps.delivery_funnel(_deposits().assign(status="已交车"))


def test_planted_lost_rates_and_reasons_are_recovered():
    from funnel_sim import LOST_PROFILE, add_lost_reasons, simulate_network

    _, v, d, _ = simulate_network(5, walk_ins_per_day=12)
    v = add_lost_reasons(v, d, 5)
    t = ps.lost_analysis(v, by="store").set_index("store")
    buyers = set(d["customer_key"])
    for store, (share, mix) in LOST_PROFILE.items():
        firsts = v[(v["store"] == store) & (v["visit_no"] == 1)]
        non_buyers = (~firsts["customer_key"].isin(buyers)).mean()
        expected = share * non_buyers
        assert abs(t.loc[store, "lost_rate"] - expected) < 0.04, store
        assert t.loc[store, "top_reason"] == max(mix, key=mix.get), store
    m = ps.lost_analysis(v, by="store", mix=True)
    s1 = m[m["store"] == "S1"].set_index("lost_reason")["share"]
    assert s1["竞品"] == pytest.approx(0.7, abs=0.06)
