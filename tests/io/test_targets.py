"""read_targets: Chinese and English headers, month forms, rejected rows."""

from __future__ import annotations

import io

import pandas as pd
import pytest

import pondstats as ps
from pondstats.errors import DataQualityWarning, InputError


def _csv(text: str, encoding: str = "utf-8") -> io.BytesIO:
    return io.BytesIO(text.encode(encoding))


@pytest.mark.parametrize(
    "header", ["目标", "任务", "C卡目标（台）", "月度目标", "target", "Quota"]
)
def test_target_headers(header):
    t = ps.read_targets(_csv(f"门店,月份,{header}\n东湖旗舰店,2026-10,40\n"))
    assert t.columns.tolist() == ["store", "month", "target"]
    assert t["target"].tolist() == [40.0]


def test_months_numbers_and_levels():
    text = (
        "销售顾问,年月,任务\n"
        '张伟,2026年10月,3台\n张伟,2026/11,"1,200"\n李娜,2026-12-01,４\n王芳,46357,2\n'
        "赵敏,202612,1\n"
    )
    t = ps.read_targets(_csv(text, "gb18030"))
    assert t["consultant"].tolist() == ["张伟", "张伟", "李娜", "王芳", "赵敏"]
    assert t["month"].astype("str").tolist() == ["2026-10", "2026-11"] + ["2026-12"] * 3
    assert t["target"].tolist() == [3.0, 1200.0, 4.0, 2.0, 1.0]
    assert str(t["month"].dtype) == "period[M]"


def test_whole_dealer_targets():
    t = ps.read_targets(_csv("month,target\n2026-10,160\n"))
    assert t.columns.tolist() == ["month", "target"]


def test_rejected_rows_are_named_and_kept():
    text = "区域,月份,目标\n东湖区,2026-10,30\n北岭县,,5\n青石县,2026-10,\n,2026-10,3\n云溪区,2026-13,3\n西江区,2026-10,-2\n"
    with pytest.warns(
        DataQualityWarning,
        match=r"5 target row\(s\) rejected \(row 3: no month, row 4: no target, row 5: "
        r"no region, row 6: unparseable month, row 7: negative target\)",
    ):
        t = ps.read_targets(_csv(text))
    assert t["region"].tolist() == ["东湖区"]
    rej = t.attrs["rejected"]
    assert rej["reason"].tolist() == [
        "no month", "no target", "no region", "unparseable month", "negative target"
    ]  # fmt: skip


def test_duplicates():
    same = ps.read_targets(
        _csv("区域,月份,目标\n东湖区,2026-10,30\n东湖区,2026-10,30\n")
    )
    assert len(same) == 1
    with pytest.raises(
        InputError,
        match="different targets for the same region/month: 东湖区 2026-10 30.0; 东湖区 2026-10 35.0",
    ):
        ps.read_targets(_csv("区域,月份,目标\n东湖区,2026-10,30\n东湖区,2026-10,35\n"))


def test_missing_columns():
    with pytest.raises(InputError, match="target"):
        ps.read_targets(_csv("区域,月份\n东湖区,2026-10\n"))


def test_sample_targets_match_the_truth(sample_dealer):
    t = ps.load_sample_targets()
    truth = sample_dealer.truth.targets
    pd.testing.assert_frame_equal(
        t.reset_index(drop=True),
        truth[["region", "month", "target"]].reset_index(drop=True),
        check_dtype=False,
    )
