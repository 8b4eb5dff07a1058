"""Shared fixtures: Agg backend, figures closed after each test, ../shared data."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATASETS = ROOT.parent / "shared" / "datasets"
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
