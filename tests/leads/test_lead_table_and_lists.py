"""lead_table, lead_snapshots, call_list, aftercare_list on tiny hand-made frames."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.errors import DataQualityWarning, InputError
from pondstats.leads import LEAD_FEATURES


def _visits() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "visit_id": ["V1", "V2", "V3", "V4", "V5", "V6"],
            "customer_key": [
                "13800000001",
                "13800000001",
                "13800000002",
                "13800000003",
                "13800000004",
                "13800000005",
            ],
            "name": ["张三", "张三", "李四", "王五", "赵六", "钱七"],
            "phone": [
                "13800000001",
                "13800000001",
                "13800000002",
                "13800000003",
                "13800000004",
                "13800000005",
            ],
            "visit_date": pd.to_datetime(
                [
                    "2026-08-03 10:00",
                    "2026-09-20 15:30",
                    "2026-09-10 00:00",
                    "2026-01-05 00:00",
                    "2026-09-01 00:00",
                    "2026-09-25 00:00",
                ]
            ),
            "visit_no": [1, 2, 1, 1, 1, 1],
            "region": ["东湖区", "东湖区", "西湖区", "东湖区", "西湖区", None],
            "store": ["东湖店"] * 6,
            "consultant": ["刘", "陈", "刘", "陈", "陈", "刘"],
            "source": ["网络", "到店", "转介绍", "网络", "网络", "车展"],
            "model": ["X7", None, "S5", "X7", "EV", "EV"],
            "grade": ["B", "H", None, "C", "A", "B"],
            "test_drive": pd.array(
                [False, True, None, False, False, pd.NA], dtype="boolean"
            ),
        }
    ).astype({"customer_key": "str", "region": "str", "model": "str", "grade": "str"})


def _deposits() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "deposit_id": ["D1", "D2", "D3"],
            "customer_key": ["13800000004", "13800000002", "13800000009"],
            "name": ["赵六", "李四", "孙九"],
            "phone": ["13800000004", "13800000002", "13800000009"],
            "deposit_date": pd.to_datetime(["2026-09-15", "2026-10-10", "2026-11-20"]),
            "region": ["西湖区", "西湖区", "东湖区"],
            "status": ["delivered", "active", "cancelled"],
            "delivery_date": pd.to_datetime(["2026-09-28", None, None]),
        }
    )


AS_OF = "2026-09-30"


def test_lead_table_hand_computed():
    t = ps.lead_table(_visits(), _deposits(), AS_OF, horizon_days=30).set_index(
        "customer_key"
    )
    # 03 visited 268 days ago (outside the 180-day lookback); 04 already paid a deposit
    assert list(t.index) == ["13800000001", "13800000002", "13800000005"]
    a = t.loc["13800000001"]
    assert a["n_visits"] == 2 and a["returned"] == 1 and a["visits_30d"] == 1
    assert (
        a["days_since_first"] == (pd.Timestamp(AS_OF) - pd.Timestamp("2026-08-03")).days
    )
    assert a["days_since_last"] == 10
    assert a["test_drive"] == 1.0
    assert a["source"] == "网络"  # source of the first visit
    assert a["grade"] == "H" and a["consultant"] == "陈"  # latest known
    assert a["model"] == "X7"  # latest *known* model (the last visit left it empty)
    assert a["first_weekday"] == "Mon" and a["first_month"] == "08"
    assert np.isnan(t.loc["13800000002", "test_drive"])
    # D2 on 10-10 is within 30 days after as_of; the data run to 11-20, so labels are known
    assert t["converted"].tolist() == [0, 1, 0]
    assert list(t.columns[-len(LEAD_FEATURES) - 1 :]) == [*LEAD_FEATURES, "converted"]


def test_region_close_rate_by_hand():
    # window 365 days: A-cards 东湖区 = {01, 03}, 西湖区 = {02, 04}; C-cards before
    # as_of: D1 (西湖区). pooled p0 = 1/4; rate = (c + m p0) / (a + m), m = 30
    t = ps.lead_table(_visits(), _deposits(), AS_OF).set_index("customer_key")
    assert t.loc["13800000001", "region_close_rate"] == pytest.approx(
        (0 + 30 / 4) / (2 + 30)
    )
    assert t.loc["13800000002", "region_close_rate"] == pytest.approx(
        (1 + 30 / 4) / (2 + 30)
    )
    assert np.isnan(t.loc["13800000005", "region_close_rate"])  # no region


def test_label_unknown_when_window_outruns_data():
    t = ps.lead_table(_visits(), _deposits(), "2026-11-01", horizon_days=30)
    assert t["converted"].isna().all()


def test_no_leakage_future_rows_are_not_seen():
    """Rows dated after as_of (a later visit with a test drive and grade H, a
    deposit) change only the label, never a feature."""
    v, d = _visits(), _deposits()
    base = ps.lead_table(v, d, AS_OF)
    later_visit = v.iloc[[2]].assign(
        visit_id="V9",
        visit_date=pd.Timestamp("2026-10-01 09:00"),
        grade="H",
        test_drive=pd.array([True], dtype="boolean"),
        consultant="新人",
        region="南区",
    )
    later_dep = d.iloc[[0]].assign(
        deposit_id="D9",
        customer_key="13800000005",
        deposit_date=pd.Timestamp("2026-10-01"),
        region="南区",
    )
    moved = ps.lead_table(pd.concat([v, later_visit]), pd.concat([d, later_dep]), AS_OF)
    features = [c for c in base.columns if c != "converted"]
    pd.testing.assert_frame_equal(base[features], moved[features])
    assert moved.set_index("customer_key").loc["13800000005", "converted"] == 1
    # the same visit moved back to as_of itself *is* seen
    seen = ps.lead_table(
        pd.concat([v, later_visit.assign(visit_date=pd.Timestamp(AS_OF))]), d, AS_OF
    ).set_index("customer_key")
    assert seen.loc["13800000002", "grade"] == "H"


@settings(max_examples=25, deadline=None)
@given(
    shift=st.lists(st.integers(min_value=1, max_value=400), min_size=6, max_size=6),
    grades=st.lists(st.sampled_from(["H", "A", "B", "C"]), min_size=6, max_size=6),
)
def test_no_leakage_property(shift, grades):
    """Any rows dated after as_of, with any values, leave the features unchanged."""
    v, d = _visits(), _deposits()
    future = v.assign(
        visit_id=[f"F{i}" for i in range(len(v))],
        visit_date=pd.Timestamp(AS_OF) + pd.to_timedelta(shift, unit="D"),
        grade=grades,
        source="未来",
    ).astype({"grade": "str"})
    base = ps.lead_table(v, d, AS_OF, horizon_days=1)
    moved = ps.lead_table(pd.concat([v, future]), d, AS_OF, horizon_days=1)
    cols = [c for c in base.columns if c != "converted"]
    pd.testing.assert_frame_equal(base[cols], moved[cols])


def test_deposit_status_is_not_used():
    """Status is today's, not as_of's: a cancelled deposit still closes the lead."""
    d = _deposits().assign(status="cancelled")
    t = ps.lead_table(_visits(), d, AS_OF)
    assert "13800000004" not in set(t["customer_key"])


def test_inputs_not_mutated():
    v, d = _visits(), _deposits()
    v0, d0 = v.copy(), d.copy()
    ps.lead_table(v, d, AS_OF)
    ps.aftercare_list(d, AS_OF)
    pd.testing.assert_frame_equal(v, v0)
    pd.testing.assert_frame_equal(d, d0)


def test_snapshots_stack_and_complete_only():
    s = ps.lead_snapshots(
        _visits(), _deposits(), ["2026-10-01", "2026-09-01", "2026-12-01"]
    )
    assert s["as_of"].is_monotonic_increasing
    assert s.loc[s["as_of"] == "2026-12-01", "converted"].isna().all()
    c = ps.lead_snapshots(
        _visits(), _deposits(), ["2026-09-01", "2026-12-01"], complete_only=True
    )
    assert c["converted"].notna().all() and len(c) > 0


def test_bad_rows_are_reported():
    v = _visits()
    v.loc[0, "customer_key"] = None
    with pytest.warns(
        DataQualityWarning, match="1 of 6 visits rows have no customer_key"
    ):
        ps.lead_table(v, _deposits(), AS_OF)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"visits": "x"}, "visits must be a pandas DataFrame"),
        (
            {"visits": pd.DataFrame({"customer_key": ["a"]})},
            r"has no column\(s\) \['visit_date'\]",
        ),
        (
            {
                "visits": pd.DataFrame(
                    {"customer_key": ["a"], "visit_date": ["2026-01-01"]}
                )
            },
            "must hold datetimes",
        ),
        ({"as_of": "not a date"}, "as_of: expected a day as YYYY-MM-DD"),
        ({"horizon_days": 0}, "horizon_days must be a positive whole number"),
    ],
)
def test_lead_table_errors(kwargs, match):
    args = {"visits": _visits(), "deposits": _deposits(), "as_of": AS_OF}
    extra = {k: kwargs.pop(k) for k in list(kwargs) if k not in args}
    args.update(kwargs)
    with pytest.raises(InputError, match=match):
        ps.lead_table(args["visits"], args["deposits"], args["as_of"], **extra)


def test_snapshots_need_dates():
    with pytest.raises(InputError, match="as_of_dates is empty"):
        ps.lead_snapshots(_visits(), _deposits(), [])


# ---------------------------------------------------------------------------
# call list
# ---------------------------------------------------------------------------


@pytest.fixture
def scorer():
    X = pd.DataFrame(
        {
            "days_since_last": [1, 5, 10, 20, 40, 60] * 5,
            "grade": ["H", "A", "B", "B", "C", "C"] * 5,
        }
    )
    y = [1, 1, 0, 1, 0, 0] * 5
    return ps.LeadScorer(calibration=None).fit(X, y)


def test_call_list_order_tiers_cadence_masking(scorer):
    calls = ps.call_list(
        scorer,
        _visits(),
        _deposits(),
        AS_OF,
        tiers={"H": 0.9, "A": 0.5, "B": 0.2},
        cadence={"H": 3, "A": 7, "B": 20, "C": 60},
    )
    assert calls["probability"].is_monotonic_decreasing
    assert calls["rank"].tolist() == [1, 2, 3]
    assert (
        calls["score"].tolist()
        == (calls["probability"] * 100).round().astype(int).tolist()
    )
    expect_tier = np.select(
        [
            calls["probability"] >= 0.9,
            calls["probability"] >= 0.5,
            calls["probability"] >= 0.2,
        ],
        ["H", "A", "B"],
        "C",
    )
    assert calls["tier"].tolist() == expect_tier.tolist()
    days = calls["tier"].map({"H": 3, "A": 7, "B": 20, "C": 60})
    nxt = calls["last_visit"].dt.normalize() + pd.to_timedelta(days, unit="D")
    assert (calls["next_contact"] == nxt.clip(lower=pd.Timestamp(AS_OF))).all()
    assert "customer_key" not in calls
    assert calls["phone"].str.fullmatch(r"138\*{4}\d{4}").all()
    assert not calls["name"].isin(_visits()["name"]).any()
    assert calls["factors"].str.len().gt(0).all()


def test_call_list_unmasked(scorer):
    calls = ps.call_list(scorer, _visits(), _deposits(), AS_OF, mask=False, lang="en")
    assert set(calls["phone"]) <= set(_visits()["phone"])
    assert "customer_key" in calls
    assert calls["factors"].str.contains("days since last visit|grade").all()


def test_call_list_csv_export_neutralises_formulas(scorer, tmp_path):
    v = _visits()
    v.loc[v["customer_key"] == "13800000002", "consultant"] = '=HYPERLINK("x")'
    calls = ps.call_list(scorer, v, _deposits(), AS_OF)
    path = tmp_path / "calls.csv"
    ps.write_table(calls, path)
    text = path.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"tiers": {"H": 40}}, "thresholds are probabilities between 0 and 1"),
        (
            {"cadence": {"H": 7}},
            r"cadence has no entry for tier\(s\) \['A', 'B', 'C'\]",
        ),
        ({"lang": "fr"}, "lang must be 'zh' or 'en'"),
    ],
)
def test_call_list_errors(scorer, kwargs, match):
    with pytest.raises(InputError, match=match):
        ps.call_list(scorer, _visits(), _deposits(), AS_OF, **kwargs)


def test_call_list_needs_named_features():
    s = ps.LeadScorer(calibration=None).fit(np.arange(20.0).reshape(-1, 1), [0, 1] * 10)
    with pytest.raises(InputError, match="fitted on a DataFrame with named columns"):
        ps.call_list(s, _visits(), _deposits(), AS_OF)


# ---------------------------------------------------------------------------
# after-sale 2-4-8
# ---------------------------------------------------------------------------


def test_aftercare_2_4_8_by_hand():
    d = _deposits()
    # as_of 10-02: D1 delivered 09-28 -> day 2 (09-30) overdue 2, day 4 (10-02) due,
    # day 8 (10-06) not yet. D2 (deposit 10-10) not yet. D3 cancelled.
    out = ps.aftercare_list(d, "2026-10-02", mask=False)
    assert out[
        ["deposit_id", "anchor", "day", "action", "state", "days_overdue"]
    ].values.tolist() == [
        ["D1", "delivery", 2, "call", "overdue", 2],
        ["D1", "delivery", 4, "call", "due", 0],
    ]
    assert out["due_date"].tolist() == [
        pd.Timestamp("2026-09-30"),
        pd.Timestamp("2026-10-02"),
    ]


def test_aftercare_future_delivery_anchors_on_deposit():
    d = _deposits().assign(
        delivery_date=pd.to_datetime(["2026-09-28", "2026-12-01", None])
    )
    out = ps.aftercare_list(d, "2026-10-14")
    row = out.loc[out["deposit_id"] == "D2"]
    assert row["anchor"].unique().tolist() == ["deposit"]
    assert row["day"].tolist() == [2, 4]  # 10-12 and 10-14; day 8 is 10-18
    assert row["phone"].str.contains(r"\*").all()


def test_aftercare_errors():
    with pytest.raises(InputError, match=r"has no column\(s\) \['status'\]"):
        ps.aftercare_list(_deposits().drop(columns="status"), AS_OF)
    with pytest.raises(InputError, match="steps must be"):
        ps.aftercare_list(_deposits(), AS_OF, steps=[(-1, "call")])


def test_rows_without_key_are_reported_at_the_callers_line():
    """The warning about rows left out names the user's line, not pondstats'."""
    v = pd.DataFrame(
        {
            "customer_key": ["a", None],
            "visit_date": pd.to_datetime(["2026-09-01", "2026-09-02"]),
        }
    )
    d = pd.DataFrame(
        {"customer_key": ["a"], "deposit_date": pd.to_datetime(["2026-10-02"])}
    )
    for call in (ps.lead_table, ps.lead_snapshots):
        day = "2026-09-30" if call is ps.lead_table else ["2026-09-30"]
        with pytest.warns(ps.DataQualityWarning, match="1 of 2 visits rows") as got:
            call(v, d, day)
        assert got[0].filename == __file__, (call.__name__, got[0].filename)
