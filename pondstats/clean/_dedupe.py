"""Merging duplicate rows (exact copies, and one record in overlapping exports)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from pondstats.clean._normalize import customer_codes

__all__ = ["copy_rank", "merge_duplicates", "order_conflicts"]


def copy_rank(
    df: pd.DataFrame,
    date_col: str,
    priority: np.ndarray | None = None,
    *,
    day: pd.Series | None = None,
) -> np.ndarray:
    """How good a copy each row is (higher is better): the order duplicates are kept in.

    ``priority`` first (higher wins), then completeness: two points per
    filled cell, one for a date with a time of day. Ties are left to position.
    """
    if day is None:
        day = df[date_col].dt.normalize()
    has_time = (df[date_col] != day).fillna(False).to_numpy(dtype=bool)
    rank = 2 * df.notna().sum(axis=1).to_numpy().astype("int64") + has_time
    if priority is not None:
        rank = rank + np.asarray(priority, dtype="int64") * (4 * df.shape[1] + 4)
    return rank


def merge_duplicates(
    df: pd.DataFrame,
    date_col: str,
    passes: list[tuple[str | None, list[str], list[str]]],
    exclude: np.ndarray | None = None,
    key_numbers: np.ndarray | None = None,
    priority: np.ndarray | None = None,
) -> tuple[pd.DataFrame, int]:
    """Drop duplicates, keeping the most complete copy of each; return (kept, n merged).

    ``passes`` are ``(required column or None, key columns, conflict columns)``:
    rows that have the required column and share the keys are one record,
    unless a conflict column holds two different values in the group.
    ``df`` is a private working frame: its columns are released as the kept
    rows are taken (it is empty afterwards unless nothing was dropped).

    Rows are ranked by :func:`copy_rank` (``priority`` first: e.g. a deposit
    whose status is terminal before an active copy of it; then most complete
    first), then by position. Duplicates of any kind share the customer (and
    all but order-number duplicates the day), so every comparison after the
    first is made among the few rows whose (customer, day) occurs more than once;
    the frame itself is never reordered. Rows flagged in ``exclude`` (the
    rejected ones) take no part and are left out of the result, so that the
    frame is filtered once.
    """
    if df.empty:
        return df, 0
    if exclude is not None and exclude.all():
        return df.iloc[:0], 0
    n = len(df)
    day = df[date_col].dt.normalize()
    rank = copy_rank(df, date_col, priority, day=day)
    order = np.argsort(-rank, kind="stable")
    if exclude is not None:
        order = order[~exclude[order]]
    if "customer_key" in df.columns:
        if key_numbers is None:
            key_numbers = customer_codes(df["customer_key"])[0]
        # one int64 per (customer, day); a hash collision only adds candidates
        with np.errstate(over="ignore"):
            pair = key_numbers * np.int64(1_000_003) + day.to_numpy().view("int64")
        near = pd.Series(pair).duplicated(keep=False).to_numpy()
        del pair
    else:
        near = np.ones(n, dtype=bool)
    order_near = order[near[order]]
    drop = np.zeros(n, dtype=bool)
    exact = df.iloc[order_near].duplicated().to_numpy()
    drop[order_near[exact]] = True
    for need, keys, conflicts in passes:
        keys = [k if k != date_col else "_day" for k in keys]
        pos = order_near if {"customer_key", "_day"} <= set(keys) else order
        live = ~drop[pos]
        if need is not None:
            live &= df[need].notna().to_numpy()[pos]
        cols = {}
        for k in dict.fromkeys([*keys, *conflicts]):
            src = day if k == "_day" else df[k]
            cols[k] = src.iloc[pos].reset_index(drop=True)
        cand = pd.DataFrame(cols)
        live &= cand[keys].notna().all(axis=1).to_numpy()
        cand, pos = cand[live], pos[live]
        twin = cand.duplicated(subset=keys, keep=False).to_numpy()
        cand, pos = cand[twin], pos[twin]
        if cand.empty:
            continue
        ok = np.ones(len(cand), dtype=bool)
        for c in conflicts:
            nun = cand.groupby(keys, sort=False, dropna=False)[c].transform("nunique")
            ok &= (nun <= 1).to_numpy()
        cand, pos = cand[ok], pos[ok]
        drop[pos[cand.duplicated(subset=keys).to_numpy()]] = True
    keep = ~drop if exclude is None else ~drop & ~exclude
    merged = int(drop.sum())
    if keep.all():
        return df, merged
    # free the working arrays first, then take column by column, releasing
    # each source column once taken (and handing its memory back to the OS
    # rather than to the Arrow pool): the peak memory is one frame plus one
    # column, not two frames
    where = np.flatnonzero(keep)
    del day, rank, order, order_near, near, drop, keep
    parts = {}
    for col in list(df.columns):
        parts[col] = df[col].iloc[where]
        del df[col]
        pa.default_memory_pool().release_unused()
    kept = pd.DataFrame(parts, index=parts[next(iter(parts))].index if parts else None)
    return kept, merged


# ---------------------------------------------------------------------------
# deposits: one order = one order number *and* one customer
# ---------------------------------------------------------------------------

#: Deposit statuses that end an order: never undone by an older copy.
TERMINAL_STATUSES: tuple[str, ...] = ("cancelled", "delivered")
REASON_OTHER_AMOUNT = (
    "conflicting copy of an order (same order number and customer, another amount)"
)
REASON_OTHER_END = (
    "conflicting copy of an order (same order number and customer, "
    "cancelled in one copy and delivered in the other)"
)
#: Columns (and dtypes) of ``Cleaned.conflicts`` and ``Store.conflicts()``.
CONFLICT_COLUMNS: dict[str, str] = {
    "deposit_id": "str",
    "customer_key": "str",
    "field": "str",
    "value": "str",
    "other": "str",
    "rows": "str",
    "resolution": "str",
}
RESOLVED_BOTH_KEPT = "both kept: one order number, two customers (check the order)"
RESOLVED_REJECTED = "kept the later / more complete copy; the other copy rejected"


def status_priority(status: pd.Series) -> np.ndarray:
    """1 for a terminal status (cancelled, delivered), else 0: terminal copies win."""
    return status.isin(TERMINAL_STATUSES).to_numpy(dtype="int64")


def empty_conflicts() -> pd.DataFrame:
    """An empty conflicts table with its columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in CONFLICT_COLUMNS.items()})


