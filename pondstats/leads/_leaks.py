"""Columns that leak the outcome into :class:`pondstats.leads._scorer.LeadScorer`.

A field a CRM fills in only once a lead has bought is filled (almost) only for
the converted rows: whether it is filled *is* the label. ``LeadScorer.fit``
warns about such columns (:class:`pondstats.DataQualityWarning`).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from pondstats.errors import DataQualityWarning

#: A column filled for at least this share of converted rows and at most
#: 1 - this share of the others is taken as recorded after the outcome.
LEAK_SHARE = 0.9


def _warn_leaky_columns(
    frame: pd.DataFrame, y_idx: np.ndarray, names: list | None
) -> None:
    """DataQualityWarning for columns filled (almost) only for converted rows.

    A field a CRM fills in only once a lead has bought (a region, a contract
    number) makes the model look far better than it will be on open leads:
    whether the field is filled *is* the label. Needs 20 converted rows.
    """
    pos = y_idx == 1
    if pos.sum() < 20 or (~pos).sum() < 20:
        return
    for j, col in enumerate(frame.columns):
        filled = frame[col].notna().to_numpy()
        p, q = filled[pos].mean(), filled[~pos].mean()
        if p >= LEAK_SHARE and q <= 1 - LEAK_SHARE:
            warnings.warn(
                f"column {(names[j] if names is not None else col)!r} is filled for {p:.0%} of the converted rows and "
                f"{q:.0%} of the others: it looks recorded only after the outcome "
                "(filled only for buyers) and leaks it, so the scores and the AUC "
                "will be too good. Leave it out of the features.",
                DataQualityWarning,
                stacklevel=3,
            )
