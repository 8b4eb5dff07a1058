"""The one vocabulary: every key the code uses has its words, and the CLI, the
map and the report take their words from :mod:`pondstats.vocab`."""

from __future__ import annotations

import ast
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from zone_helpers import grid_zones, make_rates

import pondstats as ps
from pondstats import vocab
from pondstats.cli import main
from pondstats.errors import InputError
from pondstats.fonts import font_context
from pondstats.leads._table import LEAD_FEATURES
from pondstats.plotting._common import STATUS_COLORS, STATUS_LABELS
from pondstats.plotting._quadrant import PROBLEM_COLORS
from pondstats.report._data import ReportData
from pondstats.report._layout import Page
from pondstats.report._network import zone_table_pages
from pondstats.schema import RATE_STATUSES, Benchmark
from pondstats.vocab import KPIS, Labels, Term
from pondstats.vocab._words import WORD_PARTS, one_table
from pondstats.zones._diagnosis import ACTIONS

VOCAB = Path(vocab.__file__).parent  # the vocab package
PKG = VOCAB.parent


def _is_word(w) -> bool:
    return (
        isinstance(w, tuple)
        and len(w) == 2
        and all(isinstance(x, str) and x.strip() for x in w)
    )


# ---------------------------------------------------------------------------
# every key used by the code has a zh and an en word
# ---------------------------------------------------------------------------


def test_every_status_has_both_words():
    keys = set(RATE_STATUSES) | set(STATUS_COLORS)
    assert keys == set(vocab.STATUSES)
    assert all(_is_word(vocab.STATUSES[k]) for k in keys)
    assert STATUS_LABELS["zh"]["on_track"] == "未定"  # not proven either way
    assert STATUS_LABELS["en"]["too_few"] == "too few"


def test_every_problem_has_a_name_and_an_action_in_both_languages():
    keys = set(PROBLEM_COLORS) | set(ACTIONS)
    assert keys == set(vocab.PROBLEMS) == set(vocab.ACTIONS)
    assert all(_is_word(vocab.PROBLEMS[k]) and _is_word(vocab.ACTIONS[k]) for k in keys)
    assert _is_word(vocab.UNJUDGED_ACTION)
    assert ACTIONS["both"] == {
        "zh": "引流+提升转化",
        "en": "grow traffic + fix conversion",
    }


def test_every_group_and_lead_feature_has_both_words():
    for g in ("region", "store", "consultant", "source", "model"):
        assert _is_word(vocab.GROUPS[g])
    assert set(LEAD_FEATURES) <= set(vocab.FEATURES)
    assert all(_is_word(w) for w in vocab.FEATURES.values())
    assert all(_is_word(w) for w in vocab.FACTOR_WORDS.values())


def test_every_kpi_has_all_forms_in_both_languages():
    for key, term in KPIS.items():
        for form in (term.name, term.column, term.short):
            assert _is_word(form), key


def test_every_word_key_used_by_the_code_exists():
    """Each literal key passed to ``L(...)``, ``WORDS[...]``, ``KPIS[...]`` etc."""
    tables = {
        "WORDS": vocab.WORDS,
        "KPIS": vocab.KPIS,
        "BILINGUAL": vocab.BILINGUAL,
        "STATUSES": vocab.STATUSES,
        "ACTIONS": vocab.ACTIONS,
    }
    used: list[tuple[str, str, str]] = []
    for path in PKG.rglob("*.py"):
        if path.parent == VOCAB:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Subscript)
                and isinstance(node.value, ast.Name)
                and node.value.id in tables
                and isinstance(node.slice, ast.Constant)
            ):
                used.append((path.name, node.value.id, node.slice.value))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in ("L", "word")
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                used.append((path.name, "WORDS", node.args[0].value))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "kpi"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                used.append((path.name, "KPIS", node.args[0].value))
    assert len(used) > 40  # the walk finds the uses
    missing = [
        u
        for u in used
        if u[2] not in tables[u[1]] and not (u[1] == "WORDS" and u[2] in KPIS)
    ]
    assert missing == []


def test_every_word_has_zh_and_en():
    for key, w in vocab.WORDS.items():
        assert _is_word(w), key
    for table in (vocab.LEAD_CHARTS, vocab.PROBLEMS, vocab.GROUPS):
        assert all(_is_word(w) for w in table.values())


def test_no_key_is_defined_twice_with_different_texts():
    # WORDS is made of one part per topic, each key in one part only
    assert sum(map(len, WORD_PARTS)) == len(vocab.WORDS)
    with pytest.raises(ValueError, match="the word 'zone' is defined twice"):
        one_table(vocab.WORDS, {"zone": ("片", "Patch")})
    # L(key) reads a KPI's name before WORDS: a key in both hides a word
    assert set(vocab.WORDS) & set(KPIS) == set()
    # tables of the same things give a shared key one word, but where they
    # mean different things: the lead's intended model (意向车型), and the
    # verdict classes' on_track / too_few (not the close-rate statuses')
    for a, b, differ in (
        (vocab.GROUPS, vocab.FEATURES, {"model"}),
        (vocab.STATUSES, vocab.VERDICT_CLASSES, {"on_track", "too_few"}),
        (vocab.STATUSES, vocab.VERDICTS, set()),
    ):
        shared = set(a) & set(b)
        assert shared - differ
        assert {k for k in shared if a[k] != b[k]} == differ


