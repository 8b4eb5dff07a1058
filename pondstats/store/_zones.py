"""Zones in the store: one zones file per import, the newest import current.

A zones import replaces the zones the store held (as of its snapshot): the
rows of the earlier import get ``valid_to`` = the new import, so
``store.snapshot(N).zones()`` gives the zones as they were after import
``N``. Each zone is one row of ``zones``: ``region``, ``code``,
``potential`` as columns, the geometry as WKB with its CRS, and the file's
other columns as JSON; ``zone_columns`` keeps each import's column order and
dtypes, so :meth:`Snapshot.zones` gives back exactly the frame
:func:`pondstats.read_zones` read.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from pondstats.errors import InputError
from pondstats.store._events import _insert
from pondstats.store._schema import run

__all__ = ["ingest_zones", "read_stored_zones"]

#: the columns of ``zones`` besides the versioning (``row_id, valid_from, valid_to``)
_FIXED = ("region", "code", "potential")
_ZONE_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".zip")


def _py(value):
    """One cell as a JSON value (``None`` for missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (pd.Timestamp, np.datetime64)):
        return pd.Timestamp(value).isoformat()
    if isinstance(value, pd.Timedelta):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, bytes):
        return value.hex()
    if hasattr(value, "isoformat"):  # datetime.date / time from a GeoPackage
        return value.isoformat()
    return value


def _extras_json(zones, extra: list[str]) -> list[str]:
    if not extra:
        return ["{}"] * len(zones)
    cols = {c: zones[c].tolist() for c in extra}
    return [
        json.dumps({c: _py(cols[c][i]) for c in extra}, ensure_ascii=False)
        for i in range(len(zones))
    ]


def _frame_sha(zones) -> str:
    import shapely

    h = hashlib.sha256("\x1f".join(map(str, zones.columns)).encode())
    h.update(str(zones.crs).encode())
    h.update(b"".join(shapely.to_wkb(zones.geometry.to_numpy())))
    other = zones.drop(columns=[zones.geometry.name])
    h.update(pd.util.hash_pandas_object(other.astype("str"), index=True).to_numpy())
    return "frame:" + h.hexdigest()


def _file_sha(path: Path) -> str:
    h = hashlib.sha256()
    files = [path]
    if path.suffix.lower() == ".shp":  # a shapefile is its .shp, .shx, .dbf, .prj...
        files = sorted(
            p for p in path.parent.glob(path.stem + ".*") if p.stem == path.stem
        )
    for f in files:
        h.update(f.name.encode() if len(files) > 1 else b"")
        with open(f, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 24), b""):
                h.update(chunk)
    return h.hexdigest()


def _read(path: Path, *, key, crs, layer, encoding):
    """read_zones, or a WrongKindError when the file is an export of another kind."""
    from pondstats.io import read_deposits, read_spend, read_visits, read_zones
    from pondstats.store._ingest import WrongKindError

    try:
        return read_zones(path, key=key, crs=crs, layer=layer, encoding=encoding)
    except InputError as exc:
        if path.suffix.lower() in _ZONE_SUFFIXES:
            raise _in_store_words(exc) from None
        for other, reader in (
            ("visits", read_visits),
            ("deposits", read_deposits),
            ("spend", read_spend),
        ):
            try:
                reader(path)
            except InputError:
                continue
            raise WrongKindError(
                f"{path.name!r} looks like a {other} export, not a zones file: ingest "
                f"it with kind={other!r}. The store was not changed.",
                found=other,
                asked="zones",
            ) from exc
        raise InputError(
            f"{path.name!r} is not a zones file: expected a GeoJSON (.geojson), "
            "GeoPackage (.gpkg) or Shapefile (.shp) of zone polygons, got "
            f"{'a ' + path.suffix + ' file' if path.suffix else 'a file without an extension'}"
            ". The store was not changed."
        ) from exc


def _in_store_words(exc: InputError) -> InputError:
    return InputError(f"{exc} The store was not changed.")


def _current(con) -> pd.DataFrame:
    return con.sql(
        "SELECT row_id, region, code, potential, crs, extra, geometry FROM zones "
        "WHERE valid_to IS NULL ORDER BY position"
    ).df()


