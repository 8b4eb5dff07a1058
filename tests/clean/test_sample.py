"""The bundled sample exports (data/sample, written by datasets.py) read and clean
with exactly the messes and invalid rows the writer planted (its manifest)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import pondstats as ps
from pondstats.clean._steps import REASON_NO_ID

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"

pytestmark = pytest.mark.skipif(
    not (SAMPLE / "manifest.json").exists(), reason="data/sample not bundled"
)


@pytest.fixture(scope="module")
def manifest():
    return json.loads((SAMPLE / "manifest.json").read_text(encoding="utf-8"))


def test_sample_visits_accounting_matches_what_was_planted(manifest):
    raw = ps.read_visits(SAMPLE / "visits.csv")
    assert raw.attrs["pondstats"]["encoding"] == "gb18030"
    assert raw.attrs["pondstats"]["header_row"] == 2
    m = manifest["visits"]
    res = ps.clean_visits(raw, today=manifest["export_date"])
    s = res.summary
    assert s.rows_read == m["rows_written"]
    assert s.rows_kept == m["rows_in_memory"]
    assert s.duplicates_merged == m["duplicates_exact"] + m["duplicates_filled"]
    planted = {k.replace("no phone", REASON_NO_ID): v for k, v in m["invalid"].items()}
    assert s.rejected_by_reason == planted
    assert res.data["region"].nunique() == 16
    assert (
        res.data["visit_date"].notna().all() and res.data["customer_key"].notna().all()
    )


def test_sample_deposits_accounting_matches_what_was_planted(manifest):
    m = manifest["deposits"]
    res = ps.clean_deposits(
        ps.read_deposits(SAMPLE / "deposits.xlsx"), today=manifest["export_date"]
    )
    s = res.summary
    assert s.rows_read == m["rows_written"]
    assert s.rows_kept == m["rows_in_memory"]
    assert s.duplicates_merged == m["duplicates_exact"] + m["duplicates_stale"]
    planted = {k.replace("no phone", REASON_NO_ID): v for k, v in m["invalid"].items()}
    assert s.rejected_by_reason == planted
    assert set(res.data["status"]) == {"active", "cancelled", "delivered"}
    assert res.data["amount"].notna().all()


def test_sample_spend(manifest):
    res = ps.clean_spend(ps.read_spend(SAMPLE / "spend.csv"))
    assert res.summary.rows_kept == manifest["spend"]["rows"]
    assert res.data["region"].nunique() == 16


@pytest.mark.slow
def test_sample_visits_clean_back_to_the_simulated_truth(manifest):
    """Cleaning the messy export recovers the simulated visits (an independent check:
    the frames were generated before any mess was added)."""
    truth = ps.make_sample(manifest["random_state"]).visits
    res = ps.clean_visits(
        ps.read_visits(SAMPLE / "visits.csv"), today=manifest["export_date"]
    )
    cols = [
        "customer_key",
        "phone",
        "region",
        "store",
        "consultant",
        "visit_no",
        "name",
    ]
    key = ["customer_key", "visit_no"]
    a = truth[cols].sort_values(key).reset_index(drop=True)
    b = res.data[cols].sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b, check_dtype=False)
    # dates written without a time (2026年10月3日) keep only the day
    day_a = truth.sort_values(key)["visit_date"].dt.normalize().to_numpy()
    day_b = res.data.sort_values(key)["visit_date"].dt.normalize().to_numpy()
    assert (day_a == day_b).all()
