"""The sample as monthly overlapping exports: the store equals cleaning it all at once."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest

import pondstats as ps
from pondstats.datasets import monthly_exports, sample_dir
from pondstats.errors import DataQualityWarning
from pondstats.store import Store

TODAY = pd.Timestamp("2026-11-02")
V_KEY = ["visit_date", "customer_key"]
D_KEY = ["deposit_date", "customer_key", "deposit_id"]


@pytest.fixture(scope="module")
def raw():
    d = sample_dir()
    return ps.read_visits(d / "visits.csv"), ps.read_deposits(d / "deposits.xlsx")


@pytest.fixture(scope="module")
def complete(raw):
    v = ps.clean_visits(raw[0], today=TODAY).data
    d = ps.clean_deposits(raw[1], today=TODAY).data
    return v, d


@pytest.fixture(scope="module")
def parts(raw):
    return (
        monthly_exports(raw[0], "visits", start="2024-11", until="2026-10"),
        monthly_exports(raw[1], "deposits", start="2024-11", until="2026-10"),
    )


def _ingest_all(store, parts, order):
    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataQualityWarning)  # the first month
        for k in order:
            out.append(store.ingest(parts[0][k][1], kind="visits", today=TODAY))
            out.append(store.ingest(parts[1][k][1], kind="deposits", today=TODAY))
    return out


def _same(a, b, key):
    pd.testing.assert_frame_equal(
        a.sort_values(key).reset_index(drop=True),
        b.sort_values(key).reset_index(drop=True),
    )


def test_the_split_has_24_two_month_exports(parts):
    months = [str(m) for m, _ in parts[0]]
    assert len(months) == 24 and months[0] == "2024-11" and months[-1] == "2026-10"
    oct_ = parts[0][-1][1]
    dates = ps.normalize_date(oct_["visit_date"]).dropna()
    assert dates.min() >= pd.Timestamp("2026-09-01")


@pytest.mark.slow
@pytest.mark.parametrize("order", ["forward", "shuffled"])
def test_monthly_imports_equal_cleaning_everything_at_once(
    tmp_path, parts, complete, order
):
    ks = list(range(24))
    if order == "shuffled":
        ks = [5, 23, 0, 17, 11, 2, 20, 8, 14, 1, 22, 9, 3, 16, 12, 6, 19, 4, 21, 10,
              15, 7, 18, 13]  # fmt: skip
    with Store(tmp_path / "s.duckdb") as store:
        _ingest_all(store, parts, ks)
        v, d = store.visits(), store.deposits()
        _same(v, complete[0], V_KEY)
        _same(d, complete[1], D_KEY)
        pd.testing.assert_frame_equal(
            ps.close_rates(v, d, by="region"),
            ps.close_rates(complete[0], complete[1], by="region"),
        )
        # re-ingesting any export changes nothing
        counts = store.counts()
        again = store.ingest(parts[1][7][1], kind="deposits", today=TODAY)
        assert again.already is not None
        copy = parts[0][7][1].copy()
        copy.index = copy.index + 1_000_000  # other bytes, the same rows
        s = store.ingest(copy, kind="visits", today=TODAY)
        assert (s.new, s.updated) == (
            0,
            0,
        ) and s.unchanged == s.rows_read - s.rejected - s.merged
        after = store.counts()
        assert {k: after[k] for k in ("visits", "deposits")} == {
            k: counts[k] for k in ("visits", "deposits")
        }
        _same(store.visits(), complete[0], V_KEY)


@pytest.mark.slow
def test_october_after_earlier_months_gives_1172_a_cards(tmp_path, raw, parts):
    oct_only = raw[0][
        ps.normalize_date(raw[0]["visit_date"]).dt.to_period("M")
        == pd.Period("2026-10")
    ]
    with Store(tmp_path / "s.duckdb") as store:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            for k in range(23):  # the exports up to September (the last: 2026-08..09)
                store.ingest(parts[0][k][1], kind="visits", today=TODAY)
        store.ingest(oct_only, kind="visits", today=TODAY)
        v = store.visits(months="2026-10")
        assert int((v["visit_no"] == 1).sum()) == 1172


def test_october_alone_into_an_empty_store_warns(tmp_path, raw):
    oct_only = raw[0][
        ps.normalize_date(raw[0]["visit_date"]).dt.to_period("M")
        == pd.Period("2026-10")
    ]
    with Store(tmp_path / "s.duckdb") as store:
        with pytest.warns(
            DataQualityWarning, match="cannot be told apart from new ones"
        ):
            store.ingest(oct_only, kind="visits", today=TODAY)
        v = store.visits(months="2026-10")
        assert int((v["visit_no"] == 1).sum()) == 1447
