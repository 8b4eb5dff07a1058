"""Weak-zone diagnosis: is a zone short of traffic, of conversion, or both?

A zone can be weak in two ways that need different remedies (DOMAIN.md):
*traffic* (few A-cards for its potential: advertising, outreach, events) and
*conversion* (A-cards come but do not close: training, follow-up).
:func:`diagnose_zones` tells them apart from a close-rate table
(``ps.close_rates``); :func:`zone_rates` puts a rate table on the zone
polygons for maps; :func:`weak_clusters` finds neighbouring zones that are
weak together (local Moran's I with a false-discovery-rate correction).
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

from pondstats._checks import check_frame
from pondstats.dates import parse_month
from pondstats.errors import DataQualityWarning, InputError
from pondstats.schema import Benchmark
from pondstats.vocab import ACTIONS as _ACTION_WORDS
from pondstats.vocab import UNJUDGED_ACTION as _UNJUDGED
from pondstats.zones._names import match_zones

__all__ = [
    "ACTIONS",
    "UNJUDGED_ACTION",
    "diagnose_zones",
    "select_period",
    "weak_clusters",
    "zone_rates",
]

#: The action word per problem, ``{"zh": ..., "en": ...}`` (words: vocab.ACTIONS).
ACTIONS: dict[str, dict[str, str]] = {
    p: {"zh": zh, "en": en} for p, (zh, en) in _ACTION_WORDS.items()
}

#: The action of a zone whose traffic is fine but whose close rate rests on too
#: few A-cards to judge (``status == "too_few"``; words: vocab.UNJUDGED_ACTION).
UNJUDGED_ACTION: dict[str, str] = {"zh": _UNJUDGED[0], "en": _UNJUDGED[1]}

_NEEDED = ("region", "a_cards", "c_cards", "close_rate", "shrunk_rate", "status")


def _check_rates(rates: pd.DataFrame, needed: tuple[str, ...] = _NEEDED) -> None:
    check_frame(
        rates,
        "rates",
        needed,
        fix="Make it with ps.close_rates(visits, deposits, by='region').",
    )


def select_period(
    rates: pd.DataFrame, period: str | pd.Period | None = None
) -> tuple[pd.DataFrame, str]:
    """The rows of one period of a rate table, and a label for that period.

    A table without a ``period`` column (``close_rates(..., period=None)``)
    is the whole range and is returned as it is (label ``"全部 all"``, or
    ``rates.attrs["period_label"]`` when set, e.g. ``"2024-11..2026-10"``). A table
    with one period needs no choice; with several, ``period`` is required.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.zones._diagnosis import select_period
    >>> r = pd.DataFrame({"region": ["东湖区", "东湖区"],
    ...                   "period": pd.PeriodIndex(["2026-09", "2026-10"], freq="M")})
    >>> sub, label = select_period(r, "2026-10")
    >>> len(sub), label
    (1, '2026-10')
    """
    if "period" not in rates.columns:
        label = rates.attrs.get("period_label") or rates.attrs.get("pondstats", {}).get(
            "range", "全部 all"
        )
        return rates, str(label)
    periods = pd.Series(rates["period"].dropna().unique())
    shown = ", ".join(str(p) for p in sorted(periods)[:3])
    if len(periods) > 3:
        shown += f", ... {max(periods)}"
    if period is None:
        if len(periods) == 1:
            chosen = periods.iloc[0]
            return rates[rates["period"] == chosen].copy(), str(chosen)
        raise InputError(
            f"the rates table has {len(periods)} periods ({shown}); choose one with "
            "period='YYYY-MM', or compute the whole range with "
            "ps.close_rates(..., period=None)."
        )
    freq = periods.iloc[0].freqstr if len(periods) else "M"
    want = parse_month(period, name="period")
    if freq != "M":
        want = want.asfreq(freq)
    sub = rates[rates["period"] == want]
    if sub.empty:
        raise InputError(
            f"period {want} is not in the rates table, which has {len(periods)} periods "
            f"({shown}). Pick one of those."
        )
    return sub.copy(), str(want)


def _one_row_per_region(rates: pd.DataFrame) -> None:
    dup = rates["region"][rates["region"].duplicated()]
    if len(dup):
        raise InputError(
            f"expected one row per region, but {sorted(set(dup.astype(str)))[:10]} "
            "repeat. Compute the rates by region only: ps.close_rates(..., by='region')."
        )


def zone_rates(
    zones: gpd.GeoDataFrame,
    rates: pd.DataFrame,
    *,
    period: str | pd.Period | None = None,
    aliases: dict[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Put one period of a rate table on the zone polygons (a new frame).

    Zone names are matched to the table's regions (:func:`match_zones`).
    Every zone is kept; those without a row get ``has_data`` False and
    missing rates. Regions of the table that are on no zone are reported in
    a :class:`~pondstats.errors.DataQualityWarning`. The chosen period's
    label is in ``result.attrs["pondstats"]["period"]``.

    Examples
    --------
    >>> import pandas as pd, geopandas as gpd
    >>> from shapely.geometry import box
    >>> from pondstats.zones._diagnosis import zone_rates
    >>> z = gpd.GeoDataFrame({"region": ["东湖", "西湖区"]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs=4326)
    >>> r = pd.DataFrame({"region": ["东湖区"], "a_cards": [100], "close_rate": [0.1]})
    >>> zr = zone_rates(z, r)
    >>> zr[["region", "a_cards", "has_data"]].values.tolist()
    [['东湖区', 100.0, True], ['西湖区', nan, False]]
    """
    _check_rates(rates, ("region",))
    sub, label = select_period(rates, period)
    _one_row_per_region(sub)
    m = match_zones(zones, sub, aliases=aliases)
    if m.unmatched_regions:
        warnings.warn(
            f"{len(m.unmatched_regions)} regions of the data are on no zone of the map "
            f"and are not drawn: {', '.join(m.unmatched_regions)}. Add them to the "
            "zones file or map their names with aliases={...}.",
            DataQualityWarning,
            stacklevel=3,
        )
    cols = [
        c
        for c in sub.columns
        if c not in ("period",) and (c == "region" or c not in m.zones.columns)
    ]
    out = m.zones.merge(sub[cols], on="region", how="left", validate="one_to_one")
    out["has_data"] = out["region"].isin(set(sub["region"].dropna()))
    if "a_cards" in out.columns:
        out["a_cards"] = out["a_cards"].astype("float64")
    out.attrs = {
        "pondstats": {
            "period": label,
            "unmatched_zones": list(m.unmatched_zones),
            "unmatched_regions": list(m.unmatched_regions),
        }
    }
    return out


