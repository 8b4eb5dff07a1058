"""The dealer's KPI board: :func:`kpi_table` and :func:`compare_periods`.

Every KPI column is defined once in the KPI dictionary
(:data:`pondstats.vocab.KPI_DEFINITIONS`; ``ps.KPIS`` is it as a table, see
:func:`kpi_frame`). The counts and the close rate come from
:func:`pondstats.close_rates`; the prospect KPIs (test drives, return visits,
the close rate with and without a test drive) follow each first-visit A-card
for ``horizon_days``, like :func:`pondstats.cohort_rates`.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from pondstats._checks import shown
from pondstats.dates import parse_month
from pondstats.errors import DataQualityWarning, InputError
from pondstats.rates._close import close_rates
from pondstats.rates._linking import (
    _as_list,
    _dates,
    _period_of,
    _require,
    _shared_codes,
)
from pondstats.rates.stats import adjust_pvalues, wilson_interval
from pondstats.schema import Benchmark
from pondstats.vocab import KPI_BY_ID, KPI_DEFINITIONS

__all__ = ["KPIS", "kpi_frame", "kpi_table", "compare_periods", "poisson_interval"]


def kpi_frame() -> pd.DataFrame:
    """The KPI dictionary as a table, one row per KPI (``ps.KPIS``).

    Columns ``name_zh``, ``name_en``, ``formula_zh``, ``formula_en``,
    ``symbols``, ``unit``, ``better`` (``higher``/``lower``, empty when
    neither is good), ``benchmark`` (where the industry has one) and
    ``interval`` (the KPI comes with ``<id>_low``/``<id>_high`` columns);
    the index is the KPI id, the column name every function uses.

    Examples
    --------
    >>> import pondstats as ps
    >>> ps.KPIS.loc["close_rate", ["name_zh", "symbols", "benchmark"]].tolist()
    ['来店成交率', 'C / A', '13% (8%–20%)']
    >>> ps.KPIS.loc["test_drive_rate", "name_en"]
    'Test-drive rate'
    """
    rows = [
        {
            "id": k.id,
            "name_zh": k.name[0],
            "name_en": k.name[1],
            "formula_zh": k.formula[0],
            "formula_en": k.formula[1],
            "symbols": k.symbols,
            "unit": k.unit,
            "better": k.better,
            "benchmark": k.benchmark,
            "interval": k.interval,
        }
        for k in KPI_DEFINITIONS
    ]
    return pd.DataFrame(rows).set_index("id").astype(
        {c: "str" for c in ("name_zh", "name_en", "formula_zh", "formula_en",
                            "symbols", "unit", "better", "benchmark")}
    )  # fmt: skip


#: The KPI dictionary as a table (see :func:`kpi_frame`).
KPIS: pd.DataFrame = kpi_frame()


def poisson_interval(k, *, level: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Exact (Garwood) interval for a Poisson count.

    Parameters
    ----------
    k : array-like
        Observed counts.
    level : float, default 0.95

    Returns
    -------
    (low, high) : tuple of arrays
        ``low`` is 0 for ``k == 0``.

    Examples
    --------
    >>> from pondstats.rates._kpis import poisson_interval
    >>> lo, hi = poisson_interval([0, 10])
    >>> lo.round(3), hi.round(3)
    (array([0.   , 4.795]), array([ 3.689, 18.39 ]))
    """
    k = np.asarray(k, dtype="float64")
    a = (1 - level) / 2
    with np.errstate(invalid="ignore"):
        lo = np.where(k > 0, stats.chi2.ppf(a, 2 * k) / 2, 0.0)
        hi = stats.chi2.ppf(1 - a, 2 * k + 2) / 2
    return lo, hi


def _div(a, b) -> np.ndarray:
    a = np.asarray(a, dtype="float64")
    b = np.asarray(b, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)


