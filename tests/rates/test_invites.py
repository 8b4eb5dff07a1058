"""invite_rates and funnel_table: hand-computed, planted rates, the Olist funnel."""

import numpy as np
import pandas as pd
import pytest
from funnel_sim import simulate_network
from hypothesis import given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.errors import InputError
from pondstats.rates.stats import wilson_interval

D = pd.to_datetime


def _tiny():
    inq = pd.DataFrame(
        {
            "customer_key": ["a", "b", "c", "d", "e", "f"],
            "inquiry_date": D(["2026-06-01"] * 5 + ["2026-11-25"]),
            "source": [
                "汽车之家",
                "汽车之家",
                "汽车之家",
                "懂车帝",
                "懂车帝",
                "懂车帝",
            ],
        }
    )
    vis = pd.DataFrame(
        {
            # a: 2 days later; b: 31 days later (outside 30); d: visited before
            # the inquiry (no invitation); e: same day; c: only a return visit
            "customer_key": ["a", "b", "c", "d", "e"],
            "visit_date": D(["2026-06-03", "2026-07-02", "2026-06-05", "2026-05-01",
                             "2026-06-01T15:00"], format="ISO8601"),
            "visit_no": [1, 1, 2, 1, 1],
        }
    )  # fmt: skip
    dep = pd.DataFrame(
        {
            "customer_key": ["a", "b", "e", "e"],
            "deposit_date": D(["2026-06-20", "2026-07-10", "2026-06-01", "2026-06-02"]),
            "status": ["delivered", "active", "cancelled", "active"],
        }
    )
    return inq, vis, dep


def test_invite_rates_hand_computed():
    inq, vis, _ = _tiny()
    t = ps.invite_rates(inq, vis, as_of="2026-12-01")
    assert t["source"].tolist() == ["懂车帝", "汽车之家"]
    assert t["inquiries"].tolist() == [2, 3]  # f's window is not over
    assert t["visited"].tolist() == [1, 1]
    assert t["invite_rate"].tolist() == pytest.approx([1 / 2, 1 / 3])
    assert t["median_days"].tolist() == [0.0, 2.0]
    assert t["incomplete"].tolist() == [1, 0]
    lo, hi = wilson_interval(1, 3)
    assert t["ci_low"].iloc[1] == pytest.approx(lo)
    assert t["ci_high"].iloc[1] == pytest.approx(hi)


def test_invite_rates_window_and_one_row():
    inq, vis, _ = _tiny()
    t = ps.invite_rates(inq, vis, by=None, within_days=31, as_of="2026-12-01")
    assert t[["inquiries", "visited"]].iloc[0].tolist() == [5, 3]  # b counts now
    t = ps.invite_rates(inq, vis, by=None, within_days=None, as_of="2026-12-01")
    assert t[["inquiries", "visited", "incomplete"]].iloc[0].tolist() == [6, 3, 0]


def test_invite_rates_inputs_unchanged():
    inq, vis, _ = _tiny()
    a, b = inq.copy(), vis.copy()
    ps.invite_rates(inq, vis)
    pd.testing.assert_frame_equal(inq, a)
    pd.testing.assert_frame_equal(vis, b)


def test_invite_rates_errors():
    inq, vis, _ = _tiny()
    with pytest.raises(InputError, match=r"cannot group by \['region'\]: inquiries"):
        ps.invite_rates(inq, vis, by="region")
    with pytest.raises(InputError, match=r"within_days must be a whole number"):
        ps.invite_rates(inq, vis, within_days=-1)
    with pytest.raises(
        InputError, match=r"inquiries has no column\(s\) \['inquiry_date'\]"
    ):
        ps.invite_rates(inq.drop(columns="inquiry_date"), vis)
    with pytest.raises(InputError, match=r"must be datetime64"):
        ps.invite_rates(inq.assign(inquiry_date="2026-06-01"), vis)
    with pytest.raises(InputError, match=r"as_of: expected a day"):
        ps.invite_rates(inq, vis, as_of="2026/06/01")


def test_funnel_table_hand_computed():
    inq, vis, dep = _tiny()
    t = ps.funnel_table(inq, vis, dep, as_of="2026-12-01")
    row = t.iloc[0]
    # f incomplete; visited a, e; deposited a, b (b not visited in the window), e
    assert row[["inquiries", "visited", "deposited", "delivered"]].tolist() == [
        5,
        2,
        3,
        1,
    ]
    assert row["invite_rate"] == pytest.approx(2 / 5)
    assert row["close_rate"] == pytest.approx(2 / 2)  # a and e, among the visited
    assert row["lead_close_rate"] == pytest.approx(3 / 5)
    assert row["delivery_rate"] == pytest.approx(1 / 3)
    assert row["incomplete"] == 1
    assert t.attrs["stages"] == ["inquiries", "visited", "deposited", "delivered"]


def test_funnel_table_from_the_showroom_and_without_visits():
    inq, vis, dep = _tiny()
    t = ps.funnel_table(None, vis, dep, as_of="2026-12-01")
    assert t[["inquiries", "deposited", "delivered"]].iloc[0].tolist() == [4, 3, 1]
    t = ps.funnel_table(inq, None, dep, by="source", as_of="2026-12-01")
    assert t["visited"].isna().all()
    assert t["deposited"].tolist() == [1, 2]
    with pytest.raises(InputError, match=r"needs inquiries, visits or both"):
        ps.funnel_table(None, None, dep)


