"""The lead factors in one language: names, value words and lead sources."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from pondstats.leads._explain import explain_contributions

CJK = re.compile(r"[\u3400-\u9fff]")


def _factors(lang: str) -> list[str]:
    c = pd.DataFrame({"source": [0.9, -0.4], "test_drive": [0.3, -0.2]})
    v = pd.DataFrame({"source": ["转介绍", "网络"], "test_drive": [1, 0]})
    return explain_contributions(c, v, n_factors=2, lang=lang)["factors"].tolist()


def test_factors_in_english_have_no_chinese_word():
    assert _factors("en") == [
        "source: referral ↑; test drive: yes ↑",
        "source: online ↓; test drive: no ↓",
    ]
    assert not any(CJK.search(f) for f in _factors("en"))


def test_factors_in_chinese_keep_the_source_names():
    assert _factors("zh") == ["来源: 转介绍 ↑; 试驾: 是 ↑", "来源: 网络 ↓; 试驾: 否 ↓"]


def test_an_unknown_source_is_shown_as_spelt():
    c = pd.DataFrame({"source": [0.9]})
    v = pd.DataFrame({"source": ["抖音直播"]})
    out = explain_contributions(c, v, n_factors=1, lang="en")["factors"].tolist()
    assert out == ["source: 抖音直播 ↑"]


def test_no_calendar_month_factor_in_the_call_features():
    from pondstats.leads import CALL_FEATURES

    assert "first_month" not in CALL_FEATURES


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_first_visit_month_is_named_as_seasonality(lang):
    c = pd.DataFrame({"first_month": [0.5]})
    v = pd.DataFrame({"first_month": ["10"]})
    (text,) = explain_contributions(c, v, n_factors=1, lang=lang)["factors"]
    assert text.startswith("季节" if lang == "zh" else "seasonality")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh", "首次来店星期: 周三 ↑"), ("en", "weekday of first visit: Wed ↑")],
)
def test_the_first_visit_weekday_in_the_report_language(lang, expected):
    c = pd.DataFrame({"first_weekday": [0.5]})
    v = pd.DataFrame({"first_weekday": ["Wed"]})
    (text,) = explain_contributions(c, v, n_factors=1, lang=lang)["factors"]
    assert text == expected
