"""Lead sources: what an A-card and a C-card cost per source (:func:`source_roi`)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from pondstats._checks import shown
from pondstats.dates import parse_month
from pondstats.errors import DataQualityWarning, InputError
from pondstats.rates._close import close_rates
from pondstats.rates._kpis import _cost_cols, _interval_cols
from pondstats.rates._linking import _require

__all__ = ["source_roi"]


def source_roi(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    spend: pd.DataFrame,
    *,
    month: str | pd.Period | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Per lead source: A-cards, C-cards, close rate and what each card cost.

    The A- and C-cards are counted over the months the spend covers (or one
    ``month``); a deposit takes the source of its customer's first visit.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical tables; ``visits`` has a ``source`` column.
    spend : DataFrame
        Spend by source: ``source``, ``month`` (monthly periods), ``spend``
        (other columns such as ``region`` are summed over), as
        ``ps.clean_spend`` gives it for a file with a 渠道/来源 column.
    month : str or Period, optional
        One month ``"YYYY-MM"``; default: every month of ``spend``.
    level : float, default 0.95
        Coverage of the intervals (Wilson for rates, exact Poisson for costs).

    Returns
    -------
    DataFrame
        One row per source: ``source``, ``a_cards``, ``c_cards``,
        ``close_rate``, ``spend``, ``cost_per_a_card``, ``cost_per_c_card``
        and ``deposit_share`` (each with ``_low``/``_high``), sorted by cost
        per C-card (cheapest first; sources without spend last). A source
        with visits but no spend has a missing spend; a spend source that no
        visit names is kept on its own row (with a
        :class:`~pondstats.DataQualityWarning` naming it).

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> roi = ps.source_roi(visits, deposits, ps.load_sample_spend(by_source=True))
    >>> roi[["source", "c_cards", "cost_per_c_card"]].head(3).round()
      source  c_cards  cost_per_c_card
    0    转介绍      492           2728.0
    1   异业联盟      152           4130.0
    2     电话      304           4597.0
    """
    _require(visits, ["source"], "visits")
    _require(spend, ["month", "spend"], "spend")
    if "source" not in spend.columns:
        raise InputError(
            f"spend has no 'source' column (found {list(spend.columns)}); source_roi "
            "needs spend split by lead source: a 渠道/来源 (source) column in the "
            "spend file, read with ps.read_spend and ps.clean_spend."
        )
    if not isinstance(spend["month"].dtype, pd.PeriodDtype):
        raise InputError(
            f"spend['month'] must be monthly periods, found dtype {spend['month'].dtype}. "
            "Clean the table with ps.clean_spend(ps.read_spend(path)).data."
        )
    sp = spend
    if month is not None:
        m = parse_month(month, name="month")
        sp = spend[spend["month"] == m]
        if sp.empty:
            raise InputError(
                f"spend has no row for month {m}; it covers {spend['month'].min()} "
                f"to {spend['month'].max()}."
            )
        months = [m]
    else:
        months = sorted(sp["month"].dropna().unique())
    no_source = sp["source"].isna()
    if no_source.any():
        warnings.warn(
            f"{int(no_source.sum())} spend row(s) have no source; their spend "
            f"({sp.loc[no_source, 'spend'].sum():,.0f}) is kept on a row with an empty source.",
            DataQualityWarning,
            stacklevel=2,
        )
    known = set(visits["source"].dropna().astype("str"))
    unknown = sorted(set(sp["source"].dropna().astype("str")) - known)
    if unknown:
        warnings.warn(
            f"spend has source(s) that match no visit source: {shown(unknown)}; visits "
            f"name {shown(sorted(known))}. Their spend is kept on rows of their own (no A- or "
            "C-cards); rename them in the spend file to match.",
            DataQualityWarning,
            stacklevel=2,
        )
    r = close_rates(visits, deposits, by="source", period="M")
    r = r[r["period"].isin(months)]
    counts = r.groupby("source", dropna=False, sort=False)[["a_cards", "c_cards"]].sum()
    money = (
        sp.assign(source=sp["source"].astype(visits["source"].dtype))
        .groupby("source", dropna=False, sort=False)["spend"]
        .sum()
    )
    out = counts.join(money, how="outer").reset_index()
    out[["a_cards", "c_cards"]] = out[["a_cards", "c_cards"]].fillna(0).astype("int64")
    a = out["a_cards"].to_numpy()
    c = out["c_cards"].to_numpy()
    _interval_cols(out, "close_rate", c, a, level)
    _cost_cols(out, "cost_per_a_card", a, out["spend"], level)
    _cost_cols(out, "cost_per_c_card", c, out["spend"], level)
    _interval_cols(out, "deposit_share", c, np.full(len(out), c.sum()), level)
    out = out.sort_values(
        ["cost_per_c_card", "c_cards"],
        ascending=[True, False],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    cols = ["source", "a_cards", "c_cards", "close_rate", "close_rate_low",
            "close_rate_high", "spend", "cost_per_a_card", "cost_per_a_card_low",
            "cost_per_a_card_high", "cost_per_c_card", "cost_per_c_card_low",
            "cost_per_c_card_high", "deposit_share", "deposit_share_low",
            "deposit_share_high"]  # fmt: skip
    out = out[cols]
    out.attrs = {"months": [str(m) for m in months], "level": level,
                 "unknown_sources": unknown}  # fmt: skip
    return out
