"""Invariants: however exports overlap and in whatever order they come, the store agrees."""

from __future__ import annotations

import warnings

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.errors import DataQualityWarning
from pondstats.store import Store

TODAY = "2026-11-02"

# twelve visits of three customers; rows 9-11 are later copies of rows 0-2
# (one exact, two with a field filled in)
_VISITS = pd.DataFrame(
    {
        "phone": ["13800138000", "13900139000", "13700137000"] * 4,
        "visit_date": [
            "2026-08-03 10:00", "2026-08-04 11:00", "2026-08-05 12:00",
            "2026-09-03 10:00", "2026-09-04 11:00", "2026-09-05 12:00",
            "2026-10-03 10:00", "2026-10-04 11:00", "2026-10-05 12:00",
            "2026-08-03 10:00", "2026-08-04 11:00", "2026-08-05 12:00",
        ],
        "consultant": ["王五", "赵六", "钱七"] * 4,
        "source": [None, None, "展厅"] + ["展厅"] * 6 + [None, "网络", "展厅"],
        "model": [None, "S5", None] * 3 + [None, "S5", "S3"],
    }
)  # fmt: skip


def _parts(assign: list[set[int]], n_parts: int) -> list[pd.DataFrame]:
    return [
        _VISITS.iloc[[i for i, s in enumerate(assign) if k in s]]
        for k in range(n_parts)
    ]


_ASSIGN = st.lists(
    st.sets(st.integers(0, 2), min_size=1), min_size=len(_VISITS), max_size=len(_VISITS)
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(assign=_ASSIGN, order=st.permutations([0, 1, 2]))
def test_overlapping_exports_in_any_order_equal_cleaning_them_together(
    tmp_path_factory, assign, order
):
    parts = _parts(assign, 3)
    expected = ps.clean_visits(_VISITS, today=TODAY).data
    path = tmp_path_factory.mktemp("s") / "s.duckdb"
    with Store(path) as store, warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        for k in order:
            if len(parts[k]):
                store.ingest(parts[k], kind="visits", today=TODAY)
        got = store.visits()
        counts = store.counts()
        for k in order:  # again: nothing changes
            if len(parts[k]):
                store.ingest(parts[k], kind="visits", today=TODAY)
        assert store.counts()["visits"] == counts["visits"]
    key = ["visit_date", "customer_key"]
    pd.testing.assert_frame_equal(
        got.sort_values(key).reset_index(drop=True),
        expected.sort_values(key).reset_index(drop=True),
    )


_STATUS = st.sampled_from(["有效", "退订", "已交车"])


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(statuses=st.lists(_STATUS, min_size=2, max_size=4), data=st.data())
def test_deposit_outcome_does_not_depend_on_the_order_of_import(
    tmp_path_factory, statuses, data
):
    # export k is dated by its newest order (month k); order D1 is in every one
    exports = [
        pd.DataFrame(
            {
                "deposit_id": ["D1", f"N{k}"],
                "phone": ["13800138000", "13900139000"],
                "deposit_date": ["2026-05-03", f"2026-{6 + k:02d}-10"],
                "status": [s, "有效"],
                "delivery_date": ["2026-05-20" if s == "已交车" else None, None],
            }
        )
        for k, s in enumerate(statuses)
    ]
    order = data.draw(st.permutations(range(len(exports))))
    results = []
    for seq in (range(len(exports)), order):
        path = tmp_path_factory.mktemp("d") / "s.duckdb"
        with Store(path) as store:
            for k in seq:
                store.ingest(exports[k], kind="deposits", today=TODAY)
            results.append(store.deposits())
    pd.testing.assert_frame_equal(results[0], results[1])
    newest = {"有效": "active", "退订": "cancelled", "已交车": "delivered"}[
        statuses[-1]
    ]
    d1 = results[0].set_index("deposit_id")["status"]["D1"]
    assert d1 == newest  # the newest export's word, whatever came first
