"""``Store``: the history store's file: open, import, snapshot, forget, export.

Reading (as the store is now, or as it was after an import) is
:class:`Snapshot`'s (``_snapshot``), which ``Store`` extends; erasure is
``_forget``'s.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pondstats.errors import InputError
from pondstats.store._forget import erase
from pondstats.store._ingest import IngestSummary, ingest
from pondstats.store._schema import StoreError, connect, run
from pondstats.store._snapshot import Snapshot
from pondstats.store._zones import ingest_zones

__all__ = ["Store", "Snapshot"]

#: the default store file (in the current directory)
DEFAULT_PATH = "pondstats.duckdb"


class Store(Snapshot):
    """The history store: every month's exports in one DuckDB file, counted once.

    Parameters
    ----------
    path : str or Path, default "pondstats.duckdb"
        The store file; created (with its tables) when it does not exist.
    read_only : bool, default False
        Open for reading only: several processes may read one store at once,
        but none may write while another has it open.
    memory_limit : str, optional
        The most memory DuckDB may use for this store's queries, e.g.
        ``"4GB"``; beyond it DuckDB spills to a temporary directory beside
        the store. Default: DuckDB's own (80% of the machine's memory). On a
        50M-visit store, close rates by region x month peaked at 11.2 GB by
        default and at 4.2 GB with ``"4GB"`` (about twice the time; see the
        Performance page).

    Raises
    ------
    StoreError
        The file is not a pondstats store, or has a newer schema version
        (the file is left untouched).
    StoreInUseError
        Another process has the store open for writing.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pondstats as ps
    >>> from pondstats.datasets import sample_dir
    >>> tmp = pathlib.Path(tempfile.mkdtemp())
    >>> with ps.Store(tmp / "demo.duckdb") as store:
    ...     s = store.ingest(sample_dir() / "spend.csv", kind="spend")
    ...     print(s.import_id, s.new, store.spend().shape)
    1 384 (384, 3)
    """

    def __init__(
        self,
        path: str | Path = DEFAULT_PATH,
        *,
        read_only: bool = False,
        memory_limit: str | None = None,
    ):
        self.path = Path(path)
        self.read_only = read_only
        self._con = connect(self.path, read_only=read_only)
        self._n = None
        if memory_limit is not None:
            self._limit_memory(memory_limit)

    def _limit_memory(self, limit: str) -> None:
        import duckdb

        if not re.fullmatch(r"\s*\d+(\.\d+)?\s*[KMGT]i?B\s*", str(limit), re.I):
            self.close()
            raise InputError(
                f"memory_limit={limit!r} is not a size; give one like '4GB' or '512MB'"
            )
        try:
            self._con.execute(f"SET memory_limit = '{limit.strip()}'")
        except duckdb.Error as exc:  # pragma: no cover - DuckDB's own refusal
            self.close()
            raise InputError(f"memory_limit={limit!r}: {exc}") from None

    def __repr__(self) -> str:
        mode = ", read_only=True" if self.read_only else ""
        return f"Store({str(self.path)!r}{mode})"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (other processes may then open it)."""
        if self._con is not None:
            self._con.close()
            self._con = None

    def _writable(self, what: str) -> None:
        if self._con is None:
            raise StoreError("the store is closed; open it again with ps.Store(path)")
        if self.read_only:
            raise StoreError(
                f"the store was opened read_only=True; {what} needs ps.Store(path)"
            )

    def ingest(
        self,
        source,
        *,
        kind: str,
        today=None,
        column_map=None,
        encoding=None,
        sheet=None,
        key=None,
        crs=None,
        layer=None,
    ) -> IngestSummary:
        """Import one export: all of it in one transaction, or none of it.

        Parameters
        ----------
        source : path or DataFrame
            An export file (CSV or Excel, as :func:`pondstats.read_visits`
            reads it) or a frame (raw from ``read_*``, or clean data); for
            ``kind="zones"`` a zones file (GeoJSON, GeoPackage, Shapefile, as
            :func:`pondstats.read_zones` reads it) or a GeoDataFrame.
        kind : {"visits", "deposits", "spend", "zones"}
            What the export is. A zones import replaces the zones the store
            held (earlier snapshots keep theirs).
        today : date-like, optional
            Rows dated after this day are rejected (default: today).
        column_map, encoding, sheet
            As for :func:`pondstats.read_visits` (``encoding`` also for a
            shapefile's text).
        key, crs, layer
            For ``kind="zones"`` only: as for :func:`pondstats.read_zones`
            (the column with the zone names, default ``"region"``; the CRS of
            a file that declares none; the layer of a GeoPackage).

        Returns
        -------
        IngestSummary
            Rows read, new, updated, unchanged, rejected by reason, conflicts.
            Importing the same bytes again changes nothing and says so
            (``already``).
        """
        self._writable("ingest")
        if kind == "zones":
            given = [
                o
                for o, v in (("column_map", column_map), ("sheet", sheet))
                if v is not None
            ]
            if given:
                raise InputError(
                    f"{given[0]}= is for exports (visits, deposits, spend); a zones "
                    "file names its zone column with key=... (and layer=... for a "
                    "GeoPackage layer)"
                )
            return ingest_zones(
                self._con, source, key=key, crs=crs, layer=layer, encoding=encoding
            )
        given = [o for o, v in (("key", key), ("crs", crs), ("layer", layer)) if v]
        if given:
            raise InputError(
                f"{given[0]}= is for kind='zones' (a zones file); for {kind} "
                "exports use column_map=... to name the columns"
            )
        return ingest(
            self._con,
            source,
            kind=kind,
            today=today,
            column_map=column_map,
            encoding=encoding,
            sheet=sheet,
        )

    def snapshot(self, import_id: int) -> Snapshot:
        """The store as it was right after import ``import_id`` (reads only)."""
        latest = Snapshot(self._con, None, self.path).snapshot_id
        if not isinstance(import_id, (int, np.integer)) or not 0 <= import_id <= latest:
            raise InputError(
                f"no import {import_id!r} in {str(self.path)!r}: snapshots go from 0 "
                f"(empty) to {latest} (the latest import)"
            )
        return Snapshot(self._con, int(import_id), self.path)

    def forget(self, *, phone: str) -> dict[str, int]:
        """Remove one person (by phone) from every table; record that it happened.

        Visits, deposits, rejected rows, deposit events and conflicts of the
        customer are deleted in every row version (so no snapshot shows them
        any more); ``erasures`` records the date and counts, without the
        number.
        """
        self._writable("forget")
        return erase(self._con, phone)

    def erasures(self) -> pd.DataFrame:
        """When people were removed and how many rows (never who)."""
        return self._frame("SELECT * FROM erasures ORDER BY erased_at", [])

    def export_parquet(self, directory: str | Path) -> list[Path]:
        """Write visits, deposits and spend as Parquet, partitioned by month.

        ``DIR/visits/month=2026-10/*.parquet`` and so on: DuckDB, Polars,
        Spark, Dask and pandas read the directories directly. The zones, when
        the store holds them, go to ``DIR/zones.parquet`` as GeoParquet
        (``geopandas.read_parquet`` reads them back with their CRS; other
        engines see the geometry as WKB).
        """
        import pyarrow as pa

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        spend = self.spend()
        tables = {
            "visits": self.visits().assign(
                month=lambda d: d["visit_date"].dt.strftime("%Y-%m")
            ),
            "deposits": self.deposits().assign(
                month=lambda d: d["deposit_date"].dt.strftime("%Y-%m")
            ),
            "spend": spend.assign(month=spend["month"].astype("str")),
        }
        for name, df in tables.items():
            target = out / name
            self._con.register(
                "_export", pa.Table.from_pandas(df, preserve_index=False)
            )
            run(
                self._con,
                f"COPY (SELECT * FROM _export) TO '{target.as_posix()}' "
                "(FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE)",
            )
            self._con.unregister("_export")
            written.append(target)
        zones = self.zones()
        if zones is not None:
            zones.to_parquet(out / "zones.parquet", index=False)
            written.append(out / "zones.parquet")
        return written
