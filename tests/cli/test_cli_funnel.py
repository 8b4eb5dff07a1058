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


def test_lifecycle_with_the_earlier_orders(capsys, tmp_path):
    args = _write(tmp_path)[2:]
    hist = tmp_path / "history.csv"
    hist.write_text(
        "订单号,客户姓名,联系电话,下订日期,订单状态,交车日期\n"
        "H1,张三,13800000001,2021-03-01,已交车,2021-03-20\n"  # a repeat buyer
        "H2,钱七,13800000007,2022-05-01,已交车,2022-05-30\n",  # a lapsed owner
        encoding="utf-8",
    )
    out_file = tmp_path / "winback.csv"
    assert main(["lifecycle", *args, "--as-of", "2026-12-01", "--history", str(hist),
                 "--stages", "--out", str(out_file)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "with 2 earlier orders (2021-03-01 to 2022-05-01)" in out
    st = pd.read_csv(out_file, dtype=str)
    assert st.set_index("phone")["stage"].to_dict() == {
        "138****0001": "established",  # bought in 2021 and in 2026
        "138****0003": "lapsed",  # a prospect silent since June
        "138****0007": "lapsed",  # an owner silent since 2022
        "138****0009": "established",  # bought in 2025-01: over a year ago
    }
    assert not st["name"].str.contains("张三|钱七").any()


def test_audit_with_a_separately_exported_store(capsys, tmp_path):
    args = _write(tmp_path)[2:]
    ev = tmp_path / "store_visits.csv"
    ev.write_text(
        "客户姓名,联系电话,来店日期,销售顾问,门店\n"
        "孙八,13900000001,2026-07-01,周九,S2\n",
        encoding="utf-8",
    )
    ed = tmp_path / "store_deposits.csv"
    ed.write_text(
        "订单号,客户姓名,联系电话,下订日期,订单状态,销售顾问,门店\n"
        "E1,孙八,13900000001,2026-07-01,有效,周九,S2\n",
        encoding="utf-8",
    )
    assert main(["audit", *args, "--by", "store", "--lang", "en",
                 "--extra-visits", str(ev), "--extra-deposits", str(ed)]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "with the separately exported store(s) S2 (1 visits, 1 deposits)" in out
    assert "logging audit by store: 0 suspect of 2" in out
    assert main(["audit", *args, "--extra-visits", str(ev)]) == 2
    err = capsys.readouterr().err
    assert "give both --extra-visits and --extra-deposits, or neither" in err
