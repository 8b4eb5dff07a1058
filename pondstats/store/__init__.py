"""The history store: every month's exports in one embedded DuckDB file.

``ps.Store(path)`` opens (or creates) a store; ``store.ingest(path, kind=...)``
imports one export in one transaction; ``store.visits()`` /
``store.deposits()`` / ``store.spend()`` read the canonical tables (visit
numbers over the whole history), ``store.zones()`` the zones of the newest
zones file; ``store.snapshot(N)`` reads the store as it was after import ``N``.

* ``_schema``: the tables, the schema version and migrations, opening the file;
* ``_ingest``: one import (read, clean, merge across imports, events, manifest);
* ``_zones``: one zones import (geometry as WKB with its CRS) and reading it back;
* ``_snapshot``: :class:`Snapshot`, the reads as of one import;
* ``_forget``: erasure of one person;
* ``_store``: :class:`Store` (a :class:`Snapshot` of the newest import that
  opens the file, imports, forgets and exports).

The sample dealer's store (:func:`pondstats.datasets.build_sample_store`,
:func:`pondstats.datasets.monthly_exports`) lives with the sample dealer,
which stands above the store.
"""

from pondstats.store._ingest import IngestSummary, WrongKindError
from pondstats.store._schema import SCHEMA_VERSION, StoreError, StoreInUseError
from pondstats.store._snapshot import Snapshot
from pondstats.store._store import DEFAULT_PATH, Store

__all__ = [
    "DEFAULT_PATH",
    "IngestSummary",
    "SCHEMA_VERSION",
    "Snapshot",
    "Store",
    "StoreError",
    "StoreInUseError",
    "WrongKindError",
]