def _prospect_flags(
    visits: pd.DataFrame, deposits: pd.DataFrame, horizon_days: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per visit row: is it a first visit, did its customer come back, and
    pay a deposit (not cancelled), within ``horizon_days`` of the first visit.

    The first visit of a customer is the earliest ``visit_no == 1`` row; a
    return is another visit on a later day, a close a deposit on the same
    day or later, both at most ``horizon_days`` after it.
    """
    first = visits["visit_no"].to_numpy(dtype="float64", na_value=np.nan) == 1
    live = deposits["status"].astype("str").to_numpy() != "cancelled"
    vcode, dcode = _shared_codes(visits["customer_key"], deposits["customer_key"])[:2]
    n_keys = int(max(vcode.max(initial=-1), dcode.max(initial=-1))) + 1
    vday = visits["visit_date"].to_numpy(dtype="datetime64[D]").view("int64")
    dday = deposits["deposit_date"].to_numpy(dtype="datetime64[D]").view("int64")
    big = np.iinfo("int64").max
    first_day = np.full(n_keys + 1, big, dtype="int64")
    sel = first & (vcode >= 0)
    np.minimum.at(first_day, vcode[sel], vday[sel])
    fd_v = first_day[np.where(vcode >= 0, vcode, n_keys)]
    ok_v = (vcode >= 0) & (fd_v < big)
    back = ok_v & (vday > fd_v) & (vday - np.where(ok_v, fd_v, 0) <= horizon_days)
    returned = np.zeros(n_keys + 1, dtype=bool)
    returned[vcode[back]] = True
    fd_d = first_day[np.where(dcode >= 0, dcode, n_keys)]
    ok_d = (dcode >= 0) & (fd_d < big) & live
    paid = ok_d & (dday >= fd_d) & (dday - np.where(ok_d, fd_d, 0) <= horizon_days)
    closed = np.zeros(n_keys + 1, dtype=bool)
    closed[dcode[paid]] = True
    key = np.where(vcode >= 0, vcode, n_keys)
    return first, returned[key] & first, closed[key] & first


def _spend_table(
    spend: pd.DataFrame,
    keys: list[str],
    by_cols: list[str],
    period: str | None,
    known: dict[str, set],
) -> pd.DataFrame:
    """Spend summed per group (and period), keys checked against the visits."""
    _require(spend, ["month", "spend", *by_cols], "spend")
    if not isinstance(spend["month"].dtype, pd.PeriodDtype):
        raise InputError(
            f"spend['month'] must be monthly periods, found dtype {spend['month'].dtype}. "
            "Clean the table with ps.clean_spend(ps.read_spend(path)).data."
        )
    s = spend[[*by_cols, "spend"]].copy()
    if period is not None:
        try:
            if not str(period).upper().startswith(("M", "Q", "Y", "A")):
                raise ValueError(period)
            s["period"] = spend["month"].dt.asfreq(period)
        except (ValueError, TypeError) as exc:
            raise InputError(
                f"spend is monthly and cannot be summed into period={period!r}; "
                "use period='M', 'Q', 'Y' or None with spend."
            ) from exc
    for col in by_cols:
        unknown = sorted(set(s[col].dropna().astype("str")) - known[col])
        if unknown:
            warnings.warn(
                f"spend has {col} value(s) that match no visit: {shown(unknown)}. Their spend "
                "is kept on rows of their own (no A- or C-cards); fix the names in "
                f"the spend file to match visits['{col}'].",
                DataQualityWarning,
                stacklevel=3,
            )
        if s[col].isna().any():
            warnings.warn(
                f"{int(s[col].isna().sum())} spend row(s) have no {col}; their spend "
                f"is kept on a row with an empty {col}.",
                DataQualityWarning,
                stacklevel=3,
            )
    if not keys:
        return pd.DataFrame({"spend": [float(s["spend"].sum())], "_all": [0]})
    return (
        s.groupby(keys, dropna=False, observed=True, sort=False)["spend"]
        .sum()
        .reset_index()
    )


def _interval_cols(out: pd.DataFrame, kpi: str, k, n, level: float) -> None:
    k = np.asarray(k, dtype="float64")
    n = np.asarray(n, dtype="float64")
    k = np.minimum(k, n)
    out[kpi] = _div(k, n)
    out[f"{kpi}_low"], out[f"{kpi}_high"] = wilson_interval(k, n, level=level)


def _cost_cols(out: pd.DataFrame, kpi: str, count, spend, level: float) -> None:
    count = np.asarray(count, dtype="float64")
    spend = np.asarray(spend, dtype="float64")
    lo, hi = poisson_interval(count, level=level)
    out[kpi] = _div(spend, count)
    ok = count > 0
    out[f"{kpi}_low"] = np.where(ok, _div(spend, hi), np.nan)
    out[f"{kpi}_high"] = np.where(ok, _div(spend, lo), np.nan)


def kpi_table(
    visits: pd.DataFrame,
    deposits: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "region",
    period: str | None = "M",
    spend: pd.DataFrame | None = None,
    horizon_days: int = 90,
    level: float = 0.95,
    benchmark: Benchmark | None = None,
) -> pd.DataFrame:
    """The KPI board per group and period, with an interval on every rate.

    Parameters
    ----------
    visits, deposits : DataFrame
        Cleaned canonical visits (A-cards) and deposits (C-cards).
    by : str, list of str or None, default "region"
        Group columns of ``visits`` (region, store, consultant, source, ...).
    period : str or None, default "M"
        Period frequency (``"M"``, ``"Q"``, ``"Y"``, ``"W"``) or None for the
        whole data, as in :func:`pondstats.close_rates`.
    spend : DataFrame, optional
        Marketing spend (``month``, ``spend`` and the ``by`` columns, e.g.
        ``region`` or ``source``), summed per group and period for the cost
        per A-card and per C-card. Spend keys that match no visit are kept on
        rows of their own with a :class:`~pondstats.DataQualityWarning`.
    horizon_days : int, default 90
        Follow-up window of the prospect KPIs: a first-visit A-card counts as
        returning when the customer comes back within it, and as closed when
        a (not cancelled) deposit follows within it.
    level : float, default 0.95
        Coverage of the intervals (Wilson for rates, exact Poisson for costs).
    benchmark : Benchmark, optional
        The close-rate benchmark (13%) behind ``status``.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``period`` (when asked for) and the KPIs
        ``a_cards, c_cards, cancelled, unlinked, close_rate, ac_ratio,
        cancel_rate, test_drives, test_drive_rate, test_drive_closed,
        test_drive_close_rate, no_test_drive_closed, no_test_drive_close_rate,
        test_drive_lift, returning, return_rate`` (each rate with
        ``<kpi>_low``/``<kpi>_high``), ``status`` (as in ``close_rates``),
        ``follow_up_complete`` (the window of every first visit of the period
        has ended by the last date in the data) and, with ``spend``, ``spend,
        cost_per_a_card, cost_per_c_card`` with intervals. Without a
        ``test_drive`` column the test-drive KPIs are missing (not zero); a
        first visit whose flag is empty counts as no test drive. Every KPI is in
        ``ps.KPIS``. ``attrs`` holds ``by``, ``period``, ``horizon_days``.

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> t = ps.kpi_table(visits, deposits, by="store", period=None)
    >>> t[["store", "a_cards", "c_cards", "close_rate", "test_drive_rate"]].round(3)
       store  a_cards  c_cards  close_rate  test_drive_rate
    0  东湖旗舰店    14692     1853       0.126            0.397
    1    北岭店     5934      961       0.162            0.386
    2    西江店     2229      351       0.157            0.401
    """
    b = benchmark or Benchmark()
    by_cols = _as_list(by)
    if horizon_days < 0:
        raise InputError(f"horizon_days must be >= 0, got {horizon_days}.")
    rates = close_rates(
        visits, deposits, by=by_cols, period=period, benchmark=b, level=level
    )
    keys = [*by_cols, *(["period"] if period is not None else [])]
    # prospect KPIs, per first-visit A-card
    first, returned, closed = _prospect_flags(visits, deposits, horizon_days)
    td = visits["test_drive"] if "test_drive" in visits.columns else None
    td = (
        np.zeros(len(visits), dtype=bool)
        if td is None
        else td.astype("boolean").fillna(False).to_numpy(dtype=bool)
    )
    p = visits.loc[first, by_cols].copy()
    if period is not None:
        p["period"] = _period_of(
            _dates(visits["visit_date"], "visits['visit_date']")[first], period
        )
    p["test_drives"] = td[first].astype("int64")
    p["returning"] = returned[first].astype("int64")
    p["test_drive_closed"] = (closed & td)[first].astype("int64")
    p["no_test_drive_closed"] = (closed & ~td)[first].astype("int64")
    cnt = ["test_drives", "test_drive_closed", "no_test_drive_closed", "returning"]
    if keys:
        pk = (
            p.groupby(keys, dropna=False, observed=True, sort=False)[cnt]
            .sum()
            .reset_index()
        )
        out = rates.merge(pk, on=keys, how="left")
    else:
        out = rates.copy()
        for c in cnt:
            out[c] = int(p[c].sum())
    out[cnt] = out[cnt].fillna(0).astype("int64")
    res = out[keys].copy()
    for c in ("a_cards", "c_cards", "cancelled", "unlinked"):
        res[c] = out[c].to_numpy()
    a, c_ = out["a_cards"].to_numpy(), out["c_cards"].to_numpy()
    res["close_rate"] = out["close_rate"].to_numpy()
    res["close_rate_low"] = out["ci_low"].to_numpy()
    res["close_rate_high"] = out["ci_high"].to_numpy()
    res["ac_ratio"] = out["ac_ratio"].to_numpy()
    res["ac_ratio_low"] = np.where(c_ > 0, 1 / out["ci_high"].to_numpy(), np.nan)
    with np.errstate(divide="ignore"):
        res["ac_ratio_high"] = np.where(c_ > 0, 1 / out["ci_low"].to_numpy(), np.nan)
    x = out["cancelled"].to_numpy()
    _interval_cols(res, "cancel_rate", x, c_ + x, level)
    t = out["test_drives"].to_numpy()
    res["test_drives"] = t
    _interval_cols(res, "test_drive_rate", t, a, level)
    res["test_drive_closed"] = out["test_drive_closed"].to_numpy()
    _interval_cols(res, "test_drive_close_rate", res["test_drive_closed"], t, level)
    res["no_test_drive_closed"] = out["no_test_drive_closed"].to_numpy()
    _interval_cols(
        res, "no_test_drive_close_rate", res["no_test_drive_closed"], a - t, level
    )
    res["test_drive_lift"] = _div(
        res["test_drive_close_rate"], res["no_test_drive_close_rate"]
    )
    if "test_drive" not in visits.columns:  # not recorded: unknown, not zero
        for c in [
            c for c in res.columns if c.startswith(("test_drive", "no_test_drive"))
        ]:
            res[c] = np.nan
    res["returning"] = out["returning"].to_numpy()
    _interval_cols(res, "return_rate", res["returning"], a, level)
    res["status"] = out["status"].to_numpy()
    last = max(visits["visit_date"].max(), deposits["deposit_date"].max())
    if period is not None:
        end = pd.PeriodIndex(res["period"]).end_time.normalize()
        res["follow_up_complete"] = (end + pd.Timedelta(days=horizon_days)) <= last
    else:
        first_dates = visits.loc[first, "visit_date"]
        done = (
            bool(first_dates.max() + pd.Timedelta(days=horizon_days) <= last)
            if len(first_dates)
            else True
        )
        res["follow_up_complete"] = done
    if spend is not None:
        known = {col: set(visits[col].dropna().astype("str")) for col in by_cols}
        sp = _spend_table(spend, keys, by_cols, period, known)
        if not keys:
            res["spend"] = float(sp["spend"].sum())
        else:
            for col in by_cols:  # merge on the visits' dtype
                sp[col] = sp[col].astype(res[col].dtype)
            res = res.merge(sp, on=keys, how="outer", sort=False)
            fill = [c for c in res.columns if c in ("a_cards", "c_cards", "cancelled",
                    "unlinked", "test_drives", "test_drive_closed",
                    "no_test_drive_closed", "returning")]  # fmt: skip
            res[fill] = res[fill].fillna(0).astype("int64")
            res = res.sort_values(keys, kind="stable", na_position="last")
            res = res.reset_index(drop=True)
        _cost_cols(res, "cost_per_a_card", res["a_cards"], res["spend"], level)
        _cost_cols(res, "cost_per_c_card", res["c_cards"], res["spend"], level)
    res.attrs = {"by": by_cols, "period": period, "horizon_days": horizon_days,
                 "level": level, "benchmark": b}  # fmt: skip
    return res


# ---------------------------------------------------------------------------
# month against month
# ---------------------------------------------------------------------------

_AGAINST = {"previous": 1, "year_ago": 12}

#: KPIs that follow each first visit for ``horizon_days``: not comparable
#: while a month's follow-up window is still open.
FOLLOW_UP_KPIS = frozenset(
    {"test_drive_closed", "test_drive_close_rate", "no_test_drive_closed",
     "no_test_drive_close_rate", "test_drive_lift", "returning", "return_rate"}
)  # fmt: skip


def _count_of(table: pd.DataFrame, spec: tuple[str, ...]) -> np.ndarray:
    total = np.zeros(len(table))
    for col in spec:
        sign = -1.0 if col.startswith("-") else 1.0
        total = total + sign * table[col.lstrip("-")].to_numpy(dtype="float64")
    return total


def _two_proportion(k1, n1, k0, n0) -> np.ndarray:
    """Two-sided p-value of the pooled two-proportion z-test (NaN without data)."""
    k1, n1 = np.minimum(k1, n1), n1
    k0, n0 = np.minimum(k0, n0), n0
    ok = (n1 > 0) & (n0 > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        pool = (k1 + k0) / (n1 + n0)
        se = np.sqrt(pool * (1 - pool) * (1 / n1 + 1 / n0))
        z = (k1 / n1 - k0 / n0) / se
    p = 2 * stats.norm.sf(np.abs(z))
    p = np.where(se == 0, 1.0, p)  # both 0% or both 100%: no difference
    return np.where(ok, p, np.nan)


def _poisson_change(k1, k0) -> np.ndarray:
    """Two-sided exact test that two counts have the same Poisson mean
    (conditional binomial test of ``k1`` out of ``k1 + k0`` at 1/2)."""
    n = k1 + k0
    lo = stats.binom.cdf(k1, n, 0.5)
    hi = stats.binom.sf(k1 - 1, n, 0.5)
    return np.where(n > 0, np.minimum(1.0, 2 * np.minimum(lo, hi)), np.nan)


def compare_periods(
    table: pd.DataFrame,
    month,
    *,
    against: Sequence[str] = ("previous", "year_ago"),
    kpis: Sequence[str] | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Change of each KPI against the previous month and a year ago, tested.

    Parameters
    ----------
    table : DataFrame
        A monthly :func:`kpi_table` (``period="M"``).
    month : str or Period
        The month to look at, ``"YYYY-MM"``.
    against : sequence of {"previous", "year_ago"}
        The months to compare with: the month before and the same month a
        year earlier.
    kpis : sequence of str, optional
        KPI ids to compare (default: every KPI of ``table`` in ``ps.KPIS``
        other than intervals).
    alpha : float, default 0.05
        False discovery rate of ``changed`` (Benjamini-Hochberg within each
        KPI and comparison, across the groups).

    Returns
    -------
    DataFrame
        One row per group, KPI and comparison: the group columns, ``kpi``,
        ``against``, ``period``, ``then_period``, ``now``, ``then``,
        ``change`` (``now - then``: points for rates), ``relative_change``,
        ``p_value`` (rates: two-sided pooled two-proportion z-test on their
        counts; counts: exact conditional test of equal Poisson means; none
        for costs and ratios), ``p_adjusted``, ``changed`` (more than
        noise: ``p_adjusted < alpha``) and ``comparable`` (False for the
        follow-up KPIs, such as ``return_rate``, while either month's
        follow-up window is open: not tested).

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> t = ps.kpi_table(visits, deposits, by=None)
    >>> c = ps.compare_periods(t, "2026-10", kpis=["a_cards", "close_rate"])
    >>> c[["kpi", "against", "then_period", "now", "then", "changed"]].round({"now": 3, "then": 3})
              kpi   against then_period      now     then  changed
    0     a_cards  previous     2026-09  1172.000  1147.000    False
    1     a_cards  year_ago     2025-10  1172.000  1207.000    False
    2  close_rate  previous     2026-09     0.142     0.126    False
    3  close_rate  year_ago     2025-10     0.142     0.133    False
    """
    if "period" not in table.columns:
        raise InputError(
            "table has no 'period' column: pass a monthly kpi_table "
            "(ps.kpi_table(visits, deposits, period='M'))."
        )
    m = parse_month(month, name="month")
    freq = getattr(table["period"].dtype, "freq", None)
    if freq is None or not freq.freqstr.startswith("M"):
        raise InputError(
            f"compare_periods needs a monthly table, got periods of dtype "
            f"{table['period'].dtype}: pass ps.kpi_table(visits, deposits, period='M')."
        )
    bad = [a for a in against if a not in _AGAINST]
    if bad:
        raise InputError(f"against must name 'previous' and/or 'year_ago', got {bad}.")
    by_cols = list(table.attrs.get("by", []))
    if not by_cols:
        by_cols = [c for c in table.columns if c not in KPI_BY_ID and c != "period"
                   and not c.endswith(("_low", "_high"))
                   and c not in ("status", "follow_up_complete")]  # fmt: skip
    if kpis is None:
        kpis = [c for c in table.columns if c in KPI_BY_ID]
    unknown = [k for k in kpis if k not in table.columns or k not in KPI_BY_ID]
    if unknown:
        raise InputError(
            f"kpis {unknown} are not KPI columns of the table; choose among "
            f"{[c for c in table.columns if c in KPI_BY_ID]}."
        )
    now = table[table["period"] == m]
    if now.empty:
        raise InputError(
            f"the table has no rows for month {m}; it covers "
            f"{table['period'].min()} to {table['period'].max()}."
        )
    parts = []
    for name in against:
        then_p = m - _AGAINST[name]
        then = table[table["period"] == then_p]
        if by_cols:
            j = now.merge(then, on=by_cols, how="left", suffixes=("", "_then"))
        else:
            j = now.reset_index(drop=True).join(
                then.reset_index(drop=True).add_suffix("_then")
            )
            if then.empty:
                j = now.reset_index(drop=True).assign(
                    **{f"{c}_then": np.nan for c in now.columns}
                )
        for kpi in kpis:
            spec = KPI_BY_ID[kpi]
            v1 = j[kpi].to_numpy(dtype="float64")
            v0 = j[f"{kpi}_then"].to_numpy(dtype="float64")
            if spec.numerator is not None:
                k1 = j[spec.numerator].to_numpy(dtype="float64")
                k0 = j[f"{spec.numerator}_then"].to_numpy(dtype="float64")
                n1 = _count_of(j, spec.denominator)
                n0 = _count_of(j, tuple(
                    ("-" if c.startswith("-") else "") + c.lstrip("-") + "_then"
                    for c in spec.denominator))  # fmt: skip
                p = _two_proportion(k1, n1, k0, n0)
            elif spec.unit == "count":
                p = _poisson_change(np.nan_to_num(v1), np.nan_to_num(v0))
                p = np.where(np.isnan(v0), np.nan, p)
            else:
                p = np.full(len(j), np.nan)
            complete = np.ones(len(j), dtype=bool)
            if kpi in FOLLOW_UP_KPIS and "follow_up_complete" in j.columns:
                complete = (
                    j["follow_up_complete"].eq(True).to_numpy()
                    & j["follow_up_complete_then"].eq(True).to_numpy()
                )
                p = np.where(complete, p, np.nan)
            part = j[by_cols].copy()
            part["kpi"] = kpi
            part["against"] = name
            part["period"] = m
            part["then_period"] = then_p
            part["now"] = v1
            part["then"] = v0
            part["change"] = v1 - v0
            part["relative_change"] = _div(v1 - v0, np.abs(v0))
            part["p_value"] = p
            part["p_adjusted"] = adjust_pvalues(p)
            part["changed"] = part["p_adjusted"].to_numpy() < alpha
            part["comparable"] = complete
            parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    order = {k: i for i, k in enumerate(kpis)}
    out["_k"] = out["kpi"].map(order)
    out["_a"] = out["against"].map({a: i for i, a in enumerate(against)})
    out = out.sort_values([*by_cols, "_k", "_a"], kind="stable").drop(
        columns=["_k", "_a"]
    )
    out.attrs = {"alpha": alpha, "month": str(m)}
    return out.reset_index(drop=True)
