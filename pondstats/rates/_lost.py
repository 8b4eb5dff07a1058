"""Lost deals (战败): the lost rate and the mix of lost reasons."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pondstats.rates._invites import _check_group_cols, _proportion
from pondstats.rates._linking import _as_list, _dates, _require

__all__ = ["lost_analysis"]


def _prospects(visits: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """One row per customer: the ``by`` values of the first visit, lost, reason."""
    v = visits.sort_values(["customer_key", "visit_date"], kind="stable")
    v = v[v["customer_key"].notna().to_numpy()]
    grade = (
        v["grade"].astype("str")
        if "grade" in v.columns
        else pd.Series(np.nan, index=v.index, dtype="str")
    )
    reason = (
        v["lost_reason"].astype("str")
        if "lost_reason" in v.columns
        else pd.Series(np.nan, index=v.index, dtype="str")
    )
    g = v.groupby("customer_key", sort=False)
    first = g[by].first() if by else pd.DataFrame(index=g.size().index)
    last_grade = grade.groupby(v["customer_key"], sort=False).last()
    # the latest reason given (GroupBy.last skips missing values)
    last_reason = reason.groupby(v["customer_key"], sort=False).last()
    out = first.copy()
    out["lost"] = (last_grade.eq("F") | last_reason.notna()).reindex(out.index)
    out["lost_reason"] = last_reason.reindex(out.index)
    return out.reset_index()


def lost_analysis(
    visits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "region",
    mix: bool = False,
    level: float = 0.95,
) -> pd.DataFrame:
    """Lost rate (战败率) and the lost reasons mix per group.

    A prospect is a customer with a visit; a prospect is *lost* when their
    latest visit is graded ``F`` or a ``lost_reason`` was recorded (the
    column read from headers such as 战败原因, 流失原因, 未成交原因). The
    prospect is counted in the group of their first visit (its region,
    consultant, model, source).

    Parameters
    ----------
    visits : DataFrame
        Cleaned visits: ``customer_key``, ``visit_date``, the ``by`` columns,
        and ``grade`` and/or ``lost_reason``.
    by : str, list of str or None, default "region"
        Group columns of ``visits``.
    mix : bool, default False
        Return the reasons mix instead: one row per group and
        ``lost_reason`` (missing when lost by grade F with no reason), with
        ``lost`` and ``share`` of the group's lost prospects.
    level : float, default 0.95
        Coverage of the Wilson interval.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``prospects``, ``lost``, ``lost_rate``,
        ``ci_low``, ``ci_high``, ``top_reason`` and ``top_share`` (the most
        frequent reason and its share of the lost); or the mix (``mix=True``).

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> v = pd.DataFrame({"customer_key": list("abcde"),
    ...     "visit_date": pd.to_datetime(["2026-09-01"] * 5),
    ...     "region": ["东湖区"] * 3 + ["西江区"] * 2,
    ...     "grade": ["F", "B", "F", "F", "H"],
    ...     "lost_reason": ["价格", None, "竞品", "价格", None]})
    >>> ps.lost_analysis(v)[["region", "prospects", "lost", "lost_rate", "top_reason"]]
      region  prospects  lost  lost_rate top_reason
    0    东湖区          3     2   0.666667         价格
    1    西江区          2     1   0.500000         价格
    >>> ps.lost_analysis(v, by=None, mix=True)
      lost_reason  lost  share
    0          价格     2  0.666667
    1          竞品     1  0.333333
    """
    by_cols = _as_list(by)
    _require(visits, ["customer_key", "visit_date"], "visits")
    _check_group_cols(visits, by_cols, "visits")
    _dates(visits["visit_date"], "visits['visit_date']")
    if not {"grade", "lost_reason"} & set(visits.columns):
        from pondstats.errors import InputError

        raise InputError(
            "lost_analysis needs a grade (F = lost) or a lost_reason column in "
            f"visits; found {list(visits.columns)}. Read the export with "
            "column_map={'<your header>': 'lost_reason'} if the reasons are there."
        )
    p = _prospects(visits, by_cols)
    keys = by_cols or ["_all"]
    if not by_cols:
        p["_all"] = 0
    if mix:
        lost = p[p["lost"].to_numpy(dtype=bool)]
        m = (
            lost.groupby([*keys, "lost_reason"], dropna=False, observed=True)
            .size()
            .rename("lost")
            .reset_index()
        )
        total = m.groupby(keys, dropna=False, observed=True)["lost"].transform("sum")
        m["share"] = m["lost"] / total
        m = m.sort_values(
            [*keys, "lost", "lost_reason"],
            ascending=[True] * len(keys) + [False, True],
            kind="stable",
        )
        return m[[*by_cols, "lost_reason", "lost", "share"]].reset_index(drop=True)
    g = p.groupby(keys, dropna=False, sort=True, observed=True)
    out = pd.DataFrame({"prospects": g.size(), "lost": g["lost"].sum()})
    given = p[p["lost"].to_numpy(dtype=bool) & p["lost_reason"].notna().to_numpy()]
    counts = given.groupby([*keys, "lost_reason"], observed=True).size()
    if len(counts):
        counts = (
            counts.rename("n")
            .reset_index()
            .sort_values(
                [*keys, "n", "lost_reason"],
                ascending=[True] * len(keys) + [False, True],
                kind="stable",
            )
        )
        top = counts.drop_duplicates(keys).set_index(keys)
        out["top_reason"] = top["lost_reason"].reindex(out.index)
        out["top_share"] = (top["n"].reindex(out.index) / out["lost"]).astype("float64")
    else:
        out["top_reason"] = pd.Series(np.nan, index=out.index, dtype="str")
        out["top_share"] = np.nan
    out = out.reset_index()
    pr = _proportion(out["lost"], out["prospects"], level=level)
    out["lost_rate"] = pr["rate"].to_numpy()
    out["ci_low"] = pr["ci_low"].to_numpy()
    out["ci_high"] = pr["ci_high"].to_numpy()
    cols = [*by_cols, "prospects", "lost", "lost_rate", "ci_low", "ci_high",
            "top_reason", "top_share"]  # fmt: skip
    return out[cols].astype({"prospects": "int64", "lost": "int64"})
