"""``WORDS``: every word not in a table of its own, made of one part per topic.

The parts live with their topic: the report and the CLI in ``_report``, the
charts in ``_charts``, the whole funnel in ``_funnel``. Each key is defined in
one part only: :func:`one_table` refuses a key two parts define, so a word is
never silently replaced by another of the same key.
"""

from __future__ import annotations

from pondstats.vocab._charts import CHART_LABELS
from pondstats.vocab._funnel import FUNNEL_WORDS
from pondstats.vocab._kpis import Word
from pondstats.vocab._report import CLI_WORDS, KPI_PAGE_WORDS, REPORT_WORDS


def one_table(*parts: dict[str, Word]) -> dict[str, Word]:
    """The parts as one table, in their order; a key in two parts is an error.

    Examples
    --------
    >>> one_table({"a": ("甲", "a")}, {"b": ("乙", "b")})
    {'a': ('甲', 'a'), 'b': ('乙', 'b')}
    >>> one_table({"a": ("甲", "a")}, {"a": ("乙", "A")})
    Traceback (most recent call last):
    ...
    ValueError: the word 'a' is defined twice (('甲', 'a') and ('乙', 'A')); keep one and give the other its own key
    """
    out: dict[str, Word] = {}
    for part in parts:
        for key, w in part.items():
            if key in out:
                raise ValueError(
                    f"the word {key!r} is defined twice ({out[key]!r} and {w!r}); "
                    "keep one and give the other its own key"
                )
            out[key] = w
    return out


#: The parts of :data:`WORDS`, in the order the table lists them.
WORD_PARTS: tuple[dict[str, Word], ...] = (
    REPORT_WORDS,
    CHART_LABELS,
    CLI_WORDS,
    FUNNEL_WORDS,
    KPI_PAGE_WORDS,
)

#: Every other word of the report, the charts and the CLI.
WORDS: dict[str, Word] = one_table(*WORD_PARTS)