def _text(values) -> pd.Series:
    s = pd.Series(values)
    if pd.api.types.is_float_dtype(s.dtype):
        return s.map(lambda v: f"{v:g}", na_action="ignore").astype("str")
    return s.astype("str")


def order_conflicts(
    df: pd.DataFrame,
    rows: np.ndarray,
    exclude: np.ndarray,
    *,
    date_col: str = "deposit_date",
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """The copies of one order that disagree, and one order number on two customers.

    A deposit is one order number *and* one customer. Among the copies of
    one (order number, customer) the best copy (:func:`copy_rank` with the
    terminal status first) is the one kept; a copy whose amount differs from
    it, or that ends the order the other way (cancelled against delivered),
    is never merged into it: it is returned to be rejected, and both values
    are listed. One order number on two customers is two deposits, both
    kept, and listed too.

    Parameters
    ----------
    df : DataFrame
        The deposits being cleaned (``deposit_id``, ``customer_key``,
        ``amount``, ``status``), any index.
    rows : ndarray
        The source row of each row of ``df`` (for the listing).
    exclude : ndarray of bool
        Rows already rejected: they take no part.

    Returns
    -------
    (conflicts, amount_mask, end_mask)
        The listing (:data:`CONFLICT_COLUMNS`) and the rows to reject for
        another amount / another end of the order.
    """
    n = len(df)
    no_amount = np.zeros(n, dtype=bool)
    no_end = np.zeros(n, dtype=bool)
    found: list[pd.DataFrame] = []
    if n == 0 or "deposit_id" not in df.columns:
        return empty_conflicts(), no_amount, no_end
    ok = (
        ~exclude
        & df["deposit_id"].notna().to_numpy()
        & df["customer_key"].notna().to_numpy()
    )
    pos = np.flatnonzero(ok)
    ids = df["deposit_id"].iloc[pos].reset_index(drop=True)
    cust = df["customer_key"].iloc[pos].reset_index(drop=True)
    keys = pd.DataFrame({"deposit_id": ids, "customer_key": cust})

    # one order number, several customers: two deposits, both kept
    first = ~keys.duplicated()
    pairs = keys[first.to_numpy()]
    many = pairs["deposit_id"].duplicated(keep=False).to_numpy()
    if many.any():
        p = pairs[many].assign(_pos=pos[first.to_numpy()][many])
        head = p.groupby("deposit_id", sort=False).head(1).set_index("deposit_id")
        rest = p[p["deposit_id"].duplicated()]
        found.append(
            pd.DataFrame(
                {
                    "deposit_id": rest["deposit_id"].to_numpy(),
                    "customer_key": head.loc[
                        rest["deposit_id"], "customer_key"
                    ].to_numpy(),
                    "field": "customer_key",
                    "value": head.loc[rest["deposit_id"], "customer_key"].to_numpy(),
                    "other": rest["customer_key"].to_numpy(),
                    "rows": [
                        f"{rows[a]}, {rows[b]}"
                        for a, b in zip(
                            head.loc[rest["deposit_id"], "_pos"],
                            rest["_pos"],
                            strict=True,
                        )
                    ],
                    "resolution": RESOLVED_BOTH_KEPT,
                }
            )
        )

    # several copies of one (order number, customer): the best one is kept
    dup = keys.duplicated(keep=False).to_numpy()
    if dup.any():
        dpos = pos[dup]
        sub = df.iloc[dpos]
        rank = copy_rank(df, date_col, status_priority(df["status"]))[dpos]
        g = pd.DataFrame(
            {
                "deposit_id": sub["deposit_id"].to_numpy(),
                "customer_key": sub["customer_key"].to_numpy(),
                "amount": sub["amount"].to_numpy(dtype="float64", na_value=np.nan),
                "status": sub["status"].to_numpy(),
                "_rank": rank,
                "_pos": dpos,
            }
        )
        g = g.sort_values(["_rank", "_pos"], ascending=[False, True], kind="stable")
        grp = g.groupby(["deposit_id", "customer_key"], sort=False).ngroup().to_numpy()
        _, first_at = np.unique(grp, return_index=True)
        win = first_at[grp]  # row (in g) of the copy kept for each row's order
        best = {c: g[c].to_numpy()[win] for c in ("amount", "status", "_pos")}
        amount, status = g["amount"].to_numpy(), g["status"]
        other_amount = pd.Series(
            ~np.isnan(amount) & ~np.isnan(best["amount"]) & (amount != best["amount"])
        )
        best_end = pd.Series(best["status"]).isin(TERMINAL_STATUSES).to_numpy()
        other_end = pd.Series(
            status.isin(TERMINAL_STATUSES).to_numpy()
            & best_end
            & (status.to_numpy() != best["status"])
            & ~other_amount.to_numpy()
        )
        for mask, field, out in (
            (other_amount, "amount", no_amount),
            (other_end, "status", no_end),
        ):
            m = mask.to_numpy()
            if not m.any():
                continue
            out[g["_pos"].to_numpy()[m]] = True
            found.append(
                pd.DataFrame(
                    {
                        "deposit_id": g["deposit_id"].to_numpy()[m],
                        "customer_key": g["customer_key"].to_numpy()[m],
                        "field": field,
                        "value": _text(best[field][m]).to_numpy(),
                        "other": _text(g[field].to_numpy()[m]).to_numpy(),
                        "rows": [
                            f"{rows[a]}, {rows[b]}"
                            for a, b in zip(
                                best["_pos"][m], g["_pos"].to_numpy()[m], strict=True
                            )
                        ],
                        "resolution": RESOLVED_REJECTED,
                    }
                )
            )
    if not found:
        return empty_conflicts(), no_amount, no_end
    conflicts = pd.concat(found, ignore_index=True).astype(CONFLICT_COLUMNS)
    return conflicts, no_amount, no_end
