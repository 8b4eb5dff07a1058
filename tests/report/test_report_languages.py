"""The sample report in one language: --lang en has no Chinese outside the
names the data carries (zones, stores, consultants, sources, masked
customers), --lang zh none of the report's English words; no glyph missing."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

import pondstats as ps
from pondstats.cli import main
from pondstats.vocab import CHART_WORDS, VERDICTS, WORDS
from tests.report.pdftext import PDFTOTEXT, pdf_text

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) absent"),
]


def _report(tmp_path: Path, lang: str) -> str:
    out = tmp_path / lang
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert main(["report", "--out", str(out), "--lang", lang]) == 0
    missing = [str(w.message) for w in caught if "missing" in str(w.message)]
    assert not missing, missing
    (pdf,) = out.glob("*.pdf")
    return pdf_text(pdf)


def _data_names() -> list[str]:
    """Names as the export spells them, longest first."""
    visits, _ = ps.load_sample()
    joining, _ = ps.load_sample_joining_store()  # in the appendix's logging audit
    names: set[str] = set()
    for v in (visits, joining):
        for col in ("region", "store", "consultant", "source", "model"):
            if col in v:
                names |= set(v[col].dropna().astype(str))
    return sorted(names, key=len, reverse=True)


def test_english_report_has_no_chinese_word(tmp_path):
    text = _report(tmp_path, "en")
    assert "Zones that need action" in text
    names = _data_names()
    bad = []
    for line in text.splitlines():
        rest = re.sub(r"[\u4e00-\u9fff]\*+", "", line)  # masked customer names
        for name in names:
            rest = rest.replace(name, "")
        if CJK.search(rest):
            bad.append(line.strip())
    assert not bad, bad[:10]


def test_chinese_report_has_no_english_sentence(tmp_path):
    text = re.sub(r"\s+", " ", _report(tmp_path, "zh"))
    assert "需要行动的区域" in text
    english = [
        en
        for table in (WORDS, CHART_WORDS, VERDICTS)
        for _, en in table.values()
        if len(en) >= 10 and "{" not in en
    ]
    found = [en for en in english if en in text]
    assert not found, found
