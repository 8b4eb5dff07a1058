"""fonts.py: a CJK font is found, global settings stay, Chinese renders."""

from __future__ import annotations

import io
import warnings

import matplotlib as mpl
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from pondstats import fonts
from pondstats.plotting._common import with_fonts

CHINESE = "东湖区 来店成交率 偏弱 样本不足 −5%"


@pytest.fixture
def fresh_font_cache():
    fonts.find_cjk_font.cache_clear()
    yield
    fonts.find_cjk_font.cache_clear()


def _glyph_warnings(fig) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "Glyph" in str(w.message)]


def test_finds_a_font_with_chinese_glyphs():
    family = fonts.find_cjk_font()
    path = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "东湖区来店成交率偏弱样本不足")


def test_font_context_leaves_global_rcparams_unchanged():
    before = dict(mpl.rcParams)
    with fonts.font_context():
        assert mpl.rcParams["font.family"][0] == fonts.find_cjk_font()
        fig, ax = plt.subplots()
        ax.set_title(CHINESE)
    assert dict(mpl.rcParams) == before


def test_a_plain_figure_would_miss_glyphs():
    """The control: without pondstats' font, Chinese is missing (so the next
    test can fail)."""
    default = font_manager.findfont(font_manager.FontProperties(family=["sans-serif"]))
    if FT2Font(default).get_char_index(ord("东")):
        pytest.skip("the default font of this machine has Chinese glyphs")
    fig, ax = plt.subplots()
    ax.set_title(CHINESE)
    assert _glyph_warnings(fig)


def test_chinese_renders_when_drawn_after_the_context():
    with fonts.font_context():
        fig, ax = plt.subplots()
        ax.set_title(CHINESE)
        ax.set_xticks([0, 1], labels=["东湖区", "西湖区"])
        ax.legend(handles=[plt.Line2D([], [], label="行业均值 benchmark")])
    assert _glyph_warnings(fig) == []


def test_with_fonts_fixes_an_axes_made_outside_the_context():
    fig, ax = plt.subplots()  # the user's own Axes, ticks created with DejaVu
    ax.set_xticks([0, 1])

    @with_fonts
    def plot(ax):
        ax.set_xticks([0, 1], labels=["东湖区", "西湖区"])
        return ax

    plot(ax)
    assert ax.get_xticklabels()[0].get_fontfamily()[0] == fonts.find_cjk_font()
    assert _glyph_warnings(fig) == []


def test_apply_cjk_font_keeps_other_families_as_fallback():
    fig, ax = plt.subplots()
    t = ax.set_title("东湖区", fontfamily="serif")
    fonts.apply_cjk_font(fig)
    assert t.get_fontfamily() == [fonts.find_cjk_font(), "serif"]
    fonts.apply_cjk_font(ax)  # idempotent
    assert t.get_fontfamily() == [fonts.find_cjk_font(), "serif"]


def test_system_font_comes_before_the_bundled_one(monkeypatch, fresh_font_cache):
    bundled = fonts._bundled_font_files()
    if not bundled:
        pytest.skip("mpl-font is not installed")
    fake = font_manager.FontEntry(fname=str(bundled[0]), name="Noto Sans CJK SC")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [fake])
    assert fonts.find_cjk_font() == "Noto Sans CJK SC"


def test_a_system_family_without_the_glyphs_is_skipped(monkeypatch, fresh_font_cache):
    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans"))
    fake = font_manager.FontEntry(fname=dejavu, name="SimHei")  # a mislabelled file
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [fake])
    assert fonts.find_cjk_font() != "SimHei"


def test_no_font_at_all_says_how_to_install_one(monkeypatch, fresh_font_cache):
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(fonts, "_bundled_font_files", lambda: [])
    with pytest.raises(
        RuntimeError, match=r"No font with Chinese glyphs.*pip install mpl-font"
    ):
        fonts.find_cjk_font()
