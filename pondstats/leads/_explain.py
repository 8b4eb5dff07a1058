"""Per-lead explanations of :class:`pondstats.leads._scorer.LeadScorer`: the
log-odds contributions of each column, and the factors in words.

:func:`reference_lead` and :func:`logodds_contributions` work out the
contributions (``LeadScorer.contributions``), measured from the training
data's average lead: exact ``coef * (x - mean(x))`` sums for the logistic
model, the change in log-odds with the column set back to its typical value
for the boosting model. :func:`explain_contributions` puts them in words.

The words (column labels, yes/no/missing, arrows) come from
:mod:`pondstats.vocab`. ``first_month`` is named as
what it is, seasonality (the month of the first visit), not as a calendar
fact. The text is built per column, vectorised over the leads that list it,
so a 5,000-lead call list is explained in well under a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from pondstats.errors import InputError
from pondstats.leads._encode import _PLACEHOLDERS_LOWER
from pondstats.vocab import FACTOR_WORDS as _FACTOR_WORDS
from pondstats.vocab import FEATURES, LEAD_WORDS, SOURCES, WEEKDAYS, lang_table

if TYPE_CHECKING:
    from pondstats.leads._encode import _Encoder

__all__ = [
    "FEATURE_LABELS",
    "FACTOR_WORDS",
    "explain_contributions",
    "logodds_contributions",
    "reference_lead",
]

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
#: Rows scored per call when the boosting model's contributions are worked out
#: (columns set back to their typical value, several columns per call).
_CONTRIBUTION_ROWS = 200_000


def reference_lead(
    enc: _Encoder, frame: pd.DataFrame, kind: str
) -> tuple[np.ndarray, list[np.ndarray]]:
    """The 'average lead' the contributions are measured from, and the design
    columns of each input column.

    For the logistic model (``kind="logistic"``) the mean of each one-hot
    design column; for the boosting model the median of each number and the
    most common level of each category.
    """
    if kind == "logistic":
        Xd = enc.onehot(frame)
        return np.asarray(Xd.mean(axis=0)).ravel(), enc.onehot_slices()
    Xd = enc.ordinal(frame)
    p = len(enc.num)
    ref = np.zeros(Xd.shape[1])
    if p:
        with np.errstate(all="ignore"):
            ref[:p] = np.nan_to_num(np.nanmedian(Xd[:, :p], axis=0))
    for k in range(len(enc.cat)):
        col = Xd[:, p + k].astype(np.int64)
        ref[p + k] = np.bincount(col).argmax() if len(col) else 0
    return ref, [np.array([j]) for j in range(Xd.shape[1])]


def logodds_contributions(
    clf: Any,
    Xd: Any,
    kind: str,
    *,
    names: list,
    slices: list[np.ndarray],
    reference: np.ndarray,
) -> dict[Any, np.ndarray]:
    """Per input column (``names``, design columns ``slices``): how much it
    moves each row's log-odds from ``reference`` (see :func:`reference_lead`).

    ``clf`` is the fitted classifier and ``Xd`` its design matrix: exact
    ``coef * (x - reference)`` sums for the logistic model; for the boosting
    model, the change in ``clf.decision_function`` with the column set back
    to its reference value, the others unchanged.
    """
    out = {}
    if kind == "logistic":
        coef = clf.coef_.ravel()
        base = reference * coef
        for col, sl in zip(names, slices, strict=True):
            out[col] = np.asarray(Xd[:, sl] @ coef[sl]).ravel() - base[sl].sum()
        return out
    full = clf.decision_function(Xd)
    # the rows with one column set back, for several columns per call
    # (one call's overhead instead of one per column; the scores of a
    # row do not depend on the rows scored with it)
    n = len(Xd)
    per_call = max(1, _CONTRIBUTION_ROWS // max(n, 1))
    pairs = list(zip(names, slices, strict=True))
    for start in range(0, len(pairs), per_call):
        chunk = pairs[start : start + per_call]
        Xr = np.tile(Xd, (len(chunk), 1))
        for j, (_, sl) in enumerate(chunk):
            Xr[j * n : (j + 1) * n, sl] = reference[sl]
        scores = clf.decision_function(Xr)
        for j, (col, _) in enumerate(chunk):
            out[col] = full - scores[j * n : (j + 1) * n]
    return out


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
