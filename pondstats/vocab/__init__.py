"""Every word shown to people, in Chinese and English, and the number formats.

One module so that a word is changed, or a KPI named, in one place: the CLI,
the charts and the report all read from here. A word is a ``(zh, en)`` pair.

- :data:`KPI_DEFINITIONS`: the KPI dictionary, one :class:`Kpi` per KPI
  column any function returns (id, names, formula in words and symbols, unit,
  which direction is good, benchmark); ``ps.KPIS`` is it as a table and
  ``pondstats kpis --list`` prints it.
- :data:`KPIS`: KPI and column names (the KPIs' from :data:`KPI_DEFINITIONS`),
  each a :class:`Term` with a ``name`` (headings, tiles, chart titles), a
  ``column`` (table headers in the terminal) and a ``short`` header (narrow
  report tables).
- :data:`STATUSES`: the close-rate status classes.
- :data:`GROUPS`: the names of the columns a table can be grouped by.
- :data:`PROBLEMS` and :data:`ACTIONS`: the zone diagnosis (traffic or
  conversion) and what to do about it; :data:`UNJUDGED_ACTION`.
- :data:`VERDICTS`, :data:`VERDICT_ACTIONS`: the verdicts of
  ``assess_zones`` and their actions; :data:`VERDICT_TRAFFIC_SHORT`: how a
  verdict reads when traffic is short (:meth:`Labels.verdict`);
  :data:`VERDICT_CLASSES`: the verdicts as the map and funnel plot colour them.
- :data:`FEATURES` and :data:`FACTOR_WORDS`: the lead-score factors of the
  call list; :data:`SOURCES`: the usual lead sources; :data:`LOST_REASONS`:
  the usual lost-deal reasons; :data:`WEEKDAYS`: the lead table's weekdays;
  :data:`REJECT_REASONS`: why cleaning rejected a row.
- :data:`WORDS`: every other word of the report and the charts (some are
  templates with ``str.format`` fields); :data:`LEAD_CHARTS`: the words of
  the lead-scoring charts; :data:`LEAD_WORDS`: horizon tiers, call
  capacity, drift and the tier back-test; :data:`CHART_WORDS`: the words of
  the charts (axes, titles, legends, notes); :data:`BILINGUAL`: texts that
  always show both languages at once (the CLI's legend lines).
- :class:`Labels` picks a language (``both``, ``zh`` or ``en``); the
  ``fmt_*`` functions format numbers the same way everywhere.

The tables live in one module per topic: ``_kpis`` (KPI and column names,
the KPI dictionary), ``_verdicts`` (statuses, problems, actions, verdicts),
``_values`` (group columns, sources, weekdays, lost and reject reasons),
``_leads`` (lead scoring), ``_charts``, ``_funnel`` and ``_report`` (the
report and the CLI); ``_words`` makes :data:`WORDS` of its parts, each key
defined once. The helpers below pick a language.
This is a ground-floor package: it imports nothing from pondstats but errors.

Examples
--------
>>> KPIS["close_rate"].name
('来店成交率', 'Close rate')
>>> Labels("both").kpi("a_cards", form="short")
'A卡 A'
>>> word("no_data", "en")
'no data'
"""

from __future__ import annotations

import math

from pondstats.errors import InputError

__all__ = [
    "ACTIONS",
    "BILINGUAL",
    "CHART_WORDS",
    "FACTOR_WORDS",
    "FUNNEL_WORDS",
    "FEATURES",
    "GROUPS",
    "KPIS",
    "KPI_BY_ID",
    "KPI_DEFINITIONS",
    "KPI_UNITS",
    "LEAD_CHARTS",
    "LEAD_WORDS",
    "LANGS",
    "LOST_REASONS",
    "PROBLEMS",
    "REJECT_REASONS",
    "SOURCES",
    "STATUSES",
    "UNJUDGED_ACTION",
    "VERDICTS",
    "VERDICT_ACTIONS",
    "WEEKDAYS",
    "VERDICT_CLASSES",
    "VERDICT_TRAFFIC_SHORT",
    "WORDS",
    "Kpi",
    "Labels",
    "Term",
    "both",
    "both_lines",
    "fmt_change",
    "fmt_int",
    "fmt_num",
    "fmt_pct",
    "fmt_pt",
    "lang_table",
    "word",
]

