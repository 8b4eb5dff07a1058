"""Grade accuracy: do H leads really close within a week, per consultant?"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pondstats.errors import InputError
from pondstats.rates._invites import (
    _as_of,
    _check_group_cols,
    _lookup_dates,
    _proportion,
)
from pondstats.rates._linking import _as_list, _dates, _require

__all__ = ["DEFAULT_HORIZONS", "grade_accuracy"]

#: Days within which a prospect of each grade is expected to order (DOMAIN.md).
DEFAULT_HORIZONS: dict[str, int] = {"H": 7, "A": 15, "B": 30, "C": 90}


def _check_horizons(horizons: Mapping[str, int] | None) -> dict[str, int]:
    h = dict(DEFAULT_HORIZONS if horizons is None else horizons)
    bad = {
        g: d
        for g, d in h.items()
        if isinstance(d, bool) or not isinstance(d, int | np.integer) or d < 0
    }
    if not h or bad:
        raise InputError(
            "horizons must map grades to whole numbers of days, e.g. "
            f"{DEFAULT_HORIZONS}; got {horizons!r}."
        )
    return {str(g): int(d) for g, d in h.items()}


def grade_accuracy(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "consultant",
    horizons: Mapping[str, int] | None = None,
    as_of=None,
    min_graded: int = 20,
    level: float = 0.95,
) -> pd.DataFrame:
    """Share of graded prospects that paid a deposit within the grade's horizon.

    Every visit graded with one of ``horizons``' grades, dated before the
    customer's first deposit, is one prediction; it *hits* when the customer
    paid a deposit (any status) on that day or within the grade's horizon.
    Visits whose horizon runs past ``as_of`` are ``incomplete`` and not
    scored.

    A group whose H grades hit no more often than its B grades (both with at
    least ``min_graded`` scored visits) is pointed out in ``h_not_better``:
    its H grade carries no information; fewer scored visits give no verdict.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned tables: ``customer_key``, ``visit_date``, ``grade`` (and the
        ``by`` columns) / ``customer_key``, ``deposit_date``.
    by : str, list of str or None, default "consultant"
        Group columns of ``visits``.
    horizons : mapping, optional
        Grade -> days, default :data:`DEFAULT_HORIZONS` (H 7, A 15, B 30, C 90).
    as_of : date-like, optional
        The day the data runs to (default: the last visit or deposit day).
    min_graded : int, default 20
        Scored H and B visits a group needs before it is judged.
    level : float, default 0.95
        Coverage of the Wilson interval.

    Returns
    -------
    DataFrame
        One row per group and ``grade`` (in the order of ``horizons``): the
        ``by`` columns, ``grade``, ``horizon_days``, ``graded``, ``hits``,
        ``hit_rate``, ``ci_low``, ``ci_high``, ``incomplete`` and
        ``h_not_better`` (True / False, missing when too little data).

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> v = pd.DataFrame({"customer_key": list("abcd"), "consultant": ["王"] * 4,
    ...     "visit_date": pd.to_datetime(["2026-09-01"] * 4),
    ...     "grade": ["H", "H", "B", "B"]})
    >>> d = pd.DataFrame({"customer_key": ["a", "c"],
    ...     "deposit_date": pd.to_datetime(["2026-09-05", "2026-09-20"])})
    >>> t = ps.grade_accuracy(v, d, as_of="2026-12-31", min_graded=2)
    >>> t[["grade", "horizon_days", "graded", "hits", "hit_rate", "h_not_better"]]
      grade  horizon_days  graded  hits  hit_rate  h_not_better
    0     H             7       2     1       0.5          True
    1     A            15       0     0       NaN          True
    2     B            30       2     1       0.5          True
    3     C            90       0     0       NaN          True
    """
    by_cols = _as_list(by)
    h = _check_horizons(horizons)
    _require(visits, ["customer_key", "visit_date", "grade"], "visits")
    _require(deposits, ["customer_key", "deposit_date"], "deposits")
    _check_group_cols(visits, by_cols, "visits")
    _dates(visits["visit_date"], "visits['visit_date']")
    _dates(deposits["deposit_date"], "deposits['deposit_date']")
    day = _as_of(as_of, (visits, "visit_date"), (deposits, "deposit_date"))
    first_dep = (
        deposits[deposits["customer_key"].notna().to_numpy()]
        .groupby("customer_key")["deposit_date"]
        .min()
        .dt.normalize()
    )
    v = visits[visits["grade"].isin(list(h)).to_numpy()]
    vday = v["visit_date"].dt.normalize()
    dep = _lookup_dates(v["customer_key"], first_dep)
    lag = (dep - vday).dt.days
    before = ~(lag < 0).to_numpy()  # visits after the first deposit: no prediction
    horizon = v["grade"].map(h).astype("int64")
    hit = (lag.ge(0) & lag.le(horizon)).fillna(False).to_numpy(dtype=bool)
    complete = (vday + pd.to_timedelta(horizon, unit="D") <= day).to_numpy()
    units = v[by_cols].copy()
    units["grade"] = v["grade"].astype("str").to_numpy()
    units["scored"] = before & complete
    units["hit"] = hit & units["scored"].to_numpy()
    units["incomplete"] = before & ~complete
    grades = pd.CategoricalDtype(list(h), ordered=True)
    units["grade"] = units["grade"].astype(grades)
    keys = [*by_cols, "grade"]
    g = units.groupby(keys, dropna=False, sort=True, observed=False)
    out = pd.DataFrame(
        {
            "graded": g["scored"].sum(),
            "hits": g["hit"].sum(),
            "incomplete": g["incomplete"].sum(),
        }
    ).reset_index()
    if by_cols:  # keep only groups that exist
        present = units[by_cols].drop_duplicates()
        out = out.merge(present, on=by_cols, how="inner")
    out["grade"] = out["grade"].astype("str")
    out["horizon_days"] = out["grade"].map(h).astype("int64")
    p = _proportion(out["hits"], out["graded"], level=level)
    out["hit_rate"] = p["rate"].to_numpy()
    out["ci_low"] = p["ci_low"].to_numpy()
    out["ci_high"] = p["ci_high"].to_numpy()
    out["h_not_better"] = _h_not_better(out, by_cols, min_graded)
    cols = [*by_cols, "grade", "horizon_days", "graded", "hits", "hit_rate",
            "ci_low", "ci_high", "incomplete", "h_not_better"]  # fmt: skip
    out = out[cols].astype({"graded": "int64", "hits": "int64", "incomplete": "int64"})
    out.attrs = {"horizons": h, "as_of": day, "min_graded": min_graded}
    return out


def _h_not_better(out: pd.DataFrame, by: list[str], min_graded: int) -> pd.Series:
    """Per row, its group's verdict: H hit rate <= B hit rate (enough data on both)."""
    flag = pd.Series(pd.NA, index=out.index, dtype="boolean")
    if not {"H", "B"} <= set(out["grade"]):
        return flag
    keys = by or None
    hb = out[out["grade"].isin(["H", "B"])]
    wide = (
        hb.pivot_table(index=keys, columns="grade", values=["graded", "hits"],
                       aggfunc="sum", observed=True)
        if keys
        else hb.set_index("grade")[["graded", "hits"]].T.stack().to_frame().T
    )  # fmt: skip
    n_h, n_b = wide[("graded", "H")], wide[("graded", "B")]
    enough = (n_h >= min_graded) & (n_b >= min_graded)
    with np.errstate(divide="ignore", invalid="ignore"):
        verdict = (wide[("hits", "H")] / n_h) <= (wide[("hits", "B")] / n_b)
    verdict = verdict.astype("boolean").where(enough, pd.NA)
    if keys:
        idx = pd.MultiIndex.from_frame(out[by]) if len(by) > 1 else out[by[0]]
        flag[:] = verdict.reindex(idx).to_numpy()
    else:
        flag[:] = verdict.iloc[0]
    return flag
