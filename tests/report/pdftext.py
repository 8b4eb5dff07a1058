"""Reading the report's PDFs back for the tests: poppler's ``pdftotext``
(independent of the writer) and the page count from the file itself."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PDFTOTEXT = shutil.which("pdftotext")
needs_pdftotext = pytest.mark.skipif(
    PDFTOTEXT is None, reason="pdftotext (poppler-utils) absent"
)


def pdf_text(path: Path | str) -> str:
    """The PDF's text, laid out as on the page (``pdftotext -layout``)."""
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout


def pages_text(path: Path | str) -> list[str]:
    """The text of each page (form feeds split the pages)."""
    return pdf_text(path).split("\f")


def pdf_pages(path: Path | str) -> int:
    """Page count read from the PDF itself (independent of the writer)."""
    return len(re.findall(rb"/Type\s*/Page[^s]", Path(path).read_bytes()))
