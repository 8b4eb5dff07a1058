"""A-cards and C-cards per group and period, counted inside the store by DuckDB.

:meth:`Store.close_rate_counts` gives the counts that
:func:`pondstats.close_rates` turns into rates, without loading the visits
and deposits into pandas: a store of fifty million visits answers in the
memory DuckDB needs for its window and join, not in the gigabytes of the
frames. The counting follows ``close_rates`` on ``store.visits()`` /
``store.deposits()`` exactly (tests/store/test_store_counts.py): first visits
(``visit_no == 1``) are A-cards; each deposit is linked to its customer's
first visit (through ``customer_key``, else its ``phone``) and takes its own
group value, else its first visit's; cancelled deposits are counted apart.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pondstats.errors import InputError
from pondstats.store._schema import run

__all__ = ["close_rate_counts", "GROUP_COLUMNS", "PERIODS"]

#: the columns a store can group by (text columns of the visits)
GROUP_COLUMNS = ("region", "store", "consultant", "source", "model", "grade")
#: deposits that carry the group column themselves (else their first visit's)
_DEPOSIT_HAS = ("region", "store", "consultant", "model")
#: pandas period -> DuckDB date_trunc part
PERIODS = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}

_MAP = "_pondstats_region_map_{}"


def _region_map(view, con, table: str, _canonical_regions) -> str | None:
    """Register the canonical-region mapping of ``table``; its name, or None."""
    rows = run(
        con,
        f"SELECT region, count(*) FROM {table} WHERE {view._snap()} "
        "AND region IS NOT NULL GROUP BY region",
    )
    if not rows:
        return None
    names = pd.Series([r[0] for r in rows], dtype="str")
    mapping = _canonical_regions(names, np.array([r[1] for r in rows]))
    if (mapping.index == mapping.to_numpy()).all():
        return None
    name = _MAP.format(table)
    frame = pd.DataFrame(
        {"name": mapping.index.astype("str"), "canon": mapping.to_numpy()}
    ).astype("str")
    con.register(name, frame)
    return name


def _col(alias: str, col: str, mapped: str | None) -> str:
    if col == "region" and mapped is not None:
        return (
            f"coalesce((SELECT canon FROM {mapped} WHERE name = {alias}.region), "
            f"{alias}.region)"
        )
    return f"{alias}.{col}"


def close_rate_counts(
    view,
    *,
    by: str | Sequence[str] | None = "region",
    period: str | None = "M",
    regions,
) -> pd.DataFrame:
    """A-cards, C-cards, cancelled and unlinked deposits per group x period (SQL).

    ``regions(names, counts)`` maps a table's region names to the canonical
    ones, as the store's reads do.
    """
    by_cols = [by] if isinstance(by, str) else list(by or [])
    bad = [c for c in by_cols if c not in GROUP_COLUMNS]
    if bad:
        raise InputError(
            f"the store cannot group by {bad}; by=... takes any of "
            f"{', '.join(GROUP_COLUMNS)}"
        )
    if len(set(by_cols)) != len(by_cols):
        raise InputError(f"by={by_cols!r} names a column twice")
    key = None if period is None else str(period).upper().lstrip("1")
    if key is not None and key not in PERIODS:
        raise InputError(
            f"period must be one of {', '.join(PERIODS)} (or None for the whole "
            f"range) when counting in the store; got {period!r}"
        )
    con, snap = view._con, view._snap()
    vmap = _region_map(view, con, "visits", regions) if "region" in by_cols else None
    dmap = _region_map(view, con, "deposits", regions) if "region" in by_cols else None
    g = [f"g{i}" for i in range(len(by_cols))]
    v_groups = "".join(
        f", {_col('s', c, vmap)} AS {gi}" for c, gi in zip(by_cols, g, strict=True)
    )
    d_groups = "".join(
        (
            f", coalesce({_col('d', c, dmap)}, f.{gi}) AS {gi}"
            if c in _DEPOSIT_HAS
            else f", f.{gi} AS {gi}"
        )
        for c, gi in zip(by_cols, g, strict=True)
    )
    v_per = f", date_trunc('{PERIODS[key]}', visit_date) AS p" if key else ""
    d_per = f", date_trunc('{PERIODS[key]}', d.deposit_date) AS p" if key else ""
    keys = [*g, *(["p"] if key else [])]
    group = f"GROUP BY {', '.join(keys)}" if keys else ""
    lead = "".join(f"{k}, " for k in keys)
    on = " AND ".join(f"a.{k} IS NOT DISTINCT FROM c.{k}" for k in keys) or "TRUE"
    sel = "".join(f"coalesce(a.{k}, c.{k}) AS {k}, " for k in keys)
    g_sel = "".join(f", {gi}" for gi in g)
    live = "status IS DISTINCT FROM 'cancelled'"
    ctes = f"""
