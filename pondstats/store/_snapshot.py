"""``Snapshot``: the store read as of one import (the read side of ``Store``).

Every read selects the row versions current after the import
(``valid_from <= N < valid_to``), numbers the visits over the whole history,
and unifies the region names across exports as cleaning the exports together
would; ``Store`` is a ``Snapshot`` that follows the newest import.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from pondstats import schema
from pondstats.dates import parse_month
from pondstats.errors import InputError
from pondstats.store._schema import run
from pondstats.store._zones import read_stored_zones

__all__ = ["Snapshot"]


def _months_clause(col: str, months) -> tuple[str, list]:
    if months is None:
        return "TRUE", []
    if isinstance(months, (str, pd.Period)) or not isinstance(months, Iterable):
        months = [months]
    parts, params = [], []
    for m in months:
        p = parse_month(m, name="months")
        parts.append(f"({col} >= ? AND {col} < ?)")
        params += [p.start_time.to_pydatetime(), (p + 1).start_time.to_pydatetime()]
    if not parts:
        return "FALSE", []
    return "(" + " OR ".join(parts) + ")", params


def _columns(asked, canonical: Sequence[str], what: str) -> list[str]:
    if asked is None:
        return list(canonical)
    asked = [asked] if isinstance(asked, str) else list(asked)
    unknown = [c for c in asked if c not in canonical]
    if unknown:
        raise InputError(
            f"{what} has no column(s) {unknown}; columns=... takes any of "
            f"{', '.join(canonical)}"
        )
    return asked


def _canonical_regions(names: pd.Series, n: np.ndarray) -> pd.Series:
    """name -> canonical name, by :func:`pondstats.normalize_region`'s rule over the store.

    Each export's names are unified inside the export; over the store, a
    zone written without its suffix in one export (``梅岭``) and with it in
    another (``梅岭区``) is one zone: the most common full form wins, as
    when the exports are cleaned together.
    """
    from pondstats.clean._normalize import _region_core, _region_text

    t = _region_text(names.astype("str"))
    counts = pd.DataFrame({"name": t, "core": _region_core(t), "n": n})
    counts["full"] = counts["name"] != counts["core"]
    counts["len"] = counts["name"].str.len()
    counts = counts.sort_values(
        ["core", "full", "n", "len", "name"],
        ascending=[True, False, False, False, True],
    )
    canonical = counts.drop_duplicates("core").set_index("core")["name"]
    return pd.Series(
        counts["core"].map(canonical).to_numpy(),
        index=names.iloc[counts.index].to_numpy(),
    )


class Snapshot:
    """The store as it was after one import: ``visits()``, ``deposits()``, ``spend()``, ``zones()``.

    Made by :meth:`Store.snapshot`; reads only (the store itself stays open).
    """

    def __init__(self, con, import_id: int | None, path: Path) -> None:
        self._con = con
        self._n = import_id
        self.path = path

    # -- where -------------------------------------------------------------
    @property
    def snapshot_id(self) -> int:
        """The import this view reads the store as of (0: nothing imported yet)."""
        if self._n is not None:
            return self._n
        row = run(self._con, "SELECT coalesce(max(import_id), 0) FROM imports")
        return int(row[0][0])

    def _snap(self) -> str:
        n = int(self.snapshot_id)
        return f"valid_from <= {n} AND (valid_to IS NULL OR valid_to > {n})"

    def _regions(self, table: str, df: pd.DataFrame) -> pd.DataFrame:
        if "region" not in df.columns or df.empty:
            return df
        rows = run(
            self._con,
            f"SELECT region, count(*) FROM {table} WHERE {self._snap()} "
            "AND region IS NOT NULL GROUP BY region",
        )
        if not rows:
            return df
        names = pd.Series([r[0] for r in rows], dtype="str")
        mapping = _canonical_regions(names, np.array([r[1] for r in rows]))
        if (mapping.index == mapping.to_numpy()).all():
            return df
        out = df.copy()
        out["region"] = out["region"].map(mapping).astype("str")
        return out

    def _frame(self, sql: str, params: list) -> pd.DataFrame:
        return self._con.execute(sql, params).df()

    # -- reads -------------------------------------------------------------
    def visits(self, *, months=None, columns=None) -> pd.DataFrame:
        """Visits (A-cards) in the canonical schema and dtypes of ``clean_visits(...).data``.

        ``visit_no`` is numbered over the store's whole history (1 = the
        customer's first visit in any export), whichever months are asked for.

        Parameters
        ----------
        months : month-like or list of them, optional
            Only visits dated in these months (``"2026-10"``, a Period...).
        columns : list of str, optional
            Only these canonical columns (read from the file, no others).

        Examples
        --------
        >>> import tempfile, pathlib, warnings
        >>> import pandas as pd
        >>> import pondstats as ps
        >>> store = ps.Store(pathlib.Path(tempfile.mkdtemp()) / "s.duckdb")
        >>> sep = pd.DataFrame({"phone": ["13800138000"], "visit_date": ["2026-09-03"]})
        >>> oct_ = pd.DataFrame({"phone": ["13800138000"], "visit_date": ["2026-10-05"]})
        >>> with warnings.catch_warnings():  # no history before September: a warning
        ...     warnings.simplefilter("ignore")
        ...     _ = store.ingest(sep, kind="visits", today="2026-11-02")
        >>> _ = store.ingest(oct_, kind="visits", today="2026-11-02")
        >>> store.visits(months="2026-10", columns=["customer_key", "visit_no"])
          customer_key  visit_no
        0  13800138000         2
        >>> store.close()
        """
        canon = [
            c
            for c in schema.VISIT_COLUMNS
            if c not in schema.OPTIONAL_VISIT_COLUMNS or self._has(c)
        ]
        cols = _columns(columns, canon, "visits")
        where, params = _months_clause("visit_date", months)
        snap = self._snap()
        sel = ", ".join(f"s.{c}" if c != "visit_no" else "n.visit_no" for c in cols)
        if "visit_no" in cols:
            sql = (
                f"WITH s AS (SELECT * FROM visits WHERE {snap}), "
                "n AS (SELECT row_id, row_number() OVER w "
                "+ coalesce(first_value(visit_no_given) OVER w, 1) - 1 AS visit_no "
                "FROM s WINDOW w AS (PARTITION BY customer_key "
                "ORDER BY visit_date, row_id)) "
                f"SELECT {sel} FROM s JOIN n USING (row_id) WHERE {where} "
                "ORDER BY s.visit_date, s.customer_key, s.row_id"
            )
        else:
            sql = (
                f"SELECT {sel} FROM visits s WHERE {snap} AND {where} "
                "ORDER BY s.visit_date, s.customer_key, s.row_id"
            )
        return self._table("visits", sql, params, cols)

    def _table(self, kind: str, sql: str, params, cols: list[str]) -> pd.DataFrame:
        """Rows of ``kind`` read by ``sql``, regions canonical, the schema's dtypes."""
        dtypes = schema.VISIT_COLUMNS if kind == "visits" else schema.DEPOSIT_COLUMNS
        df = self._regions(kind, self._frame(sql, params))
        return df.astype({c: dtypes[c] for c in cols})

    def _has(self, col: str) -> bool:
        sql = f"SELECT count({col}) FROM visits WHERE {self._snap()}"
        return bool(run(self._con, sql)[0][0])

    def deposits(self, *, months=None, columns=None) -> pd.DataFrame:
        """Deposits (C-cards) in the canonical schema and dtypes of ``clean_deposits(...).data``.

        One row per order (order number and customer), with the status and
        amount of the newest export that had it.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import pandas as pd
        >>> import pondstats as ps
        >>> store = ps.Store(pathlib.Path(tempfile.mkdtemp()) / "s.duckdb")
        >>> def export(status, other, day):  # order D1 and the export's newest order
        ...     return pd.DataFrame({"deposit_id": ["D1", other], "phone": ["13800138000",
        ...         "13900139000"], "deposit_date": ["2026-09-03", day],
        ...         "status": [status, "有效"]})
        >>> _ = store.ingest(export("有效", "D2", "2026-09-20"), kind="deposits",
        ...                  today="2026-11-02")
        >>> _ = store.ingest(export("退订", "D3", "2026-10-20"), kind="deposits",
        ...                  today="2026-11-02")
        >>> store.deposits()[["deposit_id", "status"]]
          deposit_id     status
        0         D1  cancelled
        1         D2     active
        2         D3     active
        >>> store.events("D1")[["import_id", "field", "old", "new"]]
           import_id   field     old        new
        0          1  status     NaN     active
        1          2  status  active  cancelled
        >>> store.snapshot(1).deposits()["status"].tolist()
        ['active', 'active']
        >>> store.close()
        """
        cols = _columns(columns, list(schema.DEPOSIT_COLUMNS), "deposits")
        where, params = _months_clause("deposit_date", months)
        sql = (
            f"SELECT {', '.join(cols)} FROM deposits WHERE {self._snap()} AND {where} "
            "ORDER BY deposit_date, customer_key, deposit_id, row_id"
        )
        return self._table("deposits", sql, params, cols)

    def spend(self, *, months=None) -> pd.DataFrame:
        """Spend (``region``, ``month`` period[M], ``spend``) as ``clean_spend(...).data``."""
        where, params = _months_clause("month", months)
        sql = (
            f"SELECT region, month, spend FROM spend WHERE {self._snap()} AND {where} "
            "ORDER BY month, region, row_id"
        )
        df = self._regions("spend", self._frame(sql, params))
        df["month"] = pd.to_datetime(df["month"]).dt.to_period("M")
        # one (region, month, spend) row twice: an export that spelled the
        # region without its suffix; merged as clean_spend merges exact copies
        df = df.drop_duplicates(ignore_index=True)
        return df.astype({"region": "str", "spend": "float64"})

    def zones(self):
        """The zones (GeoDataFrame) of the newest zones import, as read_zones read them.

        The same columns, dtypes, order and CRS as :func:`pondstats.read_zones`
        gave for the file when it was ingested; ``None`` when no zones file
        had been ingested (as of this snapshot). A newer zones import
        replaces the older one; ``store.snapshot(N).zones()`` gives the
        zones as they were after import ``N``.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import pondstats as ps
        >>> from pondstats.datasets import sample_dir
        >>> store = ps.Store(pathlib.Path(tempfile.mkdtemp()) / "s.duckdb")
        >>> store.zones() is None
        True
        >>> s = store.ingest(sample_dir() / "zones.geojson", kind="zones")
        >>> s.import_id, s.new
        (1, 16)
        >>> zones = store.zones()
        >>> list(zones.columns), zones.crs.to_string(), len(zones)
        (['region', 'code', 'potential', 'geometry'], 'EPSG:4326', 16)
        >>> store.close()
        """
        n = self.snapshot_id
        return read_stored_zones(
            self._con, self._snap(), f"{self.path.name}, snapshot {n}"
        )

    def close_rate_counts(self, *, by="region", period="M") -> pd.DataFrame:
        """A-cards, C-cards, cancelled and unlinked deposits per group x period, in SQL.

        Counted inside the store by DuckDB, as :func:`pondstats.close_rates`
        counts them on ``visits()`` and ``deposits()``, without loading those
        into pandas: ``ps.close_rates(store)`` turns the counts into rates.

        Parameters
        ----------
        by : str, list of str or None, default "region"
            Group columns: region, store, consultant, source, model, grade.
        period : {"M", "Q", "Y", "W", "D"} or None, default "M"
            Period of the counts (``period`` column), None for the whole range.

        Returns
        -------
        DataFrame
            The ``by`` columns, ``period`` (when asked for), ``a_cards``,
            ``c_cards``, ``cancelled``, ``unlinked``; unsorted. ``attrs``
            holds ``live`` and ``live_linked`` (deposits not cancelled, and
            of those the ones linked to an A-card) and ``median_lag_days``
            (their median days from first visit to deposit).

        Examples
        --------
        >>> import tempfile, pathlib, warnings
        >>> import pandas as pd
        >>> import pondstats as ps
        >>> store = ps.Store(pathlib.Path(tempfile.mkdtemp()) / "s.duckdb")
        >>> v = pd.DataFrame({"phone": ["13800138000", "13900139000"],
        ...     "visit_date": ["2026-09-03", "2026-09-05"], "region": ["东湖区"] * 2})
        >>> d = pd.DataFrame({"deposit_id": ["D1"], "phone": ["13800138000"],
        ...     "deposit_date": ["2026-09-20"], "status": ["有效"]})
        >>> with warnings.catch_warnings():  # no history before September: a warning
        ...     warnings.simplefilter("ignore")
        ...     _ = store.ingest(v, kind="visits", today="2026-11-02")
        >>> _ = store.ingest(d, kind="deposits", today="2026-11-02")
        >>> store.close_rate_counts(by="region", period="M")
          region   period  a_cards  c_cards  cancelled  unlinked
        0    东湖区  2026-09        2        1          0         0
        >>> store.close()
        """
        from pondstats.store._counts import close_rate_counts

        return close_rate_counts(self, by=by, period=period, regions=_canonical_regions)

    def imports(self) -> pd.DataFrame:
        """The manifest: one row per import (id, kind, file, sha256, counts, dates)."""
        return self._frame(
            "SELECT * FROM imports WHERE import_id <= ? ORDER BY import_id",
            [self.snapshot_id],
        )

    def conflicts(self) -> pd.DataFrame:
        """Copies that disagree and were not merged, with both values and the import."""
        return self._frame(
            "SELECT * FROM conflicts WHERE import_id <= ? ORDER BY import_id, deposit_id",
            [self.snapshot_id],
        )

    def events(self, deposit_id: str | None = None) -> pd.DataFrame:
        """Every change of a deposit's status or amount (``old`` -> ``new``), by import."""
        cond, params = "import_id <= ?", [self.snapshot_id]
        if deposit_id is not None:
            cond += " AND deposit_id = ?"
            params.append(str(deposit_id))
        return self._frame(
            f"SELECT * FROM deposit_events WHERE {cond} ORDER BY import_id, row_id, field",
            params,
        )

    def rejected(self, kind: str | None = None) -> pd.DataFrame:
        """Rejected rows of every import (``import_id, kind, row, reason, raw``)."""
        cond, params = "import_id <= ?", [self.snapshot_id]
        if kind is not None:
            cond += " AND kind = ?"
            params.append(kind)
        return self._frame(
            "SELECT import_id, kind, row, reason, raw FROM rejected "
            f"WHERE {cond} ORDER BY import_id, row",
            params,
        )

    def counts(self) -> dict[str, int]:
        """Rows per table as of this snapshot (current row versions)."""
        snap = self._snap()
        out = {
            t: int(run(self._con, f"SELECT count(*) FROM {t} WHERE {snap}")[0][0])
            for t in ("visits", "deposits", "spend", "zones")
        }
        for t in ("rejected", "conflicts", "deposit_events"):
            sql = f"SELECT count(*) FROM {t} WHERE import_id <= ?"
            out[t] = int(run(self._con, sql, [self.snapshot_id])[0][0])
        out["imports"] = len(self.imports())
        return out
