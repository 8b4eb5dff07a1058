"""The sample's inquiries: planted invite rates, files beside the old ones."""

import json

import pytest

import pondstats as ps
from pondstats.datasets import (
    INVITE_RATES,
    make_sample_inquiries,
    sample_dir,
    write_sample_inquiries,
)


def test_sample_inquiries_recover_the_planted_invite_rates():
    res = ps.load_sample_inquiries(as_cleaned=True)
    s = res.summary
    assert s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged
    truth = json.loads((sample_dir() / "inquiries_truth.json").read_text())
    assert s.duplicates_merged == truth["inquiries"]["exact_copies"]
    assert s.rows_kept == truth["inquiries"]["rows_in_memory"]
    visits, _ = ps.load_sample()
    t = ps.invite_rates(res.data, visits).set_index("source")
    for source, rate in INVITE_RATES.items():
        assert t.loc[source, "ci_low"] <= rate <= t.loc[source, "ci_high"], source


@pytest.mark.slow
def test_the_inquiries_file_is_reproducible(tmp_path):
    sample = ps.make_sample(0)
    write_sample_inquiries(sample, tmp_path)
    for name in ("inquiries.csv", "inquiries_truth.json"):
        assert (tmp_path / name).read_bytes() == (sample_dir() / name).read_bytes()


def test_inquiries_come_from_their_own_random_stream():
    small = ps.make_sample(1, n_zones=3, months=3)
    a = make_sample_inquiries(small, random_state=0)
    b = make_sample_inquiries(small, random_state=0)
    assert a.equals(b)
    again = ps.make_sample(1, n_zones=3, months=3)
    assert again.visits.equals(small.visits)  # the sample draws nothing for them
    came = a[a["visited"]]
    first = small.visits[small.visits["visit_no"] == 1]
    assert set(came["customer_key"]) <= set(first["customer_key"])
