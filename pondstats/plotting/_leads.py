"""Charts for lead scoring: cumulative gains and calibration (reliability)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from pondstats.errors import InputError
from pondstats.plotting._common import chart_labels, get_ax, with_fonts
from pondstats.vocab import LEAD_CHARTS

__all__ = ["plot_gains", "plot_calibration", "MODEL_COLOR", "RANDOM_COLOR"]

#: Colour of the model's curve / points; the random or perfect reference is grey.
MODEL_COLOR = "#2171b5"
RANDOM_COLOR = "#969696"


def _table(obj: Any, attr: str, needed: tuple[str, ...]) -> pd.DataFrame:
    table = getattr(obj, attr, obj)
    if not isinstance(table, pd.DataFrame) or any(c not in table for c in needed):
        raise InputError(
            f"expected a LeadEvaluation or a DataFrame with columns {list(needed)} "
            f"(from pondstats.leads._evaluation.{attr}_table), got {type(table).__name__}"
            + (
                f" with columns {list(table.columns)}"
                if isinstance(table, pd.DataFrame)
                else ""
            )
            + "."
        )
    if table.empty:
        raise InputError(f"the {attr} table is empty: nothing to draw.")
    return table


def _lang(lang: str) -> dict[str, str]:
    """The words of the two charts (vocab.LEAD_CHARTS) in ``lang``; templates
    keep their format fields."""
    L = chart_labels(lang)
    return {k: L.pick(*w) for k, w in LEAD_CHARTS.items()}


@with_fonts
def plot_gains(evaluation: Any, *, ax: Axes | None = None, lang: str = "zh") -> Axes:
    """Cumulative gains curve of a scored test set, against random calling.

    Parameters
    ----------
    evaluation : LeadEvaluation or DataFrame
        The result of :func:`pondstats.evaluate_scorer`, or a
        :func:`pondstats.leads._evaluation.gains_table`.
    ax : Axes, optional
        Where to draw; a new figure when None.
    lang : {"zh", "en", "both"}, default "zh"
        Language of every text of the chart.

    Returns
    -------
    Axes

    Examples
    --------
    >>> from pondstats import plot_gains
    >>> from pondstats.leads._evaluation import gains_table
    >>> g = gains_table([1, 1, 0, 1, 0, 0, 0, 0, 0, 0], [.9, .8, .7, .6, .5, .4, .3, .2, .1, 0])
    >>> ax = plot_gains(g, lang="en")
    >>> ax.get_xlabel()
    'share of leads contacted'
    """
    g = _table(evaluation, "gains", ("cum_leads_share", "cum_converted_share", "lift"))
    t = _lang(lang)
    ax = get_ax(ax, figsize=(6.5, 5))
    x = np.r_[0.0, g["cum_leads_share"].to_numpy(dtype=float)]
    y = np.r_[0.0, g["cum_converted_share"].to_numpy(dtype=float)]
    ax.plot([0, 1], [0, 1], ls="--", color=RANDOM_COLOR, lw=1.2, label=t["random"])
    ax.plot(x, y, marker="o", color=MODEL_COLOR, lw=2, label=t["model"])
    ax.fill_between(x, x, y, color=MODEL_COLOR, alpha=0.08, lw=0)
    ax.annotate(
        t["top"].format(share=x[1], gain=y[1], lift=float(g["lift"].iloc[0])),
        xy=(x[1], y[1]),
        xytext=(0.35, 0.15),
        textcoords="axes fraction",
        arrowprops={"arrowstyle": "->", "color": "#404040"},
        fontsize=9,
    )
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.yaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(t["gains_x"])
    ax.set_ylabel(t["gains_y"])
    ax.set_title(t["gains_title"])
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    return ax


@with_fonts
def plot_calibration(
    evaluation: Any, *, ax: Axes | None = None, lang: str = "zh"
) -> Axes:
    """Reliability diagram: observed deposit rate per bin of predicted probability.

    Points sit on the diagonal when the probabilities are calibrated; their
    area is proportional to the number of leads in the bin.

    Parameters
    ----------
    evaluation : LeadEvaluation or DataFrame
        The result of :func:`pondstats.evaluate_scorer`, or a
        :func:`pondstats.leads._evaluation.calibration_table`.
    ax : Axes, optional
        Where to draw; a new figure when None.
    lang : {"zh", "en", "both"}, default "zh"
        Language of every text of the chart.

    Returns
    -------
    Axes

    Examples
    --------
    >>> from pondstats import plot_calibration
    >>> from pondstats.leads._evaluation import calibration_table
    >>> c = calibration_table([0, 1, 1, 0, 0, 1], [.1, .2, .8, .3, .1, .7])
    >>> ax = plot_calibration(c, lang="en")
    >>> ax.get_ylabel()
    'observed rate'
    """
    c = _table(evaluation, "calibration", ("mean_predicted", "observed_rate", "count"))
    t = _lang(lang)
    ax = get_ax(ax, figsize=(6.5, 5))
    hi = float(
        min(1.0, max(c["mean_predicted"].max(), c["observed_rate"].max()) * 1.1 + 0.02)
    )
    ax.plot([0, hi], [0, hi], ls="--", color=RANDOM_COLOR, lw=1.2, label=t["perfect"])
    sizes = 30 + 400 * c["count"].to_numpy(dtype=float) / c["count"].max()
    ax.plot(
        c["mean_predicted"], c["observed_rate"], color=MODEL_COLOR, lw=1.2, alpha=0.6
    )
    ax.scatter(
        c["mean_predicted"],
        c["observed_rate"],
        s=sizes,
        color=MODEL_COLOR,
        alpha=0.8,
        edgecolor="white",
        zorder=3,
        label=t["model"],
    )
    metrics = getattr(evaluation, "metrics", None)
    if metrics is not None and "ece" in metrics:
        ax.text(
            0.97,
            0.03,
            t["ece"].format(ece=float(metrics["ece"])),
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=9,
        )
    for xp, yp, n in zip(
        c["mean_predicted"], c["observed_rate"], c["count"], strict=True
    ):
        ax.annotate(
            f"n={int(n)}",
            (xp, yp),
            xytext=(6, -10),
            textcoords="offset points",
            fontsize=8,
            color="#404040",
        )
    ax.set_xlim(0, hi)
    ax.set_ylim(0, hi)
    ax.xaxis.set_major_formatter("{x:.0%}")
    ax.yaxis.set_major_formatter("{x:.0%}")
    ax.set_xlabel(t["cal_x"])
    ax.set_ylabel(t["cal_y"])
    ax.set_title(t["cal_title"])
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return ax
