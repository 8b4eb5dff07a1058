"""CJK font discovery for matplotlib, without touching global settings.

Charts carry Chinese zone names, so every figure needs a font with CJK glyphs.
:func:`find_cjk_font` looks for one installed on the system (Noto Sans CJK,
Source Han Sans, WenQuanYi, SimHei, Microsoft YaHei, PingFang, ...) and falls
back to WenQuanYi Micro Hei bundled by the ``mpl-font`` package, a dependency
of pondstats, so a fresh machine renders Chinese too. :func:`font_context` is
the ``rc_context`` every pondstats plot draws in; the user's global
``matplotlib.rcParams`` are never changed.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
from matplotlib import font_manager

__all__ = ["find_cjk_font", "font_context", "font_rc", "CJK_FAMILIES"]

log = logging.getLogger(__name__)

#: Families tried in order. TrueType ones first: they embed cleanly in PDFs.
CJK_FAMILIES: tuple[str, ...] = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "PingFang SC",
    "Heiti SC",
    "Hiragino Sans GB",
    "Sarasa Gothic SC",
    "Arial Unicode MS",
)

_PROBE = "来店成交率区"  # glyphs every pondstats chart needs


def _bundled_font_files() -> list[Path]:
    """Font files shipped by the ``mpl-font`` package (not imported: its
    import changes global rcParams)."""
    spec = importlib.util.find_spec("mpl_font")
    if spec is None or not spec.submodule_search_locations:
        return []
    root = Path(next(iter(spec.submodule_search_locations))) / "fonts"
    files = sorted((root / "wqy").glob("*.tt[cf]")) + sorted(
        (root / "noto").glob("*Regular*.otf")
    )
    return [f for f in files if f.is_file()]


def _has_glyphs(path: str) -> bool:
    try:
        from matplotlib.ft2font import FT2Font

        font = FT2Font(path)
        return all(font.get_char_index(ord(ch)) for ch in _PROBE)
    except Exception:  # unreadable font file: not a candidate
        return False


@functools.cache
def find_cjk_font() -> str:
    """Return the family name of a font that has Chinese glyphs.

    System fonts in :data:`CJK_FAMILIES` order come first, then the font
    bundled with ``mpl-font``. The result is cached for the session.

    Raises
    ------
    RuntimeError
        When no CJK font exists at all (``mpl-font`` missing and none
        installed); the message says how to install one.

    Examples
    --------
    >>> from pondstats.fonts import find_cjk_font
    >>> isinstance(find_cjk_font(), str)
    True
    """
    by_name: dict[str, str] = {}
    for entry in font_manager.fontManager.ttflist:
        by_name.setdefault(entry.name, entry.fname)
    for family in CJK_FAMILIES:
        path = by_name.get(family)
        if path and _has_glyphs(path):
            log.debug("CJK font: system %s (%s)", family, path)
            return family
    for path in _bundled_font_files():
        if _has_glyphs(str(path)):
            font_manager.fontManager.addfont(str(path))
            family = font_manager.FontProperties(fname=str(path)).get_name()
            log.debug("CJK font: bundled %s (%s)", family, path)
            return family
    raise RuntimeError(
        "No font with Chinese glyphs was found, so Chinese labels would render as "
        "empty boxes. Install one: `pip install mpl-font` (bundled with pondstats), "
        "or `apt-get install fonts-wqy-microhei` / `fonts-noto-cjk`."
    )


def font_rc() -> dict[str, object]:
    """The rcParams pondstats draws with: a CJK sans-serif, embedded TrueType."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": [find_cjk_font(), *mpl.rcParams["font.sans-serif"]],
        "axes.unicode_minus": False,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
    }


@contextlib.contextmanager
def font_context(extra: dict[str, object] | None = None) -> Iterator[None]:
    """A ``matplotlib.rc_context`` with a CJK font; global settings untouched.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from pondstats.fonts import font_context
    >>> before = plt.rcParams["font.sans-serif"]
    >>> with font_context():
    ...     fig, ax = plt.subplots()
    ...     _ = ax.set_title("城东区 来店成交率")
    ...     fig.canvas.draw()
    >>> plt.rcParams["font.sans-serif"] == before
    True
    >>> plt.close(fig)
    """
    rc = font_rc()
    if extra:
        rc.update(extra)
    with mpl.rc_context(rc):
        yield
