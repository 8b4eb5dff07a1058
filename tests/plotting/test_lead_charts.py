"""plot_gains and plot_calibration: what is drawn."""

from __future__ import annotations

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pytest

import pondstats as ps
from pondstats.errors import InputError
from pondstats.fonts import font_context
from pondstats.leads._evaluation import calibration_table, gains_table
from pondstats.plotting._leads import MODEL_COLOR, RANDOM_COLOR

Y = [1, 1, 0, 1, 0, 0, 0, 0, 0, 0]
P = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05]


def test_plot_gains_draws_curve_and_random_line():
    g = gains_table(Y, P, n_bins=5)
    fig, ax = plt.subplots()
    out = ps.plot_gains(g, ax=ax, lang="en")
    assert out is ax
    random_line, model_line = ax.get_lines()[:2]
    assert mcolors.to_hex(model_line.get_color()) == MODEL_COLOR
    assert mcolors.to_hex(random_line.get_color()) == RANDOM_COLOR
    np.testing.assert_allclose(model_line.get_xdata(), [0, 0.2, 0.4, 0.6, 0.8, 1.0])
    np.testing.assert_allclose(model_line.get_ydata(), [0, 2 / 3, 1, 1, 1, 1])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["random", "model"]
    assert "lift 3.3x" in ax.texts[0].get_text()


def test_plot_calibration_points_and_chinese_labels():
    c = calibration_table(Y, P, n_bins=5)
    ax = ps.plot_calibration(c)
    pts = ax.collections[0]
    np.testing.assert_allclose(pts.get_offsets()[:, 0], c["mean_predicted"])
    np.testing.assert_allclose(pts.get_offsets()[:, 1], c["observed_rate"])
    sizes = pts.get_sizes()
    assert sizes.argmax() == c["count"].to_numpy().argmax()
    assert ax.get_xlabel() == "预测下订概率" and ax.get_ylabel() == "实际下订率"
    with font_context():
        ax.figure.canvas.draw()  # Glyph-missing warnings are errors in the test run


def test_plots_take_an_evaluation_and_show_ece():
    rng = np.random.default_rng(0)
    import pandas as pd

    x = rng.normal(size=400)
    t = pd.DataFrame(
        {
            "x": x,
            "as_of": np.repeat(pd.date_range("2026-01-01", periods=4, freq="MS"), 100),
            "converted": (x + rng.normal(size=400) > 1).astype(int),
        }
    )
    ev = ps.evaluate_scorer(ps.LeadScorer(random_state=0), t, baseline=None)
    ax = ps.plot_calibration(ev, lang="en")
    assert ax.texts[0].get_text().startswith("calibration error (ECE)")
    assert [a.get_text() for a in ax.texts[1:]] == [
        f"n={n}" for n in ev.calibration["count"]
    ]
    ax2 = ps.plot_gains(ev)
    assert ax2.get_title().startswith("累计增益")


def test_plot_errors():
    with pytest.raises(InputError, match="expected a LeadEvaluation or a DataFrame"):
        ps.plot_gains(calibration_table(Y, P))
    with pytest.raises(
        InputError, match="expected lang to be one of 'both', 'zh', 'en', got 'fr'"
    ):
        ps.plot_calibration(calibration_table(Y, P), lang="fr")
