"""Reading inquiry (online and phone lead, 线索) exports."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from pondstats import schema
from pondstats.io._read import PathOrBuffer, read_table

__all__ = ["read_inquiries"]


def read_inquiries(
    path: PathOrBuffer,
    *,
    column_map: Mapping[str, str] | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
) -> pd.DataFrame:
    """Read an inquiry (lead, 线索) export as text with canonical columns.

    Inquiries are the online and phone leads (汽车之家, 懂车帝, the OEM's DCC,
    phone calls) that come before a showroom visit. Same reading as
    :func:`pondstats.read_visits` (encodings, header search, aliases); the
    aliases are :data:`pondstats.schema.INQUIRY_ALIASES`.

    Parameters
    ----------
    path : path or file-like
        CSV (UTF-8 with or without BOM, GBK/GB18030) or Excel export.
    column_map : mapping, optional
        Extra header -> canonical column mappings, e.g.
        ``{"mql_id": "customer_id", "origin": "source"}``.
    encoding : str, optional
        The text encoding, when detection is not wanted.
    sheet : str or int, optional
        The Excel sheet (the first by default).

    Returns
    -------
    DataFrame
        Raw text cells with canonical names, unknown columns kept, index
        ``row`` = source row; pass it to :func:`pondstats.clean_inquiries`.

    Examples
    --------
    >>> import io
    >>> import pondstats as ps
    >>> export = "线索明细\\n线索编号,手机,留资时间,线索来源\\nL1,13800138000,2026/10/3 10:05,汽车之家\\n"
    >>> raw = ps.read_inquiries(io.BytesIO(export.encode("gbk")))
    >>> raw.columns.tolist()
    ['inquiry_id', 'phone', 'inquiry_date', 'source']
    """
    return read_table(
        path,
        aliases=schema.INQUIRY_ALIASES,
        required=schema.INQUIRY_REQUIRED,
        column_map=column_map,
        encoding=encoding,
        sheet=sheet,
        kind="inquiries",
    )
