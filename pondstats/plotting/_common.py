"""Helpers shared by the plotting modules."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from pondstats.fonts import apply_cjk_font, font_context
from pondstats.schema import Benchmark
from pondstats.vocab import STATUSES, WORDS, Labels, lang_table

F = TypeVar("F", bound=Callable[..., Any])

#: Colours used for the close-rate status classes, everywhere.
STATUS_COLORS: dict[str, str] = {
    "weak": "#d7301f",
    "on_track": "#bdbdbd",
    "strong": "#1a9850",
    "too_few": "#f0f0f0",
}

#: Status names per language (``{"zh": {...}, "en": {...}}``), from vocab.STATUSES.
STATUS_LABELS: dict[str, dict[str, str]] = lang_table(STATUSES)


def with_fonts(func: F) -> F:
    """Decorator: run a plotting function inside :func:`font_context`.

    When it returns an Artist (the Axes) or an array of them (small
    multiples), every text of their figure(s) gets the CJK font too
    (:func:`pondstats.fonts.apply_cjk_font`), so Chinese still renders when
    the figure is drawn after the function returned.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with font_context():
            result = func(*args, **kwargs)
            _apply_cjk_font_to(result)
            return result

    return wrapper  # type: ignore[return-value]


def _apply_cjk_font_to(result: Any) -> None:
    """:func:`apply_cjk_font` on each figure of an Artist or array of them."""
    artists = result.ravel() if isinstance(result, np.ndarray) else [result]
    seen: set[int] = set()
    for artist in artists:
        if not hasattr(artist, "findobj"):
            continue
        key = id(getattr(artist, "figure", None) or artist)
        if key not in seen:
            seen.add(key)
            apply_cjk_font(artist)


def chart_labels(lang: str) -> Labels:
    """The :class:`~pondstats.vocab.Labels` of a chart's ``lang`` keyword
    ("zh", "en" or "both"); an unknown language is an InputError."""
    return Labels(lang)


def get_ax(ax: Axes | None, figsize: tuple[float, float] = (8, 5)) -> Axes:
    """``ax`` itself, or the Axes of a new figure when it is None."""
    if ax is not None:
        return ax
    _, new_ax = plt.subplots(figsize=figsize, layout="constrained")
    return new_ax


def benchmark_band(
    ax: Axes,
    benchmark: Benchmark | None = None,
    *,
    orientation: str = "h",
    label: bool = True,
    lang: str = "both",
) -> None:
    """Shade the benchmark's low-high band and draw its target line."""
    b = benchmark or Benchmark()
    L = chart_labels(lang)
    span, line = (
        (ax.axhspan, ax.axhline) if orientation == "h" else (ax.axvspan, ax.axvline)
    )
    span(
        b.low,
        b.high,
        color="#fee08b",
        alpha=0.35,
        zorder=0,
        label=f"{L.word(WORDS['band'])} {b.low:.0%}-{b.high:.0%}" if label else None,
    )
    line(
        b.target,
        color="#b35806",
        lw=1.2,
        ls="--",
        zorder=1,
        label=f"{L.word(WORDS['benchmark_line'])} {b.target:.0%}" if label else None,
    )
