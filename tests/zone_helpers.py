"""Hand-made zones and rate tables for the zone/map tests.

The rate tables follow the ``close_rates`` contract (``schema.RATE_COLUMNS``)
with intervals from statsmodels and a fixed Beta(13, 87) prior for the
shrunk rate, so the tests do not depend on how ``close_rates`` works.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import box
from statsmodels.stats.proportion import proportion_confint

from pondstats.schema import RATE_COLUMNS

GRID_NAMES = ["东湖区", "西湖区", "南湖区", "北湖区"]


def grid_zones(
    names=GRID_NAMES, potential=(10_000, 20_000, 10_000, 5_000)
) -> gpd.GeoDataFrame:
    """2 x 2 boxes of 0.1 degree near Wuhan: 东湖区 SW, 西湖区 SE, 南湖区 NW, 北湖区 NE."""
    geoms = [
        box(114.0, 30.0, 114.1, 30.1),
        box(114.1, 30.0, 114.2, 30.1),
        box(114.0, 30.1, 114.1, 30.2),
        box(114.1, 30.1, 114.2, 30.2),
    ]
    return gpd.GeoDataFrame(
        {
            "region": list(names),
            "code": [f"Z{i:02d}" for i in range(1, len(names) + 1)],
            "potential": np.asarray(potential, dtype="float64"),
        },
        geometry=geoms[: len(names)],
        crs="EPSG:4326",
    )


def make_rates(rows, *, period=None) -> pd.DataFrame:
    """rows: (region, a_cards, c_cards, status). A contract-shaped rate table."""
    df = pd.DataFrame(rows, columns=["region", "a_cards", "c_cards", "status"])
    a = df["a_cards"].to_numpy(dtype="float64")
    c = df["c_cards"].to_numpy(dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        df["close_rate"] = np.where(a > 0, c / a, np.nan)
        df["ac_ratio"] = np.where(c > 0, a / c, np.nan)
    lo, hi = proportion_confint(c, np.maximum(a, 1), method="wilson")
    df["ci_low"] = np.where(a > 0, lo, np.nan)
    df["ci_high"] = np.where(a > 0, hi, np.nan)
    df["shrunk_rate"] = (c + 13) / (a + 100)
    df["shrunk_low"] = df["shrunk_rate"] * 0.8
    df["shrunk_high"] = df["shrunk_rate"] * 1.2
    df["cancelled"] = 0
    df["unlinked"] = 0
    df["p_value"] = 0.5
    df["p_adjusted"] = 0.5
    cols = ["region"]
    if period is not None:
        df["period"] = pd.Period(period, freq="M")
        cols.append("period")
    return df[[*cols, *RATE_COLUMNS]]
