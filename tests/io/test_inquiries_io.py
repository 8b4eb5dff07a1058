"""read_inquiries: aliases, title lines, column maps, missing columns."""

import io

import pytest

import pondstats as ps
from pondstats.errors import InputError


def test_read_inquiries_maps_chinese_headers_under_a_title():
    text = "线索明细 2026年10月\n线索编号,客户姓名,手机,留资时间,线索来源,销售顾问\n"
    text += "L1,张三,13800138000,2026/10/3 10:05,汽车之家,王五\n"
    raw = ps.read_inquiries(io.BytesIO(text.encode("gbk")))
    assert raw.columns.tolist() == [
        "inquiry_id",
        "name",
        "phone",
        "inquiry_date",
        "source",
        "consultant",
    ]
    assert raw.index.tolist() == [3]
    assert raw.attrs["pondstats"]["kind"] == "inquiries"


def test_read_inquiries_column_map_for_unknown_headers():
    text = "mql_id,first_contact_date,origin\nabc,2018-02-01,social\n"
    raw = ps.read_inquiries(
        io.BytesIO(text.encode()), column_map={"mql_id": "customer_id"}
    )
    assert raw.columns.tolist() == ["customer_id", "inquiry_date", "source"]


def test_read_inquiries_without_a_date_names_the_fix():
    text = "手机,线索来源\n13800138000,懂车帝\n"
    with pytest.raises(InputError, match=r"no column for inquiry_date.*column_map="):
        ps.read_inquiries(io.BytesIO(text.encode()))
