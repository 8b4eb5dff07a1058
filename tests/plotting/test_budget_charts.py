"""Budget charts: what is drawn, not how it looks."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

from pondstats.budget import plan_budget
from pondstats.budget._response import ResponseFit
from pondstats.errors import InputError
from pondstats.plotting import plot_budget_plan, plot_response_curves
from pondstats.plotting._budget import BUDGET_COLORS


@pytest.fixture
def plan():
    p = pd.DataFrame(
        {
            "region": ["东区", "西区", "南区"],
            "base": [10.0, 5.0, 8.0],
            "gain": [30.0, 20.0, 0.0],
            "scale": [1000.0, 2000.0, 1000.0],
            "close_rate": [0.13, 0.10, 0.2],
            "spend_min": [500.0, 200.0, 300.0],
            "spend_max": [3000.0, 4000.0, 2000.0],
        }
    )
    fit = ResponseFit.from_params(p)
    # a history so the data points and the current spend exist
    months = pd.period_range("2026-01", periods=3, freq="M")
    fit.history = pd.DataFrame(
        {
            "region": np.repeat(p["region"], 3).to_numpy(),
            "month": list(months) * 3,
            "spend": [
                500.0,
                3000.0,
                1000.0,
                200.0,
                4000.0,
                2000.0,
                300.0,
                2000.0,
                1500.0,
            ],
            "a_cards": [20, 35, 28, 8, 22, 15, 8, 8, 8],
            "c_cards": [3, 4, 4, 1, 2, 2, 2, 2, 2],
        }
    )
    fit.last_month = months[-1]
    return plan_budget(fit, 4000)


def test_response_curves_panels_points_and_markers(plan):
    axes = plot_response_curves(plan)
    assert [ax.get_title() for ax in axes] == ["东区", "西区", "南区"]
    ax = axes[0]
    # 3 months of data, then current (grey circle) and planned (orange diamond)
    data, current, planned = ax.collections[-3:]
    assert len(data.get_offsets()) == 3
    assert to_rgba(BUDGET_COLORS["current"]) == tuple(current.get_facecolor()[0])
    assert to_rgba(BUDGET_COLORS["planned"]) == tuple(planned.get_facecolor()[0])
    t = plan.table.set_index("region")
    assert planned.get_offsets()[0][0] == pytest.approx(t.loc["东区", "planned_spend"])
    assert current.get_offsets()[0][0] == pytest.approx(1000.0)
    # solid inside the spend range seen, dashed beyond it
    styles = [line.get_linestyle() for line in ax.get_lines()]
    assert styles == ["-", "--"]
    solid_x = ax.get_lines()[0].get_xdata()[~np.isnan(ax.get_lines()[0].get_ydata())]
    assert solid_x.min() >= 500 and solid_x.max() <= 3000
    # the flat zone's curve is flat
    y = axes[2].get_lines()[1].get_ydata()
    assert np.nanmax(y) == pytest.approx(np.nanmin(y))
    legend = ax.figure.legends[0]
    labels = [t.get_text() for t in legend.get_texts()]
    assert "计划 planned" in labels and "当前 current" in labels


def test_response_curves_on_given_axes_and_subset(plan):
    fig, axes = plt.subplots(1, 2)
    out = plot_response_curves(plan, regions=["西区", "南区"], axes=axes)
    assert list(out) == list(axes)
    assert axes[0].get_title() == "西区"
    assert axes[0].get_legend() is not None


def test_response_curves_errors(plan):
    with pytest.raises(InputError, match=r"regions not in the fit: \['北区'\]"):
        plot_response_curves(plan, regions=["北区"])
    with pytest.raises(InputError, match="axes has 1 Axes for 3 zones"):
        plot_response_curves(plan, axes=[plt.subplots()[1]])
    with pytest.raises(InputError, match="expected a BudgetPlan"):
        plot_response_curves(pd.DataFrame())


def test_budget_plan_bars(plan):
    ax = plot_budget_plan(plan)
    t = plan.table.sort_values("planned_spend", kind="stable")
    assert [x.get_text() for x in ax.get_yticklabels()] == t["region"].tolist()
    planned = ax.containers[-1]
    widths = [bar.get_width() for bar in planned]
    np.testing.assert_allclose(widths, t["planned_spend"])
    for bar, up in zip(planned, t["planned_spend"] >= t["current_spend"], strict=True):
        key = "increase" if up else "decrease"
        assert bar.get_facecolor() == to_rgba(BUDGET_COLORS[key])
    ranges = ax.containers[0]
    assert [b.get_x() for b in ranges] == pytest.approx(t["min_spend"].tolist())
    assert "预算方案 2026-04" in ax.get_title()
    assert "budget plan 2026-04" in ax.get_title()
    assert [a.get_text() for a in ax.texts] == [f"{c:.1f}" for c in t["c_expected"]]


def test_budget_plan_on_given_ax_and_errors(plan):
    _, ax = plt.subplots()
    assert plot_budget_plan(plan, ax=ax, sort=False) is ax
    assert [x.get_text() for x in ax.get_yticklabels()] == ["东区", "西区", "南区"]
    with pytest.raises(InputError, match="plot_budget_plan needs a BudgetPlan"):
        plot_budget_plan(plan.fit)


def test_plots_leave_rcparams_alone(plan):
    before = dict(plt.rcParams)
    plot_budget_plan(plan)
    plot_response_curves(plan)
    assert dict(plt.rcParams) == before


def test_plots_render_outside_the_font_context(plan, tmp_path):
    """savefig happens later, outside font_context: no missing-glyph warning."""
    axes = plot_response_curves(plan)
    axes[0].figure.savefig(tmp_path / "curves.png")
    plot_budget_plan(plan).figure.savefig(tmp_path / "plan.png")
    assert (tmp_path / "plan.png").stat().st_size > 0


def test_user_axes_texts_get_the_cjk_font(plan):
    """Texts made before the call, outside font_context, get the CJK font too."""
    from pondstats.fonts import find_cjk_font

    _, axes = plt.subplots(1, len(plan.fit.regions))
    axes[1].set_xlabel("用户标签 user label")
    plot_response_curves(plan, axes=axes)
    assert axes[1].xaxis.label.get_fontfamily()[0] == find_cjk_font()
