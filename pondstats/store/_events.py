"""What a deposits import records besides the rows: events and conflicts.

Every change of an order's status or amount is an event (``old`` -> ``new``,
with the import that brought it and that export's data date); a new order
is an event from nothing. Conflicts are the copies that disagree and are
never merged: those found inside the export (``Cleaned.conflicts``), one
order number already in the store on another customer, and two exports of
the same data date with two amounts.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from pondstats.store._schema import run

__all__ = ["deposit_bookkeeping"]


def _arrow(df: pd.DataFrame) -> pa.Table:
    return pa.Table.from_pandas(df, preserve_index=False)


def _insert(con, table: str, df: pd.DataFrame) -> None:
    if df.empty:
        return
    con.register("_ins", _arrow(df))
    run(con, f"INSERT INTO {table} BY NAME SELECT * FROM _ins")
    con.unregister("_ins")


def _same(a: pd.DataFrame, b: pd.DataFrame, cols) -> np.ndarray:
    same = np.ones(len(a), dtype=bool)
    for c in cols:
        x = a[c].reset_index(drop=True)
        y = b[c].reset_index(drop=True)
        eq = (x == y).fillna(False).to_numpy(dtype=bool)
        same &= eq | (x.isna().to_numpy() & y.isna().to_numpy())
    return same


def deposit_bookkeeping(con, import_id, as_of, res, new, extra) -> int:
    """Events (every change of status or amount) and conflicts; return n conflicts."""
    events = []
    fresh, changed, before = extra["fresh"], extra["changed"], extra["old_changed"]
    for f, col in (("status", "status"), ("amount", "amount")):
        events.append(
            pd.DataFrame(
                {
                    "row_id": fresh["row_id"].to_numpy(),
                    "deposit_id": fresh["deposit_id"].to_numpy(),
                    "customer_key": fresh["customer_key"].to_numpy(),
                    "field": f,
                    "old": pd.Series(np.nan, index=fresh.index, dtype="str").to_numpy(),
                    "new": _as_text(fresh[col]),
                }
            )
        )
        diff = ~_same(changed[[col]], before[[col]], [col])
        events.append(
            pd.DataFrame(
                {
                    "row_id": changed["row_id"].to_numpy()[diff],
                    "deposit_id": changed["deposit_id"].to_numpy()[diff],
                    "customer_key": changed["customer_key"].to_numpy()[diff],
                    "field": f,
                    "old": _as_text(before[col])[diff],
                    "new": _as_text(changed[col])[diff],
                }
            )
        )
    ev = pd.concat(events, ignore_index=True)
    ev = ev[ev["new"].notna() | ev["old"].notna()]
    ev.insert(0, "import_id", np.int32(import_id))
    ev["as_of"] = pd.Timestamp(as_of)
    _insert(
        con, "deposit_events", ev.astype({"field": "str", "old": "str", "new": "str"})
    )

    found = [res.conflicts.assign(import_id=np.int32(import_id))]
    old = extra["old"]
    # the same order number on another customer, already in the store
    if old is not None and not old.empty and not fresh.empty:
        o = old.dropna(subset=["deposit_id"])[["deposit_id", "customer_key", "row_id"]]
        m = fresh.dropna(subset=["deposit_id"]).merge(
            o, on="deposit_id", suffixes=("", "_old")
        )
        m = m[m["customer_key"] != m["customer_key_old"]]
        if not m.empty:
            found.append(
                pd.DataFrame(
                    {
                        "import_id": np.int32(import_id),
                        "deposit_id": m["deposit_id"].to_numpy(),
                        "customer_key": m["customer_key_old"].to_numpy(),
                        "field": "customer_key",
                        "value": m["customer_key_old"].to_numpy(),
                        "other": m["customer_key"].to_numpy(),
                        "rows": [
                            f"store row {r}, this import" for r in m["row_id_old"]
                        ],
                        "resolution": "both kept: one order number, two customers "
                        "(check the order)",
                    }
                )
            )
    # two exports of the same date disagreeing on the amount
    level = extra["level"]
    if level is not None and level.any():
        nh, oh = extra["new_hit"], extra["old_hit"]
        a, b = nh["amount"].to_numpy(), oh["amount"].to_numpy()
        bad = level & ~np.isnan(a) & ~np.isnan(b) & (a != b)
        if bad.any():
            found.append(
                pd.DataFrame(
                    {
                        "import_id": np.int32(import_id),
                        "deposit_id": nh["deposit_id"].to_numpy()[bad],
                        "customer_key": nh["customer_key"].to_numpy()[bad],
                        "field": "amount",
                        "value": [f"{x:g}" for x in b[bad]],
                        "other": [f"{x:g}" for x in a[bad]],
                        "rows": "store, this import (exports of the same date)",
                        "resolution": "kept the more complete copy",
                    }
                )
            )
    conflicts = pd.concat(
        [f for f in found if not f.empty] or [found[0]], ignore_index=True
    )
    _insert(con, "conflicts", conflicts.astype({"import_id": "int32"}))
    return len(conflicts)


def _as_text(s: pd.Series) -> np.ndarray:
    if pd.api.types.is_float_dtype(s.dtype):
        # formatted once per distinct amount (a few hundred), not once per row
        values = s.dropna().unique()
        text = dict(zip(values, (f"{v:g}" for v in values), strict=True))
        return s.map(text).astype("str").to_numpy()
    return s.astype("str").to_numpy()
