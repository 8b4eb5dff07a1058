"""Helpers shared by the plotting modules."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from pondstats.fonts import font_context
from pondstats.schema import Benchmark

F = TypeVar("F", bound=Callable[..., Any])

#: Colours used for the close-rate status classes, everywhere.
STATUS_COLORS: dict[str, str] = {
    "weak": "#d7301f",
    "on_track": "#bdbdbd",
    "strong": "#1a9850",
    "too_few": "#f0f0f0",
}

#: Labels shown to people, per language.
STATUS_LABELS: dict[str, dict[str, str]] = {
    "zh": {
        "weak": "偏弱",
        "on_track": "达标附近",
        "strong": "领先",
        "too_few": "样本不足",
    },
    "en": {
        "weak": "weak",
        "on_track": "on track",
        "strong": "strong",
        "too_few": "too few",
    },
}


def with_fonts(func: F) -> F:
    """Decorator: run a plotting function inside :func:`font_context`."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with font_context():
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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
) -> None:
    """Shade the benchmark's low-high band and draw its target line."""
    b = benchmark or Benchmark()
    span, line = (
        (ax.axhspan, ax.axhline) if orientation == "h" else (ax.axvspan, ax.axvline)
    )
    span(
        b.low,
        b.high,
        color="#fee08b",
        alpha=0.35,
        zorder=0,
        label=f"行业区间 benchmark {b.low:.0%}-{b.high:.0%}" if label else None,
    )
    line(
        b.target,
        color="#b35806",
        lw=1.2,
        ls="--",
        zorder=1,
        label=f"行业均值 benchmark {b.target:.0%}" if label else None,
    )
