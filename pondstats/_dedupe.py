"""Merging duplicate rows (exact copies, and one record in overlapping exports)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["merge_duplicates"]


def merge_duplicates(
    df: pd.DataFrame,
    date_col: str,
    passes: list[tuple[str | None, list[str], list[str]]],
) -> tuple[pd.DataFrame, int]:
    """Drop duplicates, keeping the most complete copy of each; return (kept, n merged).

    ``passes`` are ``(required column or None, key columns, conflict columns)``:
    rows that have the required column and share the keys are one record,
    unless a conflict column holds two different values in the group.
    """
    if df.empty:
        return df, 0
    work = df.copy()
    work["_day"] = work[date_col].dt.normalize()
    has_time = (work[date_col] != work["_day"]).fillna(False).astype(float)
    work["_score"] = -(df.notna().sum(axis=1) + 0.5 * has_time)
    work["_pos"] = np.arange(len(work))
    work = work.sort_values(["_score", "_pos"], kind="stable")
    data_cols = [c for c in df.columns]
    drop = work.duplicated(subset=data_cols)
    for need, keys, conflicts in passes:
        keys = [k if k != date_col else "_day" for k in keys]
        live = ~drop
        if need is not None:
            live &= work[need].notna()
        live &= work[keys].notna().all(axis=1)
        cand = work[live]
        cand = cand[cand.duplicated(subset=keys, keep=False)]
        if cand.empty:
            continue
        ok = pd.Series(True, index=cand.index)
        for c in conflicts:
            nun = cand.groupby(keys, sort=False, dropna=False)[c].transform("nunique")
            ok &= nun <= 1
        cand = cand[ok]
        dup = cand.duplicated(subset=keys)
        drop.loc[dup[dup].index] = True
    kept = work[~drop].sort_values("_pos").drop(columns=["_day", "_score", "_pos"])
    return kept, int(drop.sum())
