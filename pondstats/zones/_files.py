"""Zone polygons: assigning regions to points (and the zone file readers).

Dealers divide their territory into zones (片区) and compare A- and C-cards
zone by zone. :func:`read_zones` turns a GeoJSON, GeoPackage or Shapefile
into the canonical zones table (a GeoDataFrame in EPSG:4326 with
``region``, ``code``, ``potential`` and ``geometry``); it lives in
:mod:`pondstats.io._zones` (zone files are input files, and the history
store below this stage reads them too) and is re-exported here.
:func:`assign_regions` gives visits that carry coordinates but no zone the
zone they fall in. Matching zone names to the data's regions is in
:mod:`pondstats.zones._names` (re-exported here), the weak-zone diagnosis in
:mod:`pondstats.zones._diagnosis`.
"""

from __future__ import annotations

import logging
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

from pondstats.errors import DataQualityWarning, InputError
from pondstats.io._zones import ZONE_CRS, prepare_zones, read_zones
from pondstats.zones._names import ZoneMatch, match_zones, region_key

__all__ = [
    "ZONE_CRS",
    "ZoneMatch",
    "assign_regions",
    "match_zones",
    "prepare_zones",
    "read_zones",
    "region_key",
]

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------
# spatial join
# ---------------------------------------------------------------------------


def assign_regions(
    visits: pd.DataFrame,
    zones: gpd.GeoDataFrame,
    *,
    overwrite: bool = False,
) -> pd.DataFrame:
    """Give visits that carry ``lat``/``lon`` but no region the zone they fall in.

    A spatial join of the points on the zone polygons (a point on a shared
    border goes to the first zone in table order). Rows are never dropped:
    points outside every zone, or with no or impossible coordinates, keep a
    missing region and are counted in ``result.attrs["pondstats"]
    ["assign_regions"]`` and a :class:`~pondstats.errors.DataQualityWarning`.

    Parameters
    ----------
    visits : DataFrame
        Visits with ``lat`` and ``lon`` (degrees, WGS84) and maybe ``region``.
    zones : GeoDataFrame
        The zones table.
    overwrite : bool, default False
        Re-assign rows that already have a region too.

    Returns
    -------
    DataFrame
        A copy of ``visits`` with ``region`` filled in.

    Examples
    --------
    >>> import pandas as pd, geopandas as gpd
    >>> from shapely.geometry import box
    >>> from pondstats.zones import assign_regions
    >>> z = gpd.GeoDataFrame({"region": ["东湖区", "西湖区"]},
    ...     geometry=[box(114, 30, 114.1, 30.1), box(114.1, 30, 114.2, 30.1)], crs=4326)
    >>> v = pd.DataFrame({"region": [None, None, "南湖区"],
    ...                   "lat": [30.05, 30.05, 30.5], "lon": [114.05, 114.15, 114.5]})
    >>> assign_regions(v, z)["region"].tolist()
    ['东湖区', '西湖区', '南湖区']
    """
    missing_cols = [c for c in ("lat", "lon") if c not in visits.columns]
    if missing_cols:
        raise InputError(
            f"assign_regions needs 'lat' and 'lon' columns (degrees, WGS84); "
            f"missing {missing_cols}, found {list(visits.columns)}. Map the export's "
            "coordinate headers (纬度 -> lat, 经度 -> lon) when reading."
        )
    if "region" not in zones.columns:
        raise InputError(f"zones need a 'region' column, found {list(zones.columns)}.")
    if zones.crs is None or not zones.crs.equals(ZONE_CRS):
        zones = prepare_zones(zones) if zones.crs is None else zones.to_crs(ZONE_CRS)
    out = visits.copy()
    region = (
        out["region"].astype("str")
        if "region" in out.columns
        else pd.Series(pd.NA, index=out.index, dtype="str")
    )
    todo = np.ones(len(out), dtype=bool) if overwrite else region.isna().to_numpy()
    lat = pd.to_numeric(out["lat"], errors="coerce").to_numpy(dtype="float64")
    lon = pd.to_numeric(out["lon"], errors="coerce").to_numpy(dtype="float64")
    no_coords = todo & (np.isnan(lat) | np.isnan(lon))
    impossible = (
        todo
        & ~no_coords
        & ((np.abs(lat) > 90) | (np.abs(lon) > 180) | ((lat == 0) & (lon == 0)))
    )
    usable = todo & ~no_coords & ~impossible
    idx = np.flatnonzero(usable)
    found = _which_zone(lon[idx], lat[idx], zones)
    inside = found >= 0
    new_region = region.to_numpy(dtype=object, na_value=None).copy()
    if overwrite:
        new_region[todo] = None
    new_region[idx[inside]] = zones["region"].to_numpy(dtype=object)[found[inside]]
    # points that land in a zone with lat and lon swapped (a common export mix-up)
    retry = np.concatenate(
        [idx[~inside], np.flatnonzero(impossible & (lat != 0) & (lon != 0))]
    )
    retry = retry[(np.abs(lon[retry]) <= 90) & (np.abs(lat[retry]) <= 180)]
    swapped = int((_which_zone(lat[retry], lon[retry], zones) >= 0).sum())
    out["region"] = pd.Series(new_region, index=out.index, dtype="str")
    summary = {
        "to_assign": int(todo.sum()),
        "assigned": int(inside.sum()),
        "outside": int((~inside).sum()),
        "no_coordinates": int(no_coords.sum()),
        "impossible_coordinates": int(impossible.sum()),
        "inside_if_swapped": swapped,
    }
    out.attrs = {
        **visits.attrs,
        "pondstats": {**visits.attrs.get("pondstats", {}), "assign_regions": summary},
    }
    left = (
        summary["outside"]
        + summary["no_coordinates"]
        + summary["impossible_coordinates"]
    )
    log.info("assign_regions: %s", summary)
    if left:
        hint = (
            f" {swapped} of them fall in a zone with lat and lon swapped: check "
            "which export column is 纬度 (lat) and which 经度 (lon)."
            if swapped
            else ""
        )
        warnings.warn(
            f"{left} of {summary['to_assign']} visits without a region got none: "
            f"{summary['outside']} lie outside every zone, {summary['no_coordinates']} "
            f"have no coordinates, {summary['impossible_coordinates']} have impossible "
            f"ones (0,0 or out of range). They are kept with a missing region.{hint}",
            DataQualityWarning,
            stacklevel=2,
        )
    return out


def _which_zone(x: np.ndarray, y: np.ndarray, zones: gpd.GeoDataFrame) -> np.ndarray:
    """Index (position) of the first zone containing each point, -1 if none."""
    result = np.full(len(x), -1, dtype=np.int64)
    if len(x) == 0:
        return result
    points = gpd.GeoSeries(gpd.points_from_xy(x, y), crs=ZONE_CRS)
    pi, zi = zones.geometry.reset_index(drop=True).sindex.query(
        points, predicate="intersects"
    )
    if len(pi):
        order = np.lexsort((zi, pi))  # per point, the lowest zone position first
        pi, zi = pi[order], zi[order]
        first = np.r_[True, pi[1:] != pi[:-1]]
        result[pi[first]] = zi[first]
    return result
