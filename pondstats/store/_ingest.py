"""One import: read and clean an export, merge it into the store, in one transaction.

The rows of an export are cleaned exactly as :func:`pondstats.clean_visits` /
:func:`pondstats.clean_deposits` / :func:`pondstats.clean_spend` clean them
(duplicates inside the export merged), then matched against the rows already
in the store with the same duplicate rules, across imports:

* visits: same customer and day, and same consultant (or store, or neither);
  the more complete copy is kept;
* deposits: same order number *and* customer (else customer, day and
  consultant/store as inside one export); the copy from the export whose own
  data is newer wins (its latest deposit or delivery date, not the order of
  import), and at equal dates a terminal status (cancelled, delivered) wins
  over an active copy, then the more complete copy; every change of status
  or amount is kept in ``deposit_events``; one order number on two customers
  is a conflict, listed, never merged;
* spend: one (region, month) is replaced by an export at least as new.

Nothing is written until the export is read and cleaned, and everything is
written in one transaction: a failure (or a killed process) leaves the
store as it was.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from pondstats import schema
from pondstats.clean import clean_deposits, clean_spend, clean_visits, normalize_phone
from pondstats.clean._dedupe import copy_rank, status_priority
from pondstats.errors import DataQualityWarning, InputError
from pondstats.store._events import _arrow, _insert, _same, deposit_bookkeeping
from pondstats.store._schema import run

__all__ = ["KINDS", "IngestSummary", "WrongKindError", "ingest"]

KINDS = ("visits", "deposits", "spend")

#: stored columns of each kind (the canonical ones; visit_no is derived on read)
STORED: dict[str, dict[str, str]] = {
    "visits": {
        **{c: t for c, t in schema.VISIT_COLUMNS.items() if c != "visit_no"},
        "visit_no_given": "Int64",
    },
    "deposits": dict(schema.DEPOSIT_COLUMNS),
    "spend": {"region": "str", "month": "datetime64[ns]", "spend": "float64"},
}
DATE_COL = {"visits": "visit_date", "deposits": "deposit_date", "spend": "month"}

_VISIT_PASSES = [
    ("consultant", ["customer_key", "visit_date", "consultant"], []),
    ("store", ["customer_key", "visit_date", "store"], ["consultant"]),
    ("_neither", ["customer_key", "visit_date"], []),
]
_DEPOSIT_PASSES = [
    ("deposit_id", ["deposit_id", "customer_key"], []),
    ("consultant", ["customer_key", "deposit_date", "consultant"], ["deposit_id"]),
    ("store", ["customer_key", "deposit_date", "store"], ["consultant", "deposit_id"]),
    ("_neither", ["customer_key", "deposit_date"], ["deposit_id"]),
]


class WrongKindError(InputError):
    """The file is an export of another kind than the one asked for."""

    def __init__(self, message: str, *, found: str, asked: str) -> None:
        super().__init__(message)
        self.found = found
        self.asked = asked


@dataclass(frozen=True)
class IngestSummary:
    """What one import did: ``rows_read == new + updated + unchanged + rejected + merged``.

    ``already`` is the id of the earlier import of the same bytes when the
    file had been imported before (then nothing changed and ``import_id`` is
    None).
    """

    kind: str
    file_name: str
    import_id: int | None
    rows_read: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    merged: int = 0
    rejected_by_reason: dict[str, int] = field(default_factory=dict)
    conflicts: int = 0
    already: int | None = None
    #: zones only: zones of the previous zones import not in this file
    removed: int = 0

    def __str__(self) -> str:
        from pondstats.vocab import WORDS, both

        def w(key: str) -> str:
            return both(WORDS[f"store_{key}"])

        if self.already is not None:
            return (
                f"{self.kind} {self.file_name}: {w('already')} ({w('import')} "
                f"{self.already}); {w('nothing')}"
            )
        lines = [
            f"{self.kind} {self.file_name}: {w('import')} {self.import_id}, "
            f"{w('rows_read')} {self.rows_read}"
        ]
        if self.kind == "zones":
            for key, n in (
                ("new", self.new),
                ("updated", self.updated),
                ("unchanged", self.unchanged),
                ("removed", self.removed),
            ):
                lines.append(f"  {w(key)}: {n}")
            return "\n".join(lines)
        for key, n in (
            ("new", self.new),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("merged", self.merged),
            ("rejected", self.rejected),
        ):
            lines.append(f"  {w(key)}: {n}")
            if key == "rejected":
                lines += [f"    {r}: {k}" for r, k in self.rejected_by_reason.items()]
        lines.append(f"  {w('conflicts')}: {self.conflicts}")
        return "\n".join(lines)


# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


def _read(source, kind: str, column_map, encoding, sheet) -> pd.DataFrame:
    from pondstats.io import read_deposits, read_spend, read_visits

    readers = {"visits": read_visits, "deposits": read_deposits, "spend": read_spend}
    try:
        return readers[kind](
            source, column_map=column_map, encoding=encoding, sheet=sheet
        )
    except InputError as exc:
        if Path(str(source)).suffix.lower() in (".geojson", ".gpkg", ".shp"):
            name = Path(str(source)).name
            raise WrongKindError(
                f"{name!r} is a zones file (zone polygons), not a {kind} export: "
                "ingest it with kind='zones'. The store was not changed.",
                found="zones",
                asked=kind,
            ) from exc
        for other in KINDS:
            if other == kind:
                continue
            try:
                readers[other](source, encoding=encoding, sheet=sheet)
            except InputError:
                continue
            name = Path(str(source)).name
            raise WrongKindError(
                f"{name!r} looks like a {other} export, not {kind}: ingest it with "
                f"kind={other!r}. The store was not changed.",
                found=other,
                asked=kind,
            ) from exc
        raise


def _sha256(source) -> str:
    if isinstance(source, pd.DataFrame):
        h = hashlib.sha256("\x1f".join(map(str, source.columns)).encode())
        h.update(pd.util.hash_pandas_object(source, index=True).to_numpy().tobytes())
        return "frame:" + h.hexdigest()
    h = hashlib.sha256()
    with open(source, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 24), b""):
            h.update(chunk)
    return h.hexdigest()


def _clean(raw: pd.DataFrame, kind: str, today):
    if kind == "visits":
        return clean_visits(raw, today=today)
    if kind == "deposits":
        return clean_deposits(raw, today=today)
    return clean_spend(raw)


def _canonical(data: pd.DataFrame, kind: str, given_no: bool) -> pd.DataFrame:
    out = pd.DataFrame(index=pd.RangeIndex(len(data)))
    for col, dtype in STORED[kind].items():
        if col == "visit_no_given":
            src = data["visit_no"] if given_no else None
        elif col == "month":
            src = data["month"].dt.start_time
        else:
            src = data[col] if col in data.columns else None
        if src is None:
            out[col] = pd.Series(
                pd.NA if dtype in ("Int64", "boolean") else np.nan, index=out.index
            ).astype(dtype)
        else:
            out[col] = src.reset_index(drop=True).astype(dtype)
    return out


# ---------------------------------------------------------------------------
# matching against the store
# ---------------------------------------------------------------------------


def _with_neither(df: pd.DataFrame) -> pd.DataFrame:
    neither = df["consultant"].isna() & df["store"].isna()
    return df.assign(_neither=neither.astype("boolean").where(neither))


def _match(new: pd.DataFrame, old: pd.DataFrame, passes, date_col: str) -> np.ndarray:
    """For each new row, the position of the stored row it is a copy of (-1: none)."""
    match = np.full(len(new), -1, dtype="int64")
    if new.empty or old.empty:
        return match
    taken = np.zeros(len(old), dtype=bool)
    a_all = _with_neither(new).assign(_n=np.arange(len(new)))
    b_all = _with_neither(old).assign(_o=np.arange(len(old)))
    a_all["_day"] = a_all[date_col].dt.normalize()
    b_all["_day"] = b_all[date_col].dt.normalize()
    for need, keys, conflicts in passes:
        keys = ["_day" if k == date_col else k for k in keys]
        a = a_all[match == -1]
        b = b_all[~taken]
        a = a[a[need].notna()].dropna(subset=keys)
        b = b[b[need].notna()].dropna(subset=keys)
        if a.empty or b.empty:
            continue
        m = a[[*keys, *conflicts, "_n"]].merge(
            b[[*keys, *conflicts, "_o"]], on=keys, suffixes=("", "_old")
        )
        for c in conflicts:
            x, y = m[c], m[c + "_old"]
            m = m[~(x.notna() & y.notna() & (x != y)).to_numpy()]
        m = m.sort_values(["_n", "_o"]).drop_duplicates("_n").drop_duplicates("_o")
        match[m["_n"].to_numpy()] = m["_o"].to_numpy()
        taken[m["_o"].to_numpy()] = True
    return match


def _candidates(con, kind: str, new: pd.DataFrame) -> pd.DataFrame:
    """The current stored rows that could be copies of the new rows."""
    cols = ", ".join(["row_id", "as_of", *STORED[kind]])
    if not run(con, f"SELECT count(*) FROM (SELECT 1 FROM {kind} LIMIT 1)")[0][0]:
        # an empty store: no keys to look up
        return _typed(con.sql(f"SELECT {cols} FROM {kind} LIMIT 0").df(), kind)
    keys = pd.DataFrame({"customer_key": new["customer_key"]}).drop_duplicates()
    con.register("_inc_keys", _arrow(keys))
    where = "customer_key IN (SELECT customer_key FROM _inc_keys)"
    if kind == "deposits":
        ids = pd.DataFrame({"deposit_id": new["deposit_id"].dropna()}).drop_duplicates()
        con.register("_inc_ids", _arrow(ids))
        where += " OR deposit_id IN (SELECT deposit_id FROM _inc_ids)"
    old = con.sql(
        f"SELECT {cols} FROM {kind} WHERE valid_to IS NULL AND ({where}) ORDER BY row_id"
    ).df()
    con.unregister("_inc_keys")
    if kind == "deposits":
        con.unregister("_inc_ids")
    return _typed(old, kind)


def _typed(df: pd.DataFrame, kind: str) -> pd.DataFrame:
    types = {c: t for c, t in STORED[kind].items() if c in df.columns}
    out = df.astype(types)
    if "as_of" in out.columns:
        out["as_of"] = out["as_of"].astype("datetime64[ns]")
    return out


# ---------------------------------------------------------------------------
# the import
# ---------------------------------------------------------------------------


def _next_id(con, table: str, col: str) -> int:
    return int(run(con, f"SELECT coalesce(max({col}), 0) FROM {table}")[0][0]) + 1


def _rejected_rows(rejected: pd.DataFrame, kind: str, import_id: int) -> pd.DataFrame:
    raw = rejected.drop(columns=[c for c in ("row", "reason") if c in rejected])
    if "phone" in raw.columns:
        key = normalize_phone(raw["phone"].astype("str"))
    else:
        key = pd.Series(np.nan, index=raw.index, dtype="str")
    text = raw.astype("str").to_json(orient="records", lines=True, force_ascii=False)
    lines = text.splitlines() if len(raw) else []
    return pd.DataFrame(
        {
            "import_id": np.full(len(raw), import_id, dtype="int32"),
            "kind": kind,
            "row": rejected["row"].to_numpy(dtype="int64"),
            "reason": rejected["reason"].astype("str").to_numpy(),
            "customer_key": key.to_numpy(),
            "raw": pd.Series(lines, dtype="str").to_numpy(),
        }
    )


def _close_versions(con, table: str, row_ids: np.ndarray, import_id: int) -> None:
    if len(row_ids) == 0:
        return
    con.register("_upd", pa.table({"row_id": pa.array(row_ids, pa.int64())}))
    run(
        con,
        f"UPDATE {table} SET valid_to = ? WHERE valid_to IS NULL "
        "AND row_id IN (SELECT row_id FROM _upd)",
        [import_id],
    )
    con.unregister("_upd")


def _merge_rows(con, kind, new, as_of, import_id):
    """Match, decide, write the row versions; return (new, updated, unchanged, extras)."""
    cols = list(STORED[kind])
    old = _candidates(con, kind, new) if kind != "spend" else None
    date_col = DATE_COL[kind]
    passes = _VISIT_PASSES if kind == "visits" else _DEPOSIT_PASSES
    match = _match(new, old, passes, date_col)
    hit = match >= 0
    old_hit = old.iloc[match[hit]].reset_index(drop=True)
    new_hit = new[hit].reset_index(drop=True)
    canon = [c for c in cols if c != "visit_no_given"]
    rank_new = copy_rank(
        new_hit[canon],
        date_col,
        status_priority(new_hit["status"]) if kind == "deposits" else None,
    )
    rank_old = copy_rank(
        old_hit[canon],
        date_col,
        status_priority(old_hit["status"]) if kind == "deposits" else None,
    )
    if kind == "deposits":
        newer = as_of > old_hit["as_of"].to_numpy()
        level = as_of == old_hit["as_of"].to_numpy()
        wins = newer | (level & (rank_new > rank_old))
    else:
        wins = rank_new > rank_old
    same = _same(new_hit, old_hit, cols)
    upd = wins & ~same
    first_id = _next_id(con, kind, "row_id")
    n_new = int((~hit).sum())
    # (an export of customers new to the store, such as the first one, is
    # written as it is: no copy of its millions of rows)
    fresh = (new[~hit] if hit.any() else new).reset_index(drop=True)
    fresh = fresh.assign(row_id=np.arange(first_id, first_id + n_new, dtype="int64"))
    changed = new_hit[upd].assign(row_id=old_hit["row_id"].to_numpy()[upd])
    _close_versions(con, kind, changed["row_id"].to_numpy(), import_id)
    rows = pd.concat([fresh, changed], ignore_index=True) if len(changed) else fresh
    rows = rows.assign(valid_from=np.int32(import_id), as_of=pd.Timestamp(as_of))
    _insert(con, kind, rows[["row_id", "valid_from", *cols, "as_of"]])
    if kind == "deposits":
        # a newer export that says the same: the record is now known as of
        # that export's date (so an export older than it cannot undo it)
        seen = ~upd & (as_of > old_hit["as_of"].to_numpy())
        if seen.any():
            con.register(
                "_seen",
                pa.table({"row_id": pa.array(old_hit["row_id"].to_numpy()[seen])}),
            )
            run(
                con,
                "UPDATE deposits SET as_of = ? WHERE valid_to IS NULL "
                "AND row_id IN (SELECT row_id FROM _seen)",
                [pd.Timestamp(as_of).to_pydatetime()],
            )
            con.unregister("_seen")
    extra = {
        "fresh": fresh,
        "changed": changed,
        "old_changed": old_hit[upd],
        "old": old,
        "new_hit": new_hit,
        "old_hit": old_hit,
        "level": None,
    }
    if kind == "deposits":
        extra["level"] = level
    return n_new, int(upd.sum()), int(hit.sum() - upd.sum()), extra


def _merge_spend(con, new, as_of, import_id):
    cols = list(STORED["spend"])
    old = _typed(
        con.sql(
            "SELECT row_id, as_of, region, month, spend FROM spend WHERE valid_to IS NULL"
        ).df(),
        "spend",
    )
    key = ["region", "month"]
    n_new = n_upd = n_same = 0
    close: list[int] = []
    write: list[pd.DataFrame] = []
    old_groups = {k: g for k, g in old.groupby(key, sort=False)} if len(old) else {}
    for k, g in new.groupby(key, sort=False):
        prev = old_groups.get(k)
        if prev is None:
            n_new += len(g)
            write.append(g)
        elif (
            sorted(prev["spend"]) == sorted(g["spend"])
            or pd.Timestamp(as_of) < prev["as_of"].max()
        ):
            n_same += len(g)
        else:
            n_upd += len(g)
            close += prev["row_id"].tolist()
            write.append(g)
    _close_versions(con, "spend", np.asarray(close, dtype="int64"), import_id)
    if write:
        rows = pd.concat(write, ignore_index=True)
        first = _next_id(con, "spend", "row_id")
        rows = rows.assign(
            row_id=np.arange(first, first + len(rows), dtype="int64"),
            valid_from=np.int32(import_id),
            as_of=pd.Timestamp(as_of),
        )
        _insert(con, "spend", rows[["row_id", "valid_from", *cols, "as_of"]])
    return n_new, n_upd, n_same


def ingest(
    con,
    source,
    *,
    kind: str,
    today=None,
    column_map=None,
    encoding=None,
    sheet=None,
) -> IngestSummary:
    """Import one export (a path, or a raw or clean frame) into the store at ``con``."""
    from pondstats._version import __version__

    if kind not in KINDS:
        raise InputError(
            f"kind must be one of {', '.join((*KINDS, 'zones'))}; got {kind!r}"
        )
    if isinstance(source, pd.DataFrame):
        raw = source
        name = Path(
            str(source.attrs.get("pondstats", {}).get("source") or "<DataFrame>")
        ).name
    else:
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"no file {str(path)!r}")
        raw = None
        name = path.name
    sha = _sha256(source)
    done = run(
        con, "SELECT import_id FROM imports WHERE sha256 = ? AND kind = ?", [sha, kind]
    )
    if done:
        return IngestSummary(
            kind=kind, file_name=name, import_id=None, already=int(done[0][0])
        )
    if raw is None:
        raw = _read(source, kind, column_map, encoding, sheet)
    res = _clean(raw, kind, today)
    s = res.summary
    given_no = kind == "visits" and "visit_no" in raw.columns
    new = _canonical(res.data, kind, given_no)
    dropped = [c for c in res.data.columns if c not in STORED[kind] and c != "visit_no"]
    if dropped:
        warnings.warn(
            f"{name}: the store keeps the canonical columns only; "
            f"{', '.join(map(str, dropped))} not stored. Keep the export itself for "
            "them, or map a column that means a canonical one with column_map.",
            DataQualityWarning,
            stacklevel=3,
        )
    dates = new[DATE_COL[kind]]
    if kind == "deposits":
        dates = pd.concat([dates, new["delivery_date"]])
    as_of = dates.max() if len(new) else pd.NaT
    as_of = np.datetime64(as_of if pd.notna(as_of) else pd.Timestamp(0), "ns")
    if kind == "visits" and not given_no and len(new):
        had = run(con, "SELECT count(*) FROM visits")[0][0]
        if not had:
            start = new["visit_date"].min()
            warnings.warn(
                f"the store held no visits before this export (from {start:%Y-%m-%d}): "
                "customers who came before then cannot be told apart from new ones, "
                "and their visits here count as first visits (A-cards). Ingest the "
                "earlier exports too (in any order) to number visits over the whole "
                "history.",
                DataQualityWarning,
                stacklevel=3,
            )

    run(con, "BEGIN TRANSACTION")
    try:
        import_id = _next_id(con, "imports", "import_id")
        conflicts = 0
        if kind == "spend":
            n_new, n_upd, n_same = _merge_spend(con, new, as_of, import_id)
        else:
            n_new, n_upd, n_same, extra = _merge_rows(con, kind, new, as_of, import_id)
            if kind == "deposits":
                conflicts = deposit_bookkeeping(con, import_id, as_of, res, new, extra)
        _insert(con, "rejected", _rejected_rows(res.rejected, kind, import_id))
        enc = s.encoding
        run(
            con,
            "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "current_localtimestamp(), ?, ?)",
            [
                import_id,
                kind,
                name,
                sha,
                enc,
                s.rows_read,
                n_new,
                n_upd,
                n_same,
                s.rows_rejected,
                s.duplicates_merged,
                conflicts,
                dates.min() if len(new) else None,
                dates.max() if len(new) else None,
                __version__,
                json.dumps(
                    {"rejected_by_reason": s.rejected_by_reason, "notes": s.notes},
                    ensure_ascii=False,
                ),
            ],
        )
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
    return IngestSummary(
        kind=kind,
        file_name=name,
        import_id=import_id,
        rows_read=s.rows_read,
        new=n_new,
        updated=n_upd,
        unchanged=n_same,
        rejected=s.rows_rejected,
        merged=s.duplicates_merged,
        rejected_by_reason=dict(s.rejected_by_reason),
        conflicts=conflicts,
    )
