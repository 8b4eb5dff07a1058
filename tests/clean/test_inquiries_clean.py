"""clean_inquiries: the same cleaning and accounting as the visits."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.errors import InputError


def _raw():
    return pd.DataFrame(
        {
            "inquiry_id": ["L1", "L1", "L2", "L3", "L4", "L5", None],
            "phone": ["138 0013 8000", "13800138000", "13900139000", "无",
                      "13700137000", "13600136000", "13900139000"],
            "inquiry_date": ["2026/10/3", "2026-10-03", "2026年10月4日", "2026-10-05",
                             "请选择", "2027-01-01", "2026-10-04 09:00"],
            "source": ["汽车之家", "汽车之家", "懂车帝", "DCC", "DCC", "DCC", "懂车帝"],
            "region": ["东湖", "东湖区", "西江区", None, None, None, "西江区"],
        }
    )  # fmt: skip


def test_clean_inquiries_hand_computed():
    res = ps.clean_inquiries(_raw(), today="2026-11-01")
    assert res.data["inquiry_id"].tolist() == ["L1", "L2"]
    assert res.data["customer_key"].tolist() == ["13800138000", "13900139000"]
    assert res.data["region"].tolist() == ["东湖区", "西江区"]
    assert str(res.data["inquiry_date"].dtype) == "datetime64[ns]"
    # L2 and the row without a lead number: same customer, day and source
    assert res.summary.duplicates_merged == 2
    assert res.summary.rejected_by_reason == {
        "inquiry date in the future": 1,
        "no inquiry date": 1,
        "no way to identify the customer (no valid phone, landline or customer id)": 1,
    }
    assert sorted(res.rejected["row"].tolist()) == [4, 5, 6]
    s = res.summary
    assert s.rows_read == 7 == s.rows_kept + s.rows_rejected + s.duplicates_merged


def test_clean_inquiries_does_not_change_its_input_and_is_idempotent():
    raw = _raw()
    before = raw.copy()
    res = ps.clean_inquiries(raw, today="2026-11-01")
    pd.testing.assert_frame_equal(raw, before)
    again = ps.clean_inquiries(res.data, today="2026-11-01")
    pd.testing.assert_frame_equal(again.data, res.data)
    assert again.summary.rows_rejected == 0


def test_clean_inquiries_errors_name_the_fix():
    with pytest.raises(InputError, match=r"clean_inquiries expects a DataFrame"):
        ps.clean_inquiries([1, 2])
    with pytest.raises(InputError, match=r"no column inquiry_date.*read_inquiries"):
        ps.clean_inquiries(pd.DataFrame({"phone": ["13800138000"]}))
    with pytest.raises(InputError, match=r"neither a phone nor a customer id"):
        ps.clean_inquiries(pd.DataFrame({"inquiry_date": ["2026-10-01"]}))


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["13800138000", "13900139000", "无", "", "abc"]),
            st.sampled_from(["2026-10-01", "2026/10/02", "", "x", "2030-01-01"]),
            st.sampled_from(["汽车之家", "DCC", "", None]),
        ),
        max_size=12,
    )
)
def test_every_row_is_accounted_for(rows):
    raw = pd.DataFrame(rows, columns=["phone", "inquiry_date", "source"])
    s = ps.clean_inquiries(raw, today="2026-11-01").summary
    assert (
        s.rows_read == len(raw) == s.rows_kept + s.rows_rejected + s.duplicates_merged
    )
