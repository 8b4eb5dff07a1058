"""Zone files: reading a GeoJSON, GeoPackage or Shapefile into the canonical zones table.

:func:`read_zones` reads a zone file (GBK shapefiles, GeoJSON in metres and
files without a CRS handled) and :func:`prepare_zones` makes any
GeoDataFrame the canonical zones table (``region``, ``code``, ``potential``,
``geometry`` in EPSG:4326). They live in ``io`` because zone files are input
files like the exports: the history store keeps zones too, and it stands
below the zones stage. geopandas is imported when a zone file is read, not
when :mod:`pondstats.io` is imported. Matching zone names to the data's
regions and the spatial work are in :mod:`pondstats.zones`.
"""

from __future__ import annotations

import logging
import unicodedata
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pondstats.errors import DataQualityWarning, InputError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["ZONE_CRS", "prepare_zones", "read_zones"]

log = logging.getLogger(__name__)

#: Administrative suffixes dropped from a name before matching (longest first).
_SUFFIXES: tuple[str, ...] = (
    "特别行政区",
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "自治区",
    "自治州",
    "自治县",
    "新区",
    "片区",
    "地区",
    "省",
    "市",
    "区",
    "县",
    "旗",
    "盟",
)
_EN_SUFFIXES: tuple[str, ...] = (
    "district",
    "zone",
    "area",
    "county",
    "city",
    "province",
)


def _key(name: object) -> str | None:
    """The match key of one name (None for a missing name)."""
    if name is None or (isinstance(name, float) and np.isnan(name)) or name is pd.NA:
        return None
    text = unicodedata.normalize("NFKC", str(name))
    text = "".join(text.split()).casefold()
    if not text:
        return None
    for suffix in _SUFFIXES:
        # single-character names keep their suffix: 沛县 is not 沛
        if text.endswith(suffix) and len(text) - len(suffix) >= 2:
            return text[: -len(suffix)]
    for suffix in _EN_SUFFIXES:
        if text.endswith(suffix) and len(text) > len(suffix) + 1:
            return text[: -len(suffix)].rstrip("-_ ")
    return text


#: The CRS of every zones table: longitude/latitude on WGS84.
ZONE_CRS = "EPSG:4326"

# ---------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------


def _read_vector(path: Path, **kwargs) -> gpd.GeoDataFrame:
    """Read a GeoJSON, GeoPackage or Shapefile with pyogrio."""
    import geopandas as gpd

    return gpd.read_file(path, engine="pyogrio", **kwargs)