WITH s AS (SELECT * FROM visits WHERE {snap}),
v AS (
  SELECT s.customer_key, s.visit_date{v_groups},
    row_number() OVER w AS rn,
    coalesce(first_value(s.visit_no_given) OVER w, 1) AS g,
    count(*) OVER (PARTITION BY s.customer_key) AS n
  FROM s WINDOW w AS (PARTITION BY s.customer_key ORDER BY s.visit_date, s.row_id)
),
f AS (
  -- the first visit: the one numbered 1 (rn = 2 - g), else the earliest
  SELECT customer_key, visit_date{g_sel} FROM v
  WHERE customer_key IS NOT NULL
    AND rn = CASE WHEN g <= 1 AND n >= 2 - g THEN 2 - g ELSE 1 END
),
d1 AS (
  SELECT d.*, f1.customer_key AS k1
  FROM (SELECT * FROM deposits WHERE {snap}) d
  LEFT JOIN f f1 ON f1.customer_key = d.customer_key
),
by_phone AS (
  -- deposits whose customer has no visit: linked through the phone, if any
  SELECT phone, customer_key FROM s
  WHERE customer_key IS NOT NULL
    AND phone IN (SELECT phone FROM d1 WHERE k1 IS NULL AND phone IS NOT NULL)
  QUALIFY row_number() OVER (PARTITION BY phone
    ORDER BY visit_date, customer_key, row_id) = 1
),
d0 AS (
  SELECT d1.*, coalesce(d1.k1, p.customer_key) AS link_key
  FROM d1 LEFT JOIN by_phone p ON d1.k1 IS NULL AND p.phone = d1.phone
),
dl AS (
  SELECT d.status, d.deposit_date, f.visit_date AS first_visit_date,
    f.customer_key IS NOT NULL AS linked{d_groups}{d_per}
  FROM d0 d LEFT JOIN f ON f.customer_key = d.link_key
)"""
    sql = f"""{ctes},
a AS (
  SELECT {lead}count(*) AS a_cards
  FROM (SELECT *{v_per} FROM v WHERE rn + g - 1 = 1) {group}
),
c AS (
  SELECT {lead}count(*) FILTER (WHERE {live}) AS c_cards,
    count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
    count(*) FILTER (WHERE {live} AND NOT linked) AS unlinked
  FROM dl {group}
),
stats AS (
  SELECT count(*) FILTER (WHERE {live}) AS live,
    count(*) FILTER (WHERE {live} AND linked) AS live_linked,
    quantile_cont(floor(epoch_us(deposit_date - first_visit_date) / 86400e6), 0.5)
      FILTER (WHERE {live} AND linked) AS median_lag
  FROM dl
)
SELECT {sel}coalesce(a.a_cards, 0) AS a_cards, coalesce(c.c_cards, 0) AS c_cards,
  coalesce(c.cancelled, 0) AS cancelled, coalesce(c.unlinked, 0) AS unlinked,
  stats.live AS _live, stats.live_linked AS _live_linked, stats.median_lag AS _lag
FROM a FULL JOIN c ON {on} CROSS JOIN stats
"""
    try:
        counts = con.execute(sql).df()
    finally:
        for name in (vmap, dmap):
            if name is not None:
                con.unregister(name)
    if len(counts):
        live, live_linked, lag = counts[["_live", "_live_linked", "_lag"]].iloc[0]
    else:
        live, live_linked, lag = 0, 0, None
    counts = counts.drop(columns=["_live", "_live_linked", "_lag"])
    counts = counts.rename(columns=dict(zip(g, by_cols, strict=True)))
    for c in by_cols:
        counts[c] = counts[c].astype("str")
    if key:
        counts = counts.rename(columns={"p": "period"})
        counts["period"] = pd.to_datetime(counts["period"]).dt.to_period(key)
    for c in ("a_cards", "c_cards", "cancelled", "unlinked"):
        counts[c] = counts[c].astype("int64")
    counts.attrs = {
        "live": int(live),
        "live_linked": int(live_linked),
        "median_lag_days": None if pd.isna(lag) else float(lag),
    }
    return counts
