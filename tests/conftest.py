"""Shared fixtures and the test tiers.

Agg backend, figures closed after each test, ../shared data, the sample dealer
made once per session. Tiers: ``pytest -m "not slow"`` is the quick loop; the
notebooks and every test reading ../shared/datasets are slow. Hypothesis runs
the "quick" profile when slow tests are deselected and the "full" one otherwise
(``HYPOTHESIS_PROFILE=quick|full`` chooses explicitly).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "full", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
# CI (CI=true, as .ci/run runs): the full number of examples, derandomized, so a
# run is reproducible and a red CI can be re-run locally with the same examples
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "quick",
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

ROOT = Path(__file__).resolve().parents[1]
# ../shared/datasets beside the clone; PONDSTATS_SHARED_DATASETS points elsewhere
# (a git worktree one level deeper, e.g. wt/<branch>)
SHARED_DATASETS = Path(
    os.environ.get("PONDSTATS_SHARED_DATASETS", ROOT.parent / "shared" / "datasets")
)
TEST_DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def shared_datasets() -> Path:
    """``../shared/datasets``; the test is skipped when it is absent."""
    if not SHARED_DATASETS.is_dir():
        pytest.skip("../shared/datasets is absent (realism checks need it)")
    return SHARED_DATASETS


@pytest.fixture
def test_data() -> Path:
    return TEST_DATA


def pytest_configure(config):
    markexpr = (config.getoption("markexpr", "") or "").replace(" ", "")
    quick = "notslow" in markexpr
    settings.load_profile(
        os.environ.get(
            "HYPOTHESIS_PROFILE",
            "quick" if quick else ("ci" if os.environ.get("CI") == "true" else "full"),
        )
    )


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """Notebooks and the realism checks on ../shared/datasets are slow."""
    for item in items:
        nbmake = type(item).__name__ == "NotebookItem"
        shared = item.get_closest_marker("shared") is not None or (
            "shared_datasets" in getattr(item, "fixturenames", ())
        )
        if (nbmake or shared) and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def sample_dealer():
    """``make_sample(0)``, made once per session (read only: a frozen Sample)."""
    from pondstats.datasets import make_sample

    return make_sample(0)
