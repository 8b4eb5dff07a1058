"""Per-lead factors in words, from a table of log-odds contributions.

The words (column labels, yes/no/missing, arrows) come from
:mod:`pondstats.vocab`. ``first_month`` is named as
what it is, seasonality (the month of the first visit), not as a calendar
fact. The text is built per column, vectorised over the leads that list it,
so a 5,000-lead call list is explained in well under a second.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pondstats.errors import InputError
from pondstats.leads._encode import _PLACEHOLDERS_LOWER
from pondstats.vocab import FACTOR_WORDS as _FACTOR_WORDS
from pondstats.vocab import FEATURES, LEAD_WORDS, SOURCES, WEEKDAYS, lang_table

__all__ = ["FEATURE_LABELS", "FACTOR_WORDS", "explain_contributions"]

#: Names shown to people for the lead-table columns (``vocab.FEATURES``); the
#: first-visit month is named as seasonality (``vocab.LEAD_WORDS``).
FEATURE_LABELS: dict[str, dict[str, str]] = {
    lang: {**names, "first_month": lang_table(LEAD_WORDS)[lang]["seasonality"]}
    for lang, names in lang_table(FEATURES).items()
}
#: Value words and arrows of the factor text (``vocab.FACTOR_WORDS``).
FACTOR_WORDS: dict[str, dict[str, str]] = lang_table(_FACTOR_WORDS)
#: Values shown in each language: lead sources (``vocab.SOURCES``) and the
#: first visit's weekday (``vocab.WEEKDAYS``); others as the data spells them.
_VALUE_WORDS: dict[str, dict[str, dict[str, str]]] = {
    "source": lang_table(SOURCES),
    "first_weekday": lang_table(WEEKDAYS),
}
_FLAGS = ("test_drive", "returned")
#: Factors moving the log-odds by less than this are left out.
MIN_EFFECT = 0.05


def _format_values(values: pd.Series, col: Any, words: dict[str, str]) -> np.ndarray:
    """Each value as shown: missing/placeholder words, yes/no flags, percentages."""
    v = values
    out = np.empty(len(v), dtype=object)
    na = v.isna().to_numpy()
    if pd.api.types.is_bool_dtype(v.dtype) or col in _FLAGS:
        num = pd.to_numeric(v, errors="coerce").fillna(0).to_numpy() != 0
        out[:] = np.where(num, words["yes"], words["no"])
    elif pd.api.types.is_numeric_dtype(v.dtype):
        f = v.astype("float64").to_numpy()
        if col == "region_close_rate":
            out[:] = [f"{x:.0%}" for x in f]
        else:
            out[:] = [
                str(int(x)) if np.isfinite(x) and float(x).is_integer() else f"{x:.3g}"
                for x in f
            ]
    else:
        s = v.astype("str").str.strip()
        placeholder = s.str.lower().isin(_PLACEHOLDERS_LOWER).to_numpy()
        out[:] = s.to_numpy(dtype=object)
        na = na | placeholder
    out[na] = words["missing"]
    return out


def explain_contributions(
    contrib: pd.DataFrame,
    values: pd.DataFrame,
    *,
    n_factors: int = 3,
    lang: str = "zh",
) -> pd.DataFrame:
    """Factors text and names from contributions (rows x columns, log-odds).

    Returns ``factors`` (``;``-separated ``label: value ↑/↓``, strongest
    first) and ``factor_1 .. factor_n`` (column names), indexed like
    ``contrib``.

    Examples
    --------
    >>> import pandas as pd
    >>> from pondstats.leads._explain import explain_contributions
    >>> c = pd.DataFrame({"test_drive": [0.8, -0.3], "grade": [0.2, -1.0]})
    >>> v = pd.DataFrame({"test_drive": [1, 0], "grade": ["H", "请选择"]})
    >>> explain_contributions(c, v, n_factors=2, lang="en")["factors"].tolist()
    ['test drive: yes ↑; grade: H ↑', 'grade: missing ↓; test drive: no ↓']
    """
    if lang not in FACTOR_WORDS:
        raise InputError(f"lang must be 'zh' or 'en', got {lang!r}.")
    labels, words = FEATURE_LABELS[lang], FACTOR_WORDS[lang]
    cols = list(contrib.columns)
    mat = contrib.to_numpy(dtype=float)
    n = mat.shape[0]
    k_max = min(n_factors, len(cols))
    order = np.argsort(-np.abs(mat), axis=1, kind="stable")[:, :k_max]
    vals = values.reset_index(drop=True)
    parts = np.full((n, max(n_factors, 0)), "", dtype=object)
    names = np.full((n, max(n_factors, 0)), None, dtype=object)
    rows = np.arange(n)
    for k in range(k_max):
        j = order[:, k]
        c = mat[rows, j]
        keep = np.abs(c) >= MIN_EFFECT
        for jj in np.unique(j[keep]):
            sel = keep & (j == jj)
            col = cols[jj]
            series = vals[col] if col in vals else vals.iloc[:, jj]
            shown = _format_values(series[sel], col, words)
            if col in _VALUE_WORDS:
                table = _VALUE_WORDS[col][lang]
                shown = np.array([table.get(x, x) for x in shown], dtype=object)
            arrow = np.where(c[sel] > 0, words["up"], words["down"])
            label = labels.get(str(col), str(col))
            parts[sel, k] = [
                f"{label}: {s} {a}" for s, a in zip(shown, arrow, strict=True)
            ]
            names[sel, k] = col
    # a dropped (weak) factor leaves no gap: later factors are weaker still
    texts = ["; ".join(p for p in row if p) for row in parts]
    out = pd.DataFrame({"factors": pd.Series(texts, dtype="str")})
    for k in range(n_factors):
        out[f"factor_{k + 1}"] = pd.Series(names[:, k], dtype="object")
    out.index = contrib.index
    return out
