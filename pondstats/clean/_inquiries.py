"""Cleaning raw inquiry (lead, 线索) exports into the canonical inquiries table."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pondstats import schema
from pondstats.clean._dates import normalize_date
from pondstats.clean._normalize import normalize_region
from pondstats.clean._steps import (
    REASON_NO_ID,
    TodayLike,
    _clean_extras,
    _customer,
    _date_reasons,
    _extras,
    _finish,
    _na_str,
    _reject,
    _require,
    _start,
    _text_col,
    _today,
)
from pondstats.clean._summary import Cleaned

__all__ = ["clean_inquiries"]


def clean_inquiries(
    raw: pd.DataFrame,
    *,
    today: TodayLike = None,
    region_aliases: Mapping[str, str] | None = None,
) -> Cleaned:
    """Clean a raw inquiry (lead) export into the canonical inquiries table.

    The same cleaning and accounting as :func:`pondstats.clean_visits`:
    phones normalised (``customer_key`` = mobile, else landline, else
    ``"id:" + customer_id``), dates parsed, placeholders made missing, region
    names unified, duplicates merged (the same lead number; else the same
    customer, day and source, or the same customer and day when the export
    has no source) keeping the most complete copy.

    Rows are rejected, with a reason, when the inquiry date is missing,
    unparseable or after ``today``, or the customer cannot be identified.

    Parameters
    ----------
    raw : DataFrame
        From :func:`pondstats.read_inquiries`, or any frame with canonical names.
    today : date-like, optional
        Inquiries dated after this day are rejected (default: today).
    region_aliases : mapping, optional
        Extra region spellings -> canonical name.

    Returns
    -------
    Cleaned
        ``data`` (columns of :data:`pondstats.schema.INQUIRY_COLUMNS`, then any
        other columns of the export), ``rejected`` (raw values, ``row``,
        ``reason``) and ``summary`` (``rows_read == rows_kept + rows_rejected +
        duplicates_merged``).

    Examples
    --------
    >>> import pandas as pd
    >>> import pondstats as ps
    >>> raw = pd.DataFrame({
    ...     "inquiry_id": ["L1", "L1", "L2", "L3"],
    ...     "phone": ["138 0013 8000", "13800138000", "13900139000", "无"],
    ...     "inquiry_date": ["2026/10/3", "2026-10-03", "2026年10月4日", "2026-10-05"],
    ...     "source": ["汽车之家", "汽车之家", "懂车帝", "DCC"],
    ... })
    >>> res = ps.clean_inquiries(raw, today="2026-11-01")
    >>> res.data[["inquiry_id", "customer_key", "inquiry_date", "source"]]
      inquiry_id customer_key inquiry_date source
    0         L1  13800138000   2026-10-03   汽车之家
    1         L2  13900139000   2026-10-04    懂车帝
    >>> res.summary.rows_read, res.summary.rows_kept, res.summary.rows_rejected
    (4, 2, 1)
    """
    kind = "inquiries"
    df, rows = _start(raw, kind)
    _require(raw, schema.INQUIRY_REQUIRED, kind, schema.INQUIRY_ALIASES)
    today_ts = _today(today)
    notes: dict[str, int] = {}
    out = pd.DataFrame(index=df.index)
    phone, key = _customer(df, notes)
    out["inquiry_id"] = _text_col(df, "inquiry_id")
    out["customer_key"] = key
    out["name"] = _text_col(df, "name")
    out["phone"] = phone
    out["inquiry_date"] = normalize_date(df["inquiry_date"])
    out["source"] = _text_col(df, "source")
    out["region"] = (
        normalize_region(df["region"], aliases=region_aliases)
        if "region" in df.columns
        else _na_str(df.index)
    )
    for col in ("store", "consultant", "model"):
        out[col] = _text_col(df, col)
    extras = _extras(df, set(schema.INQUIRY_COLUMNS) | {"customer_key"})
    _clean_extras(df, out, extras)

    reasons = _na_str(df.index)
    _date_reasons(
        reasons, df["inquiry_date"], out["inquiry_date"], "inquiry date", today_ts
    )
    _reject(reasons, out["customer_key"].isna(), REASON_NO_ID)
    no_source = out["source"].isna()
    out["_nosrc"] = no_source.astype("boolean").where(no_source)  # True or <NA>
    passes = [
        ("inquiry_id", ["inquiry_id"], []),
        ("source", ["customer_key", "inquiry_date", "source"], ["inquiry_id"]),
        ("_nosrc", ["customer_key", "inquiry_date"], ["inquiry_id"]),
    ]
    kept, rejected, summary, _ = _finish(
        kind, raw, rows, out, reasons, "inquiry_date", passes, notes
    )
    kept = kept.drop(columns="_nosrc")
    cols = list(schema.INQUIRY_COLUMNS) + extras
    data = kept[cols].astype(schema.INQUIRY_COLUMNS)
    return Cleaned(data.reset_index(drop=True), rejected, summary)
