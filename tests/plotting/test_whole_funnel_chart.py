"""plot_whole_funnel: bars as wide as the stages, labels in both languages."""

import matplotlib.pyplot as plt
import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import InputError


def _table():
    inq = pd.DataFrame(
        {
            "customer_key": list("abcd"),
            "inquiry_date": pd.to_datetime(["2026-06-01"] * 4),
        }
    )
    vis = pd.DataFrame(
        {
            "customer_key": list("abc"),
            "visit_no": [1, 1, 1],
            "visit_date": pd.to_datetime(["2026-06-03", "2026-06-10", "2026-06-20"]),
        }
    )
    dep = pd.DataFrame(
        {
            "customer_key": ["a", "b"],
            "status": ["delivered", "active"],
            "deposit_date": pd.to_datetime(["2026-06-15", "2026-07-01"]),
        }
    )
    return ps.funnel_table(inq, vis, dep, as_of="2026-12-01"), vis, dep


def test_bars_and_labels():
    t, _, _ = _table()
    _, ax = plt.subplots()
    assert ps.plot_whole_funnel(t, lang="en", ax=ax) is ax
    assert [p.get_width() for p in ax.patches] == [4, 3, 2, 1]
    texts = [x.get_text() for x in ax.texts]
    assert texts[0] == "inquiries  4"
    assert texts[1] == "visited  3  (75.0%)"
    assert texts[3] == "deliveries  1  (50.0%)"
    assert ax.get_title() == "the whole funnel"


def test_showroom_funnel_in_chinese():
    _, vis, dep = _table()
    t = ps.funnel_table(None, vis, dep, as_of="2026-12-01")
    ax = ps.plot_whole_funnel(t)
    assert [x.get_text().split()[0] for x in ax.texts] == ["首次来店", "下订", "交车"]


def test_errors():
    t, _, _ = _table()
    with pytest.raises(
        InputError, match="expected lang to be one of 'both', 'zh', 'en', got 'fr'"
    ):
        ps.plot_whole_funnel(t, lang="fr")
    with pytest.raises(InputError, match=r"draws a table from ps.funnel_table"):
        ps.plot_whole_funnel(pd.DataFrame({"a": [1]}))
