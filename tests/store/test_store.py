"""The history store: imports, merging across imports, snapshots, bad files."""

from __future__ import annotations

import subprocess
import sys

import duckdb
import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import DataQualityWarning, InputError
from pondstats.store import Store, StoreError, StoreInUseError, WrongKindError, _schema

TODAY = "2026-11-02"


def _deposits(**cols):
    n = max((len(v) for v in cols.values()), default=1)
    base = {
        "deposit_id": ["D1"] * n,
        "phone": ["13800138000"] * n,
        "deposit_date": ["2026-09-03"] * n,
        "amount": ["5000"] * n,
        "status": ["有效"] * n,
        "consultant": ["王五"] * n,
    }
    base.update(cols)
    return pd.DataFrame(base)


def _visits(**cols):
    n = max((len(v) for v in cols.values()), default=1)
    base = {
        "phone": ["13800138000"] * n,
        "visit_date": ["2026-09-03 10:00"] * n,
        "consultant": ["王五"] * n,
        "region": ["东湖区"] * n,
    }
    base.update(cols)
    return pd.DataFrame(base)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.duckdb") as s:
        yield s


def test_active_then_cancelled_is_cancelled_with_both_states_in_events(store):
    # the September export still says active; the October one has it cancelled
    sep = _deposits(deposit_date=["2026-09-03", "2026-09-30"], deposit_id=["D1", "D2"])
    oct_ = _deposits(
        deposit_date=["2026-09-03", "2026-10-20"],
        deposit_id=["D1", "D3"],
        status=["退订", "有效"],
    )
    store.ingest(sep, kind="deposits", today=TODAY)
    s2 = store.ingest(oct_, kind="deposits", today=TODAY)
    assert (s2.new, s2.updated, s2.unchanged) == (1, 1, 0)
    dep = store.deposits()
    assert dep.set_index("deposit_id")["status"].to_dict() == {
        "D1": "cancelled",
        "D2": "active",
        "D3": "active",
    }
    ev = store.events("D1")
    status = ev[ev["field"] == "status"]
    assert status[["import_id", "old", "new"]].astype("str").fillna(
        "-"
    ).values.tolist() == [
        ["1", "-", "active"],
        ["2", "active", "cancelled"],
    ]
    # the store as it was after import 1 still has it active
    assert store.snapshot(1).deposits()["status"].tolist() == ["active", "active"]


def test_an_older_export_never_undoes_a_terminal_status(store):
    later = _deposits(deposit_date=["2026-09-03", "2026-10-20"], deposit_id=["D1", "D9"],
                      status=["退订", "有效"])  # fmt: skip
    earlier = _deposits(status=["有效"])
    store.ingest(later, kind="deposits", today=TODAY)
    s = store.ingest(earlier, kind="deposits", today=TODAY)
    assert (s.new, s.updated, s.unchanged) == (0, 0, 1)
    assert store.deposits().set_index("deposit_id")["status"]["D1"] == "cancelled"


def test_newer_amount_replaces_the_older_one_with_an_event(store):
    store.ingest(_deposits(), kind="deposits", today=TODAY)
    newer = _deposits(
        deposit_date=["2026-09-03", "2026-10-05"],
        deposit_id=["D1", "D5"],
        amount=["8000", "1000"],
    )
    store.ingest(newer, kind="deposits", today=TODAY)
    assert store.deposits().set_index("deposit_id")["amount"]["D1"] == 8000.0
    ev = store.events("D1")
    amount = ev[ev["field"] == "amount"]
    assert amount[["old", "new"]].astype("str").fillna("-").values.tolist() == [
        ["-", "5000"],
        ["5000", "8000"],
    ]


def test_one_order_on_two_customers_is_a_conflict_never_merged(store):
    store.ingest(_deposits(), kind="deposits", today=TODAY)
    other = _deposits(phone=["13900139000"], deposit_date=["2026-09-04"])
    s = store.ingest(other, kind="deposits", today=TODAY)
    assert s.conflicts == 1 and s.new == 1
    assert len(store.deposits()) == 2
    c = store.conflicts()
    assert c[
        ["import_id", "deposit_id", "field", "value", "other"]
    ].values.tolist() == [[2, "D1", "customer_key", "13800138000", "13900139000"]]


