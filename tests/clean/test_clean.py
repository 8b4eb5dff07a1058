"""Normalisers (hand-written cases for every mess in the issue) and clean_*."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats import schema
from pondstats.clean import (
    CleanSummary,
    normalize_amount,
    normalize_date,
    normalize_grade,
    normalize_phone,
    normalize_region,
    normalize_status,
    normalize_text,
    normalize_yes_no,
    phone_kind,
    strip_placeholders,
    to_halfwidth,
)
from pondstats.errors import InputError

TODAY = "2026-11-01"


def S(*values, dtype="str"):
    return pd.Series(list(values), dtype=dtype)


def _list(s):
    return [None if pd.isna(v) else v for v in s.tolist()]


# --------------------------------------------------------------------------
# normalisers
# --------------------------------------------------------------------------


def test_to_halfwidth():
    s = S(
        "１３８００１３８０００",
        "ＡＢＣ　ｘｙｚ",
        "（元）",
        "－５",
        "￥５０",
        "张三",
        None,
    )
    assert _list(to_halfwidth(s)) == [
        "13800138000",
        "ABC xyz",
        "(元)",
        "-5",
        "¥50",
        "张三",
        None,
    ]


@pytest.mark.parametrize(
    "value",
    ["请选择", "--请选择--", "无", "暂无", "-", "--", "—", "/", "NULL", "null", "N/A", "nan",
     "Select", "select", "  ", "", "？", "ＳＥＬＥＣＴ", " 请选择 ", "\u3000-\u3000"],
)  # fmt: skip
def test_strip_placeholders_to_missing(value):
    assert pd.isna(strip_placeholders(S(value)).iloc[0])


def test_strip_placeholders_keeps_and_strips_values():
    s = S(" 张三 ", "无锡", "Selected", "0", None)
    assert _list(strip_placeholders(s)) == ["张三", "无锡", "Selected", "0", None]
    assert _list(strip_placeholders(S("n/a", "x"), placeholders={"x"})) == ["n/a", None]
    nums = pd.Series([1.0, np.nan])
    pd.testing.assert_series_equal(strip_placeholders(nums), nums)


def test_normalize_text():
    assert _list(normalize_text(S(" 王  五 ", "ＡＢ", "请选择"))) == [
        "王 五",
        "AB",
        None,
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13800138000", "13800138000"),
        ("+86 138-0013-8000", "13800138000"),
        ("+8613800138000", "13800138000"),
        ("8613800138000", "13800138000"),
        ("0086 138 0013 8000", "13800138000"),
        ("138 0013 8000", "13800138000"),
        ("138-0013-8000", "13800138000"),
        ("138.0013.8000", "13800138000"),
        ("１３８００１３８０００", "13800138000"),
        ("＋８６ １３８－００１３－８０００", "13800138000"),
        ("13800138000.0", "13800138000"),  # a float cell from Excel
        (" 138 0013 8000 ", "13800138000"),
        ("(+86) 138 0013 8000", "13800138000"),
        ("020-8888 6666", "02088886666"),
        ("(020) 88886666", "02088886666"),
        ("0755-12345678", "075512345678"),
        ("+86 20 8888 6666", "02088886666"),
        ("0086-755-1234-5678", "075512345678"),
        ("12345", None),
        ("8888 6666", None),  # landline without area code: not unique enough
        ("1380013800", None),  # 10 digits
        ("138001380001", None),  # 12 digits
        ("12800138000", None),  # no such mobile prefix
        ("13800138000/13900139000", None),  # two numbers in one cell
        ("phone", None),
        ("请选择", None),
        ("-", None),
        (None, None),
    ],
)
def test_normalize_phone(raw, expected):
    out = normalize_phone(S(raw))
    assert _list(out) == [expected]
    assert out.dtype == "str"


def test_normalize_phone_numbers_and_index():
    s = pd.Series([13800138000, np.nan], index=[5, 9], name="phone")
    out = normalize_phone(s)
    assert _list(out) == ["13800138000", None]
    assert out.index.tolist() == [5, 9] and out.name == "phone"


def test_phone_kind():
    assert _list(phone_kind(S("13800138000", "02088886666", None))) == [
        "mobile",
        "landline",
        None,
    ]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026/10/3", "2026-10-03"),
        ("2026/10/03", "2026-10-03"),
        ("2026-10-03", "2026-10-03"),
        ("2026-10-3", "2026-10-03"),
        ("2026.10.3", "2026-10-03"),
        ("2026年10月3日", "2026-10-03"),
        ("2026 年 10 月 3 日", "2026-10-03"),
        ("２０２６年１０月３日", "2026-10-03"),
        ("20261003", "2026-10-03"),
        ("2026/10/3 14:05", "2026-10-03 14:05"),
        ("2026-10-03 14:05:09", "2026-10-03 14:05:09"),
        ("2026-10-03T14:05:09", "2026-10-03 14:05:09"),
        ("2026/10/3 14:05:09.123", "2026-10-03 14:05:09"),
        ("2026年10月3日 14:05", "2026-10-03 14:05"),
        ("2026年10月3日14时05分", "2026-10-03 14:05"),
        ("2026-10-03 00:00:00", "2026-10-03"),  # from an Excel date cell
        ("46298", "2026-10-03"),  # Excel serial
        ("46298.0", "2026-10-03"),
        ("46298.58", "2026-10-03 13:55:12"),
        ("46298.5", "2026-10-03 12:00"),
        ("2026-13-01", None),
        ("2026/2/30", None),
        ("3/10/2026", None),  # ambiguous day/month order
        ("12345", None),  # a serial far outside 1954..2119
        ("sometime", None),
        ("请选择", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_date(raw, expected):
    out = normalize_date(S(raw))
    assert out.dtype == "datetime64[ns]"
    got = out.iloc[0]
    assert (pd.isna(got) and expected is None) or got == pd.Timestamp(expected)


def test_normalize_date_already_parsed_and_numbers():
    dates = pd.Series(
        pd.to_datetime(["2026-10-03 14:05", None])
    )  # datetime64[us] in pandas 3
    out = normalize_date(dates)
    assert out.dtype == "datetime64[ns]" and out.iloc[0] == pd.Timestamp(
        "2026-10-03 14:05"
    )
    tz = pd.Series(pd.to_datetime(["2026-10-03 14:05"]).tz_localize("Asia/Shanghai"))
    assert normalize_date(tz).iloc[0] == pd.Timestamp("2026-10-03 14:05")
    serials = pd.Series([46298.0, 46298.5, np.nan, 5.0])
    assert _list(normalize_date(serials)) == [
        pd.Timestamp("2026-10-03"), pd.Timestamp("2026-10-03 12:00"), None, None,
    ]  # fmt: skip
    mixed = pd.Series([pd.Timestamp("2026-10-03"), "2026年10月4日", None], dtype=object)
    assert _list(normalize_date(mixed)) == [
        pd.Timestamp("2026-10-03"), pd.Timestamp("2026-10-04"), None,
    ]  # fmt: skip


def test_normalize_date_logs_unparseable(caplog):
    with caplog.at_level("INFO", logger="pondstats.clean._normalize"):
        normalize_date(S("2026-10-03", "soon", "later", "soon", None))
    assert "2 distinct value(s) could not be parsed" in caplog.text


def test_normalize_region_suffixes_and_most_common_full_form():
    s = S("东湖区", "东湖", "东湖区", "东湖片区", "西山县", "西山", "西山", "南城市", "南城",
          " 北 港 ", "北港区", "请选择", None)  # fmt: skip
    assert _list(normalize_region(s)) == [
        "东湖区", "东湖区", "东湖区", "东湖区", "西山县", "西山县", "西山县", "南城市", "南城市",
        "北港区", "北港区", None, None,
    ]  # fmt: skip


def test_normalize_region_without_any_suffix_and_single_char():
    assert _list(normalize_region(S("高新", "高新", "市"))) == ["高新", "高新", "市"]


def test_normalize_region_user_aliases():
    s = S("东湖区", "城东", "城东区", "East Lake", "西山")
    out = normalize_region(s, aliases={"城东": "东湖区", "East Lake": "东湖区"})
    assert _list(out) == ["东湖区", "东湖区", "东湖区", "东湖区", "西山"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("有效", "active"), ("已下订", "active"), ("Active", "active"), (" 待交车 ", "active"),
        ("退订", "cancelled"), ("已退订", "cancelled"), ("取消", "cancelled"), ("CANCELED", "cancelled"),
        ("已交车", "delivered"), ("交车", "delivered"), ("Delivered", "delivered"),
        ("ａｃｔｉｖｅ", "active"), ("不知道", None), ("请选择", None), (None, None),
    ],
)  # fmt: skip
def test_normalize_status(raw, expected):
    assert _list(normalize_status(S(raw))) == [expected]


def test_every_status_word_maps_to_a_status():
    out = normalize_status(pd.Series(list(schema.STATUS_WORDS), dtype="str"))
    assert set(out) <= set(schema.STATUSES) and out.notna().all()


def test_normalize_yes_no():
    s = S("是", "否", "Y", "N", "y", "yes", "No", "1", "0", "有", "无", "TRUE", "false",
          "已试驾", "未试驾", "√", "×", "１", "请选择", "maybe", None)  # fmt: skip
    out = normalize_yes_no(s)
    assert out.dtype == "boolean"
    assert _list(out) == [True, False, True, False, True, True, False, True, False, True,
                          False, True, False, True, False, True, False, True, None, None, None]  # fmt: skip
    b = pd.Series([True, False, None], dtype="boolean")
    pd.testing.assert_series_equal(normalize_yes_no(b), b)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("5000", 5000.0), ("5,000元", 5000.0), ("￥5000", 5000.0), ("¥5,000.00", 5000.0),
        ("５，０００元", 5000.0), ("RMB 2000.5", 2000.5), ("0.5万", 5000.0), ("1万元", 10000.0),
        ("-100", -100.0), (" 3000 ", 3000.0), ("abc", None), ("请选择", None), (None, None),
    ],
)  # fmt: skip
def test_normalize_amount(raw, expected):
    out = normalize_amount(S(raw))
    assert out.dtype == "float64"
    assert _list(out) == [expected]


def test_normalize_grade():
    s = S(
        "H", "a", "A级", "Ｂ类", " c ", "O", "F", "H级客户", "X", "AB", "请选择", None
    )
    assert _list(normalize_grade(s)) == [
        "H",
        "A",
        "A",
        "B",
        "C",
        "O",
        "F",
        "H",
        None,
        None,
        None,
        None,
    ]


def test_normalisers_do_not_mutate():
    s = S("+86 138-0013-8000", "2026/10/3", "东湖", "有效", "是")
    before = s.copy()
    for f in (to_halfwidth, strip_placeholders, normalize_phone, normalize_date,
              normalize_region, normalize_status, normalize_yes_no, normalize_amount):  # fmt: skip
        f(s)
    pd.testing.assert_series_equal(s, before)


# --------------------------------------------------------------------------
# clean_visits
# --------------------------------------------------------------------------


def test_clean_visits_fixture(test_data):
    raw = ps.read_visits(test_data / "visits_gbk.csv")
    res = ps.clean_visits(raw, today=TODAY)
    s = res.summary
    assert (s.rows_read, s.rows_kept, s.rows_rejected, s.duplicates_merged) == (
        9,
        4,
        4,
        1,
    )
    assert s.encoding == "gb18030"
    assert s.rejected_by_reason == {
        "no way to identify the customer (no valid phone, landline or customer id)": 1,
        "no visit date": 1,
        "visit date in the future": 1,
        "unparseable visit date": 1,
    }
    assert res.rejected["row"].tolist() == [7, 8, 9, 10]
    assert res.rejected["phone"].iloc[0] == "请选择"  # raw values kept
    d = res.data
    assert list(d.columns[:13]) == [
        c for c in schema.VISIT_COLUMNS if c not in schema.OPTIONAL_VISIT_COLUMNS
    ]
    assert d.columns[-1] == "备注"
    assert d["customer_key"].tolist() == [
        "13800138000",
        "13900139000",
        "02088886666",
        "13900139000",
    ]
    assert d["visit_no"].tolist() == [1, 1, 1, 2]
    assert d["region"].tolist() == ["东湖区", "西山县", "西山县", "西山县"]
    assert d["visit_date"].tolist() == [
        pd.Timestamp("2026-10-03"), pd.Timestamp("2026-10-05 14:05"),
        pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-20"),
    ]  # fmt: skip
    assert _list(d["test_drive"]) == [True, False, True, True]
    assert _list(d["grade"]) == ["H", "A", "B", "A"]
    assert _list(d["model"]) == ["凯美瑞", None, "RAV4", "凯美瑞"]
    # the duplicate kept is the more complete copy (it has a note)
    assert d["备注"].iloc[0] == "重复导出"
    for col, dtype in schema.VISIT_COLUMNS.items():
        if col in d.columns:
            assert str(d[col].dtype) == dtype, col


def test_clean_summary_str_and_frame(test_data):
    res = ps.clean_visits(ps.read_visits(test_data / "visits_gbk.csv"), today=TODAY)
    text = str(res.summary)
    assert text.splitlines()[0] == "visits: 9 rows read, encoding gb18030"
    assert "kept:              4" in text and "duplicates merged: 1" in text
    assert "    no visit date: 1" in text
    f = res.summary.to_frame()
    assert f.columns.tolist() == ["item", "rows"]
    top = f.set_index("item")["rows"]
    assert (
        top["rows read"]
        == top["rows kept"] + top["rows rejected"] + top["duplicates merged"]
    )
    data, rejected, summary = res  # unpacks
    assert summary is res.summary


def test_customer_key_order_mobile_landline_id():
    raw = pd.DataFrame(
        {
            "phone": ["13800138000", "020-8888 6666", "garbage", None, None],
            "customer_id": ["C1", "C2", "C3", " C4 ", None],
            "visit_date": ["2026-10-01"] * 5,
        }
    )
    res = ps.clean_visits(raw, today=TODAY)
    assert res.data["customer_key"].tolist() == [
        "13800138000",
        "02088886666",
        "id:C3",
        "id:C4",
    ]
    assert _list(res.data["phone"]) == ["13800138000", "02088886666", None, None]
    assert res.summary.notes == {"phone not a phone number -> missing": 1}
    assert res.rejected["reason"].tolist() == [
        "no way to identify the customer (no valid phone, landline or customer id)"
    ]
    assert res.data["customer_id"].tolist() == ["C1", "C2", "C3", "C4"]


def test_overlapping_exports_merged_even_with_different_ids():
    raw = pd.DataFrame(
        {
            "visit_id": ["A-1", "B-77", "A-2", "A-3", "A-4", "A-5"],
            "phone": [
                "13800138000",
                "+86 138 0013 8000",
                "13800138000",
                "13800138000",
                "13900139000",
                "13900139000",
            ],  # fmt: skip
            "visit_date": [
                "2026-10-03 10:00",
                "2026年10月3日",
                "2026-10-03",
                "2026-10-03",
                "2026-10-04",
                "2026-10-04",
            ],  # fmt: skip
            "consultant": ["王五", "王五", "赵六", None, None, None],
            "store": ["一店", "一店", "一店", "一店", None, "二店"],
            "model": [None, "凯美瑞", "RAV4", None, None, None],
        }
    )
    res = ps.clean_visits(raw, today=TODAY)
    d = res.data
    # rows 1+2: same customer, day and consultant -> one visit, the more complete copy
    # row 3: another consultant -> another visit; row 4: no consultant, same store as
    # two different consultants -> ambiguous, kept; rows 5+6: no consultant, one has
    # no store, the other a store -> not provably the same, kept
    assert d["visit_id"].tolist() == ["B-77", "A-2", "A-3", "A-4", "A-5"]
    assert res.summary.duplicates_merged == 1
    assert d["visit_no"].tolist() == [1, 2, 3, 1, 2]


def test_merge_by_store_when_consultant_missing_in_one_copy():
    raw = pd.DataFrame(
        {
            "phone": ["13800138000", "13800138000", "13700137000", "13700137000"],
            "visit_date": ["2026-10-03", "2026-10-03", "2026-10-05", "2026-10-05"],
            "consultant": ["王五", None, None, None],
            "store": ["一店", "一店", None, None],
        }
    )
    res = ps.clean_visits(raw, today=TODAY)
    assert res.summary.duplicates_merged == 2
    assert _list(res.data["consultant"]) == ["王五", None]


def test_exact_duplicates():
    raw = pd.DataFrame({"phone": ["13800138000"] * 3, "visit_date": ["2026-10-03"] * 3})
    res = ps.clean_visits(raw, today=TODAY)
    assert (res.summary.rows_kept, res.summary.duplicates_merged) == (1, 2)


def test_visit_no_from_export_is_kept_and_gaps_derived():
    raw = pd.DataFrame(
        {
            "phone": ["13800138000", "13800138000", "13900139000"],
            "visit_date": ["2026-10-03", "2026-10-09", "2026-10-04"],
            "visit_no": ["2", "3", None],
        }
    )
    res = ps.clean_visits(raw, today=TODAY)
    assert res.data["visit_no"].tolist() == [2, 3, 1]
    assert res.summary.notes["visit_no missing -> derived from dates"] == 1


def test_visit_no_derived_by_date_not_file_order():
    raw = pd.DataFrame(
        {
            "phone": ["13800138000"] * 3,
            "visit_date": ["2026-10-09", "2026-10-01", "2026-10-05"],
        }
    )
    assert ps.clean_visits(raw, today=TODAY).data["visit_no"].tolist() == [3, 1, 2]


def test_future_dates_against_today():
    raw = pd.DataFrame(
        {
            "phone": ["13800138000", "13900139000"],
            "visit_date": ["2026-11-01 23:00", "2026-11-02"],
        }
    )
    res = ps.clean_visits(raw, today="2026-11-01")
    assert res.summary.rejected_by_reason == {"visit date in the future": 1}
    assert ps.clean_visits(raw, today="2026-11-02").summary.rows_rejected == 0
    assert ps.clean_visits(raw).summary.rows_rejected == 0  # default: now (2026-11-23+)


def test_region_aliases_and_lat_lon():
    raw = pd.DataFrame(
        {
            "phone": ["13800138000", "13900139000"],
            "visit_date": ["2026-10-03", "2026-10-04"],
            "region": ["城东", "东湖区"],
            "lat": ["30.5", "north"],
            "lon": ["114.3", "114.4"],
        }
    )
    res = ps.clean_visits(raw, today=TODAY, region_aliases={"城东": "东湖区"})
    assert res.data["region"].tolist() == ["东湖区", "东湖区"]
    assert _list(res.data["lat"]) == [30.5, None]
    assert res.data["lon"].dtype == "float64"
    assert res.summary.notes == {"lat not a number -> missing": 1}


def test_test_drive_wu_means_no_not_a_problem():
    raw = pd.DataFrame({"phone": ["13800138000", "13900139000", "13700137000"],
                        "visit_date": ["2026-10-03"] * 3, "test_drive": ["无", "maybe", "请选择"]})  # fmt: skip
    res = ps.clean_visits(raw, today=TODAY)
    assert _list(res.data["test_drive"]) == [False, None, None]
    assert res.summary.notes == {"test_drive not a yes/no word -> missing": 1}


def test_clean_visits_errors():
    with pytest.raises(
        InputError,
        match=r"cannot clean visits: no column visit_date\. Columns found: phone.*来店日期.*column_map",
    ):
        ps.clean_visits(pd.DataFrame({"phone": ["13800138000"]}))
    with pytest.raises(
        InputError, match=r"clean_visits expects a DataFrame .*got list"
    ):
        ps.clean_visits([1, 2])
    with pytest.raises(
        InputError, match=r"today: expected a day as YYYY-MM-DD .*, got 'soon'"
    ):
        ps.clean_visits(pd.DataFrame({"visit_date": ["2026-10-03"]}), today="soon")


def test_no_phone_or_customer_id_column():
    raw = pd.DataFrame({"name": ["张三"], "visit_date": ["2026-10-03"]})
    with pytest.raises(
        InputError,
        match=r"neither a phone nor a customer id column\. Columns found: name, visit_date\. "
        r"Phone headers accepted: 手机.*column_map=",
    ):
        ps.clean_visits(raw)
    with pytest.raises(InputError, match="neither a phone nor a customer id"):
        ps.clean_deposits(raw.rename(columns={"visit_date": "deposit_date"}))


def test_empty_visits():
    raw = pd.DataFrame(
        {"visit_date": pd.Series([], dtype="str"), "phone": pd.Series([], dtype="str")}
    )
    res = ps.clean_visits(raw, today=TODAY)
    assert res.data.empty and res.summary.rows_read == 0
    assert res.data["visit_no"].dtype == "int64"


# --------------------------------------------------------------------------
# clean_deposits
# --------------------------------------------------------------------------


def _deposits():
    return pd.DataFrame(
        {
            "deposit_id": ["D1", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", None],
            "phone": [
                "13800138000",
                "138 0013 8000",
                "13900139000",
                "13700137000",
                "13600136000",
                "13500135000",
                "请选择",
                "13400134000",
                "13300133000",
                "13200132000",
            ],  # fmt: skip
            "deposit_date": [
                "2026/10/3",
                "2026/10/3",
                "2026年10月4日",
                "2026-10-05",
                "2026-10-06",
                "2026-10-07",
                "2026-10-08",
                "",
                "2026-10-10",
                "2026-10-11",
            ],  # fmt: skip
            "amount": [
                "5,000元",
                "5000",
                "￥3000",
                "-1",
                "2000",
                "2000",
                "2000",
                "2000",
                "abc",
                "0.2万",
            ],
            "status": [
                "有效",
                "已交车",
                "退订",
                "有效",
                "不知道",
                "已交车",
                "有效",
                "有效",
                None,
                None,
            ],
            "delivery_date": [
                None,
                "2026-10-20",
                None,
                None,
                None,
                "2026-10-01",
                None,
                None,
                None,
                "2026-10-15",
            ],  # fmt: skip
        },
        index=pd.Index(range(3, 13), name="row"),
    )


def test_clean_deposits():
    raw = _deposits()
    res = ps.clean_deposits(raw, today=TODAY)
    s = res.summary
    assert (s.rows_read, s.rows_kept, s.rows_rejected, s.duplicates_merged) == (
        10,
        4,
        5,
        1,
    )
    assert dict(zip(res.rejected["row"], res.rejected["reason"], strict=True)) == {
        6: "negative amount",
        7: "unknown status word",
        8: "delivery before deposit",
        9: "no way to identify the customer (no valid phone, landline or customer id)",
        10: "no deposit date",
    }
    d = res.data
    assert d.columns.tolist() == list(schema.DEPOSIT_COLUMNS)
    assert _list(d["deposit_id"]) == ["D1", "D2", "D8", None]
    # the copy of D1 from the later export (delivered, with a delivery date) is kept
    assert d["status"].tolist() == ["delivered", "cancelled", "active", "delivered"]
    assert _list(d["amount"]) == [5000.0, 3000.0, None, 2000.0]
    assert s.notes == {
        "amount not a number -> missing": 1,
        "status missing -> delivered (has a delivery date)": 1,
        "status missing -> active": 1,
    }
    for col, dtype in schema.DEPOSIT_COLUMNS.items():
        assert str(d[col].dtype) == dtype, col


def test_deposits_with_different_order_numbers_are_not_merged():
    raw = pd.DataFrame(
        {
            "deposit_id": ["D1", "D2", None],
            "phone": ["13800138000"] * 3,
            "deposit_date": ["2026-10-03"] * 3,
            "consultant": ["王五"] * 3,
        }
    )
    res = ps.clean_deposits(raw, today=TODAY)
    # two orders on one day by a fleet buyer are two C-cards; the copy without an
    # order number cannot be told apart from either: it conflicts, so it is kept
    assert res.summary.rows_kept == 3


def test_unparseable_delivery_date_rejected():
    raw = pd.DataFrame(
        {
            "phone": ["13800138000"],
            "deposit_date": ["2026-10-03"],
            "delivery_date": ["soon"],
        }
    )
    res = ps.clean_deposits(raw, today=TODAY)
    assert res.rejected["reason"].tolist() == ["unparseable delivery date"]


def test_clean_deposits_missing_column():
    with pytest.raises(
        InputError, match=r"cannot clean deposits: no column deposit_date.*下订日期"
    ):
        ps.clean_deposits(pd.DataFrame({"amount": ["1"]}))


# --------------------------------------------------------------------------
# clean_spend
# --------------------------------------------------------------------------


def test_clean_spend():
    raw = pd.DataFrame(
        {
            "region": [
                "东湖区",
                "东湖",
                "西山",
                "西山",
                None,
                "东湖区",
                "东湖区",
                "西山县",
            ],
            "month": [
                "2026年10月",
                "2026-11",
                "2026/10",
                "2026/10",
                "2026-10",
                "soon",
                "202612",
                "2026-10-01",
            ],
            "spend": ["12,000元", "8000", "5000", "5000", "100", "1", "-5", "300"],
        }
    )
    res = ps.clean_spend(raw)
    assert res.data["region"].tolist() == ["东湖区", "东湖区", "西山县", "西山县"]
    assert res.data["month"].astype(str).tolist() == [
        "2026-10",
        "2026-11",
        "2026-10",
        "2026-10",
    ]
    assert str(res.data["month"].dtype) == "period[M]"
    assert res.data["spend"].tolist() == [12000.0, 8000.0, 5000.0, 300.0]
    assert res.summary.duplicates_merged == 1
    assert res.rejected["reason"].tolist() == [
        "no region",
        "unparseable month",
        "negative spend",
    ]
    assert res.summary.rows_read == 8
    with pytest.raises(InputError, match=r"cannot clean spend: no column spend"):
        ps.clean_spend(raw.drop(columns="spend"))


# --------------------------------------------------------------------------
# properties: accounting, idempotence, input unchanged
# --------------------------------------------------------------------------

PHONES = ["13800138000", "+86 138-0013-8000", "138 0013 8000", "１３８００１３８０００",
          "13900139000", "0086 139.0013.9000", "020-8888 6666", "12345", "请选择", "-", None]  # fmt: skip
DATES = ["2026/10/3", "2026-10-03", "2026年10月3日", "46298", "2026/10/3 14:05", "46298.58",
         "2026.10.5", "2026-10-05 09:30", "2027-01-01", "soon", "无", None]  # fmt: skip
CONSULTANTS = ["王五", "赵六", "请选择", None]
STORES = ["一店", "二店", None]
REGIONS = ["东湖区", "东湖", "西山县", "西山", "请选择", None]
CIDS = ["C1", "C2", None]
DRIVES = ["是", "否", "Y", "0", "无", "?", None]

visit_rows = st.fixed_dictionaries(
    {
        "phone": st.sampled_from(PHONES),
        "visit_date": st.sampled_from(DATES),
        "consultant": st.sampled_from(CONSULTANTS),
        "store": st.sampled_from(STORES),
        "region": st.sampled_from(REGIONS),
        "customer_id": st.sampled_from(CIDS),
        "test_drive": st.sampled_from(DRIVES),
        "visit_id": st.sampled_from(["V1", "V2", "V3", None]),
    }
)


def _frame(rows):
    cols = [
        "visit_id",
        "phone",
        "visit_date",
        "consultant",
        "store",
        "region",
        "customer_id",
        "test_drive",
    ]
    return pd.DataFrame(rows, columns=cols).astype("str")


def _check_accounting(res, n):
    s = res.summary
    assert s.rows_read == n
    assert s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged
    assert len(res.data) == s.rows_kept and len(res.rejected) == s.rows_rejected
    assert sum(s.rejected_by_reason.values()) == s.rows_rejected
    assert res.rejected["reason"].notna().all()


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(visit_rows, max_size=25))
def test_visits_accounting_idempotence_no_mutation(rows):
    raw = _frame(rows)
    before = raw.copy()
    res = ps.clean_visits(raw, today=TODAY)
    pd.testing.assert_frame_equal(raw, before)
    _check_accounting(res, len(raw))
    again = ps.clean_visits(res.data, today=TODAY)
    pd.testing.assert_frame_equal(again.data, res.data)
    assert (again.summary.rows_rejected, again.summary.duplicates_merged) == (0, 0)
    # keys are unique per (customer, day, consultant) and visit numbers run 1..n
    d = res.data
    if len(d):
        runs = d.groupby("customer_key")["visit_no"].agg(
            lambda v: sorted(v) == list(range(1, len(v) + 1))
        )
        assert runs.all()


deposit_rows = st.fixed_dictionaries(
    {
        "deposit_id": st.sampled_from(["D1", "D2", "D3", None]),
        "phone": st.sampled_from(PHONES),
        "deposit_date": st.sampled_from(DATES),
        "amount": st.sampled_from(["5,000元", "￥5000", "-1", "abc", "2000", None]),
        "status": st.sampled_from(["有效", "退订", "已交车", "Delivered", "??", None]),
        "delivery_date": st.sampled_from(["2026-10-20", "2026-09-01", "soon", None]),
        "consultant": st.sampled_from(CONSULTANTS),
        "region": st.sampled_from(REGIONS),
    }
)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(deposit_rows, max_size=25))
def test_deposits_accounting_idempotence_no_mutation(rows):
    cols = [
        "deposit_id",
        "phone",
        "deposit_date",
        "amount",
        "status",
        "delivery_date",
        "consultant",
        "region",
    ]
    raw = pd.DataFrame(rows, columns=cols).astype("str")
    before = raw.copy()
    res = ps.clean_deposits(raw, today=TODAY)
    pd.testing.assert_frame_equal(raw, before)
    _check_accounting(res, len(raw))
    assert set(res.data["status"]) <= set(schema.STATUSES)
    again = ps.clean_deposits(res.data, today=TODAY)
    pd.testing.assert_frame_equal(again.data, res.data)
    assert (again.summary.rows_rejected, again.summary.duplicates_merged) == (0, 0)


def test_summary_rejects_bad_accounting():
    with pytest.raises(AssertionError, match="cleaning lost rows"):
        CleanSummary("visits", 5, 1, 1, 1)
