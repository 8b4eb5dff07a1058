"""Page machinery for the monthly report: A4 pages, header and footer,
section titles, wrapped paragraphs, KPI tiles and a table renderer.

Everything is laid out in inches from the bottom-left corner of an A4
portrait :class:`~matplotlib.figure.Figure` (no pyplot, so no global figure
registry), with text measured by the font that will be embedded, so tables
fit and Chinese wraps between characters. Nothing here knows about dealers:
the report content lives in :mod:`pondstats.report._sections`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import matplotlib as mpl
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Rectangle
from matplotlib.textpath import text_to_path

__all__ = ["A4", "Column", "Page", "wrap_text", "text_width"]

#: A4 portrait, inches.
A4: tuple[float, float] = (8.27, 11.69)
MARGIN_X = 0.6
HEADER_H = 0.62  # from the top edge to the start of the content
FOOTER_H = 0.55  # from the bottom edge to the end of the content

INK = "#262626"
MUTED = "#6b6b6b"
RULE = "#bdbdbd"
HEAD_BG = "#dce3ee"
ZEBRA = "#f6f6f6"
CELL_PAD = 0.035  # inches around the text of a table cell

# One CJK character (or full-width form) per token; Latin words keep their
# trailing space; runs of spaces are their own token.
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_CLOSERS = frozenset("。，、；：！？）》」』】,.;:!?)%")
_TOKEN = re.compile(rf"[{_CJK}]|[^\s{_CJK}]+\s*|\s+")


@functools.lru_cache(maxsize=8192)
def _advance(ch: str, family: str) -> float:
    """Advance width of one character at 100 pt (cached per font)."""
    prop = FontProperties(size=100)
    w, _, _ = text_to_path.get_text_width_height_descent(ch, prop, ismath=False)
    if ch == " ":  # a lone space measures as zero: use the width it adds
        w2, _, _ = text_to_path.get_text_width_height_descent("x x", prop, ismath=False)
        w1, _, _ = text_to_path.get_text_width_height_descent("xx", prop, ismath=False)
        w = w2 - w1
    return float(w)


def text_width(text: str, size: float, weight: str = "normal") -> float:
    """Width of ``text`` in points when drawn at ``size`` points.

    The sum of the characters' advance widths (cached), plus 2% for
    kerning and rounding: fast enough to wrap thousands of table cells.
    Uses the same font lookup as drawing (call inside ``font_context``).
    """
    if not text:
        return 0.0
    family = str(mpl.rcParams["font.sans-serif"][0])
    w = sum(_advance(ch, family) for ch in text) * size / 100 * 1.02
    return w + (size * 0.045 if weight == "bold" else 0.0)


def wrap_text(
    text: str,
    width: float,
    size: float,
    *,
    weight: str = "normal",
    max_lines: int | None = None,
) -> list[str]:
    """Split ``text`` into lines no wider than ``width`` points.

    Latin text breaks between words, Chinese between characters; a word too
    long for a line is broken between characters. Explicit newlines are kept.
    With ``max_lines``, the last kept line ends in an ellipsis when text was
    dropped.

    Examples
    --------
    >>> from pondstats.fonts import font_context
    >>> with font_context():
    ...     lines = wrap_text("东湖区 close rate below benchmark", 60, 9)
    >>> len(lines) > 1 and "".join(lines).replace(" ", "") == "东湖区closeratebelowbenchmark"
    True
    """
    lines: list[str] = []
    for para in str(text).split("\n"):
        cur = ""
        for tok in _TOKEN.findall(para):
            cand = cur + tok
            if text_width(cand.rstrip(), size, weight) <= width:
                cur = cand
                continue
            if tok in _CLOSERS and len(cur.rstrip()) > 1 and not cur.endswith(" "):
                # Chinese closing punctuation never starts a line: it takes the
                # character before it along
                lines.append(cur[:-1])
                cur = cur[-1] + tok
                continue
            if cur.strip():
                lines.append(cur.rstrip())
                cur = ""
            tok = tok.lstrip() if not cur else tok
            # the token alone may still be too wide: break it by characters
            while text_width(tok.rstrip(), size, weight) > width and len(tok) > 1:
                cut = len(tok) - 1
                while cut > 1 and text_width(tok[:cut], size, weight) > width:
                    cut -= 1
                lines.append(tok[:cut])
                tok = tok[cut:]
            cur = tok
        lines.append(cur.rstrip())
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_width(last + "…", size, weight) > width:
            last = last[:-1]
        lines[-1] = last + "…"
    return lines


@dataclass(frozen=True)
class Column:
    """One column of a table: header text, share of the width, alignment."""

    header: str
    width: float  # relative; the widths of a table are scaled to fill it
    align: str = "left"  # left, right or center


@dataclass
class Page:
    """An A4 portrait page being filled from the top down.

    ``cursor`` is the height (inches from the bottom edge) where the next
    block starts; every ``add_*`` method draws below it and moves it down.

    Parameters
    ----------
    header_left, header_right : str
        Running header (report title, period).
    title : str, optional
        Page title drawn under the header.
    """

    header_left: str
    header_right: str
    title: str | None = None
    fig: Figure = field(init=False)
    cursor: float = field(init=False)

    def __post_init__(self) -> None:
        self.fig = Figure(figsize=A4)
        self.cursor = A4[1] - HEADER_H
        y = A4[1] - 0.38
        self._text(MARGIN_X, y, self.header_left, size=8, color=MUTED, va="baseline")
        self._text(
            A4[0] - MARGIN_X,
            y,
            self.header_right,
            size=8,
            color=MUTED,
            ha="right",
            va="baseline",
        )
        self._hline(A4[1] - 0.46, color=RULE, lw=0.6)
        if self.title:
            self.add_title(self.title)

    # -- geometry -------------------------------------------------------
    @property
    def width(self) -> float:
        """Content width in inches."""
        return A4[0] - 2 * MARGIN_X

    @property
    def bottom(self) -> float:
        return FOOTER_H

    def room(self) -> float:
        """Inches left between the cursor and the footer."""
        return self.cursor - self.bottom

    def _fx(self, x: float) -> float:
        return x / A4[0]

    def _fy(self, y: float) -> float:
        return y / A4[1]

    def _text(self, x: float, y: float, s: str, **kw) -> None:
        kw.setdefault("va", "top")
        kw.setdefault("color", INK)
        if kw.pop("weight", None) == "bold":
            # an outline under the text stands in for a bold face; the text on
            # top stays real text (searchable, extractable)
            self.fig.text(
                self._fx(x),
                self._fy(y),
                s,
                path_effects=bold_effect(kw.get("size", 10), kw["color"]),
                **kw,
            )
        self.fig.text(self._fx(x), self._fy(y), s, **kw)

    def _hline(
        self, y: float, x0: float | None = None, x1: float | None = None, **kw
    ) -> None:
        x0 = MARGIN_X if x0 is None else x0
        x1 = A4[0] - MARGIN_X if x1 is None else x1
        self.fig.add_artist(
            _line(self._fx(x0), self._fx(x1), self._fy(y), self._fy(y), **kw)
        )

    def _rect(self, x: float, y: float, w: float, h: float, **kw) -> None:
        kw.setdefault("lw", 0)
        self.fig.add_artist(
            Rectangle(
                (self._fx(x), self._fy(y)),
                self._fx(w),
                self._fy(h),
                transform=self.fig.transFigure,
                **kw,
            )
        )

    # -- blocks ---------------------------------------------------------
    def gap(self, inches: float) -> None:
        self.cursor -= inches

    def add_title(self, text: str, *, size: float = 15) -> None:
        """The page title, in bold, with some space under it."""
        self._text(MARGIN_X, self.cursor, text, size=size, weight="bold")
        self.cursor -= size / 72 * 1.25 + 0.12

    def add_section(self, text: str, *, size: float = 11) -> None:
        """A section heading with a thin rule under it."""
        self.cursor -= 0.04
        self._text(MARGIN_X, self.cursor, text, size=size, weight="bold")
        self.cursor -= size / 72 * 1.3
        self._hline(self.cursor, color=RULE, lw=0.5)
        self.cursor -= 0.08

    def add_paragraph(
        self,
        text: str,
        *,
        size: float = 9,
        color: str = INK,
        x: float | None = None,
        width: float | None = None,
        leading: float = 1.45,
        after: float = 0.05,
    ) -> None:
        """Wrapped text that fills the content width; ``leading`` is the line
        height over the type size, ``after`` the space under it (inches)."""
        x = MARGIN_X if x is None else x
        width = self.width if width is None else width
        lines = wrap_text(text, width * 72, size)
        line_h = size / 72 * leading
        for line in lines:
            self._text(x, self.cursor, line, size=size, color=color)
            self.cursor -= line_h
        self.cursor -= after

    def add_axes(
        self,
        height: float,
        *,
        left: float = 0.0,
        width: float | None = None,
        pad_left: float = 0.55,
        pad_bottom: float = 0.45,
        pad_top: float = 0.3,
        pad_right: float = 0.1,
        advance: bool = True,
    ) -> Axes:
        """An Axes in a box of ``height`` inches below the cursor.

        ``left``/``width`` place the box within the content width (inches);
        the pads leave room for tick labels, axis labels and the title.
        """
        width = self.width - left if width is None else width
        x0 = MARGIN_X + left + pad_left
        y0 = self.cursor - height + pad_bottom
        w = width - pad_left - pad_right
        h = height - pad_bottom - pad_top
        ax = self.fig.add_axes((self._fx(x0), self._fy(y0), self._fx(w), self._fy(h)))
        if advance:
            self.cursor -= height
        return ax

    def add_tiles(
        self,
        tiles: Sequence[tuple[str, str, str, str]],
        *,
        height: float = 0.95,
        per_row: int = 4,
    ) -> None:
        """KPI tiles: (label, big value, note, colour of the value) each.

        Labels take up to two lines, notes up to three (a tile of 0.95 in
        holds them); a value too wide for the tile is drawn smaller.
        """
        gap = 0.1
        w = (self.width - gap * (per_row - 1)) / per_row
        inner = (w - 0.2) * 72
        for i, (label, value, note, color) in enumerate(tiles):
            r, c = divmod(i, per_row)
            x = MARGIN_X + c * (w + gap)
            top = self.cursor - r * (height + gap)
            self._rect(
                x, top - height, w, height, facecolor="#f3f5f8", edgecolor=RULE, lw=0.5
            )
            for k, line in enumerate(wrap_text(label, inner, 7.5, max_lines=2)):
                self._text(x + 0.1, top - 0.07 - k * 0.13, line, size=7.5, color=MUTED)
            size = 17.0
            while size > 9 and text_width(value, size, "bold") > inner:
                size -= 1
            self._text(
                x + 0.1,
                top - 0.34,
                _fit(value, inner, size, "bold"),
                size=size,
                weight="bold",
                color=color,
            )
            for k, line in enumerate(wrap_text(note, inner, 6.5, max_lines=3)):
                self._text(x + 0.1, top - 0.63 - k * 0.1, line, size=6.5, color=MUTED)
        rows = -(-len(tiles) // per_row)
        self.cursor -= rows * height + (rows - 1) * gap + 0.12

    def table_height(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        size: float = 8,
        max_lines: int = 3,
        width: float | None = None,
    ) -> float:
        """Inches that :meth:`add_table` with the same arguments takes
        (header, rows and the space under the table), without drawing.

        Examples
        --------
        >>> from pondstats.fonts import font_context
        >>> with font_context():
        ...     page = Page("pondstats", "2026-10")
        ...     cols = [Column("区域 Zone", 2), Column("A卡 A", 1, "right")]
        ...     rows = [["东湖区 (Z01)", "203"], ["北岭县 (Z02)", "152"]]
        ...     h = page.table_height(cols, rows)
        ...     top = page.cursor
        ...     _ = page.add_table(cols, rows)
        >>> round(top - page.cursor, 6) == round(h, 6)
        True
        """
        width = self.width if width is None else width
        total = sum(c.width for c in columns)
        widths = [c.width / total * width for c in columns]
        pad, line_h = CELL_PAD, size / 72 * 1.3

        def h(texts, lines):
            return (
                max(
                    len(wrap_text(str(t), (w - 2 * pad) * 72, size, max_lines=lines))
                    for t, w in zip(texts, widths, strict=True)
                )
                * line_h
                + 2 * pad
            )

        head = h([c.header for c in columns], max(max_lines, 3))
        return head + sum(h(r, max_lines) for r in rows) + 0.12

    def add_table(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        size: float = 8,
        fills: Sequence[Sequence[str | None]] | None = None,
        max_lines: int = 3,
        min_room: float = 0.0,
        x: float = 0.0,
        width: float | None = None,
    ) -> int:
        """Draw as many ``rows`` as fit above the footer; return how many.

        Headers and cells wrap within their column (Chinese between
        characters); a cell needing more than ``max_lines`` lines is cut with
        an ellipsis. ``fills`` gives an optional background colour per cell.
        The caller continues on a new page with ``rows[n:]``. ``x`` and
        ``width`` (inches) place the table within the content width.
        """
        width = self.width - x if width is None else width
        total = sum(c.width for c in columns)
        widths = [c.width / total * width for c in columns]
        pad = CELL_PAD
        line_h = size / 72 * 1.3
        xs = [MARGIN_X + x]
        for w in widths[:-1]:
            xs.append(xs[-1] + w)

        def cells(texts, weight, lines=max_lines):
            wrapped = [
                wrap_text(
                    str(t), (w - 2 * pad) * 72, size, weight=weight, max_lines=lines
                )
                for t, w in zip(texts, widths, strict=True)
            ]
            h = max(len(x) for x in wrapped) * line_h + 2 * pad
            return wrapped, h

        # headers: a tinted band, not bold (a bold face costs a second text
        # object per cell: the bundled CJK font has no bold)
        head, head_h = cells([c.header for c in columns], "normal", max(max_lines, 3))
        first, first_h = cells(rows[0], "normal") if rows else ([], 0)
        if self.room() < head_h + first_h + min_room:
            return 0
        self._draw_row(
            xs,
            widths,
            head,
            head_h,
            columns,
            size,
            line_h,
            pad,
            "normal",
            [HEAD_BG] * len(columns),
        )
        drawn = 0
        for i, row in enumerate(rows):
            wrapped, h = cells(row, "normal")
            if self.room() < h:
                break
            base = ZEBRA if i % 2 else None
            row_fills = [
                (fills[i][j] if fills and fills[i][j] else base)
                for j in range(len(columns))
            ]
            self._draw_row(
                xs, widths, wrapped, h, columns, size, line_h, pad, "normal", row_fills
            )
            drawn += 1
        self._hline(self.cursor, xs[0], xs[0] + width, color=RULE, lw=0.6)
        self.cursor = max(self.cursor - 0.12, self.bottom)
        return drawn

    def add_table_side_by_side(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        *,
        blocks: int = 2,
        gap: float = 0.3,
        **kw,
    ) -> int:
        """A narrow table in ``blocks`` side-by-side parts (rows in reading
        order: the first part, then the next), each with its header.

        Only when every part fits above the footer; otherwise nothing is
        drawn and 0 returned (the caller then uses :meth:`add_table`, which
        continues on new pages). Returns the number of rows drawn.

        Examples
        --------
        >>> from pondstats.fonts import font_context
        >>> with font_context():
        ...     page = Page("pondstats", "2026-10")
        ...     cols = [Column("区域 Zone", 2), Column("目标 Target", 1, "right")]
        ...     rows = [[f"Z{i:02d}", str(i)] for i in range(1, 17)]
        ...     page.add_table_side_by_side(cols, rows)
        16
        """
        if not rows or blocks < 2:
            return 0
        per = -(-len(rows) // blocks)
        width = (self.width - gap * (blocks - 1)) / blocks
        parts = [rows[i : i + per] for i in range(0, len(rows), per)]
        opts = {k: kw[k] for k in ("size", "max_lines") if k in kw}
        if any(
            self.table_height(columns, part, width=width, **opts) > self.room()
            for part in parts
        ):
            return 0
        top, bottoms = self.cursor, []
        for k, part in enumerate(parts):
            self.cursor = top
            self.add_table(columns, part, x=k * (width + gap), width=width, **kw)
            bottoms.append(self.cursor)
        self.cursor = min(bottoms)
        return len(rows)

    def _draw_row(
        self, xs, widths, wrapped, h, columns, size, line_h, pad, weight, fills
    ):
        top = self.cursor
        for x, w, lines, col, fill in zip(
            xs, widths, wrapped, columns, fills, strict=True
        ):
            if fill:
                self._rect(x, top - h, w, h, facecolor=fill)
            if col.align == "right":
                tx, ha = x + w - pad, "right"
            elif col.align == "center":
                tx, ha = x + w / 2, "center"
            else:
                tx, ha = x + pad, "left"
            for k, line in enumerate(lines):
                self._text(
                    tx, top - pad - k * line_h, line, size=size, ha=ha, weight=weight
                )
        self.cursor -= h
        self._hline(self.cursor, xs[0], xs[-1] + widths[-1], color="#e0e0e0", lw=0.4)

    def add_footer(self, left: str, right: str) -> None:
        """The running footer (source note, page number)."""
        self._hline(FOOTER_H - 0.2, color=RULE, lw=0.6)
        y = FOOTER_H - 0.36
        self._text(
            MARGIN_X, y, _fit(left, (self.width - 1.6) * 72, 7), size=7, color=MUTED
        )
        self._text(A4[0] - MARGIN_X, y, right, size=7, color=MUTED, ha="right")


def bold_effect(size: float, color: str) -> list:
    """A path effect drawing only a thin outline of the text in its colour:
    the bundled CJK font has no bold face, so this, under the text, stands in
    for one."""
    from matplotlib import patheffects

    return [patheffects.Stroke(linewidth=size * 0.045, foreground=color)]


def _fit(text: str, width: float, size: float, weight: str = "normal") -> str:
    """``text`` cut with an ellipsis to one line of ``width`` points."""
    return wrap_text(text.replace("\n", " "), width, size, weight=weight, max_lines=1)[
        0
    ]


def _line(x0, x1, y0, y1, **kw):
    from matplotlib.lines import Line2D

    return Line2D([x0, x1], [y0, y1], **kw)