def test_same_file_twice_changes_nothing_and_says_so(store, tmp_path):
    path = tmp_path / "v.csv"
    _visits().to_csv(path, index=False)
    with pytest.warns(DataQualityWarning, match="cannot be told apart"):
        first = store.ingest(path, kind="visits", today=TODAY)
    before = store.counts()
    again = store.ingest(path, kind="visits", today=TODAY)
    assert again.already == first.import_id == 1
    assert "already imported (导入 import 1); 未作改动 nothing changed" in str(again)
    assert store.counts() == before


def test_visit_numbers_over_the_whole_history_whatever_the_order(store):
    oct_ = _visits(visit_date=["2026-10-05 10:00"])
    sep = _visits(visit_date=["2026-09-03 10:00"])
    with pytest.warns(DataQualityWarning):
        store.ingest(oct_, kind="visits", today=TODAY)
    assert store.visits()["visit_no"].tolist() == [1]
    store.ingest(sep, kind="visits", today=TODAY)
    v = store.visits()
    assert v["visit_no"].tolist() == [1, 2]
    assert v["visit_date"].dt.month.tolist() == [9, 10]
    # reading one month keeps the whole-history number
    assert store.visits(months="2026-10")["visit_no"].tolist() == [2]
    assert store.snapshot(1).visits()["visit_no"].tolist() == [1]


def test_overlapping_visit_copy_more_complete_updates(store):
    with pytest.warns(DataQualityWarning):
        store.ingest(_visits(), kind="visits", today=TODAY)
    s = store.ingest(_visits(source=["自然到店"]), kind="visits", today=TODAY)
    assert (s.new, s.updated, s.unchanged) == (0, 1, 0)
    assert store.visits()["source"].tolist() == ["自然到店"]
    assert store.snapshot(1).visits()["source"].isna().all()


def test_reads_have_the_canonical_schema_and_dtypes(store):
    raw = _visits(visit_date=["2026-09-03 10:00", "2026-10-03 10:00"])
    with pytest.warns(DataQualityWarning):
        store.ingest(raw, kind="visits", today=TODAY)
    store.ingest(_deposits(), kind="deposits", today=TODAY)
    clean_v = ps.clean_visits(raw, today=TODAY).data
    clean_d = ps.clean_deposits(_deposits(), today=TODAY).data
    pd.testing.assert_series_equal(store.visits().dtypes, clean_v.dtypes)
    pd.testing.assert_series_equal(store.deposits().dtypes, clean_d.dtypes)
    part = store.visits(months=["2026-10"], columns=["customer_key", "visit_no"])
    assert part.columns.tolist() == ["customer_key", "visit_no"]
    assert part["visit_no"].tolist() == [2] and str(part["visit_no"].dtype) == "int64"
    with pytest.raises(ps.InputError, match=r"no column\(s\) \['nope'\]"):
        store.visits(columns=["nope"])
    with pytest.raises(ps.InputError, match="months: expected a month"):
        store.visits(months="2026/10")


def test_snapshot_out_of_range(store):
    with pytest.raises(ps.InputError, match="snapshots go from 0"):
        store.snapshot(5)


def test_forget_removes_the_person_everywhere_and_records_it(store):
    with pytest.warns(DataQualityWarning):
        store.ingest(_visits(phone=["13800138000", "13900139000"]), kind="visits",
                     today=TODAY)  # fmt: skip
    store.ingest(_deposits(), kind="deposits", today=TODAY)
    counts = store.forget(phone="+86 138-0013-8000")
    assert counts["visits"] == 1 and counts["deposits"] == 1 and counts["events"] == 2
    assert store.visits()["customer_key"].tolist() == ["13900139000"]
    assert store.deposits().empty and store.events().empty
    er = store.erasures()
    assert er[["visits", "deposits"]].values.tolist() == [[1, 1]]
    assert "13800138000" not in er.astype("str").to_string()
    with pytest.raises(ps.InputError, match="not a phone number"):
        store.forget(phone="abc")