def ingest_zones(con, source, *, key=None, crs=None, layer=None, encoding=None):
    """Import one zones file (or GeoDataFrame) into the store at ``con``."""
    import geopandas as gpd
    import shapely

    from pondstats._version import __version__
    from pondstats.io import prepare_zones
    from pondstats.store._ingest import IngestSummary, _next_id

    key = "region" if key is None else key
    if isinstance(source, pd.DataFrame):
        if not isinstance(source, gpd.GeoDataFrame):
            raise InputError(
                "kind='zones' takes a zones file (GeoJSON, GeoPackage, Shapefile) or a "
                f"GeoDataFrame, got a {type(source).__name__}. Read the file with "
                "ps.read_zones(path) or give its path."
            )
        name = Path(
            str(source.attrs.get("pondstats", {}).get("source") or "<GeoDataFrame>")
        ).name
        sha = _frame_sha(source)
        path = None
    else:
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(f"no file {str(path)!r}")
        name, sha = path.name, _file_sha(path)
    done = run(
        con, "SELECT import_id FROM imports WHERE sha256 = ? AND kind = 'zones'", [sha]
    )
    if done:
        return IngestSummary(
            kind="zones", file_name=name, import_id=None, already=int(done[0][0])
        )
    if path is None:
        zones = prepare_zones(source, key=key, crs=crs)
    else:
        zones = _read(path, key=key, crs=crs, layer=layer, encoding=encoding)
    geom = zones.geometry.name
    extra = [c for c in zones.columns if c not in (*_FIXED, geom)]
    rows = pd.DataFrame(
        {
            "position": np.arange(len(zones), dtype="int32"),
            "region": zones["region"].astype("str").to_numpy(),
            "code": zones["code"].astype("str").to_numpy(),
            "potential": zones["potential"].astype("float64").to_numpy(),
            "crs": zones.crs.to_string(),
            "extra": _extras_json(zones, extra),
            "geometry": list(shapely.to_wkb(zones.geometry.to_numpy())),
        }
    )
    columns = pd.DataFrame(
        {
            "position": np.arange(len(zones.columns), dtype="int32"),
            "name": [str(c) for c in zones.columns],
            "dtype": [str(zones[c].dtype) for c in zones.columns],
        }
    )
    old = _current(con)
    before = {r: i for i, r in enumerate(old["region"])}
    n_new = n_upd = n_same = 0
    for i, region in enumerate(rows["region"]):
        j = before.get(region)
        if j is None:
            n_new += 1
            continue
        a, b = rows.iloc[i], old.iloc[j]
        same = (
            a["code"] == b["code"]
            and (
                a["potential"] == b["potential"]
                or (pd.isna(a["potential"]) and pd.isna(b["potential"]))
            )
            and a["crs"] == b["crs"]
            and a["extra"] == b["extra"]
            and bytes(a["geometry"]) == bytes(b["geometry"])
        )
        n_same += bool(same)
        n_upd += not same
    removed = sorted(set(before) - set(rows["region"]))

    run(con, "BEGIN TRANSACTION")
    try:
        import_id = _next_id(con, "imports", "import_id")
        run(
            con,
            "UPDATE zones SET valid_to = ? WHERE valid_to IS NULL",
            [import_id],
        )
        first = _next_id(con, "zones", "row_id")
        rows = rows.assign(
            row_id=np.arange(first, first + len(rows), dtype="int64"),
            valid_from=np.int32(import_id),
        )
        _insert(con, "zones", rows)
        _insert(con, "zone_columns", columns.assign(import_id=np.int32(import_id)))
        run(
            con,
            "INSERT INTO imports VALUES (?, 'zones', ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, "
            "NULL, NULL, current_localtimestamp(), ?, ?)",
            [
                import_id,
                name,
                sha,
                encoding,
                len(zones),
                n_new,
                n_upd,
                n_same,
                __version__,
                json.dumps(
                    {"key": key, "crs": zones.crs.to_string(), "removed": removed},
                    ensure_ascii=False,
                ),
            ],
        )
        run(con, "COMMIT")
    except BaseException:
        run(con, "ROLLBACK")
        raise
    return IngestSummary(
        kind="zones",
        file_name=name,
        import_id=import_id,
        rows_read=len(zones),
        new=n_new,
        updated=n_upd,
        unchanged=n_same,
        removed=len(removed),
    )


def read_stored_zones(con, snap: str, source: str):
    """The zones of the snapshot ``snap`` (a WHERE clause) as read_zones gave them."""
    import geopandas as gpd

    rows = con.sql(
        f"SELECT valid_from, region, code, potential, crs, extra, geometry FROM zones "
        f"WHERE {snap} ORDER BY position"
    ).df()
    if rows.empty:
        return None
    import_id = int(rows["valid_from"].iloc[0])
    cols = run(
        con,
        "SELECT name, dtype FROM zone_columns WHERE import_id = ? ORDER BY position",
        [import_id],
    )
    extras = pd.DataFrame.from_records(
        [json.loads(e) for e in rows["extra"]], index=pd.RangeIndex(len(rows))
    )
    geometry = gpd.GeoSeries.from_wkb(
        [bytes(g) for g in rows["geometry"]], crs=rows["crs"].iloc[0]
    )
    data = {}
    geom_name = None
    for name, dtype in cols:
        if dtype == "geometry":
            geom_name = name
            data[name] = geometry
        elif name in _FIXED:
            data[name] = rows[name].astype(dtype)
        elif name in extras.columns:
            data[name] = extras[name].astype(dtype)
        else:  # a column that was missing in every row
            data[name] = pd.Series(np.nan, index=rows.index).astype(dtype)
    out = gpd.GeoDataFrame(data, geometry=geom_name, crs=rows["crs"].iloc[0])
    out.attrs = {"pondstats": {"source": source, "import_id": import_id}}
    return out
