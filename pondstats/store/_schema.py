"""The store's tables, its schema version and migrations, and opening the file.

A store is one DuckDB file. Every canonical row is kept as *row versions*:
``row_id`` names the record (one visit, one deposit, one spend row) across
imports, ``valid_from`` is the import that wrote the version and
``valid_to`` the import that replaced it (NULL while current), so the store
as it was after import ``N`` is the filter
``valid_from <= N AND (valid_to IS NULL OR valid_to > N)``.
"""

from __future__ import annotations

import re
from pathlib import Path

from pondstats.errors import PondstatsError

__all__ = [
    "SCHEMA_VERSION",
    "StoreError",
    "StoreInUseError",
    "connect",
    "run",
    "create_schema",
    "migrate",
]

#: The schema this pondstats writes (and the newest it reads).
#: 1: visits, deposits, spend, rejected rows, conflicts, events, erasures;
#: 2: zones (one zones file per import, geometry as WKB) and zone_columns;
#: 3: visits.lost_reason (the lost-deal reason, 战败原因).
SCHEMA_VERSION = 3
#: ``meta.app``: what marks a DuckDB file as a pondstats store.
APP = "pondstats-store"

_VERSIONED = "row_id BIGINT NOT NULL, valid_from INTEGER NOT NULL, valid_to INTEGER"

#: the tables schema version 2 added (the zones)
ZONE_TABLES: dict[str, str] = {
    "zones": (
        f"{_VERSIONED}, position INTEGER, region VARCHAR, code VARCHAR, "
        "potential DOUBLE, crs VARCHAR, extra VARCHAR, geometry BLOB"
    ),
    "zone_columns": "import_id INTEGER, position INTEGER, name VARCHAR, dtype VARCHAR",
}

#: table -> DDL (the current schema version)
TABLES: dict[str, str] = {
    "meta": "key VARCHAR PRIMARY KEY, value VARCHAR",
    "imports": (
        "import_id INTEGER PRIMARY KEY, kind VARCHAR NOT NULL, file_name VARCHAR, "
        "sha256 VARCHAR NOT NULL, encoding VARCHAR, rows_read BIGINT, rows_new BIGINT, "
        "rows_updated BIGINT, rows_unchanged BIGINT, rows_rejected BIGINT, "
        "rows_merged BIGINT, conflicts BIGINT, data_from TIMESTAMP, data_to TIMESTAMP, "
        "imported_at TIMESTAMP, pondstats_version VARCHAR, summary VARCHAR"
    ),
    "visits": (
        f"{_VERSIONED}, visit_id VARCHAR, customer_key VARCHAR, name VARCHAR, "
        "phone VARCHAR, visit_date TIMESTAMP, visit_no_given BIGINT, region VARCHAR, "
        "store VARCHAR, consultant VARCHAR, source VARCHAR, model VARCHAR, "
        "grade VARCHAR, test_drive BOOLEAN, lat DOUBLE, lon DOUBLE, lost_reason VARCHAR, "
        "as_of TIMESTAMP"
    ),
    "deposits": (
        f"{_VERSIONED}, deposit_id VARCHAR, customer_key VARCHAR, name VARCHAR, "
        "phone VARCHAR, deposit_date TIMESTAMP, amount DOUBLE, region VARCHAR, "
        "store VARCHAR, consultant VARCHAR, model VARCHAR, status VARCHAR, "
        "delivery_date TIMESTAMP, as_of TIMESTAMP"
    ),
    "spend": f"{_VERSIONED}, region VARCHAR, month DATE, spend DOUBLE, as_of DATE",
    "rejected": (
        "import_id INTEGER, kind VARCHAR, row BIGINT, reason VARCHAR, "
        "customer_key VARCHAR, raw VARCHAR"
    ),
    "conflicts": (
        "import_id INTEGER, deposit_id VARCHAR, customer_key VARCHAR, field VARCHAR, "
        "value VARCHAR, other VARCHAR, rows VARCHAR, resolution VARCHAR"
    ),
    "deposit_events": (
        "import_id INTEGER, row_id BIGINT, deposit_id VARCHAR, customer_key VARCHAR, "
        "field VARCHAR, old VARCHAR, new VARCHAR, as_of TIMESTAMP"
    ),
    "erasures": (
        "erased_at TIMESTAMP, visits BIGINT, deposits BIGINT, spend BIGINT, "
        "rejected BIGINT, events BIGINT, conflicts BIGINT"
    ),
    **ZONE_TABLES,
}

#: from version -> list of SQL statements that bring a store to version + 1.
MIGRATIONS: dict[int, list[str]] = {
    1: [f"CREATE TABLE {name} ({ddl})" for name, ddl in ZONE_TABLES.items()],
    2: ["ALTER TABLE visits ADD COLUMN lost_reason VARCHAR"],
}


