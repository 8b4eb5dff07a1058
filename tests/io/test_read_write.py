"""Reading exports (encodings, header rows, aliases) and writing tables safely."""

from __future__ import annotations

import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import InputError
from pondstats.io import neutralize_formulas, normalize_header, read_table, write_table

VISITS_CSV = "客户姓名,联系电话,来店日期,所属区域\n张三,+86 138-0013-8000,2026/10/3,东湖区\n李四,0086 139 0013 9000,2026年10月5日,西山\n"


def _write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --------------------------------------------------------------------------
# the committed GBK fixture: title line, Chinese headers
# --------------------------------------------------------------------------


def test_gbk_fixture_with_title_line(test_data):
    raw = ps.read_visits(test_data / "visits_gbk.csv")
    meta = raw.attrs["pondstats"]
    assert meta["encoding"] == "gb18030"
    assert meta["header_row"] == 2
    assert meta["format"] == "csv"
    assert raw.columns.tolist() == [
        "name", "phone", "visit_date", "region", "consultant", "source", "model",
        "grade", "test_drive", "备注",
    ]  # fmt: skip
    # every cell is the raw text; the index is the line number in the file
    assert raw.index.name == "row"
    assert raw.index.tolist() == list(range(3, 12))
    assert raw.loc[3, "phone"] == "+86 138-0013-8000"
    assert raw.loc[5, "phone"] == "１３９００１３９０００"
    assert raw.loc[6, "visit_date"] == "46300"
    assert pd.isna(raw.loc[8, "visit_date"])
    assert all(raw[c].dtype == "str" for c in raw.columns)


def test_encoding_logged(test_data, caplog):
    with caplog.at_level("INFO", logger="pondstats.io"):
        ps.read_visits(test_data / "visits_gbk.csv")
    assert "encoding gb18030" in caplog.text


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("gbk", "gb18030"),
        ("utf-16", "utf-16"),
    ],
)
def test_encoding_detection(tmp_path, encoding, expected):
    p = _write(tmp_path, "v.csv", VISITS_CSV.encode(encoding))
    raw = ps.read_visits(p)
    assert raw.attrs["pondstats"]["encoding"] == expected
    assert raw["name"].tolist() == ["张三", "李四"]
    assert raw.columns[0] == "name"  # no BOM glued to the first header


def test_gbk_bytes_are_not_silently_read_as_utf8(tmp_path):
    # GBK text is (almost always) invalid UTF-8: strict decoding must fail over
    data = VISITS_CSV.encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert ps.read_visits(io.BytesIO(data))["region"].tolist() == ["东湖区", "西山"]


def test_explicit_encoding(tmp_path):
    p = _write(tmp_path, "v.csv", VISITS_CSV.encode("gbk"))
    assert ps.read_visits(p, encoding="gbk").attrs["pondstats"]["encoding"] == "gbk"
    with pytest.raises(
        InputError, match=r"cannot be decoded as 'utf-8'.*encoding='gb18030'"
    ):
        ps.read_visits(p, encoding="utf-8")


def test_undecodable_file(tmp_path):
    p = _write(tmp_path, "v.csv", b"visit_date,name\n2026-10-01,caf\xe9\n")
    with pytest.raises(
        InputError,
        match=r"cannot tell the text encoding of .*v\.csv.*pass the encoding",
    ):
        ps.read_visits(p)
    assert ps.read_visits(p, encoding="latin-1")["name"].tolist() == ["café"]


def test_file_like_objects():
    raw = ps.read_visits(io.BytesIO(VISITS_CSV.encode("gbk")))
    assert raw.columns.tolist() == ["name", "phone", "visit_date", "region"]
    raw2 = ps.read_visits(io.StringIO(VISITS_CSV))
    assert raw2.attrs["pondstats"]["encoding"] == "str"
    assert raw2["phone"].tolist() == raw["phone"].tolist()


# --------------------------------------------------------------------------
# headers
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("订金（元）", "订金"),
        (" 联系 电话 ", "联系电话"),
        ("Visit Date", "visitdate"),
        ("visit_date", "visitdate"),
        ("ＰＨＯＮＥ", "phone"),
        ("金额[元]", "金额"),
        ("【手机】号码", "号码"),
    ],
)
def test_normalize_header(header, expected):
    assert normalize_header(header) == expected


