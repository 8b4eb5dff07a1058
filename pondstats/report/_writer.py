"""Atomic, reproducible PDF writing.

A report is written to a temporary file in the target directory and moved
into place with :func:`os.replace` only once every page is written, so a
failure never leaves a half-written PDF (and never destroys an older good
one). The bytes depend only on the inputs: the PDF metadata dates come from
the report month, Producer/Creator are fixed strings, and matplotlib's font
subset names are a hash of the glyph set (integers, so not affected by
``PYTHONHASHSEED``).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

__all__ = ["pdf_metadata", "write_pdf"]


def pdf_metadata(
    month: pd.Period, *, title: str, subject: str = ""
) -> dict[str, object]:
    """Fixed PDF metadata for a report on ``month``.

    CreationDate and ModDate are midnight UTC on the first day after the
    month, so the same month always gives the same bytes.

    Examples
    --------
    >>> import pandas as pd
    >>> md = pdf_metadata(pd.Period("2026-10", "M"), title="t")
    >>> md["CreationDate"].isoformat(), md["Producer"]
    ('2026-11-01T00:00:00+00:00', 'pondstats')
    """
    from pondstats._version import __version__

    nxt = (month + 1).start_time
    stamp = datetime(nxt.year, nxt.month, nxt.day, tzinfo=UTC)
    return {
        "Title": title,
        "Subject": subject,
        "Author": "pondstats",
        "Creator": f"pondstats {__version__} report",
        "Producer": "pondstats",
        "CreationDate": stamp,
        "ModDate": stamp,
        "Keywords": None,
        "Trapped": None,
    }


@contextlib.contextmanager
def _atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it over ``path`` on
    success, delete it on failure."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_umask())  # mkstemp made it 0600
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_pdf(
    path: Path,
    figures: Sequence[Figure],
    metadata: dict[str, object],
    *,
    on_page: Callable[[int], object] | None = None,
) -> Path:
    """Write ``figures`` as the pages of one PDF at ``path``, atomically.

    Call inside :func:`pondstats.fonts.font_context` (fonts are embedded as
    TrueType, ``pdf.fonttype`` 42).
    """
    path = Path(path)
    with _atomic_target(path) as tmp, PdfPages(tmp, metadata=metadata) as pdf:
        for fig in figures:
            pdf.savefig(fig)
            if on_page is not None:
                on_page(1)
    return path