def read_zones(
    path: str | Path,
    *,
    key: str = "region",
    aliases: Mapping[str, str] | None = None,
    code: str | None = None,
    potential: str | None = None,
    crs: str | int | None = None,
    layer: str | int | None = None,
    encoding: str | None = None,
) -> gpd.GeoDataFrame:
    """Read zone polygons from a GeoJSON, GeoPackage or Shapefile.

    The result is the canonical zones table: a GeoDataFrame in EPSG:4326 with
    ``region``, ``code``, ``potential`` and ``geometry`` first, then the
    file's other columns. See :func:`prepare_zones` for the checks made.

    Parameters
    ----------
    path : str or Path
        ``.geojson``/``.json``, ``.gpkg``, ``.shp`` (or a zipped shapefile).
    key : str, default "region"
        The column holding the zone names, e.g. ``"name_zh"``.
    aliases : mapping, optional
        Renames applied to the zone names (variant -> name used in the data).
    code, potential : str, optional
        Columns holding a zone code and the zone's potential (households,
        population, fleet). Default: ``code``/``potential`` when present.
    crs : str or int, optional
        The CRS of a file that declares none (e.g. a shapefile without its
        ``.prj``). A file that declares one is reprojected to EPSG:4326.
    layer : str or int, optional
        The layer of a multi-layer file (GeoPackage).
    encoding : str, optional
        The text encoding of a shapefile's attributes. By default the
        ``.cpg`` file says; a Chinese shapefile without one is usually GBK,
        so when its text decodes to Latin-1 gibberish it is re-read as
        GB18030.

    Returns
    -------
    GeoDataFrame

    Raises
    ------
    InputError
        File missing or unreadable, ``key`` not a column (the message lists
        the columns and which hold Chinese names), missing or duplicated
        names, missing geometries, or no CRS and coordinates that are not
        degrees.

    Examples
    --------
    >>> import tempfile, pathlib, geopandas as gpd
    >>> from shapely.geometry import box
    >>> from pondstats.io import read_zones
    >>> tmp = pathlib.Path(tempfile.mkdtemp()) / "zones.geojson"
    >>> gpd.GeoDataFrame({"片区": ["东湖区", "西湖区"]},
    ...     geometry=[box(114, 30, 114.1, 30.1), box(114.1, 30, 114.2, 30.1)],
    ...     crs="EPSG:4326").to_file(tmp)
    >>> z = read_zones(tmp, key="片区")
    >>> list(z.columns), z.crs.to_string()
    (['region', 'code', 'potential', 'geometry'], 'EPSG:4326')
    >>> z["region"].tolist(), z["code"].tolist()
    (['东湖区', '西湖区'], ['Z01', 'Z02'])
    """
    path = Path(path)
    if not path.exists():
        raise InputError(
            f"zones file not found: {path}. Expected a GeoJSON (.geojson), "
            "GeoPackage (.gpkg) or Shapefile (.shp) with one polygon per zone."
        )
    kwargs: dict[str, object] = {} if layer is None else {"layer": layer}
    if encoding is not None:
        kwargs["encoding"] = encoding
    try:
        raw = _read_vector(path, **kwargs)
        if (
            encoding is None
            and path.suffix.lower() == ".shp"
            and not any(path.with_suffix(s).exists() for s in (".cpg", ".CPG"))
            and _looks_like_gbk_as_latin1(raw)
        ):
            log.info(
                "%s: no .cpg and Latin-1 gibberish in the text: re-read as GB18030",
                path,
            )
            raw = _read_vector(path, **kwargs, encoding="gb18030")
    except Exception as exc:  # pyogrio's errors vary by driver
        raise InputError(
            f"could not read zones file {path}: {exc}. Expected a GeoJSON, "
            "GeoPackage or Shapefile (for a shapefile keep the .shp, .shx, .dbf "
            "and .prj together; Chinese shapefiles may need encoding='gbk')."
        ) from exc
    raw.attrs["pondstats"] = {"source": str(path)}
    if (
        path.suffix.lower() in (".geojson", ".json")
        and raw.crs is not None
        and raw.crs.equals(ZONE_CRS)
        and b'"crs"' not in path.read_bytes()[: 1 << 16]
    ):
        # a GeoJSON without a "crs" member is read as degrees: only true if the
        # coordinates are degrees (metres are refused), and crs= says otherwise
        minx, miny, maxx, maxy = raw.total_bounds
        degrees = -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90
        if crs is not None or not degrees:
            raw = raw.set_crs(None, allow_override=True)
    return prepare_zones(
        raw, key=key, aliases=aliases, code=code, potential=potential, crs=crs
    )


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _looks_like_gbk_as_latin1(df: pd.DataFrame) -> bool:
    """Text with Latin-1 letters (GBK bytes read as Latin-1) and no CJK at all."""
    texts = [str(c) for c in df.columns]
    for col in df.columns:
        if (
            col != df.geometry.name
            and df[col].dtype.kind in "OUT"
            or str(df[col].dtype) == "str"
        ):
            texts.extend(df[col].dropna().astype(str).head(50).tolist())
    joined = "".join(texts)
    return not _has_cjk(joined) and any("\u0080" <= ch <= "\u00ff" for ch in joined)


