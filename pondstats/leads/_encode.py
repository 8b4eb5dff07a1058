"""The input encoding behind :class:`pondstats.leads._scorer.LeadScorer`.

One encoder is fitted per ``LeadScorer.fit`` and shared by every candidate
model, so the table is cleaned and encoded once:

* numeric columns (and booleans) are kept as floats; the logistic design
  imputes the median, adds a missing-value indicator (for columns with missing
  values at fit time) and standardises;
* every other column is categorical: placeholders such as ``请选择``,
  ``Select``, ``无`` (``schema.PLACEHOLDERS``) and missing values become one
  ``(missing)`` level; levels seen fewer than ``min_frequency`` times, and
  levels first seen at prediction time, share one "rare" level. Cleaning runs
  on the distinct values only (``pd.factorize``), so it costs little on a
  million rows.

Each original column owns a contiguous block of the design matrix
(:attr:`_Encoder.slices`), which is what the explanations need.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from pondstats.schema import PLACEHOLDERS

MISSING = "(missing)"
RARE = "(rare)"
_PLACEHOLDERS_LOWER = frozenset(p.lower() for p in PLACEHOLDERS)
#: Most levels per column for the boosting model (its categorical bins).
MAX_LEVELS = 250


def clean_levels(values: Any) -> np.ndarray:
    """Distinct values -> cleaned strings (``(missing)`` for blanks and placeholders)."""
    s = pd.Series(np.asarray(values, dtype=object))
    na = s.isna().to_numpy()
    text = s.astype("str").str.strip()
    bad = na | text.str.lower().isin(_PLACEHOLDERS_LOWER).to_numpy()
    out = text.to_numpy(dtype=object)
    out[bad] = MISSING
    return out


def _factorized(col: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Per-row index into the cleaned distinct values, and those values."""
    codes, uniques = pd.factorize(col, use_na_sentinel=True)
    cleaned = clean_levels(np.asarray(uniques, dtype=object))
    cleaned = np.append(cleaned, MISSING)  # the NA sentinel (-1) maps here
    return codes, cleaned


class _Encoder:
    """Fitted per-column encoding of a positional frame (see the module docstring)."""

    def __init__(self, num: list[int], cat: list[int], min_frequency: float) -> None:
        self.num, self.cat, self.min_frequency = num, cat, min_frequency

    # -- fit -----------------------------------------------------------------

    def fit(self, frame: pd.DataFrame) -> _Encoder:
        n = len(frame)
        thr = (
            self.min_frequency * n
            if isinstance(self.min_frequency, float) and self.min_frequency < 1
            else self.min_frequency
        )
        Xn = self.numeric(frame)
        self.empty = ~np.isfinite(Xn).any(axis=0) if Xn.size else np.zeros(0, bool)
        with np.errstate(all="ignore"):
            med = np.nanmedian(np.where(self.empty, 0.0, Xn), axis=0) if n else []
        self.medians = np.nan_to_num(np.asarray(med, dtype=float))
        self.has_missing = np.isnan(Xn).any(axis=0) & ~self.empty
        self.levels: list[dict[str, int]] = []
        self.level_names: list[list[str]] = []
        for j in self.cat:
            codes, cleaned = _factorized(frame[j])
            bc = np.bincount(codes + 1, minlength=len(cleaned))
            # bc[0] counts the NA sentinel, which ``cleaned`` holds last
            per_value = np.append(bc[1 : len(cleaned)], bc[0])
            counts = pd.Series(per_value).groupby(cleaned).sum()
            kept = counts[counts >= thr].sort_values(ascending=False, kind="stable")
            kept = kept.iloc[: MAX_LEVELS - 1]
            names = sorted(kept.index)
            self.levels.append({v: i for i, v in enumerate(names)})
            self.level_names.append([*names, RARE])
        return self

    # -- codes ---------------------------------------------------------------

    def numeric(self, frame: pd.DataFrame) -> np.ndarray:
        if not self.num:
            return np.empty((len(frame), 0))
        return frame[self.num].astype("float64").to_numpy()

    def codes(self, frame: pd.DataFrame) -> np.ndarray:
        """Level index per row and categorical column (the last index = rare)."""
        out = np.empty((len(frame), len(self.cat)), dtype=np.int32)
        for k, j in enumerate(self.cat):
            codes, cleaned = _factorized(frame[j])
            lookup = self.levels[k]
            rare = len(lookup)
            mapped = np.fromiter(
                (lookup.get(v, rare) for v in cleaned),
                dtype=np.int32,
                count=len(cleaned),
            )
            out[:, k] = mapped[codes]  # codes == -1 picks the appended MISSING
        return out

    # -- designs -------------------------------------------------------------

    def ordinal(self, frame: pd.DataFrame) -> np.ndarray:
        """Numeric columns then categorical codes (the boosting model's input)."""
        Xn = self.numeric(frame)
        if self.empty.any():
            Xn = Xn.copy()
            Xn[:, self.empty] = 0.0  # the binning cannot take an all-missing column
        return np.hstack([Xn, self.codes(frame).astype(np.float64)])

    def fit_scaler(self, frame: pd.DataFrame) -> _Encoder:
        Z = self._numeric_block(self.numeric(frame), scale=False)
        self.mean = Z.mean(axis=0) if len(Z) else np.zeros(Z.shape[1])
        sd = Z.std(axis=0) if len(Z) else np.ones(Z.shape[1])
        self.scale = np.where(sd > 0, sd, 1.0)
        return self

    def _numeric_block(self, Xn: np.ndarray, *, scale: bool = True) -> np.ndarray:
        miss = np.isnan(Xn)
        filled = np.where(miss, self.medians, Xn)
        Z = np.hstack([filled, miss[:, self.has_missing].astype(float)])
        return (Z - self.mean) / self.scale if scale else Z

    def onehot(self, frame: pd.DataFrame) -> sparse.csr_matrix:
        """Standardised numeric block (with indicators) then one-hot levels."""
        return self.onehot_from(self.numeric(frame), self.codes(frame))

    def onehot_from(self, Xn: np.ndarray, codes: np.ndarray) -> sparse.csr_matrix:
        n = len(Xn)
        Z = sparse.csr_matrix(self._numeric_block(Xn))
        blocks = [Z]
        for k in range(len(self.cat)):
            width = len(self.level_names[k])
            blocks.append(
                sparse.csr_matrix(
                    (np.ones(n), (np.arange(n), codes[:, k])), shape=(n, width)
                )
            )
        return sparse.hstack(blocks, format="csr")

    @property
    def n_numeric_out(self) -> int:
        return len(self.num) + int(self.has_missing.sum())

    def onehot_slices(self) -> list[np.ndarray]:
        """Design columns of each original column, in ``num + cat`` order."""
        p = len(self.num)
        indicator = p + np.cumsum(self.has_missing) - 1
        out = [
            np.array([j, indicator[j]]) if self.has_missing[j] else np.array([j])
            for j in range(p)
        ]
        start = self.n_numeric_out
        for names in self.level_names:
            out.append(np.arange(start, start + len(names)))
            start += len(names)
        return out