class StoreError(PondstatsError):
    """The store file cannot be used as asked (the message names the fix)."""


class StoreInUseError(StoreError):
    """Another process holds the store open for writing."""


_DUCKDB_MAGIC = b"DUCK"


def run(con, sql: str, params: list | None = None) -> list[tuple]:
    """Run one statement and fetch its whole result (DuckDB wants results finished)."""
    return con.execute(sql, params if params is not None else []).fetchall()


def _is_duckdb_file(path: Path) -> bool:
    with open(path, "rb") as fh:
        head = fh.read(12)
    return len(head) == 12 and head[8:12] == _DUCKDB_MAGIC


def _in_use(path: Path, exc: Exception) -> StoreInUseError:
    pid = re.search(r"PID (\d+)", str(exc))
    who = f" (process {pid.group(1)})" if pid else ""
    return StoreInUseError(
        f"the store {str(path)!r} is in use by another process{who}: an import is "
        "running or a notebook has it open. Wait until it finishes (or close it "
        "there with store.close()) and try again."
    )


def _open(path: Path, read_only: bool):
    import duckdb

    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise _in_use(path, exc) from None
        raise StoreError(f"cannot open the store {str(path)!r}: {exc}") from None
    except duckdb.Error as exc:
        raise StoreError(
            f"{str(path)!r} is not a pondstats store ({exc}). Give the path of a "
            "store built by ingesting exports, or a new file name."
        ) from None


def _version(con, path: Path) -> int:
    tables = {r[0] for r in run(con, "SELECT table_name FROM duckdb_tables()")}
    app = None
    if "meta" in tables:
        rows = dict(run(con, "SELECT key, value FROM meta"))
        app = rows.get("app")
    if app != APP:
        raise StoreError(
            f"{str(path)!r} is a DuckDB database but not a pondstats store (it has no "
            "pondstats metadata); it was left untouched. Give the path of a pondstats "
            "store, or a new file name to start one."
        )
    version = int(rows.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"the store {str(path)!r} has schema version {version}, written by a newer "
            f"pondstats; this pondstats reads up to version {SCHEMA_VERSION}. Upgrade "
            "pondstats (pip install -U pondstats); the store was left untouched."
        )
    return version


def connect(path: str | Path, *, read_only: bool):
    """Open (or, unless ``read_only``, create) a store; return the connection.

    The file is checked before anything is written: a file that is not a
    DuckDB database, a DuckDB database that is not a pondstats store, and a
    store of a newer schema version each raise :class:`StoreError` and are
    left as they were; a store another process is writing raises
    :class:`StoreInUseError`. An older schema is migrated (one transaction).
    """
    path = Path(path)
    if path.is_dir():
        raise StoreError(f"{str(path)!r} is a directory; give a store file name")
    if not path.exists():
        if read_only:
            raise StoreError(
                f"there is no store at {str(path)!r}. Build one by ingesting exports: "
                f"ps.Store({str(path)!r}).ingest(path, kind='visits')."
            )
        con = _open(path, read_only=False)
        create_schema(con)
        return con
    if not _is_duckdb_file(path):
        raise StoreError(
            f"{str(path)!r} is not a pondstats store (not a DuckDB database file); it "
            "was left untouched. Give the path of a store, or a new file name."
        )
    con = _open(path, read_only=True)
    try:
        version = _version(con, path)
    finally:
        con.close()
    con = _open(path, read_only=read_only)
    if version < SCHEMA_VERSION:
        if read_only:
            con.close()
            raise StoreError(
                f"the store {str(path)!r} has schema version {version}; open it once "
                "for writing (ps.Store(path)) to migrate it to version "
                f"{SCHEMA_VERSION}."
            )
        migrate(con, version)
    return con


def create_schema(con) -> None:
    """Create every table of the current schema (one transaction)."""
    from pondstats._version import __version__

    run(con, "BEGIN TRANSACTION")
    try:
        for name, ddl in TABLES.items():
            run(con, f"CREATE TABLE {name} ({ddl})")
        for key, value in (
            ("app", APP),
            ("schema_version", str(SCHEMA_VERSION)),
            ("created_by", f"pondstats {__version__}"),
        ):
            run(con, "INSERT INTO meta VALUES (?, ?)", [key, value])
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise


def migrate(con, version: int) -> int:
    """Bring a store from ``version`` to :data:`SCHEMA_VERSION`; return the new version.

    All steps run in one transaction: a failed migration leaves the store at
    its old version.
    """
    run(con, "BEGIN TRANSACTION")
    try:
        while version < SCHEMA_VERSION:
            for sql in MIGRATIONS.get(version, []):
                run(con, sql)
            version += 1
        run(
            con,
            "UPDATE meta SET value = ? WHERE key = 'schema_version'",
            [str(version)],
        )
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
    return version
