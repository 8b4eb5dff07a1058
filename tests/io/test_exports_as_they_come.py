"""Exports as they really come: delimiters, UTF-16, Big5, sheets, header search,
trailing commas, huge cells, broken workbooks; each read or refused with a message.

Every file is made in the test; each read is also cleaned to check the
accounting (read = kept + rejected + merged).
"""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import DataQualityWarning, InputError

TODAY = "2026-12-01"
HEADER = ["客户姓名", "联系电话", "来店日期"]
ROWS = [["张三", "13800138000", "2026-10-03"], ["李四", "13900139000", "2026-10-04"]]


def _csv(rows, sep=",", end="\n") -> str:
    return "".join(sep.join(r) + end for r in rows)


def _accounted(raw: pd.DataFrame) -> ps.Cleaned:
    res = ps.clean_visits(raw, today=TODAY)
    s = res.summary
    assert s.rows_read == s.rows_kept + s.rows_rejected + s.duplicates_merged
    assert s.rows_read == len(raw)
    return res


def _read(data: bytes, **kw) -> pd.DataFrame:
    return ps.read_visits(io.BytesIO(data), **kw)


@pytest.mark.parametrize("sep", ["\t", ";", "|"])
def test_tab_semicolon_and_pipe_separated_files_are_read(sep):
    raw = _read(_csv([HEADER, *ROWS], sep=sep).encode())
    assert raw.columns.tolist() == ["name", "phone", "visit_date"]
    assert raw["phone"].tolist() == ["13800138000", "13900139000"]
    assert raw.attrs["pondstats"]["delimiter"] == sep
    assert _accounted(raw).summary.rows_kept == 2


def test_excel_unicode_text_utf16_with_tabs_is_read():
    data = _csv([HEADER, *ROWS], sep="\t", end="\r\n").encode("utf-16")
    assert data[:2] == b"\xff\xfe"
    raw = _read(data)
    assert raw.attrs["pondstats"]["encoding"] == "utf-16"
    assert raw.attrs["pondstats"]["delimiter"] == "\t"
    assert raw["visit_date"].tolist() == ["2026-10-03", "2026-10-04"]
    _accounted(raw)


def test_one_column_file_names_the_delimiter_problem():
    data = "客户姓名 联系电话 来店日期\n张三 13800138000 2026-10-03\n".encode()
    with pytest.raises(InputError, match="not separated by a comma, tab, semicolon"):
        _read(data)


def test_trailing_comma_on_every_row_is_read():
    data = ("客户姓名,联系电话,来店日期\n" + _csv(ROWS, end=",\n")).encode()
    raw = _read(data)
    assert raw.columns.tolist() == ["name", "phone", "visit_date"]
    assert raw["name"].tolist() == ["张三", "李四"]
    assert raw.index.tolist() == [2, 3]
    _accounted(raw)


def test_trailing_comma_on_header_too_drops_the_empty_column():
    raw = _read(_csv([HEADER, *ROWS], end=",\n").encode())
    assert raw.columns.tolist() == ["name", "phone", "visit_date"]
    _accounted(raw)


def test_header_below_a_long_note_block_is_found():
    notes = [[f"备注{i}: 本表说明", "含逗号", "和更多内容"] for i in range(30)]
    raw = _read(_csv([["来店登记表"], *notes, HEADER, *ROWS]).encode())
    assert raw.attrs["pondstats"]["header_row"] == 32
    assert raw["phone"].tolist() == ["13800138000", "13900139000"]
    assert raw.index.tolist() == [33, 34]
    _accounted(raw)


def test_big5_file_is_detected_and_read():
    text = "區域,客戶姓名,聯繫電話,來店日期\n東湖區,陳大文,13800138000,2026-10-03\n"
    text += "西湖區,黃小明,13900139000,2026-10-04\n"
    raw = _read(text.encode("big5"))
    assert raw.attrs["pondstats"]["encoding"] == "big5"
    assert raw["region"].tolist() == ["東湖區", "西湖區"]
    assert raw["name"].tolist() == ["陳大文", "黃小明"]
    res = _accounted(raw)
    assert res.data["region"].tolist() == ["東湖區", "西湖區"]


def test_gbk_file_is_still_gb18030():
    text = "区域,客户姓名,联系电话,来店日期\n东湖区,陈大文,13800138000,2026-10-03\n"
    raw = _read(text.encode("gbk"))
    assert raw.attrs["pondstats"]["encoding"] == "gb18030"
    assert raw["region"].tolist() == ["东湖区"]


