"""A real CRM export (X Education leads) through the readers and cleaning helpers."""

from __future__ import annotations

import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import InputError
from pondstats.io import read_table

LEADS_MAP = {
    "Prospect ID": "customer_id",
    "Lead Source": "source",
    "City": "region",
    "Lead Origin": "channel",
    "Specialization": "specialization",
}


@pytest.mark.shared
def test_xeducation_leads(shared_datasets):
    path = shared_datasets / "xeducation" / "Leads.csv"
    # a leads export has no visit date: read_visits says so and names the fix
    with pytest.raises(InputError, match=r"no column for visit_date.*column_map="):
        ps.read_visits(path, column_map=LEADS_MAP)
    raw = read_table(
        path, aliases={"customer_id": ()}, column_map=LEADS_MAP, kind="leads"
    )
    assert raw.attrs["pondstats"]["encoding"] == "utf-8"
    assert raw.attrs["pondstats"]["header_row"] == 1
    assert len(raw) == 9240
    assert raw.index[0] == 2  # first data line of the file
    assert {"customer_id", "source", "region", "specialization", "Lead Number"} <= set(
        raw.columns
    )
    assert raw["Lead Number"].iloc[0] == "660737"  # strings as read
    n_select = int((raw["specialization"] == "Select").sum())
    assert n_select > 1000  # the form's unfilled drop-down
    spec = ps.strip_placeholders(raw["specialization"])
    assert not (spec == "Select").any()
    assert int(spec.isna().sum()) == n_select + int(raw["specialization"].isna().sum())
    city = ps.strip_placeholders(raw["region"])
    assert "Select" not in set(city.dropna())
    assert city.notna().sum() > 5000
    # a customer id is enough to identify a lead
    keys = "id:" + ps.strip_placeholders(raw["customer_id"])
    assert keys.is_unique and keys.notna().all()
    # the 'Do Not Call' yes/no column reads as booleans
    dnc = ps.normalize_yes_no(raw["Do Not Call"])
    assert dnc.notna().all() and dnc.dtype == "boolean"
    assert int(dnc.sum()) == int((raw["Do Not Call"] == "Yes").sum())
    assert isinstance(raw, pd.DataFrame)