def test_planted_invite_rates_are_recovered():
    inq, vis, _, truth = simulate_network(3, inquiries_per_day=30)
    t = ps.invite_rates(inq, vis).set_index("source")
    for source, rate in truth["invite_rates"].items():
        assert t.loc[source, "ci_low"] <= rate <= t.loc[source, "ci_high"], source
    order = sorted(truth["invite_rates"], key=truth["invite_rates"].get)
    assert t["invite_rate"].sort_values().index.tolist() == order


@pytest.mark.shared
def test_olist_funnel_matches_an_independent_groupby(shared_datasets):
    d = shared_datasets / "olist"
    mql_path = d / "olist_marketing_qualified_leads_dataset.csv"
    deals_path = d / "olist_closed_deals_dataset.csv"
    if not mql_path.is_file() or not deals_path.is_file():
        pytest.skip("the Olist marketing funnel is absent")
    inq = ps.clean_inquiries(
        ps.read_inquiries(mql_path, column_map={"mql_id": "customer_id"}),
        today="2030-01-01",
    )
    # Olist's closed deals have no status column: pondstats says so, counts them active
    with pytest.warns(ps.DataQualityWarning, match="no status column: all 842"):
        dep = ps.clean_deposits(
            ps.read_deposits(
                deals_path,
                column_map={"mql_id": "customer_id", "won_date": "deposit_date",
                            "sr_id": "consultant"},
            ),
            today="2030-01-01",
        )  # fmt: skip
    for res in (inq, dep):
        s = res.summary
        assert s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged
    t = ps.funnel_table(
        inq.data, None, dep.data, by="source", within_days=None, horizon_days=None
    )
    mql = pd.read_csv(mql_path)
    deals = pd.read_csv(deals_path)
    m = mql.merge(deals[["mql_id", "won_date"]], on="mql_id", how="left")
    m["won"] = pd.to_datetime(m["won_date"]).dt.normalize() >= pd.to_datetime(
        m["first_contact_date"]
    )
    ref = m.groupby("origin", dropna=False).agg(
        n=("mql_id", "size"), won=("won", "sum")
    )
    ref["rate"] = ref["won"] / ref["n"]
    got = t.set_index("source")
    assert got["inquiries"].sum() == len(mql) == 8000
    for origin, r in ref.iterrows():
        key = np.nan if pd.isna(origin) else origin
        g = got.loc[got.index.isna()] if pd.isna(key) else got.loc[[key]]
        assert int(g["inquiries"].iloc[0]) == r["n"], origin
        assert int(g["deposited"].iloc[0]) == r["won"], origin
        assert g["lead_close_rate"].iloc[0] == pytest.approx(r["rate"]), origin
    # the close figure per consultant (sales rep) from the deposits side
    by_rep = dep.data.groupby("consultant").size()
    assert by_rep.sum() == len(deals)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 5),  # customer
            st.integers(0, 60),  # inquiry day
            st.one_of(st.none(), st.integers(-5, 40)),  # first visit, days after
            st.one_of(st.none(), st.integers(0, 100)),  # deposit, days after
            st.sampled_from(["active", "cancelled", "delivered"]),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_funnel_stages_only_narrow(rows):
    base = pd.Timestamp("2026-01-01")
    inq = pd.DataFrame(
        {
            "customer_key": [f"k{c}" for c, *_ in rows],
            "inquiry_date": [base + pd.Timedelta(days=d) for _, d, *_ in rows],
        }
    )
    vis = pd.DataFrame(
        [
            (f"k{c}", base + pd.Timedelta(days=d + v))
            for c, d, v, _, _ in rows
            if v is not None
        ],
        columns=["customer_key", "visit_date"],
    ).drop_duplicates("customer_key")
    vis["visit_no"] = 1
    dep = pd.DataFrame(
        [(f"k{c}", base + pd.Timedelta(days=d + x), s) for c, d, _, x, s in rows
         if x is not None],
        columns=["customer_key", "deposit_date", "status"],
    )  # fmt: skip
    dep["deposit_date"] = dep["deposit_date"].astype("datetime64[ns]")
    vis["visit_date"] = vis["visit_date"].astype("datetime64[ns]")
    t = ps.funnel_table(inq, vis, dep, as_of="2027-01-01")
    r = t.iloc[0]
    assert r["inquiries"] == len(inq)
    assert r["inquiries"] >= r["visited"] and r["inquiries"] >= r["deposited"]
    assert r["deposited"] >= r["delivered"]
    for c in ("invite_rate", "close_rate", "lead_close_rate", "delivery_rate"):
        assert np.isnan(r[c]) or 0 <= r[c] <= 1
    inv = ps.invite_rates(inq, vis, by=None, as_of="2027-01-01")
    assert inv["visited"].iloc[0] == r["visited"]


def test_keys_that_never_meet_are_warned_about():
    inq, vis, dep = _tiny()
    inq = inq.assign(customer_key="id:" + inq["customer_key"])
    with pytest.warns(ps.DataQualityWarning, match=r"customer keys of the two tables"):
        t = ps.invite_rates(inq, vis, by=None, as_of="2026-12-01")
    assert t["visited"].iloc[0] == 0
    with pytest.raises(InputError, match=r"must be active, cancelled or delivered"):
        ps.funnel_table(inq, None, dep.assign(status="有效"))
