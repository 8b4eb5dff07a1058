import pytest

import pondstats as ps
from pondstats.schema import DEPOSIT_ALIASES, STATUS_WORDS, STATUSES, VISIT_ALIASES


def test_benchmark_defaults_match_the_seeds():
    b = ps.Benchmark()
    assert (b.target, b.low, b.high) == (0.13, 0.08, 0.20)
    assert b.ac_ratio == pytest.approx(7.6923, abs=1e-4)


@pytest.mark.parametrize(
    "kw", [{"target": 13}, {"low": 0.15}, {"high": 0.1}, {"low": 0.0}]
)
def test_benchmark_rejects_inconsistent_values(kw):
    with pytest.raises(ValueError, match="low <= target <= high"):
        ps.Benchmark(**kw)


def test_no_alias_is_claimed_by_two_columns():
    for table in (VISIT_ALIASES, DEPOSIT_ALIASES):
        seen = {}
        for col, names in table.items():
            for n in names:
                assert n not in seen, f"{n!r} maps to both {seen[n]} and {col}"
                seen[n] = col


def test_status_words_map_to_known_statuses():
    assert set(STATUS_WORDS.values()) == set(STATUSES)
