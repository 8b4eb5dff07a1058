"""The sample's exports as an analyst gets them: one export a month, overlapping.

:func:`monthly_exports` cuts one raw export into exports of ``window``
months each, one ending in every month of the data (so consecutive exports
overlap by ``window - 1`` months); :func:`build_sample_store` ingests the
sample's zones, then its visits, deposits and spend that way, month by
month. This module stands above the history store (it uses
:class:`pondstats.store.Store`); the store never imports the sample dealer.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from pondstats.clean import normalize_date
from pondstats.clean._tables import _normalize_month
from pondstats.dates import parse_month

__all__ = ["monthly_exports", "build_sample_store"]

_DATE = {"visits": "visit_date", "deposits": "deposit_date", "spend": "month"}


def monthly_exports(
    raw: pd.DataFrame, kind: str, *, window: int = 2, start=None, until=None
) -> list[tuple[pd.Period, pd.DataFrame]]:
    """Cut a raw export into monthly exports of ``window`` months each.

    Export ``k`` holds the rows dated in the ``window`` months ending with
    month ``k``, for every month from ``start`` to ``until`` (default: the
    earliest and latest month of the data); rows dated before ``start`` go
    into the first export, rows whose date cannot be read or is after
    ``until`` into the last.
    Each part keeps the raw text and the source row numbers.

    Examples
    --------
    >>> from pondstats.datasets import monthly_exports, sample_dir
    >>> from pondstats.io import read_spend
    >>> raw = read_spend(sample_dir() / "spend.csv")
    >>> parts = monthly_exports(raw, "spend")
    >>> len(parts), str(parts[0][0]), str(parts[-1][0]), len(parts[-1][1])
    (24, '2024-11', '2026-10', 32)
    """
    col = _DATE[kind]
    month = (
        _normalize_month(raw[col])
        if kind == "spend"
        else normalize_date(raw[col]).dt.to_period("M")
    )
    known = month.dropna()
    first = known.min() if start is None else parse_month(start, name="start")
    last = known.max() if until is None else parse_month(until, name="until")
    months = pd.period_range(first, last, freq="M")
    codes = np.full(len(raw), -1, dtype="int64")
    ok = (month.notna() & (month <= last)).to_numpy()
    codes[ok] = (month[ok] - months[0]).map(lambda d: d.n).to_numpy(dtype="int64")
    codes[ok] = np.maximum(codes[ok], 0)  # before the first month: the first export
    out = []
    for k, m in enumerate(months):
        take = (codes > k - window) & (codes <= k)
        if k == len(months) - 1:
            take |= ~ok
        part = raw[take]
        part.attrs = {
            "pondstats": {**raw.attrs.get("pondstats", {}), "source": f"{kind}-{m}"}
        }
        out.append((m, part))
    return out


def build_sample_store(path, *, directory=None, today=None, window: int = 2):
    """Build a store from the sample exports month by month; return the summaries.

    The zones file (``zones.geojson``) is ingested first (import 1), then,
    each month, the visits, deposits and spend exports covering that month
    and the ``window - 1`` before it, as an analyst gets them.

    Parameters
    ----------
    path : str or Path
        The store file (created when missing; exports already in it are
        recognised and change nothing).
    directory : str or Path, optional
        A sample export directory (default: the bundled sample,
        :func:`sample_dir`).
    today : date-like, optional
        Rows dated after this day are rejected (default: the day after the
        sample's last month).
    window : int, default 2
        Months each monthly export covers.

    Returns
    -------
    list of IngestSummary
        One per import, the zones first.

    Examples
    --------
    Building the whole sample store (73 imports) takes a minute or two:

    >>> import tempfile, pathlib
    >>> from pondstats.datasets import build_sample_store
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sample.duckdb"
    >>> summaries = build_sample_store(path)  # doctest: +SKIP
    >>> [s.kind for s in summaries[:4]]  # doctest: +SKIP
    ['zones', 'visits', 'deposits', 'spend']
    """
    from pondstats.datasets._load import sample_dir
    from pondstats.errors import DataQualityWarning
    from pondstats.io import read_deposits, read_spend, read_visits
    from pondstats.store import Store

    d = Path(directory) if directory is not None else sample_dir()
    spend_months = _normalize_month(read_spend(d / "spend.csv")["month"])
    first, last = spend_months.min(), spend_months.max()
    if today is None:
        today = (last + 1).start_time + pd.Timedelta(days=1)
    opts = {"window": window, "start": first, "until": last}
    parts = {
        "visits": monthly_exports(read_visits(d / "visits.csv"), "visits", **opts),
        "deposits": monthly_exports(
            read_deposits(d / "deposits.xlsx"), "deposits", **opts
        ),
        "spend": monthly_exports(read_spend(d / "spend.csv"), "spend", **opts),
    }
    summaries = []
    with Store(path) as store:
        if (d / "zones.geojson").is_file():
            summaries.append(store.ingest(d / "zones.geojson", kind="zones"))
        for k in range(len(parts["visits"])):
            for kind in ("visits", "deposits", "spend"):
                _, frame = parts[kind][k]
                with warnings.catch_warnings():
                    # the first month has no history before it: expected here
                    warnings.simplefilter("ignore", DataQualityWarning)
                    summaries.append(store.ingest(frame, kind=kind, today=today))
    return summaries
