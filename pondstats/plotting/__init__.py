"""Every chart and map pondstats draws.

Each function takes ``ax=None`` (a new figure is made only when it is None),
returns the Axes, never calls ``plt.show()`` and never changes global
rcParams: drawing happens inside :func:`pondstats.fonts.font_context` so
Chinese labels render. One private module per feature; the public names are
re-exported here.
"""

from __future__ import annotations

from pondstats.plotting._budget import plot_budget_plan, plot_response_curves
from pondstats.plotting._explore import explore_zones
from pondstats.plotting._funnel import plot_funnel, plot_trend
from pondstats.plotting._leads import plot_calibration, plot_gains
from pondstats.plotting._maps import plot_zone_map
from pondstats.plotting._quadrant import plot_quadrant
from pondstats.plotting._whole_funnel import plot_whole_funnel

__all__: list[str] = [
    "explore_zones",
    "plot_budget_plan",
    "plot_calibration",
    "plot_funnel",
    "plot_gains",
    "plot_quadrant",
    "plot_response_curves",
    "plot_trend",
    "plot_zone_map",
    "plot_whole_funnel",
]