def diagnose_zones(
    rates: pd.DataFrame,
    zones: gpd.GeoDataFrame | None = None,
    *,
    period: str | pd.Period | None = None,
    benchmark: Benchmark | None = None,
    traffic_low: float = 0.75,
    period_label: str | None = None,
) -> pd.DataFrame:
    """Per zone: is the weakness traffic, conversion, both, or none?

    *Traffic* is A-cards per 1,000 units of the zone's ``potential``
    (households, population, fleet) when ``zones`` give a potential for every
    zone, else the A-cards themselves; ``traffic_index`` divides it by the
    median zone's, and traffic is weak below ``traffic_low`` (75% of the
    median zone by default). *Conversion* is weak when the rate table's
    ``status`` says ``weak``: credibly below the benchmark after shrinkage
    and multiple-testing control; ``too_few`` zones are not judged on
    conversion (``conversion_judged`` False). ``conversion_index`` is the
    shrunk close rate over the benchmark target.

    Parameters
    ----------
    rates : DataFrame
        From ``ps.close_rates(..., by="region")``: one period or the whole
        range (``period=None``).
    zones : GeoDataFrame, optional
        Zones with ``potential``; zones without any data are included with
        zero A-cards (no traffic at all). Regions of the data on no zone stay
        in the result with ``on_map`` False (and a warning); with a
        potential they are not judged on traffic.
    period : str or Period, optional
        Which period of a multi-period table (required then).
    benchmark : Benchmark, optional
        The close-rate benchmark (13% by default).
    traffic_low : float, default 0.75
        Traffic index below which traffic is weak.
    period_label : str, optional
        The period's name in the result (e.g. ``"2024-11..2026-10"`` for a
        whole-range table).

    Returns
    -------
    DataFrame
        ``region``, ``period`` (a label), ``on_map``, ``a_cards``, ``c_cards``,
        ``potential``, ``traffic``, ``traffic_basis``, ``traffic_index``,
        ``traffic_weak``, ``close_rate``, ``shrunk_rate``, ``shrunk_low``,
        ``shrunk_high``, ``conversion_index``, ``status``,
        ``conversion_judged``, ``conversion_weak``, ``problem`` (traffic,
        conversion, both, none), ``action_zh``, ``action_en`` (引流 grow
        traffic, 提升转化 fix conversion, both, 无明显问题 no clear problem; a zone with no
        problem but too few A-cards to judge gets 观察(样本不足) watch: too
        few to judge).

    Raises
    ------
    InputError
        Columns missing, several periods and none chosen, a region repeated.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.zones._diagnosis import diagnose_zones
    >>> r = pd.DataFrame({"region": ["东湖区", "西湖区", "南湖区", "北湖区"],
    ...     "a_cards": [200, 60, 210, 190], "c_cards": [10, 8, 27, 25],
    ...     "close_rate": [0.05, 0.133, 0.129, 0.132],
    ...     "shrunk_rate": [0.06, 0.13, 0.128, 0.131],
    ...     "status": ["weak", "on_track", "on_track", "on_track"]})
    >>> d = diagnose_zones(r)
    >>> d[["region", "problem", "action_zh", "action_en"]].values.tolist()
    [['东湖区', 'conversion', '提升转化', 'fix conversion'], ['西湖区', 'traffic', '引流', 'grow traffic'], ['南湖区', 'none', '无明显问题', 'no clear problem'], ['北湖区', 'none', '无明显问题', 'no clear problem']]
    """
    _check_rates(rates)
    b = benchmark or rates.attrs.get("benchmark") or Benchmark()
    if not 0 < traffic_low <= 1:
        raise InputError(
            f"traffic_low must be in (0, 1], got {traffic_low}; 0.75 means 75% of the median zone."
        )
    sub, label = select_period(rates, period)
    label = period_label or label
    _one_row_per_region(sub)
    keep = [c for c in (*_NEEDED, "shrunk_low", "shrunk_high") if c in sub.columns]
    df = pd.DataFrame(sub[keep]).reset_index(drop=True)
    df["potential"] = np.nan
    df["on_map"] = zones is not None
    if zones is not None:
        zr = zone_rates(zones, sub.drop(columns="period", errors="ignore"))
        mapped = pd.DataFrame(zr.drop(columns="geometry"))
        mapped = mapped[[c for c in mapped.columns if c in (*keep, "potential")]]
        mapped["status"] = mapped["status"].fillna("too_few")
        mapped["on_map"] = True
        # regions of the data on no zone stay in the table (not judged on traffic)
        off_map = df[~df["region"].isin(set(mapped["region"]))].assign(on_map=False)
        df = pd.concat([mapped, off_map], ignore_index=True) if len(off_map) else mapped
    df["a_cards"] = df["a_cards"].fillna(0).astype("int64")
    df["c_cards"] = df["c_cards"].fillna(0).astype("int64")
    df.insert(1, "period", label)

    pot = pd.to_numeric(df["potential"], errors="coerce")
    on_map = df["on_map"].to_numpy(bool)
    if zones is not None and (pot[on_map] > 0).all():
        df["traffic"] = df["a_cards"] / pot * 1000.0  # NaN off the map
        df["traffic_basis"] = "a_cards per 1000 potential"
    else:
        if zones is not None and (pot[on_map] > 0).any():
            lacking = df.loc[on_map & ~(pot > 0), "region"].tolist()
            warnings.warn(
                f"{len(lacking)} zones have no positive potential ({lacking[:10]}); traffic "
                "is judged on A-cards relative to the other zones for all zones. Fill in "
                "'potential' (households) for every zone to judge traffic per household.",
                DataQualityWarning,
                stacklevel=2,
            )
        df["traffic"] = df["a_cards"].astype("float64")
        df["traffic_basis"] = "a_cards relative"
    med = float(np.nanmedian(df["traffic"])) if len(df) else np.nan
    df["traffic_index"] = df["traffic"] / med if med > 0 else np.nan
    df["traffic_weak"] = (df["traffic_index"] < traffic_low).fillna(False).astype(bool)
    df["conversion_index"] = df["shrunk_rate"] / b.target
    df["conversion_judged"] = df["status"].isin(["weak", "on_track", "strong"])
    df["conversion_weak"] = (df["status"] == "weak").astype(bool)
    problem = np.select(
        [
            df["traffic_weak"] & df["conversion_weak"],
            df["traffic_weak"],
            df["conversion_weak"],
        ],
        ["both", "traffic", "conversion"],
        default="none",
    )
    df["problem"] = pd.Series(problem, index=df.index, dtype="str")
    unjudged = (df["problem"] == "none") & ~df["conversion_judged"]
    df["action_zh"] = df["problem"].map(lambda p: ACTIONS[p]["zh"]).astype("str")
    df["action_en"] = df["problem"].map(lambda p: ACTIONS[p]["en"]).astype("str")
    df.loc[unjudged, "action_zh"] = UNJUDGED_ACTION["zh"]
    df.loc[unjudged, "action_en"] = UNJUDGED_ACTION["en"]
    order = [
        "region",
        "period",
        "on_map",
        "a_cards",
        "c_cards",
        "potential",
        "traffic",
        "traffic_basis",
        "traffic_index",
        "traffic_weak",
        "close_rate",
        "shrunk_rate",
        "shrunk_low",
        "shrunk_high",
        "conversion_index",
        "status",
        "conversion_judged",
        "conversion_weak",
        "problem",
        "action_zh",
        "action_en",
    ]
    df = df[[c for c in order if c in df.columns]]
    df.attrs = {
        "pondstats": {"period": label, "benchmark": b, "traffic_low": traffic_low}
    }
    return df