def test_aliases_english_fullwidth_and_units(tmp_path):
    text = "Customer Name,ＰＨＯＮＥ,Visit Date,Zone\nAnn,13800138000,2026-10-03,East\n"
    raw = ps.read_visits(io.BytesIO(text.encode()))
    assert raw.columns.tolist() == ["name", "phone", "visit_date", "region"]
    dep = ps.read_deposits(
        io.BytesIO("订单号,下订日期,订金（元）\nD1,2026-10-03,5000\n".encode())
    )
    assert dep.columns.tolist() == ["deposit_id", "deposit_date", "amount"]


def test_header_found_below_several_title_lines():
    text = "某某汽车4S店\n来店登记表\n导出人: 管理员,,\n\n序号,客户姓名,手机号,到店时间\n1,张三,13800138000,2026-10-03\n"
    raw = ps.read_visits(io.BytesIO(text.encode("gbk")))
    assert raw.attrs["pondstats"]["header_row"] == 5
    assert raw.columns.tolist() == ["序号", "name", "phone", "visit_date"]
    assert raw.index.tolist() == [6]


def test_column_map_and_unknown_columns_kept():
    text = (
        "接待日,客户,备注,手机,电话\n2026-10-03,张三,老客户,13800138000,020-88886666\n"
    )
    raw = ps.read_visits(io.BytesIO(text.encode()), column_map={"接待日": "visit_date"})
    # 客户 is no alias: kept; 电话 would be a second 'phone': kept under its own name
    assert raw.columns.tolist() == ["visit_date", "客户", "备注", "phone", "电话"]
    assert raw.attrs["pondstats"]["columns"]["接待日"] == "visit_date"


def test_header_only_file_gives_empty_table():
    raw = ps.read_visits(io.BytesIO("客户姓名,来店日期\n".encode()))
    assert raw.empty
    assert raw.columns.tolist() == ["name", "visit_date"]


def test_read_spend():
    text = "区域,月份,市场费用（元）\n东湖区,2026-10,12000\n"
    raw = ps.read_spend(io.BytesIO(text.encode("gbk")))
    assert raw.columns.tolist() == ["region", "month", "spend"]
    assert raw["spend"].tolist() == ["12000"]


# --------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------


def _workbook(path, rows, title="订单明细"):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "订单"
    ws.append([title])
    ws.append([])
    for r in rows:
        ws.append(r)
    other = wb.create_sheet("说明")
    other.append(["这不是数据"])
    wb.save(path)
    return path


def test_excel_with_title_and_typed_cells(tmp_path):
    p = _workbook(
        tmp_path / "deposits.xlsx",
        [
            ["订单号", "手机", "下订日期", "订金（元）", "订单状态"],
            ["D1", 13800138000, dt.datetime(2026, 10, 5), 5000, "有效"],
            ["D2", "139 0013 9000", 46300.5, "5,000元", "已交车"],
        ],
    )
    raw = ps.read_deposits(p)
    assert raw.attrs["pondstats"]["format"] == "xlsx"
    assert raw.attrs["pondstats"]["encoding"] is None
    assert raw.columns.tolist() == [
        "deposit_id",
        "phone",
        "deposit_date",
        "amount",
        "status",
    ]
    assert raw.index.tolist() == [4, 5]  # spreadsheet rows
    assert raw.loc[4, "phone"] == "13800138000"
    assert raw.loc[5, "deposit_date"] == "46300.5"
    res = ps.clean_deposits(raw, today="2026-11-01")
    assert res.data["deposit_date"].tolist() == [
        pd.Timestamp("2026-10-05"),
        pd.Timestamp("2026-10-05 12:00"),
    ]
    assert res.data["amount"].tolist() == [5000.0, 5000.0]


def test_excel_sheet_by_name(tmp_path):
    p = _workbook(tmp_path / "d.xlsx", [["订单号", "下订日期"], ["D1", "2026-10-05"]])
    with pytest.raises(InputError, match="no column for deposit_date"):
        ps.read_deposits(p, sheet="说明")
    with pytest.raises(
        InputError, match=r"cannot read sheet 'nope'.*sheet= as a sheet name"
    ):
        ps.read_deposits(p, sheet="nope")
    assert len(ps.read_deposits(p, sheet="订单")) == 1