def test_export_parquet_partitioned_by_month(store, tmp_path):
    with pytest.warns(DataQualityWarning):
        store.ingest(_visits(visit_date=["2026-09-03", "2026-10-03"]), kind="visits",
                     today=TODAY)  # fmt: skip
    store.ingest(_deposits(), kind="deposits", today=TODAY)
    store.export_parquet(tmp_path / "pq")
    months = sorted(p.name for p in (tmp_path / "pq" / "visits").iterdir())
    assert months == ["month=2026-09", "month=2026-10"]
    back = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{tmp_path.as_posix()}/pq/visits/*/*.parquet')"
    ).fetchall()
    assert back == [(2,)]


def test_export_parquet_writes_the_zones_as_geoparquet(store, tmp_path):
    import geopandas as gpd
    from geopandas.testing import assert_geodataframe_equal

    from pondstats.datasets import sample_dir

    store.ingest(_deposits(), kind="deposits", today=TODAY)
    written = store.export_parquet(tmp_path / "none")
    assert not (tmp_path / "none" / "zones.parquet").exists()  # no zones, no file
    assert [p.name for p in written] == ["visits", "deposits", "spend"]
    store.ingest(sample_dir() / "zones.geojson", kind="zones")
    store.export_parquet(tmp_path / "pq")
    back = gpd.read_parquet(tmp_path / "pq" / "zones.parquet")
    assert_geodataframe_equal(back, store.zones())
    assert back.crs.to_epsg() == 4326 and len(back) == 16


# ---------------------------------------------------------------------------
# bad files: a clear error, the file untouched
# ---------------------------------------------------------------------------


def test_a_file_that_is_not_a_store(tmp_path):
    path = tmp_path / "visits.csv"
    path.write_bytes(b"a,b\n1,2\n")
    with pytest.raises(StoreError, match="not a pondstats store .not a DuckDB"):
        Store(path)
    assert path.read_bytes() == b"a,b\n1,2\n"


def test_a_duckdb_file_that_is_not_a_store(tmp_path):
    path = tmp_path / "other.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE t (a INTEGER)").fetchall()
    con.close()
    with pytest.raises(StoreError, match="DuckDB database but not a pondstats store"):
        Store(path)
    con = duckdb.connect(str(path), read_only=True)
    assert [r[0] for r in con.execute("SHOW TABLES").fetchall()] == ["t"]
    con.close()


def test_a_newer_schema_version(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'").fetchall()
    con.close()
    with pytest.raises(StoreError, match="schema version 99, written by a newer"):
        Store(path)


def test_an_older_schema_is_migrated(tmp_path, monkeypatch):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    monkeypatch.setattr(_schema, "SCHEMA_VERSION", 4)
    monkeypatch.setattr(
        _schema, "MIGRATIONS", {3: ["ALTER TABLE imports ADD COLUMN note VARCHAR"]}
    )
    with Store(path) as s:
        cols = [r[0] for r in s._con.execute("DESCRIBE imports").fetchall()]
        version = s._con.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchall()
    assert "note" in cols and version == [("4",)]


def test_the_lost_reason_is_kept_and_a_version_2_store_gains_it(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    con = duckdb.connect(str(path))  # the store as schema version 2 wrote it
    con.execute("ALTER TABLE visits DROP COLUMN lost_reason").fetchall()
    con.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'").fetchall()
    con.close()
    raw = _visits(
        phone=["13800138000", "13900139000"],
        visit_date=["2026-09-03", "2026-09-05"],
        lost_reason=["价格", None],
    )
    with Store(path) as s, pytest.warns(DataQualityWarning):
        s.ingest(raw, kind="visits", today=TODAY)
    with Store(path, read_only=True) as s:
        got = s.visits()
    assert got["lost_reason"].tolist()[0] == "价格" and got[
        "lost_reason"
    ].isna().tolist() == [False, True]
    want = ps.clean_visits(raw, today=TODAY).data
    pd.testing.assert_frame_equal(got, want)


def test_a_file_of_the_wrong_kind(store, tmp_path):
    path = tmp_path / "deposits.csv"
    _deposits().to_csv(path, index=False)
    before = store.counts()
    with pytest.raises(
        WrongKindError, match="looks like a deposits export, not visits"
    ):
        store.ingest(path, kind="visits")
    assert store.counts() == before


def test_read_only_store_missing(tmp_path):
    with pytest.raises(StoreError, match="there is no store at"):
        Store(tmp_path / "none.duckdb", read_only=True)


_HOLD = """
import sys, time
from pondstats.store import Store
s = Store(sys.argv[1])
print("open", flush=True)
time.sleep(60)
"""


def test_a_second_writer_gets_a_clear_error(tmp_path):
    path = tmp_path / "s.duckdb"
    Store(path).close()
    proc = subprocess.Popen(
        [sys.executable, "-c", _HOLD, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().strip() == "open"
        with pytest.raises(StoreInUseError, match="in use by another process"):
            Store(path)
    finally:
        proc.kill()
        proc.wait()
    Store(path).close()  # free again once the other process is gone


_KILLED = """
import os, sys, time
import pandas as pd
from pondstats.store import _ingest
real = _ingest._insert
def slow(con, table, df):
    real(con, table, df)
    print("inside", table, flush=True)
    time.sleep(60)
_ingest._insert = slow
from pondstats.store import Store
s = Store(sys.argv[1])
raw = pd.DataFrame({"phone": ["13700137000"], "visit_date": ["2026-10-09 10:00"]})
s.ingest(raw, kind="visits", today="2026-11-02")
"""


def test_an_import_killed_part_way_leaves_the_store_as_it_was(tmp_path):
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        with pytest.warns(DataQualityWarning):
            s.ingest(_visits(), kind="visits", today=TODAY)
        before = (s.counts(), s.imports().to_dict(), s.snapshot(1).visits())
    proc = subprocess.Popen(
        [sys.executable, "-c", _KILLED, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout.readline().startswith("inside visits")
    finally:
        proc.kill()  # SIGKILL, in the middle of the transaction
        proc.wait()
    with Store(path) as s:
        assert s.counts() == before[0]
        assert s.imports().to_dict() == before[1]
        pd.testing.assert_frame_equal(s.snapshot(1).visits(), before[2])
        assert s.snapshot_id == 1


def test_a_newer_export_that_agrees_still_outranks_an_older_one(store):
    # June and September say cancelled; the August export (older than September)
    # arrives last and says active: it is older than what the store has seen
    def export(status, newest):
        return _deposits(
            deposit_id=["D1", f"N{newest}"],
            deposit_date=["2026-05-03", f"2026-{newest:02d}-10"],
            status=[status, "有效"],
        )

    for status, month in (("退订", 6), ("退订", 9), ("有效", 8)):
        store.ingest(export(status, month), kind="deposits", today=TODAY)
    assert store.deposits().set_index("deposit_id")["status"]["D1"] == "cancelled"


def test_a_memory_limit_is_applied_and_a_bad_one_named(tmp_path):
    with Store(tmp_path / "s.duckdb", memory_limit="300MB") as store:
        (limit,) = store._con.execute(
            "SELECT current_setting('memory_limit')"
        ).fetchone()
    # DuckDB reports the limit in its own units (300MB = 286.1 MiB).
    assert limit.replace(" ", "") in {"286.1MiB", "300.0MB", "300MB"}
    with pytest.raises(
        InputError, match=r"memory_limit='much' is not a size; give one like '4GB'"
    ):
        Store(tmp_path / "t.duckdb", memory_limit="much")


def test_columns_the_store_does_not_keep_are_named_not_dropped_silently(store):
    raw = _visits(备注=["客户说下周再来"])
    with pytest.warns(DataQualityWarning) as caught:
        store.ingest(raw, kind="visits", today=TODAY)
    messages = [str(w.message) for w in caught]
    assert any("the store keeps the canonical columns only; 备注 not stored" in m
               for m in messages), messages  # fmt: skip
    assert "备注" not in store.visits().columns