def test_ambiguous_chinese_encoding_is_refused_naming_the_option(monkeypatch):
    from pondstats.io import _sniff as r

    monkeypatch.setattr(
        r, "_share_common", lambda text, enc, lead: 0.5 + 0.2 * (enc == "big5")
    )
    text = "區域,客戶姓名,聯繫電話,來店日期\n東湖區,陳大文,13800138000,2026-10-03\n"
    with pytest.raises(InputError, match=r"encoding='big5'.*encoding='gb18030'"):
        _read(text.encode("big5"))
    # the user names it: read as told
    raw = _read(text.encode("big5"), encoding="big5")
    assert raw["region"].tolist() == ["東湖區"]


def test_a_huge_cell_near_the_top_is_a_message():
    data = ('"' + "x" * 200_000 + '"\n' + _csv([HEADER, *ROWS])).encode()
    with pytest.raises(
        InputError, match="a cell of more than 131,072 characters near line 1"
    ):
        _read(data)


@pytest.mark.slow
def test_a_50_mb_single_line_is_a_message():
    data = ("a," * (25 * 1024 * 1024) + "\n").encode()
    with pytest.raises(InputError, match="one very long line"):
        _read(data)


def test_a_file_without_line_breaks_is_a_message():
    data = ("x" * (3 << 20)).encode()
    with pytest.raises(InputError, match="no line break in its first 1 MB"):
        _read(data)


def _workbook(sheets: dict[str, pd.DataFrame]) -> bytes:
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as w:
        for name, df in sheets.items():
            df.to_excel(w, sheet_name=name, index=False)
    return buf.getvalue()


def test_data_on_the_second_sheet_is_read_with_a_warning():
    data = _workbook(
        {
            "说明": pd.DataFrame({"说明": ["本表由系统导出", "请勿修改"]}),
            "来店数据": pd.DataFrame([r for r in ROWS], columns=HEADER),
        }
    )
    with pytest.warns(
        DataQualityWarning,
        match=r"first sheet \('说明'\) has no visits table; read sheet '来店数据' \(sheet 2 of 2\)",
    ):
        raw = _read(data)
    assert raw.attrs["pondstats"]["sheet"] == "来店数据"
    assert raw["phone"].tolist() == ["13800138000", "13900139000"]
    _accounted(raw)


def test_the_wrong_sheet_asked_for_lists_the_sheets():
    data = _workbook(
        {
            "说明": pd.DataFrame({"说明": ["本表由系统导出"]}),
            "来店数据": pd.DataFrame(ROWS, columns=HEADER),
        }
    )
    with pytest.raises(
        InputError, match=r"The workbook has 2 sheets \(说明, 来店数据\)"
    ):
        _read(data, sheet=0)
    assert _read(data, sheet="来店数据")["name"].tolist() == ["张三", "李四"]


def test_encrypted_workbook_is_named_as_such():
    # an encrypted .xlsx is an OLE file holding an "EncryptedPackage" stream
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    ole += "EncryptedPackage".encode("utf-16-le") + bytes(64)
    with pytest.raises(InputError, match="password-protected"):
        _read(ole)


def test_zip_renamed_xlsx_is_named_as_such(tmp_path):
    path = tmp_path / "visits.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("visits.csv", _csv([HEADER, *ROWS]))
    with pytest.raises(
        InputError,
        match=r"is a zip archive, not an Excel workbook \(it holds visits.csv\)",
    ):
        ps.read_visits(path)


def test_geojson_given_as_visits_is_named_without_printing_it(tmp_path):
    path = tmp_path / "zones.geojson"
    features = [
        {"type": "Feature", "properties": {"region": f"区{i}", "note": "x" * 50},
         "geometry": {"type": "Point", "coordinates": [114, 30]}}
        for i in range(200)
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(InputError, match="is a GeoJSON map") as info:
        ps.read_visits(path)
    assert len(str(info.value)) < 400


def test_columns_found_lists_at_most_15_names():
    header = [f"列{i}" for i in range(40)]
    data = _csv([header, ["x"] * 40]).encode()
    with pytest.raises(InputError, match=r"列14, \.\.\. \(25 more\)") as info:
        _read(data)
    assert "列15" not in str(info.value)


def test_geojson_in_metres_without_crs_is_refused(tmp_path):
    path = tmp_path / "zones.geojson"
    ring = [[500000, 3300000], [501000, 3300000], [501000, 3301000], [500000, 3300000]]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"region": "东湖区"},
         "geometry": {"type": "Polygon", "coordinates": [ring]}}]}))  # fmt: skip
    with pytest.raises(
        InputError, match="declares no CRS and its coordinates are not degrees"
    ):
        ps.read_zones(path)
    z = ps.read_zones(path, crs=4547)  # told: placed
    minx, miny, maxx, maxy = z.total_bounds
    assert 100 < minx < maxx < 130 and 20 < miny < maxy < 40
