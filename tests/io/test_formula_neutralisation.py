"""No live spreadsheet formula in anything pondstats writes: cells, headers,
categoricals, index; CSV and XLSX; checked by reading the files back."""

from __future__ import annotations

import csv
import re

import openpyxl
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pondstats.io import neutralize_formulas, write_table

_LIVE = re.compile(r"^[=+\-@\t\r]")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^-+$")


def _live(value: object) -> bool:
    """A cell Excel would evaluate: text starting with = + - @ tab CR that is not a number."""
    return (
        isinstance(value, str)
        and bool(_LIVE.match(value))
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def _xlsx_cells(path):
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            yield from row


def _csv_cells(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        for row in csv.reader(f):
            yield from row


def test_headers_categoricals_and_index_are_neutralised(tmp_path):
    df = pd.DataFrame({
        '=HYPERLINK("http://x","点我")': ["a", "b"],
        "source": pd.Categorical(["=1+1", "门店"]),
        "note": ["@SUM(A1)", "-5"],
    }, index=pd.Index(["+cmd", "ok"], name="-x"))  # fmt: skip
    for suffix in (".xlsx", ".csv"):
        path = write_table(df, tmp_path / f"t{suffix}", index=True)
        if suffix == ".xlsx":
            cells = list(_xlsx_cells(path))
            assert not any(c.data_type == "f" for c in cells)
            values = [c.value for c in cells]
        else:
            values = list(_csv_cells(path))
        assert '\'=HYPERLINK("http://x","点我")' in values
        assert "'=1+1" in values and "'@SUM(A1)" in values and "'+cmd" in values
        assert "-5" in values or -5 in values  # a plain number stays a number
        assert not any(_live(v) for v in values)
    assert df.columns[0].startswith("=")  # the input is not changed
    assert neutralize_formulas(df)["source"].dtype == "category"


_text = st.text(
    alphabet=st.sampled_from(list("=+-@\t\r'\"12.eE ab张三,;\n")), max_size=8
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    cells=st.lists(st.lists(_text, min_size=2, max_size=2), min_size=1, max_size=4),
    headers=st.lists(_text, min_size=2, max_size=2, unique=True),
    categorical=st.booleans(),
)
def test_any_text_table_written_has_no_live_formula(
    tmp_path_factory, cells, headers, categorical
):
    df = pd.DataFrame(cells, columns=headers)
    if categorical:
        df[headers[0]] = df[headers[0]].astype("category")
    d = tmp_path_factory.mktemp("w")
    xlsx = write_table(df, d / "t.xlsx")
    cells_back = list(_xlsx_cells(xlsx))
    assert not any(c.data_type == "f" for c in cells_back)
    assert not any(_live(c.value) for c in cells_back)
    csv_path = write_table(df, d / "t.csv")
    assert not any(_live(v) for v in _csv_cells(csv_path))
