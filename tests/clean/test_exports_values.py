"""Valid values as CRMs and Excel export them are read; impossible times are
rejected with their own reason, never rolled over into the next day."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pondstats as ps
from pondstats.clean import impossible_time, normalize_date, normalize_phone
from pondstats.errors import DataQualityWarning
from pondstats.privacy import mask_phone

TODAY = "2026-12-01"


def _dates(*values):
    return [str(v) for v in normalize_date(pd.Series(list(values), dtype="str"))]


def test_iso_8601_with_offsets_is_local_time():
    assert _dates(
        "2026-10-03T14:25:00+08:00",
        "2026-10-03T06:25:00Z",
        "2026-10-03T06:25:00.123Z",
        "2026-10-03T01:25:00-05:00",
        "2026-10-03T14:25:00+0800",
        "2026-10-03T14:25",
    ) == ["2026-10-03 14:25:00"] * 4 + ["2026-10-03 14:25:00", "2026-10-03 14:25:00"]


def test_offset_crossing_midnight_moves_the_day():
    assert _dates("2026-10-31T20:30:00Z") == ["2026-11-01 04:30:00"]


def test_tz_aware_datetimes_become_local_naive():
    s = pd.Series(pd.to_datetime(["2026-10-03T06:25:00Z"]))
    assert [str(v) for v in normalize_date(s)] == ["2026-10-03 14:25:00"]


def test_half_day_words():
    assert _dates(
        "2026/10/3 下午2:25",
        "2026/10/3 上午10:05",
        "2026/10/3 上午12:05",
        "2026/10/3 中午12:30",
        "2026年10月3日下午2点25分",
        "2026-10-03 2:25 PM",
    ) == [
        "2026-10-03 14:25:00",
        "2026-10-03 10:05:00",
        "2026-10-03 00:05:00",
        "2026-10-03 12:30:00",
        "2026-10-03 14:25:00",
        "2026-10-03 14:25:00",
    ]


def test_hours_without_minutes():
    assert _dates("2026/10/3 晚上8点", "2026/10/3 下午2点半", "2026年10月3日 9时") == [
        "2026-10-03 20:00:00",
        "2026-10-03 14:30:00",
        "2026-10-03 09:00:00",
    ]


def test_amounts_with_excel_text_wrappers():
    from pondstats.clean import normalize_amount

    assert normalize_amount(pd.Series(["'5000", '="5,000元"'])).tolist() == [
        5000.0,
        5000.0,
    ]


def test_leading_apostrophe_and_text_formula_dates():
    assert _dates("'2026-10-03", '="2026-10-03"') == ["2026-10-03 00:00:00"] * 2


@pytest.mark.parametrize(
    "value", ["2026-10-31 24:30", "2026-10-31 25:00", "2026-10-31 10:75"]
)
def test_impossible_times_are_nat_not_the_next_day(value):
    assert _dates(value) == ["NaT"]
    assert impossible_time(pd.Series([value])).tolist() == [True]


def test_phones_as_excel_and_crms_write_them():
    s = pd.Series(['="13800138000"', "'13800138000", "138-0013-8000(本人)",
                   "13800138000（本人）", "13800138000 张先生", "手机:13800138000",
                   "13800138000【微信同号】", "(0755) 1234 5678",
                   "13800138000/13900139000"])  # fmt: skip
    out = normalize_phone(s)
    assert out.iloc[:8].tolist() == ["13800138000"] * 7 + ["075512345678"]
    assert pd.isna(out.iloc[8])  # two numbers in one cell: not guessed


def test_crm_export_end_to_end_keeps_every_valid_row_and_rejects_impossible_times():
    text = (
        "客户姓名,联系电话,来店日期\n"
        '张三,="13800138000",2026-10-03T14:25:00+08:00\n'
        "李四,138-0013-8001(本人),2026-10-03T06:25:00Z\n"
        "王五,13800138002,2026/10/3 下午2:25\n"
        "赵六,'13800138003,'2026-10-03\n"
        "钱七,13800138004,2026-10-31 24:30\n"
        "孙八,13800138005,2026-10-31 25:00\n"
    )
    raw = ps.read_visits(io.BytesIO(text.encode()))
    res = ps.clean_visits(raw, today=TODAY)
    s = res.summary
    assert s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged == 6
    assert res.data["phone"].tolist() == [
        "13800138000", "13800138001", "13800138002", "13800138003"
    ]  # fmt: skip
    assert [str(d) for d in res.data["visit_date"]] == [
        "2026-10-03 14:25:00", "2026-10-03 14:25:00", "2026-10-03 14:25:00",
        "2026-10-03 00:00:00",
    ]  # fmt: skip
    assert res.rejected["row"].tolist() == [6, 7]
    assert set(res.rejected["reason"]) == {
        "impossible time of day in visit date (e.g. 24:30)"
    }
    assert (res.data["visit_date"] < "2026-11-01").all()  # nothing moved into November
    # privacy: masked phones keep no full number
    masked = mask_phone(res.data["phone"])
    assert not masked.str.contains("13800138000").any()
    assert masked.iloc[0] == mask_phone(pd.Series(["13800138000"])).iloc[0]


def test_deposits_without_a_status_column_warn_and_note():
    n = 25
    raw = pd.DataFrame({
        "deposit_id": [f"D{i}" for i in range(n)],
        "phone": [f"1380013{8000 + i}" for i in range(n)],
        "deposit_date": ["2026-10-05"] * n,
    })  # fmt: skip
    with pytest.warns(
        DataQualityWarning,
        match="no status column: all 25 deposits are taken as active",
    ):
        res = ps.clean_deposits(raw, today=TODAY)
    assert res.summary.notes["no status column: every deposit taken as active"] == n
    s = res.summary
    assert s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged


def test_small_deposit_table_without_status_gets_a_note_only():
    raw = pd.DataFrame(
        {"deposit_id": ["D1"], "phone": ["13800138000"], "deposit_date": ["2026-10-05"]}
    )
    res = ps.clean_deposits(raw, today=TODAY)
    assert res.summary.notes["no status column: every deposit taken as active"] == 1


_DATE_TEXTS = st.sampled_from(
    [
        "2026-10-03T14:25:00+08:00",
        "2026-10-03T06:25:00Z",
        "2026/10/3 下午2:25",
        "'2026-10-03",
        '="2026-10-03"',
        "2026-10-31 24:30",
        "2026-10-31 25:00",
        "2026-10-03",
        "soon",
        "",
    ]
)
_PHONE_TEXTS = st.sampled_from(
    [
        '="13800138000"',
        "138-0013-8000(本人)",
        "13900139000 张先生",
        "'13700137000",
        "12345",
        "",
    ]
)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(_DATE_TEXTS, _PHONE_TEXTS), min_size=1, max_size=12))
def test_every_row_accounted_for_and_nothing_rolled_over(rows):
    raw = pd.DataFrame(rows, columns=["visit_date", "phone"])
    res = ps.clean_visits(raw, today=TODAY)
    s = res.summary
    assert (
        s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged == len(rows)
    )
    # 24:30 / 25:00 on 31 October never become 1 November
    assert (res.data["visit_date"] < pd.Timestamp("2026-11-01")).all()
    impossible = res.rejected["visit_date"].isin(
        ["2026-10-31 24:30", "2026-10-31 25:00"]
    )
    assert (
        res.rejected.loc[impossible, "reason"]
        == "impossible time of day in visit date (e.g. 24:30)"
    ).all()
    # privacy: a masked phone never shows the whole number
    masked = mask_phone(res.data["phone"].dropna())
    assert not any(m in set(res.data["phone"].dropna()) for m in masked)
