"""Every chart and map pondstats draws.

Each function takes ``ax=None`` (a new figure is made only when it is None),
returns the Axes, never calls ``plt.show()`` and never changes global
rcParams: drawing happens inside :func:`pondstats.fonts.font_context` so
Chinese labels render. One private module per feature; the public names are
re-exported here.
"""

from __future__ import annotations

from pondstats.plotting._funnel import plot_funnel, plot_trend

__all__: list[str] = ["plot_funnel", "plot_trend"]