def weak_clusters(
    zones: gpd.GeoDataFrame,
    rates: pd.DataFrame,
    *,
    period: str | pd.Period | None = None,
    column: str = "shrunk_rate",
    alpha: float = 0.05,
    permutations: int = 999,
    random_state: int | None = 0,
) -> gpd.GeoDataFrame:
    """Neighbouring zones that are weak (or strong) together.

    Local Moran's I (PySAL ``esda``) of ``column`` over queen contiguity
    (zones that share a border or a corner), with permutation p-values and a
    false-discovery-rate correction across zones (``esda.fdr``). A zone is in
    a ``weak`` cluster when it is significant and low among low neighbours
    (LL), ``strong`` when high among high (HH); ``outlier`` for HL/LH.
    Zones without neighbours or data are not tested (``cluster`` missing).

    Needs the ``maps`` extra: ``pip install "pondstats[maps]"``.

    Returns
    -------
    GeoDataFrame
        The zones with ``column``, ``local_i``, ``p_sim``, ``quadrant``
        (HH, LH, LL, HL), ``significant`` and ``cluster``.

    Examples
    --------
    >>> import pandas as pd, geopandas as gpd
    >>> from shapely.geometry import box
    >>> from pondstats.zones._diagnosis import weak_clusters
    >>> z = gpd.GeoDataFrame({"region": [f"Z{i}{j}" for i in range(4) for j in range(4)]},
    ...     geometry=[box(i, j, i + 1, j + 1) for i in range(4) for j in range(4)], crs=4326)
    >>> r = pd.DataFrame({"region": z["region"], "shrunk_rate":
    ...     [0.05 if (i < 2 and j < 2) else 0.15 for i in range(4) for j in range(4)]})
    >>> c = weak_clusters(z, r, alpha=0.2)
    >>> sorted(c.loc[c["cluster"] == "weak", "region"])
    ['Z00', 'Z01', 'Z10', 'Z11']
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # esda's tqdm import warns in notebooks
            import esda
            from libpysal.weights import Queen
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            'weak_clusters needs esda and libpysal: pip install "pondstats[maps]"'
        ) from exc
    _check_rates(rates, ("region", column))
    zr = zone_rates(zones, rates, period=period)
    out = zr[
        ["region", "code", "geometry"]
        if "code" in zr.columns
        else ["region", "geometry"]
    ].copy()
    out[column] = pd.to_numeric(zr[column], errors="coerce").astype("float64")
    for col, val in (("local_i", np.nan), ("p_sim", np.nan)):
        out[col] = val
    out["quadrant"] = pd.Series(pd.NA, index=out.index, dtype="str")
    out["significant"] = False
    out["cluster"] = pd.Series(pd.NA, index=out.index, dtype="str")
    ok = out[column].notna().to_numpy()
    test = out[ok].reset_index()
    if len(test) >= 4 and test[column].nunique() > 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # libpysal warns about islands
            w = Queen.from_dataframe(test, use_index=False)
        has_nb = np.array([w.cardinalities[i] > 0 for i in w.id_order])
        if has_nb.sum() >= 4:
            sub = test[has_nb].reset_index(drop=True)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                w = Queen.from_dataframe(sub, use_index=False)
                w.transform = "r"
                lisa = esda.Moran_Local(
                    sub[column].to_numpy(),
                    w,
                    permutations=permutations,
                    seed=random_state,
                )
            threshold = esda.fdr(lisa.p_sim, alpha)
            sig = lisa.p_sim <= threshold
            quad = np.array(["HH", "LH", "LL", "HL"])[lisa.q - 1]
            rows = sub["index"].to_numpy()
            out.loc[rows, "local_i"] = lisa.Is
            out.loc[rows, "p_sim"] = lisa.p_sim
            out.loc[rows, "quadrant"] = quad
            out.loc[rows, "significant"] = sig
            kind = np.where(
                quad == "LL", "weak", np.where(quad == "HH", "strong", "outlier")
            )
            out.loc[rows, "cluster"] = np.where(sig, kind, "none")
    out.attrs = {
        "pondstats": {
            "period": zr.attrs["pondstats"]["period"],
            "alpha": alpha,
            "column": column,
        }
    }
    return out
