"""plot_funnel / plot_trend: assert on what was drawn."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgba

import pondstats as ps
from pondstats.errors import InputError
from pondstats.plotting._common import STATUS_COLORS
from pondstats.rates.stats import funnel_limits, overdispersion


def _rates():
    n = 400
    keys = [f"k{i}" for i in range(4 * n)]
    v = pd.DataFrame(
        {
            "customer_key": keys,
            "visit_date": pd.Timestamp("2026-03-01")
            + pd.to_timedelta(np.arange(4 * n) % 60, "D"),
            "visit_no": 1,
            "region": np.repeat(["甲区", "乙区", "丙区", "丁区"], n),
        }
    )
    buy = (
        keys[:16]
        + keys[n : n + 52]
        + keys[2 * n : 2 * n + 120]
        + keys[3 * n : 3 * n + 3]
    )
    d = pd.DataFrame(
        {
            "customer_key": buy,
            "deposit_date": pd.Timestamp("2026-04-10"),
            "status": "active",
        }
    )
    return v, d


def _by_status(ax):
    return {
        c.get_gid(): c
        for c in ax.collections
        if (c.get_gid() or "").startswith("status:")
    }


def test_plot_funnel_draws_status_points_limits_and_labels():
    v, d = _rates()
    rates = ps.close_rates(v, d, period=None)
    ax = ps.plot_funnel(rates)
    pts = _by_status(ax)
    assert set(pts) == {"status:weak", "status:on_track", "status:strong"}
    for gid, coll in pts.items():
        np.testing.assert_allclose(
            coll.get_facecolor()[0], to_rgba(STATUS_COLORS[gid[7:]])
        )
    assert sorted(t.get_text() for t in ax.texts) == [
        "丁区",
        "丙区",
        "甲区",
    ]  # flagged only
    assert ax.get_title() == "成交率漏斗图"  # lang="zh" by default: one language
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "偏弱 (2)" in legend and "领先 (1)" in legend
    # the 95% limit line equals the overdispersed formula
    n = rates["a_cards"].to_numpy()
    tau2 = overdispersion(rates["c_cards"], n, target=0.13)
    assert tau2 > 0
    line = next(ln for ln in ax.get_lines() if ln.get_label().startswith("95.0%"))
    x, y = line.get_data()
    np.testing.assert_allclose(
        y, funnel_limits(x, target=0.13, tau2=tau2, level=0.95)[0]
    )
    ax.figure.canvas.draw()  # outside the font context: Chinese must still render


def test_plot_funnel_binomial_limits_latest_period_and_ax():
    v, d = _rates()
    rates = ps.close_rates(v, d)  # March and April
    fig, ax0 = plt.subplots()
    ax = ps.plot_funnel(rates, overdispersed=False, annotate="all", lang="en", ax=ax0)
    assert ax is ax0
    assert "2026-04" in ax.get_title()
    line = next(ln for ln in ax.get_lines() if ln.get_label().startswith("95.0%"))
    x, y = line.get_data()
    np.testing.assert_allclose(y, funnel_limits(x, target=0.13)[0])
    assert "binomial" in line.get_label()
    assert len(ax.texts) == (rates["period"] == rates["period"].max()).sum()
    ax2 = ps.plot_funnel(rates, period="2026-03")
    assert "2026-03" in ax2.get_title()


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"annotate": "some"}, "annotate must be"),
        ({"lang": "fr"}, "expected lang to be one of 'both', 'zh', 'en'"),
        ({"period": "2020-01"}, "no rows for period 2020-01"),
    ],
)
def test_plot_funnel_errors(kwargs, match):
    v, d = _rates()
    with pytest.raises(InputError, match=match):
        ps.plot_funnel(ps.close_rates(v, d), **kwargs)


def test_plot_funnel_rejects_non_tables():
    with pytest.raises(InputError, match="rates has no column"):
        ps.plot_funnel(pd.DataFrame({"x": [1]}))
    with pytest.raises(InputError, match="rates must be a pandas DataFrame, got"):
        ps.plot_funnel([1, 2])


def test_plot_trend_draws_lines_bands_and_status():
    v, d = _rates()
    rates = ps.close_rates(v, d)
    ax = ps.plot_trend(rates, ["甲区", "丙区"])
    assert [ln.get_label() for ln in ax.get_lines()][1:] == ["甲区", "丙区"]
    bands = [
        c
        for c in ax.collections
        if c.get_gid() is None and c.get_label().startswith("_")
    ]
    assert len(bands) == 2
    assert ax.get_title() == "成交率走势（阴影为95%区间）"
    ax.figure.canvas.draw()
    # default: the most credibly weak groups first
    ax = ps.plot_trend(rates, max_groups=2)
    assert [ln.get_label() for ln in ax.get_lines()][1:] == ["丁区", "甲区"]
    with pytest.raises(InputError, match=r"group\(s\) \['戊区'\] not in the table"):
        ps.plot_trend(rates, "戊区")
    with pytest.raises(InputError, match=r"rates has no column\(s\) \['period'\]"):
        ps.plot_trend(ps.close_rates(v, d, period=None))