def test_old_xls_needs_xlrd_or_says_how(tmp_path):
    p = _write(tmp_path, "d.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(InputError, match=r"d\.xls"):
        ps.read_deposits(p)


def test_corrupt_xlsx(tmp_path):
    p = _write(tmp_path, "d.xlsx", b"PK\x03\x04 this is not really a zip file")
    with pytest.raises(
        InputError, match=r"looks like an Excel file but cannot be opened"
    ):
        ps.read_deposits(p)


# --------------------------------------------------------------------------
# bad input: a clear InputError, never a pandas traceback
# --------------------------------------------------------------------------


def test_missing_file(tmp_path):
    with pytest.raises(
        InputError, match=r"file not found: .*nope\.csv.*Check the path"
    ):
        ps.read_visits(tmp_path / "nope.csv")


def test_directory(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        ps.read_visits(tmp_path)


def test_not_a_path():
    with pytest.raises(InputError, match="expected a path or an open file, got int"):
        ps.read_visits(42)


@pytest.mark.parametrize("content", [b"", b"  \n\r\n  "])
def test_empty_file(tmp_path, content):
    p = _write(tmp_path, "v.csv", content)
    with pytest.raises(InputError, match=r"v\.csv' is empty"):
        ps.read_visits(p)


def test_pdf(tmp_path):
    p = _write(tmp_path, "report.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    with pytest.raises(
        InputError, match=r"is a PDF document, not a CSV or Excel export"
    ):
        ps.read_visits(p)


def test_binary(tmp_path):
    p = _write(tmp_path, "v.csv", bytes(range(256)) * 4)
    with pytest.raises(
        InputError, match=r"is a binary file, not a CSV or Excel export"
    ):
        ps.read_visits(p)


@pytest.mark.parametrize(
    "content",
    [b"<html><body><table><tr><td>1</td></tr></table>", b"\n  <TABLE border=1>"],
)
def test_html_disguised_as_xls(tmp_path, content):
    p = _write(tmp_path, "export.xls", content)
    with pytest.raises(InputError, match=r"is an HTML/XML page.*save it as \.xlsx"):
        ps.read_visits(p)


def test_missing_required_columns_lists_found_and_accepted():
    text = "客户姓名,手机,日期时间\n张三,13800138000,2026-10-03\n"
    with pytest.raises(InputError) as info:
        ps.read_visits(io.BytesIO(text.encode()))
    msg = str(info.value)
    assert "no column for visit_date" in msg
    assert "Columns found: name, phone, 日期时间" in msg
    assert "来店日期" in msg and "到店时间" in msg  # the aliases accepted
    assert "column_map={'<your header>': 'visit_date'}" in msg
    raw = ps.read_visits(
        io.BytesIO(text.encode()), column_map={"日期时间": "visit_date"}
    )
    assert "visit_date" in raw.columns


def test_ragged_csv_is_an_input_error():
    text = "客户姓名,来店日期\n张三,2026-10-03\n李四,2026-10-04,extra,cells,here\n"
    with pytest.raises(InputError, match="is not a readable CSV table"):
        ps.read_visits(io.BytesIO(text.encode()))


# --------------------------------------------------------------------------
# writing
# --------------------------------------------------------------------------


def test_neutralize_formulas():
    df = pd.DataFrame(
        {
            "note": [
                "=1+1",
                "+SUM(A1)",
                "-2+3",
                "@cmd",
                "\tx",
                "-5",
                "+86",
                "ok",
                None,
                "-",
                "--",
            ],
            "amount": [-1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0],
        }
    )
    before = df.copy()
    out = neutralize_formulas(df)
    assert out["note"].tolist()[:5] == ["'=1+1", "'+SUM(A1)", "'-2+3", "'@cmd", "'\tx"]
    assert out["note"].tolist()[5:8] == [
        "-5",
        "+86",
        "ok",
    ]  # plain numbers are not formulas
    assert pd.isna(out["note"].iloc[8])
    assert out["note"].tolist()[9:] == ["-", "--"]  # a dash placeholder is no formula
    assert out["amount"].tolist() == df["amount"].tolist()  # numbers untouched
    pd.testing.assert_frame_equal(df, before)


def test_write_csv_has_bom_and_is_safe(tmp_path):
    df = pd.DataFrame({"姓名": ["张三", '=HYPERLINK("http://x")'], "n": [-1, 2]})
    p = write_table(df, tmp_path / "t.csv")
    data = p.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(p, encoding="utf-8-sig")
    assert back["姓名"].tolist() == ["张三", '\'=HYPERLINK("http://x")']
    assert back["n"].tolist() == [-1, 2]


def test_write_xlsx_is_safe(tmp_path):
    df = pd.DataFrame({"note": ["@SUM(A1:A9)", "fine"], "n": [-3, 4]})
    p = write_table(df, tmp_path / "t.xlsx")
    ws = openpyxl.load_workbook(p).active
    assert ws["A2"].value == "'@SUM(A1:A9)"
    assert ws["A2"].data_type == "s"
    assert ws["B2"].value == -3


def test_write_parquet_round_trip(tmp_path):
    df = pd.DataFrame(
        {
            "note": ["=1+1", None],
            "d": pd.to_datetime(["2026-10-03", None]).astype("datetime64[ns]"),
            "b": pd.array([True, None], dtype="boolean"),
        }
    )
    back = pd.read_parquet(write_table(df, tmp_path / "t.parquet"))
    pd.testing.assert_frame_equal(back, df)  # parquet is not a spreadsheet: data exact


def test_write_parquet_keeps_date_attrs_as_text(tmp_path):
    # a call list carries attrs["as_of"], a Timestamp: pandas stores attrs in the
    # parquet file as JSON, and a Timestamp used to fail the whole write
    df = pd.DataFrame({"n": [1, 2]})
    df.attrs = {
        "as_of": pd.Timestamp("2026-11-01"),
        "month": pd.Period("2026-10", "M"),
        "n": np.int64(3),
        "nested": {"day": pd.Timestamp("2026-10-31 08:00")},
        "model": object(),  # nothing JSON can hold: left out
    }
    back = pd.read_parquet(write_table(df, tmp_path / "t.parquet"))
    pd.testing.assert_frame_equal(back, df)
    assert back.attrs == {
        "as_of": "2026-11-01T00:00:00",
        "month": "2026-10",
        "n": 3,
        "nested": {"day": "2026-10-31T08:00:00"},
    }
    assert isinstance(df.attrs["as_of"], pd.Timestamp)  # the input is not changed


def test_write_table_bad_suffix(tmp_path):
    with pytest.raises(
        InputError,
        match=r"expected a \.csv, \.xlsx or \.parquet file name, got '\.txt'",
    ):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.txt")


def test_read_table_generic():
    raw = read_table(io.BytesIO(b"a,b\n1,2\n"), required=("a",))
    assert raw.columns.tolist() == ["a", "b"]
    with pytest.raises(InputError, match=r"the table file .* has no column for c"):
        read_table(io.BytesIO(b"a,b\n1,2\n"), required=("c",))


def test_calamine_reads_the_cells_openpyxl_reads():
    """Workbooks are read with calamine; on typed cells (dates, times, text
    with leading zeros, phone numbers stored as numbers, booleans, blanks,
    formulas) it gives the grid openpyxl gives, cell for cell."""
    import datetime as dt

    from pondstats.io._excel import _excel_grid, excel_engine

    wb = openpyxl.Workbook()
    ws = wb.active
    rows = [
        ["客户编号", "来店日期", "时间", "金额", "电话", "备注", "是否试驾"],
        ["00123", dt.date(2026, 10, 3), dt.datetime(2026, 10, 3, 14, 5, 9), 12.5,
         13800138000, None, True],
        ["A9", dt.datetime(2026, 10, 4), "2026-10-04T09:00:00+08:00", 3,
         "138-0013-8000", "  空格 ", False],
        [None] * 7,
        ["=1+1", 45566, 0.5, -0.0, 1e20, "", None],
    ]  # fmt: skip
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    grids = [
        _excel_grid(buf.getvalue(), e, 0, "x.xlsx") for e in ("calamine", "openpyxl")
    ]
    pd.testing.assert_frame_equal(grids[0], grids[1])
    assert grids[0].iloc[1, 0] == "00123" and grids[0].iloc[1, 4] == "13800138000"
    assert excel_engine("xlsx") == excel_engine("xls") == "calamine"
