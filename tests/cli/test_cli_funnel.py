"""`pondstats funnel`, `pondstats lifecycle` and `pondstats audit`."""

from __future__ import annotations

import pandas as pd
import pytest

import pondstats as ps
from pondstats.cli import main


def _write(tmp_path):
    inq = tmp_path / "inquiries.csv"
    inq.write_text(
        "线索编号,手机,留资时间,线索来源\n"
        "L1,13800000001,2026-06-01,汽车之家\n"
        "L2,13800000002,2026-06-01,汽车之家\n"
        "L3,13800000003,2026-06-02,懂车帝\n"
        "L4,,2026-06-02,懂车帝\n",
        encoding="utf-8",
    )
    vis = tmp_path / "visits.csv"
    vis.write_text(
        "客户姓名,联系电话,来店日期,销售顾问,门店\n"
        "张三,13800000001,2026-06-03,王五,S1\n"
        "李四,13800000003,2026-06-10,王五,S1\n"
        "赵六,13800000009,2025-01-10,王五,S1\n",
        encoding="utf-8",
    )
    dep = tmp_path / "deposits.csv"
    dep.write_text(
        "订单号,客户姓名,联系电话,下订日期,订单状态,交车日期,销售顾问,门店\n"
        "D1,张三,13800000001,2026-06-20,已交车,2026-07-10,王五,S1\n"
        "D2,赵六,13800000009,2025-01-12,已交车,2025-02-01,王五,S1\n",
        encoding="utf-8",
    )
    return ["--inquiries", str(inq), "--visits", str(vis), "--deposits", str(dep)]


def test_funnel_from_files(capsys, tmp_path):
    args = _write(tmp_path)
    out_file = tmp_path / "funnel.csv"
    assert main(["funnel", *args, "--as-of", "2026-12-01", "--out", str(out_file)]) == 0
    out = capsys.readouterr().out
    assert "inquiries: 4 rows read, 3 kept, 1 rejected, 0 merged" in out
    assert "汽车之家" in out and "懂车帝" in out and "邀约到店率" in out
    table = pd.read_csv(out_file)
    assert table.set_index("source")["visited"].to_dict() == {
        "懂车帝": 1,
        "汽车之家": 1,
    }
    assert table["deposited"].sum() == 1


def test_funnel_errors(capsys, tmp_path):
    args = _write(tmp_path)
    assert main(["funnel", *args, "--by", "campaign"]) == 2
    assert "--by campaign: no such column in the inquiries" in capsys.readouterr().err
    assert main(["funnel", *args, "--within-days", "-1"]) == 2
    assert "--within-days must be 0 or more" in capsys.readouterr().err
    assert main(["funnel", *args, "--as-of", "2026/12/01"]) == 2
    assert "--as-of" in capsys.readouterr().err


def test_lifecycle_writes_a_masked_list(capsys, tmp_path):
    args = _write(tmp_path)[2:]
    path = tmp_path / "winback.csv"
    assert main(["lifecycle", *args, "--as-of", "2027-06-01", "--out", str(path)]) == 0
    out = capsys.readouterr().out
    assert "lapsed" in out and "win-back list" in out
    table = pd.read_csv(path, dtype=str)
    assert table["phone"].str.contains(r"\*\*\*\*").all()
    assert "customer_key" not in table.columns
    assert not table.to_csv().count("13800000001")
    path = tmp_path / "stages.csv"
    assert main(["lifecycle", *args, "--as-of", "2027-06-01", "--stages",
                 "--out", str(path)]) == 0  # fmt: skip
    stages = pd.read_csv(path, dtype=str)
    assert len(stages) == 3 and "13800000009" not in stages.to_csv()


def test_lifecycle_needs_as_of_and_checks_rules(capsys, tmp_path):
    args = _write(tmp_path)[2:]
    assert main(["lifecycle", *args]) == 2
    assert "--as-of" in capsys.readouterr().err
    assert main(["lifecycle", *args, "--as-of", "2027-06-01",
                 "--customer-lapse-days", "0"]) == 2  # fmt: skip
    assert "--customer-lapse-days must be a whole number" in capsys.readouterr().err


def test_audit_prints_a_verdict_per_group(capsys, tmp_path):
    args = _write(tmp_path)[2:]
    assert main(["audit", *args, "--by", "store", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "logging audit by store: 0 suspect of 1" in out
    assert "too little data" in out


@pytest.mark.slow
def test_audit_on_the_sample(capsys):
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    # the group's 26 consultants and the 4 of its joining store 龙湾店, who
    # register mostly their buyers (the sample's planted selective store)
    assert "龙湾店" in out
    assert "4 suspect of 30" in out
    visits, _ = ps.load_sample()
    assert visits["consultant"].nunique() == 26
