"""The sample dealer: a simulated dealer group with known, planted effects.

* :func:`make_sample` simulates the group in memory (clean tables plus the
  planted :class:`SampleTruth`); see :mod:`pondstats.datasets._sim` for the model.
* :func:`write_sample_exports` writes it the way a DMS exports it, messy on
  purpose (see :mod:`pondstats.datasets._exports`).
* :func:`load_sample`, :func:`load_sample_zones`, :func:`load_sample_spend`
  read and clean the bundled exports in ``data/sample/`` (made by
  ``pondstats sample --out data/sample``, i.e. ``make_sample(0)`` with
  the mess of ``random_state=0``), so ``ps.make_sample(0).truth`` is the truth
  behind them.
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from pondstats._version import __version__
from pondstats.clean import clean_deposits, clean_inquiries, clean_spend, clean_visits
from pondstats.datasets._exports import write_sample_exports
from pondstats.datasets._parts import _ids
from pondstats.datasets._sim import make_sample
from pondstats.io import (
    read_deposits,
    read_inquiries,
    read_spend,
    read_targets,
    read_visits,
)

__all__ = [
    "SAMPLE_FILES",
    "load_sample",
    "load_sample_spend",
    "load_sample_targets",
    "load_sample_zones",
    "load_sample_inquiries",
    "load_sample_history",
    "load_sample_joining_store",
    "sample_dir",
]

log = logging.getLogger(__name__)

#: The files of a sample export directory.
SAMPLE_FILES: tuple[str, ...] = (
    "visits.csv",
    "deposits.xlsx",
    "spend.csv",
    "zones.geojson",
    "manifest.json",
    "targets.csv",
    "spend_by_source.csv",
)
#: Seeds of the bundled sample (data and mess).
SAMPLE_RANDOM_STATE = 0


def _complete(d: Path) -> bool:
    return all((d / f).is_file() for f in SAMPLE_FILES)


def _cache_dir() -> Path:
    base = os.environ.get("PONDSTATS_CACHE") or os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    if not os.environ.get("PONDSTATS_CACHE"):
        root = root / "pondstats"
    return root / f"sample-{__version__}"


def sample_dir() -> Path:
    """The directory holding the sample exports.

    The repository's ``data/sample/`` when pondstats runs from a checkout;
    otherwise (e.g. a wheel install) a user cache directory
    (``$PONDSTATS_CACHE``, else ``$XDG_CACHE_HOME/pondstats``, else
    ``~/.cache/pondstats``) into which the exports are regenerated, byte for
    byte, on first use.

    Examples
    --------
    >>> from pondstats.datasets import sample_dir
    >>> (sample_dir() / "visits.csv").is_file()
    True
    """
    repo = Path(__file__).resolve().parents[2] / "data" / "sample"
    if _complete(repo):
        return repo
    cache = _cache_dir()
    if not _complete(cache):
        log.warning(
            "sample exports not found in %s; regenerating them into %s", repo, cache
        )
        write_sample_exports(
            make_sample(SAMPLE_RANDOM_STATE), cache, random_state=SAMPLE_RANDOM_STATE
        )
    return cache


@lru_cache(maxsize=2)
def _load_cleaned(directory: str):
    d = Path(directory)
    spend = _load_spend(directory)
    today = (spend["month"].max() + 1).start_time + pd.Timedelta(days=1)
    visits = clean_visits(read_visits(d / "visits.csv"), today=today)
    deposits = clean_deposits(read_deposits(d / "deposits.xlsx"), today=today)
    if "visit_id" not in visits.data or visits.data["visit_id"].isna().all():
        # the export has no registration number: number the visits by date
        data = visits.data.copy()
        order = data["visit_date"].argsort(kind="stable").to_numpy()
        ids = pd.Series(_ids("A", len(data))).to_numpy()
        data["visit_id"] = pd.array(ids[order.argsort()], dtype="str")
        visits = dataclasses.replace(visits, data=data)
        log.info("load_sample: visit_id numbered A000001... by visit date")
    log.info("load_sample: %s", visits.summary)
    log.info("load_sample: %s", deposits.summary)
    return visits, deposits


@lru_cache(maxsize=4)
def _load_spend(directory: str, name: str = "spend.csv") -> pd.DataFrame:
    return clean_spend(read_spend(Path(directory) / name)).data


def load_sample(*, as_cleaned: bool = False):
    """Cleaned visits and deposits of the bundled sample dealer.

    Reads the messy exports in ``data/sample/`` (:func:`sample_dir`) with
    :func:`pondstats.read_visits` / :func:`pondstats.read_deposits` and cleans
    them (:func:`pondstats.clean_visits`, :func:`pondstats.clean_deposits`,
    with the export date as ``today``). The result is cached per process;
    every call returns fresh copies.

    Parameters
    ----------
    as_cleaned : bool, default False
        Return the two :class:`pondstats.Cleaned` results (with ``rejected``
        rows and the ``summary``) instead of the two DataFrames.

    Returns
    -------
    (visits, deposits)
        DataFrames (``schema.VISIT_COLUMNS`` / ``schema.DEPOSIT_COLUMNS``), or
        two ``Cleaned`` objects.

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> visits["region"].nunique(), sorted(deposits["status"].unique())
    (16, ['active', 'cancelled', 'delivered'])
    >>> v, d = ps.load_sample(as_cleaned=True)
    >>> v.summary.rows_read == v.summary.rows_kept + v.summary.rows_rejected + v.summary.duplicates_merged
    True
    """
    visits, deposits = _load_cleaned(str(sample_dir()))
    if as_cleaned:
        return copy.deepcopy(visits), copy.deepcopy(deposits)
    return visits.data.copy(), deposits.data.copy()


def load_sample_spend(*, by_source: bool = False) -> pd.DataFrame:
    """Monthly marketing spend per zone of the sample (``region, month, spend``).

    Parameters
    ----------
    by_source : bool, default False
        The same spend split by paid lead source (``spend_by_source.csv``:
        ``region, month, spend, source``), for :func:`pondstats.source_roi`.

    Examples
    --------
    >>> import pondstats as ps
    >>> spend = ps.load_sample_spend()
    >>> spend.columns.tolist(), str(spend["month"].dtype)
    (['region', 'month', 'spend'], 'period[M]')
    >>> ps.load_sample_spend(by_source=True).columns.tolist()
    ['region', 'month', 'spend', 'source']
    """
    name = "spend_by_source.csv" if by_source else "spend.csv"
    return _load_spend(str(sample_dir()), name).copy()


def load_sample_targets() -> pd.DataFrame:
    """Monthly C-card targets per zone of the sample (``region, month, target``).

    Read with :func:`pondstats.read_targets` from ``targets.csv``; the
    planted truth is ``ps.make_sample(0).truth.targets``.

    Examples
    --------
    >>> import pondstats as ps
    >>> targets = ps.load_sample_targets()
    >>> targets.columns.tolist(), len(targets)
    (['region', 'month', 'target'], 384)
    """
    return _load_targets(str(sample_dir())).copy()


@lru_cache(maxsize=2)
def _load_targets(directory: str) -> pd.DataFrame:
    return read_targets(Path(directory) / "targets.csv")


def load_sample_zones():
    """Zone polygons of the sample (GeoDataFrame, EPSG:4326).

    Columns ``region`` (the names used in the data), ``code`` (``Z01``...),
    ``potential`` (households in the zone) and ``geometry``.

    Examples
    --------
    >>> import pondstats as ps
    >>> zones = ps.load_sample_zones()
    >>> zones.columns.tolist(), zones.crs.to_epsg()
    (['region', 'code', 'potential', 'geometry'], 4326)
    """
    from pondstats.io import read_zones

    zones = read_zones(sample_dir() / "zones.geojson")
    zones = zones[["region", "code", "potential", "geometry"]].copy()
    zones["potential"] = zones["potential"].astype("int64")
    return zones


def load_sample_inquiries(*, as_cleaned: bool = False):
    """Cleaned inquiries of the bundled sample dealer (``data/sample/inquiries.csv``).

    Parameters
    ----------
    as_cleaned : bool, default False
        Return the :class:`pondstats.Cleaned` result instead of the DataFrame.

    Examples
    --------
    >>> import pondstats as ps
    >>> inq = ps.load_sample_inquiries()
    >>> visits, deposits = ps.load_sample()
    >>> t = ps.invite_rates(inq, visits)
    >>> t[["source", "invite_rate"]].round(2)
      source  invite_rate
    0  400电话         0.35
    1    DCC         0.41
    2    懂车帝         0.20
    3     易车         0.12
    4   汽车之家         0.30
    """
    from pondstats.datasets._funnel import write_sample_inquiries

    d = sample_dir()
    path = d / "inquiries.csv"
    if not path.is_file():  # an older sample directory: write the inquiries beside it
        write_sample_inquiries(make_sample(SAMPLE_RANDOM_STATE), d)
    spend = _load_spend(str(d))
    today = (spend["month"].max() + 1).start_time + pd.Timedelta(days=1)
    res = clean_inquiries(read_inquiries(path), today=today)
    log.info("load_sample_inquiries: %s", res.summary)
    return res if as_cleaned else res.data


def _plant_dir() -> Path:
    d = sample_dir()
    from pondstats.datasets._plant_files import PLANT_FILES, write_sample_plants

    if not all((d / f).is_file() for f in PLANT_FILES):  # an older sample directory
        write_sample_plants(make_sample(SAMPLE_RANDOM_STATE), d)
    return d


@lru_cache(maxsize=2)
def _load_history(directory: str):
    d = Path(directory)
    today = (_load_spend(directory)["month"].max() + 1).start_time + pd.Timedelta(
        days=1
    )
    return clean_deposits(read_deposits(d / "deposits_history.csv"), today=today)


def load_sample_history(*, as_cleaned: bool = False):
    """The sample's order history: the five years before its visits and deposits.

    ``deposits_history.csv`` (历史订单, in the layout of the deposits export)
    holds the earlier orders of repeat buyers, of owners who came back to
    look in the window and of owners never seen since; concatenated with the
    deposits it lets :func:`pondstats.lifecycle_stages` tell established and
    lapsed customers (the truth is in ``plants_truth.json``, ``history``).

    Parameters
    ----------
    as_cleaned : bool, default False
        Return the :class:`pondstats.Cleaned` result instead of the DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> history = ps.load_sample_history()
    >>> st = ps.lifecycle_stages(visits, pd.concat([history, deposits]), "2026-10-31")
    >>> int((st["stage"].eq("lapsed") & st["was_customer"]).sum())
    2526
    """
    res = _load_history(str(_plant_dir()))
    return copy.deepcopy(res) if as_cleaned else res.data.copy()


@lru_cache(maxsize=2)
def _load_joining(directory: str):
    d = Path(directory)
    today = (_load_spend(directory)["month"].max() + 1).start_time + pd.Timedelta(
        days=1
    )
    v = clean_visits(read_visits(d / "store_longwan_visits.csv"), today=today)
    dep = clean_deposits(read_deposits(d / "store_longwan_deposits.csv"), today=today)
    return v, dep


def load_sample_joining_store(*, as_cleaned: bool = False):
    """Visits and deposits of 龙湾店, the store that joined the sample group.

    Its own exports (``store_longwan_visits.csv``, ``store_longwan_deposits.csv``):
    its consultants register mostly the visitors who buy, many of them only
    on the day of the deposit. Audit it together with the group's stores
    (the truth is in ``plants_truth.json``, ``joining_store``).

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> jv, jd = ps.load_sample_joining_store()
    >>> audit = ps.logging_audit(pd.concat([visits, jv]), pd.concat([deposits, jd]),
    ...                          by="store", lang="en")
    >>> audit[["store", "c_cards", "suspect"]]
       store  c_cards  suspect
    0    龙湾店      127     True
    1  东湖旗舰店     1853    False
    2    北岭店      961    False
    3    西江店      351    False
    """
    v, d = _load_joining(str(_plant_dir()))
    if as_cleaned:
        return copy.deepcopy(v), copy.deepcopy(d)
    return v.data.copy(), d.data.copy()
