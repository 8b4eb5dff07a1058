"""Masking of personal data (phones, names) for anything meant to be shared.

Reports, call lists and maps mask by default; analysts can ask for the raw
values where they are entitled to them.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["mask_phone", "mask_name", "mask_personal"]


def mask_phone(phones: pd.Series) -> pd.Series:
    """Keep the first 3 and last 4 digits of a phone: ``138****8000``.

    Numbers of 7 digits or fewer keep only their last 2. Missing stays missing.
    The input is not changed.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.privacy import mask_phone
    >>> mask_phone(pd.Series(["13800138000", "02088886666", "12345", None])).tolist()
    ['138****8000', '020****6666', '***45', nan]
    """
    s = phones.astype("str")
    long = s.str.len() > 7
    masked_long = s.str.slice(0, 3) + "****" + s.str.slice(-4)
    masked_short = "*" * 3 + s.str.slice(-2)
    out = masked_long.where(long, masked_short)
    return out.where(phones.notna())


def mask_name(names: pd.Series) -> pd.Series:
    """Keep the first character of a name: ``张**`` (``J***`` for Latin names).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.privacy import mask_name
    >>> mask_name(pd.Series(["张三丰", "李四", "John Smith", None])).tolist()
    ['张**', '李*', 'J***', nan]
    """
    s = names.astype("str").str.strip()
    first = s.str.slice(0, 1)
    is_cjk = first.str.contains(r"[\u3400-\u9fff]", regex=True)
    stars_cjk = (
        s.str.len().clip(lower=2).sub(1).map(lambda n: "*" * int(n), na_action="ignore")
    )
    out = (first + stars_cjk).where(is_cjk, first + "***")
    return out.where(names.notna())


def mask_personal(
    df: pd.DataFrame, *, phone: str = "phone", name: str = "name"
) -> pd.DataFrame:
    """A copy of ``df`` with its phone and name columns masked (where present).

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.privacy import mask_personal
    >>> df = pd.DataFrame({"name": ["王五"], "phone": ["13912345678"], "region": ["东湖区"]})
    >>> mask_personal(df).iloc[0].tolist()
    ['王*', '139****5678', '东湖区']
    """
    out = df.copy()
    if phone in out:
        out[phone] = mask_phone(out[phone])
    if name in out:
        out[name] = mask_name(out[name])
    return out