from pondstats.vocab._charts import CHART_WORDS
from pondstats.vocab._funnel import FUNNEL_WORDS
from pondstats.vocab._kpis import (
    KPI_BY_ID,
    KPI_DEFINITIONS,
    KPI_UNITS,
    KPIS,
    LANGS,
    Kpi,
    Term,
    Word,
)
from pondstats.vocab._leads import FACTOR_WORDS, FEATURES, LEAD_CHARTS, LEAD_WORDS
from pondstats.vocab._report import BILINGUAL
from pondstats.vocab._values import (
    GROUPS,
    LOST_REASONS,
    REJECT_REASONS,
    SOURCES,
    WEEKDAYS,
)
from pondstats.vocab._verdicts import (
    ACTIONS,
    PROBLEMS,
    STATUSES,
    UNJUDGED_ACTION,
    VERDICT_ACTIONS,
    VERDICT_CLASSES,
    VERDICT_TRAFFIC_SHORT,
    VERDICTS,
)
from pondstats.vocab._words import WORDS


def word(key: str, lang: str, **fmt: object) -> str:
    """The word ``key`` of :data:`WORDS` in ``zh`` or ``en``, formatted.

    Examples
    --------
    >>> word("page", "en", n=2, total=9)
    'Page 2 of 9'
    """
    zh, en = WORDS[key]
    return (zh if lang == "zh" else en).format(**fmt)


def both(w: Word, *, sep: str = " ") -> str:
    """``中文 English`` of one ``(zh, en)`` word, the charts' bilingual form.

    Examples
    --------
    >>> both(STATUSES["weak"])
    '偏弱 weak'
    """
    return f"{w[0]}{sep}{w[1]}"


def both_lines(w: Word, *, sep: str = " | ", **fmt: object) -> str:
    """``中文 | English`` of one template word, each formatted with ``fmt``.

    Examples
    --------
    >>> both_lines(FUNNEL_WORDS["cli_winback"], n=3)
    '复活旧客户:3 位值得联系的流失客户 | win-back list: 3 lapsed customer(s) worth a call'
    """
    return f"{w[0].format(**fmt)}{sep}{w[1].format(**fmt)}"


def lang_table(words: dict[str, Word]) -> dict[str, dict[str, str]]:
    """``{"zh": {key: zh}, "en": {key: en}}`` of a table of words.

    Examples
    --------
    >>> lang_table(STATUSES)["en"]["on_track"]
    'inconclusive'
    """
    return {
        lang: {k: w[i] for k, w in words.items()} for i, lang in enumerate(("zh", "en"))
    }


