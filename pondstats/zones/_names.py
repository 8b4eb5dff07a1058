"""Zone names: match the names of a map to the regions of the data.

Zone names in files and exports rarely agree character for character
(``东湖`` / ``东湖区``, full-width letters, stray spaces, ``广西`` /
``广西壮族自治区``). :func:`match_zones` first applies the cleaning step's
:func:`pondstats.clean.normalize_region` (so a map matches the data exactly
as cleaning merged the spellings), then a wider *match key*
(:func:`region_key`): Unicode NFKC, no whitespace, lower case, without an
administrative suffix (省, 自治区, 新区, ... too). Names that still differ
can be mapped with ``aliases``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from pondstats.clean import normalize_region
from pondstats.errors import InputError
from pondstats.io._zones import _EN_SUFFIXES, _SUFFIXES, _key  # noqa: F401

__all__ = ["ZoneMatch", "match_zones", "region_key"]

#: Suffixes that name the same kind of place (片区 is a sales zone's 区).
_KIND = {"片区": "区", "district": "区", "county": "县", "city": "市", "province": "省"}


def _suffix_kind(name: object) -> str:
    """The kind of administrative suffix a name carries ('' for a bare name)."""
    k = _key(name)
    if k is None:
        return ""
    text = "".join(unicodedata.normalize("NFKC", str(name)).split()).casefold()
    suffix = text[len(k) :].strip("-_ ") if text.startswith(k) else ""
    return _KIND.get(suffix, suffix)


def _compatible(a: object, b: object) -> bool:
    """Two names may be one zone: one of them is bare, or both have the same kind.

    ``长沙县`` and ``长沙市`` (or ``朝阳区`` and ``朝阳县``) are different places.
    """
    ka, kb = _suffix_kind(a), _suffix_kind(b)
    return not ka or not kb or ka == kb


def region_key(
    names: pd.Series, *, aliases: Mapping[str, str] | None = None
) -> pd.Series:
    """Match keys for region names: what two spellings of one zone share.

    NFKC (full-width to half-width), whitespace removed, lower case, and one
    administrative suffix (省, 市, 区, 县, 片区, 新区, 自治区, ...) dropped
    unless the name would shrink to one character. ``aliases`` (variant ->
    canonical name) are applied first. The input is not changed.

    Parameters
    ----------
    names : Series
        Region names as written in a file or export.
    aliases : mapping, optional
        Extra spellings, e.g. ``{"老城": "城关区"}``.

    Returns
    -------
    Series of str
        The keys, NA where the name is missing.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.zones import region_key
    >>> region_key(pd.Series(["东湖区", " 东湖 ", "广西壮族自治区", "沛县", "Ｅａｓｔ Zone"])).tolist()
    ['东湖', '东湖', '广西', '沛县', 'east']
    >>> region_key(pd.Series(["老城"]), aliases={"老城": "城关区"}).tolist()
    ['城关']
    """
    alias_keys = {_key(k): v for k, v in (aliases or {}).items()}

    def one(name: object) -> str | None:
        k = _key(name)
        if k is None:
            return None
        if k in alias_keys:
            return _key(alias_keys[k])
        return k

    return pd.Series([one(v) for v in names], index=names.index, dtype="str")


# ---------------------------------------------------------------------------
# matching names
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ZoneMatch:
    """How the zone names of a map match the regions of the data.

    Attributes
    ----------
    zones : GeoDataFrame
        The zones, with ``region`` renamed to the data's spelling where the
        two matched on their key (the file's name is kept in ``zone_name``).
    pairs : DataFrame
        ``zone_name``, ``region``, ``how`` (``exact`` or ``normalised``).
    unmatched_zones : tuple of str
        Zones on the map that no data region matches (drawn as "no data").
    unmatched_regions : tuple of str
        Regions in the data that no zone matches (not on the map).
    """

    zones: gpd.GeoDataFrame
    pairs: pd.DataFrame
    unmatched_zones: tuple[str, ...] = field(default=())
    unmatched_regions: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        """True when every zone and every region found its partner."""
        return not self.unmatched_zones and not self.unmatched_regions

    def __str__(self) -> str:
        n = len(self.pairs)
        lines = [
            f"{n} zones matched ({(self.pairs['how'] == 'normalised').sum()} by "
            "normalised name)"
        ]
        if self.unmatched_zones:
            lines.append(
                f"{len(self.unmatched_zones)} zones on the map have no data: "
                + ", ".join(self.unmatched_zones)
            )
        if self.unmatched_regions:
            lines.append(
                f"{len(self.unmatched_regions)} regions in the data are not on the map: "
                + ", ".join(self.unmatched_regions)
            )
        return "; ".join(lines)


def _region_names(regions: object) -> list[str]:
    if isinstance(regions, pd.DataFrame):
        if "region" not in regions.columns:
            raise InputError(
                f"expected a 'region' column in the data, found {list(regions.columns)}."
            )
        regions = regions["region"]
    values = pd.Series(list(regions) if not isinstance(regions, pd.Series) else regions)
    values = values.dropna().astype("str")
    return list(dict.fromkeys(values.tolist()))


def match_zones(
    zones: gpd.GeoDataFrame,
    regions: pd.Series | pd.DataFrame | Iterable[str],
    *,
    aliases: Mapping[str, str] | None = None,
) -> ZoneMatch:
    """Match the zone names of a map to the region names of the data.

    Names match exactly, else on their :func:`region_key` (so ``东湖`` on the
    map finds ``东湖区`` in the data) when that key is unambiguous on both
    sides and the two are not different kinds of place: a bare name joins one
    full name, but ``长沙县`` never matches ``长沙市`` (nor ``朝阳区`` ``朝阳县``). Matched zones take the data's spelling. Unmatched names on both
    sides are reported, never dropped.

    Parameters
    ----------
    zones : GeoDataFrame
        The zones table (``region`` column).
    regions : Series, DataFrame or iterable of str
        The data's regions (a DataFrame's ``region`` column is used).
    aliases : mapping, optional
        Extra spellings (variant -> name), applied to both sides.

    Returns
    -------
    ZoneMatch

    Raises
    ------
    InputError
        When no zone matches any region at all (a wrong file or a wrong
        ``key``): the message lists both sides.

    Examples
    --------
    >>> import geopandas as gpd
    >>> from shapely.geometry import box
    >>> from pondstats.zones import match_zones
    >>> z = gpd.GeoDataFrame({"region": ["东湖", "西湖区", "北湖区"]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 1, 1, 2)], crs=4326)
    >>> m = match_zones(z, ["东湖区", "西湖区", "南湖区"])
    >>> m.zones["region"].tolist()
    ['东湖区', '西湖区', '北湖区']
    >>> print(m)
    2 zones matched (1 by normalised name); 1 zones on the map have no data: 北湖区; 1 regions in the data are not on the map: 南湖区
    """
    if "region" not in zones.columns:
        raise InputError(
            f"zones need a 'region' column, found {list(zones.columns)}. "
            "Read them with ps.read_zones(path, key=<name column>)."
        )
    names = _region_names(regions)
    zone_names = zones["region"].astype("str").tolist()
    zkeys = region_key(pd.Series(zone_names), aliases=aliases).tolist()
    rkeys = region_key(pd.Series(names, dtype="str"), aliases=aliases).tolist()

    mapping: dict[str, tuple[str, str]] = {}  # zone name -> (region, how)
    used: set[str] = set()
    name_set = set(names)
    for z in zone_names:
        if z in name_set:
            mapping[z] = (z, "exact")
            used.add(z)
    # 1. the cleaning step's normalisation (normalize_region: 东湖 = 东湖区 = 东湖片区),
    # 2. the wider match key (also 省/自治区/新区..., NFKC, case), each only
    #    where the name is unambiguous on both sides
    both = pd.Series([*zone_names, *names], dtype="str")
    canon = normalize_region(both, aliases=dict(aliases) if aliases else None).tolist()
    zcanon, rcanon = canon[: len(zone_names)], canon[len(zone_names) :]
    for zk, rk in ((zcanon, rcanon), (zkeys, rkeys)):
        zcount = pd.Series(zk).value_counts()
        rcount = pd.Series(rk).value_counts()
        rkey_to_name = {k: n for n, k in zip(names, rk, strict=True) if n not in used}
        for z, k in zip(zone_names, zk, strict=True):
            if z in mapping or not isinstance(k, str) or zcount.get(k, 0) != 1:
                continue
            if rcount.get(k, 0) != 1:
                continue
            r = rkey_to_name.get(k)
            if r is not None and r not in used and _compatible(z, r):
                mapping[z] = (r, "normalised")
                used.add(r)

    unmatched_zones = tuple(z for z in zone_names if z not in mapping)
    unmatched_regions = tuple(r for r in names if r not in used)
    if names and not mapping:
        raise InputError(
            "the zone names do not match the data's regions at all, so the map "
            f"would be empty. Zones ({len(zone_names)}): {_show(zone_names)}. "
            f"Regions in the data ({len(names)}): {_show(names)}. Check the "
            "zones file's name column (read_zones(path, key=...)), or map the "
            "names with aliases={'zone name': 'region name', ...}."
        )
    pairs = pd.DataFrame(
        [(z, r, how) for z, (r, how) in mapping.items()],
        columns=["zone_name", "region", "how"],
    ).astype({"zone_name": "str", "region": "str", "how": "str"})
    out = zones.copy()
    out["zone_name"] = out["region"]
    out["region"] = (
        out["region"].map(lambda z: mapping.get(z, (z, ""))[0]).astype("str")
    )
    if "zone_name" in zones.columns:
        out["zone_name"] = zones["zone_name"]
    return ZoneMatch(out, pairs, unmatched_zones, unmatched_regions)


def _show(names: list[str], n: int = 30) -> str:
    shown = ", ".join(names[:n])
    return shown + (f", ... ({len(names) - n} more)" if len(names) > n else "")
