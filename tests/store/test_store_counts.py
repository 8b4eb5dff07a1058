"""close_rates(store): the cards counted inside the store equal the pandas path."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import pondstats as ps
from pondstats.datasets import monthly_exports, sample_dir
from pondstats.errors import DataQualityWarning, InputError
from pondstats.store import Store

TODAY = pd.Timestamp("2026-11-02")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The sample in six overlapping exports, plus one region spelled without suffix."""
    d = sample_dir()
    raw_v, raw_d = (
        ps.read_visits(d / "visits.csv"),
        ps.read_deposits(d / "deposits.xlsx"),
    )
    path = tmp_path_factory.mktemp("counts") / "s.duckdb"
    s = Store(path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        for kind, raw in (("visits", raw_v), ("deposits", raw_d)):
            parts = monthly_exports(
                raw, kind, window=5, start="2025-03", until="2026-10"
            )
            for k, (_, part) in enumerate(parts[::4]):
                if k == 1 and "region" in part:  # 梅岭区 -> 梅岭 in one export
                    part = part.assign(region=part["region"].str.replace("区", ""))
                s.ingest(part, kind=kind, today=TODAY)
    yield s
    s.close()


def _pandas(view, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return ps.close_rates(view.visits(), view.deposits(), **kw)


def _sql(view, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        return ps.close_rates(view, **kw)


@pytest.mark.parametrize(
    "kw",
    [
        {"by": "region", "period": "M"},
        {"by": ["region", "model"], "period": "Q"},
        {"by": "consultant", "period": None},
        {"by": None, "period": "M"},
        {"by": None, "period": None},
        {"by": "source", "period": "W"},
    ],
)
def test_counted_in_the_store_equals_the_pandas_path(store, kw):
    want, got = _pandas(store, **kw), _sql(store, **kw)
    assert len(want) > 0
    pd.testing.assert_frame_equal(got, want)
    assert got.attrs["priors"] == want.attrs["priors"]


def test_a_snapshot_counts_as_it_was(store):
    snap = store.snapshot(3)
    want, got = _pandas(snap), _sql(snap)
    pd.testing.assert_frame_equal(got, want)
    assert got["a_cards"].sum() < _sql(store)["a_cards"].sum()


def test_the_same_warnings(store):
    with pytest.warns(DataQualityWarning) as want:
        ps.close_rates(store.visits(), store.deposits(), by="region", period="D")
    with pytest.warns(DataQualityWarning) as got:
        ps.close_rates(store, by="region", period="D")
    assert [str(w.message) for w in got] == [str(w.message) for w in want]


def test_unlinked_and_cancelled_deposits_counted_apart(tmp_path):
    s = Store(tmp_path / "s.duckdb")
    v = pd.DataFrame(
        {
            "phone": ["13800138000", "13800138001"],
            "visit_date": ["2026-09-01", "2026-09-02"],
            "region": ["东湖区", "西湖区"],
        }
    )
    d = pd.DataFrame(
        {
            "deposit_id": ["D1", "D2", "D3"],
            "phone": ["13800138000", "13900139000", "13800138001"],
            "deposit_date": ["2026-09-10", "2026-09-11", "2026-09-12"],
            "status": ["有效", "有效", "退订"],
        }
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)
        s.ingest(v, kind="visits", today=TODAY)
    s.ingest(d, kind="deposits", today=TODAY)
    got = s.close_rate_counts(by="region", period=None)
    got = got.sort_values("region", na_position="last").reset_index(drop=True)
    assert got["region"].tolist()[:2] == ["东湖区", "西湖区"]
    assert got["a_cards"].tolist() == [1, 1, 0]
    assert got["c_cards"].tolist() == [1, 0, 1]
    assert got["cancelled"].tolist() == [0, 1, 0]
    assert got["unlinked"].tolist() == [0, 0, 1]
    assert got.attrs == {"live": 2, "live_linked": 1, "median_lag_days": 9.0}
    s.close()


def test_what_the_store_cannot_count(store):
    with pytest.raises(InputError, match="cannot group by \\['phone'\\]"):
        store.close_rate_counts(by="phone")
    with pytest.raises(InputError, match="period must be one of D, W, M, Q, Y"):
        store.close_rate_counts(period="2M")
    with pytest.raises(InputError, match="close_rates needs the deposits"):
        ps.close_rates(store.visits(columns=["customer_key", "visit_date", "visit_no"]))