class Labels:
    """Look up words in the chosen language (``both`` = 中文 English).

    Examples
    --------
    >>> Labels("both")("close_rate")
    '来店成交率 Close rate'
    >>> Labels("en")("close_rate")
    'Close rate'
    >>> Labels("zh").status("weak")
    '偏弱'
    >>> Labels("fr")
    Traceback (most recent call last):
    ...
    pondstats.errors.InputError: expected lang to be one of 'both', 'zh', 'en', got 'fr'
    """

    def __init__(self, lang: str = "both") -> None:
        if lang not in LANGS:
            raise InputError(
                f"expected lang to be one of {', '.join(map(repr, LANGS))}, got {lang!r}"
            )
        self.lang = lang

    def pick(self, zh: str, en: str, *, sep: str = " ") -> str:
        """``zh``, ``en`` or both joined by ``sep``."""
        if self.lang == "zh":
            return zh
        if self.lang == "en":
            return en
        return f"{zh}{sep}{en}"

    def word(self, w: Word, *, sep: str = " ", **fmt: object) -> str:
        """One ``(zh, en)`` word in the chosen language, formatted with ``fmt``.

        A word spelled the same in both languages (``A/C``) is shown once.
        """
        zh, en = w[0].format(**fmt), w[1].format(**fmt)
        return zh if zh == en else self.pick(zh, en, sep=sep)

    def chart(self, key: str, *, sep: str = " ", **fmt: object) -> str:
        """A word of :data:`CHART_WORDS` (the charts' axes, titles, legends)."""
        return self.word(CHART_WORDS[key], sep=sep, **fmt)

    def __call__(self, key: str, *, sep: str = " ", **fmt: object) -> str:
        """A word of :data:`WORDS`, or the name of a KPI of :data:`KPIS`."""
        w = KPIS[key].name if key in KPIS else WORDS[key]
        return self.word(w, sep=sep, **fmt)

    def kpi(self, key: str, *, form: str = "name", sep: str = " ") -> str:
        """A KPI's ``name``, ``column`` or ``short`` header."""
        return self.word(getattr(KPIS[key], form), sep=sep)

    def verdict(
        self, verdict: object, problem: object = None, *, sep: str = " "
    ) -> str:
        """A verdict of ``assess_zones`` as people read it: its word, and when
        the zone's traffic is short (``problem`` traffic or both) the traffic
        problem first, so a traffic-short zone never reads "on target" alone.

        Examples
        --------
        >>> Labels("en").verdict("on_target", "traffic")
        'traffic short; conversion: on target'
        >>> Labels("zh").verdict("persistently_weak", "conversion")
        '持续偏弱'
        """
        v = str(verdict)
        zh, en = VERDICTS.get(v, (v, v))
        if problem in ("traffic", "both"):
            zh = VERDICT_TRAFFIC_SHORT[0].format(verdict=zh)
            en = VERDICT_TRAFFIC_SHORT[1].format(verdict=en)
        return self.word((zh, en), sep=sep)

    def status(self, status: object, *, sep: str = " / ") -> str:
        """A status class by its name; unknown ones as they are, a dash for none."""
        if not isinstance(status, str):
            return "–"
        return self.word(STATUSES.get(status, (status, status)), sep=sep)


def _bad(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_int(x: object) -> str:
    """``1,234``; a dash for missing.

    Examples
    --------
    >>> fmt_int(1234.4), fmt_int(None)
    ('1,234', '–')
    """
    return "–" if _bad(x) else f"{int(round(float(x))):,}"


def fmt_num(x: object, digits: int = 1) -> str:
    """``7.7``; a dash for missing or infinite.

    Examples
    --------
    >>> fmt_num(7.74), fmt_num(float("inf"))
    ('7.7', '–')
    """
    if _bad(x) or not math.isfinite(float(x)):
        return "–"
    return f"{float(x):,.{digits}f}"


def fmt_pct(x: object, digits: int = 1) -> str:
    """``13.0%``; a dash for missing.

    Examples
    --------
    >>> fmt_pct(0.13)
    '13.0%'
    """
    return "–" if _bad(x) else f"{float(x):.{digits}%}"


def fmt_pt(x: object) -> str:
    """A change of a rate in percentage points: ``+1.2 pt``.

    Examples
    --------
    >>> fmt_pt(0.012)
    '+1.2 pt'
    """
    return "–" if _bad(x) else f"{float(x) * 100:+.1f} pt"


def fmt_change(now: object, before: object) -> str:
    """Relative change of a count: ``+5.2%``; a dash when not defined.

    Examples
    --------
    >>> fmt_change(105, 100), fmt_change(1, 0)
    ('+5.0%', '–')
    """
    if _bad(now) or _bad(before) or float(before) == 0:
        return "–"
    return f"{float(now) / float(before) - 1:+.1%}"