def test_vocab_imports_nothing_of_pondstats_but_errors():
    mods: set[str] = set()
    for path in VOCAB.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        mods |= {
            n.module
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.module
        } | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
        }
    outside = {
        m
        for m in mods
        if m.startswith("pondstats") and not m.startswith("pondstats.vocab")
    }
    assert outside == {"pondstats.errors"}


# ---------------------------------------------------------------------------
# Labels and formats
# ---------------------------------------------------------------------------


def test_labels_pick_kpi_status_and_same_word_once():
    assert Labels("both")("close_rate") == "来店成交率 Close rate"
    assert Labels("en").kpi("close_rate", form="column") == "close rate"
    assert Labels("both").kpi("ac_ratio", form="short") == "A/C"
    assert Labels("both").status("weak") == "偏弱 / weak"
    assert Labels("zh").status(None) == "–"
    assert Labels("en").status("odd") == "odd"
    assert Labels("en")("page", n=2, total=9) == "Page 2 of 9"


def test_labels_rejects_an_unknown_language():
    with pytest.raises(
        InputError, match="expected lang to be one of 'both', 'zh', 'en', got 'fr'"
    ):
        Labels("fr")


def test_formats():
    assert vocab.fmt_int(1234.5) == "1,234"
    assert vocab.fmt_pct(0.1304) == "13.0%"
    assert vocab.fmt_pt(-0.0125) == "-1.2 pt"
    assert vocab.fmt_num(float("nan")) == "–"
    assert vocab.fmt_change(90, 100) == "-10.0%"


# ---------------------------------------------------------------------------
# a KPI's name is one entry: change it in vocab and it shows everywhere
# ---------------------------------------------------------------------------

_NEW = Term(("试验率", "Trial rate"), ("试率", "trial rate"), ("试", "Tr"))


@pytest.fixture(scope="module")
def small_sample():
    s = ps.make_sample(months=6)
    return s.visits, s.deposits


def test_cli_rates_headers_come_from_vocab(capsys, monkeypatch, small_sample):
    monkeypatch.setattr("pondstats.datasets.load_sample", lambda: small_sample)
    monkeypatch.setitem(vocab.KPIS, "close_rate", _NEW)
    monkeypatch.setitem(vocab.GROUPS, "region", ("片", "patch"))
    monkeypatch.setitem(vocab.STATUSES, "on_track", ("正常", "fine"))
    assert main(["rates", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    header = out.splitlines()[1].split()
    assert header[0] == "片" and "试率" in header and "成交率" not in header
    assert "正常" in out
    assert main(["rates", "--lang", "en"]) == 0
    header = capsys.readouterr().out.splitlines()[1]
    assert "trial rate" in header and "close rate" not in header


def test_cli_rates_headers_are_vocab_columns(capsys, monkeypatch, small_sample):
    monkeypatch.setattr("pondstats.datasets.load_sample", lambda: small_sample)
    assert main(["rates", "--lang", "en"]) == 0
    header = capsys.readouterr().out.splitlines()[1]
    for key in ("a_cards", "c_cards", "cancelled", "close_rate", "shrunk_rate"):
        assert KPIS[key].column[1] in header
    assert vocab.GROUPS["region"][1] in header


def test_map_title_and_colourbar_come_from_vocab(monkeypatch):
    r = make_rates(
        [("东湖区", 400, 20, "weak"), ("西湖区", 300, 39, "on_track")],
        period="2026-10",
    )
    ax = ps.plot_zone_map(grid_zones(), r)
    assert ax.get_title() == "各片区来店成交率 Close rate by zone · 2026-10"
    plt.close(ax.figure)
    monkeypatch.setitem(vocab.KPIS, "close_rate", _NEW)
    ax = ps.plot_zone_map(grid_zones(), r)
    assert ax.get_title() == "各片区试验率 Trial rate by zone · 2026-10"
    cbar_ax = [a for a in ax.figure.axes if a is not ax][0]
    assert cbar_ax.get_ylabel().startswith("试验率 trial rate (基准 benchmark")
    plt.close(ax.figure)


def _zone_table_headers(data) -> list[str]:
    seen: list[list[str]] = []

    def record(self, columns, rows, **kw):
        seen.append([c.header for c in columns])
        return len(rows)

    with pytest.MonkeyPatch.context() as mp, font_context():
        mp.setattr(Page, "add_table", record)
        zone_table_pages(data, lambda title: Page("l", "r", title))
    for page in plt.get_fignums():
        plt.close(page)
    return seen[0]


@pytest.fixture(scope="module")
def report_data(small_sample):
    v, d = small_sample
    month = pd.Period(v["visit_date"].max(), freq="M")
    return ReportData.build(
        month, v, d, benchmark=Benchmark(), mask=True, L=Labels("both"), leads=False
    )


def test_report_zone_table_uses_vocab_words(report_data, monkeypatch):
    headers = _zone_table_headers(report_data)
    assert headers[:3] == ["区域 Zone", "判断 Verdict", "A卡 A"]
    assert headers[2] == " ".join(KPIS["a_cards"].short)
    monkeypatch.setitem(vocab.KPIS, "a_cards", _NEW)
    monkeypatch.setitem(vocab.WORDS, "zone", ("片", "Patch"))
    headers = _zone_table_headers(report_data)
    assert headers[0] == "片 Patch" and headers[2] == "试 Tr"
