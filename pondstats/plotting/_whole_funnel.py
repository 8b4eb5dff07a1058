"""The whole funnel as a chart: inquiries -> visits -> deposits -> deliveries."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from pondstats.errors import InputError
from pondstats.plotting._common import chart_labels, with_fonts

__all__ = ["plot_whole_funnel"]

_COLORS = ("#9ecae1", "#6baed6", "#3182bd", "#08519c")


@with_fonts
def plot_whole_funnel(
    table: pd.DataFrame,
    *,
    lang: str = "zh",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal funnel bars of a :func:`pondstats.funnel_table`, summed over groups.

    Each stage is a centred bar as wide as its count, labelled with the count
    and the share of the stage before it.

    Parameters
    ----------
    table : DataFrame
        From :func:`pondstats.funnel_table` (any grouping: the rows are summed).
    lang : {"zh", "en", "both"}, default "zh"
        Language of the stage names and the title.
    ax : Axes, optional
        Drawn on when given; else a new figure.

    Returns
    -------
    Axes

    Examples
    --------
    >>> import pondstats as ps
    >>> visits, deposits = ps.load_sample()
    >>> t = ps.funnel_table(ps.load_sample_inquiries(), visits, deposits)
    >>> ax = ps.plot_whole_funnel(t, lang="en")
    >>> [p.get_width() for p in ax.patches] == t[["inquiries", "visited",
    ...     "deposited", "delivered"]].iloc[0].astype(float).tolist()
    True
    """
    L = chart_labels(lang)
    stages = list(table.attrs.get("stages", []))
    if not stages or any(s not in table.columns for s in stages):
        raise InputError(
            "plot_whole_funnel draws a table from ps.funnel_table(...); this one has "
            f"no funnel stages (columns: {list(table.columns)})."
        )
    counts = [float(pd.to_numeric(table[s]).sum()) for s in stages]
    names = {s: L(f"stage_{s}") for s in stages}
    if table.attrs.get("start") == "first_visit":
        names["inquiries"] = L("stage_first_visits")
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 0.8 + 0.7 * len(stages)))
    top = max(counts) if counts and max(counts) > 0 else 1.0
    y = np.arange(len(stages))[::-1]
    for i, (stage, n) in enumerate(zip(stages, counts, strict=True)):
        ax.barh(y[i], n, left=(top - n) / 2, height=0.7,
                color=_COLORS[i % len(_COLORS)])  # fmt: skip
        text = f"{names[stage]}  {n:,.0f}"
        if i and counts[i - 1] > 0:
            text += f"  ({n / counts[i - 1]:.1%})"
        ax.text(top / 2, y[i], text, ha="center", va="center", fontsize=9,
                color="black", bbox={"facecolor": "white", "alpha": 0.7,
                                     "edgecolor": "none", "pad": 1.5})  # fmt: skip
    ax.set_xlim(0, top)
    ax.set_yticks([])
    ax.set_xticks([])
    for side in ("top", "right", "left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.set_title(L("whole_funnel"))
    return ax
