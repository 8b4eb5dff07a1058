"""Merging duplicate rows (exact copies, and one record in overlapping exports)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from pondstats.clean._normalize import customer_codes

__all__ = ["merge_duplicates"]


def merge_duplicates(
    df: pd.DataFrame,
    date_col: str,
    passes: list[tuple[str | None, list[str], list[str]]],
    exclude: np.ndarray | None = None,
    key_numbers: np.ndarray | None = None,
) -> tuple[pd.DataFrame, int]:
    """Drop duplicates, keeping the most complete copy of each; return (kept, n merged).

    ``passes`` are ``(required column or None, key columns, conflict columns)``:
    rows that have the required column and share the keys are one record,
    unless a conflict column holds two different values in the group.
    ``df`` is a private working frame: its columns are released as the kept
    rows are taken (it is empty afterwards unless nothing was dropped).

    Rows are ranked most complete first (then by position). Duplicates of any
    kind share the customer and the day, so every comparison after the first
    is made among the few rows whose (customer, day) occurs more than once;
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
    has_time = (df[date_col] != day).fillna(False).to_numpy(dtype=bool)
    score = 2 * df.notna().sum(axis=1).to_numpy() + has_time
    order = np.argsort(-score.astype("int32"), kind="stable")
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
    del day, has_time, score, order, order_near, near, drop, keep
    parts = {}
    for col in list(df.columns):
        parts[col] = df[col].iloc[where]
        del df[col]
        pa.default_memory_pool().release_unused()
    kept = pd.DataFrame(parts, index=parts[next(iter(parts))].index if parts else None)
    return kept, merged