def _cjk_columns(df: pd.DataFrame) -> list[str]:
    """Columns whose values are mostly text with Chinese characters."""
    out = []
    for col in df.columns:
        if (
            col == "geometry"
            or df[col].dtype.kind not in "OUT"
            and str(df[col].dtype) != "str"
        ):
            continue
        vals = df[col].dropna().astype(str)
        if (
            len(vals)
            and vals.map(lambda s: any("\u4e00" <= ch <= "\u9fff" for ch in s)).mean()
            > 0.5
        ):
            out.append(str(col))
    return out


def prepare_zones(
    zones: gpd.GeoDataFrame,
    *,
    key: str = "region",
    aliases: Mapping[str, str] | None = None,
    code: str | None = None,
    potential: str | None = None,
    crs: str | int | None = None,
) -> gpd.GeoDataFrame:
    """Make a GeoDataFrame the canonical zones table (a new frame).

    ``key`` becomes ``region`` (names stripped, NFKC, ``aliases`` applied; a
    ``region`` column the file already has is kept as ``region_file``),
    ``code`` is taken from the file or made up as ``Z01, Z02, ...``,
    ``potential`` is numeric (NaN when absent), geometry is made valid and
    reprojected to EPSG:4326.

    A GeoDataFrame with no CRS is taken as longitude/latitude degrees when
    its coordinates fit (with a :class:`~pondstats.errors.DataQualityWarning`)
    and refused otherwise; pass ``crs`` to say what it is.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from pondstats.io import prepare_zones
    >>> g = gpd.GeoDataFrame({"name": [" 东湖 ", "西湖区"], "households": [1200, 800]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)], crs="EPSG:4326")
    >>> z = prepare_zones(g, key="name", potential="households")
    >>> z[["region", "code", "potential"]].values.tolist()
    [['东湖', 'Z01', 1200.0], ['西湖区', 'Z02', 800.0]]
    """
    import geopandas as gpd

    if not isinstance(zones, gpd.GeoDataFrame):
        raise InputError(
            f"zones must be a GeoDataFrame, got {type(zones).__name__}. "
            "Read a file with ps.read_zones(path, key=...)."
        )
    source = zones.attrs.get("pondstats", {}).get("source", "the zones table")
    if len(zones) == 0:
        raise InputError(f"{source} has no features: expected one polygon per zone.")
    if key not in zones.columns:
        cjk = _cjk_columns(zones)
        hint = (
            f" Columns with Chinese names: {cjk}; e.g. key={cjk[0]!r}." if cjk else ""
        )
        cols = [c for c in zones.columns if c != zones.geometry.name]
        raise InputError(
            f"{source} has no column {key!r} with the zone names. Columns found: "
            f"{cols[:40]}{' ...' if len(cols) > 40 else ''}.{hint} "
            "Pass the name column as key=..."
        )
    out = zones.copy()
    geom_name = out.geometry.name
    if key != "region" and "region" in out.columns:
        out = out.rename(columns={"region": "region_file"})
    names = out[key].map(
        lambda v: (
            None
            if v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA
            else (" ".join(unicodedata.normalize("NFKC", str(v)).split()) or None)
        )
    )
    if aliases:
        alias_keys = {_key(k): v for k, v in aliases.items()}
        names = names.map(
            lambda v: alias_keys.get(_key(v), v) if v is not None else None
        )
    missing = names.isna().to_numpy()
    if missing.any():
        rows = np.flatnonzero(missing)
        raise InputError(
            f"{source}: {missing.sum()} of {len(out)} features have no name in column "
            f"{key!r} (feature numbers, from 0: {rows[:20].tolist()}). Every zone needs "
            "a name: fill them in, or pass another key=..."
        )
    dup = names[names.duplicated(keep=False)]
    if len(dup):
        raise InputError(
            f"{source}: zone names repeat in column {key!r}: {sorted(set(dup))}. "
            "Expected one feature per zone: merge the parts first, e.g. "
            "zones.dissolve(by=...).reset_index(), or pick a more specific key."
        )
    out["region"] = names.astype("str")
    if key != "region":
        out = out.drop(columns=[key])

    # geometry
    geoms = out.geometry
    empty = (geoms.isna() | geoms.is_empty).to_numpy()
    if empty.any():
        raise InputError(
            f"{source}: zones without a geometry: {out['region'][empty].tolist()}. "
            "Every zone needs its polygon: draw it or remove the feature."
        )
    bad_type = ~geoms.geom_type.isin(["Polygon", "MultiPolygon"]).to_numpy()
    if bad_type.all():
        raise InputError(
            f"{source}: the geometries are {sorted(set(geoms.geom_type))}, expected "
            "Polygon or MultiPolygon zones (points cannot be mapped as zones)."
        )
    invalid = (~geoms.is_valid).to_numpy()
    if invalid.any():
        log.info("%s: made %d invalid zone polygons valid", source, invalid.sum())
        out[geom_name] = geoms.make_valid()

    # CRS
    if out.crs is None:
        if crs is not None:
            out = out.set_crs(crs)
        else:
            minx, miny, maxx, maxy = out.total_bounds
            if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
                warnings.warn(
                    f"{source} declares no CRS; its coordinates look like longitude/"
                    "latitude degrees, so EPSG:4326 is assumed. Pass crs=... to "
                    "read_zones if that is wrong (e.g. crs=4490 for CGCS2000).",
                    DataQualityWarning,
                    stacklevel=3,
                )
                out = out.set_crs(ZONE_CRS)
            else:
                raise InputError(
                    f"{source} declares no CRS and its coordinates are not degrees "
                    f"(bounds {np.round(out.total_bounds, 1).tolist()}), so the zones "
                    "cannot be placed. Pass its CRS, e.g. read_zones(path, crs=4547) "
                    "for CGCS2000 / 3-degree Gauss-Kruger CM 114E, or add the .prj file."
                )
    elif crs is not None and out.crs != gpd.GeoSeries(crs=crs).crs:
        log.info("%s declares %s; crs=%s ignored", source, out.crs, crs)
    if not out.crs.equals(ZONE_CRS):
        out = out.to_crs(ZONE_CRS)

    # code and potential
    code_col = code or ("code" if "code" in out.columns else None)
    if code is not None and code not in out.columns:
        raise InputError(
            f"{source} has no column {code!r} for code=; columns: {list(out.columns)}"
        )
    if code_col is None:
        width = max(2, len(str(len(out))))
        codes = pd.Series(
            [f"Z{i:0{width}d}" for i in range(1, len(out) + 1)], index=out.index
        )
    else:
        codes = out[code_col].astype("str")
        if code_col != "code":
            out = out.drop(columns=[code_col])
    out["code"] = codes.astype("str")
    pot_col = potential or ("potential" if "potential" in out.columns else None)
    if potential is not None and potential not in out.columns:
        raise InputError(
            f"{source} has no column {potential!r} for potential=; columns: {list(out.columns)}"
        )
    if pot_col is None:
        pot = pd.Series(np.nan, index=out.index, dtype="float64")
    else:
        pot = pd.to_numeric(out[pot_col], errors="coerce").astype("float64")
        bad = pot.isna() & out[pot_col].notna()
        if bad.any():
            warnings.warn(
                f"{source}: {bad.sum()} zones have a {pot_col!r} that is not a number "
                f"({out.loc[bad, 'region'].tolist()[:10]}); their potential is left empty.",
                DataQualityWarning,
                stacklevel=3,
            )
        if pot_col != "potential":
            out = out.drop(columns=[pot_col])
    out["potential"] = pot
    first = ["region", "code", "potential"]
    rest = [c for c in out.columns if c not in first and c != geom_name]
    out = out[[*first, *rest, geom_name]]
    if geom_name != "geometry":
        out = out.rename_geometry("geometry")
    out = out.reset_index(drop=True)
    out.attrs = {"pondstats": {"source": source}}
    return out
