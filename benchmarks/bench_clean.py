"""Time reading + cleaning an N-row visits export in the sample's format.

Writes a GBK CSV with a title line and Chinese headers (messy phones, dates in
several formats, placeholders, region names with and without suffixes, ~3%
duplicated rows), then reads and cleans it in a fresh process and reports the
seconds and the peak memory (max RSS) of that process.

    python benchmarks/bench_clean.py            # 1,000,000 rows
    python benchmarks/bench_clean.py 200000 --keep
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

REGIONS = ["东湖区", "西江区", "北岭县", "南屏区", "青石县", "云溪区", "金港区", "白沙县",
           "松坪县", "梅岭区", "石桥县", "柳塘区", "丰源县", "玉泉县", "龙湾区", "江口区"]  # fmt: skip
SOURCES = ["自然到店", "网络", "电话", "转介绍", "车展", "外拓", "社区推广", "请选择"]
MODELS = ["悦行S3", "悦行S5", "悦行X7", "悦行EV", "悦行M8", "-"]
GRADES = ["H", "A", "B", "C", "O", "F", "A级", "请选择"]
DRIVES = ["是", "否", "Y", "N", "1", "0", "无", ""]
# measure this checkout's pondstats, not whichever is installed
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def make_export(n: int, path: Path, *, random_state: int = 0) -> None:
    """Write an n-row (before duplicates) messy visits export to ``path``."""
    rng = np.random.default_rng(random_state)
    n_customers = max(1, int(n / 1.3))
    cust = rng.integers(0, n_customers, n)
    prefix = rng.choice(["138", "139", "150", "186", "135", "177"], n_customers)
    body = rng.integers(0, 10**8, n_customers)
    phones = pd.Series(prefix, dtype="str") + pd.Series(body).astype("str").str.zfill(8)
    p = phones.iloc[cust].reset_index(drop=True)
    kind = rng.choice(6, n, p=[0.78, 0.05, 0.05, 0.05, 0.05, 0.02])
    a, b, c = p.str.slice(0, 3), p.str.slice(3, 7), p.str.slice(7, 11)
    phone = p.copy()
    phone = phone.mask(kind == 1, "+86 " + a + "-" + b + "-" + c)
    phone = phone.mask(kind == 2, a + " " + b + " " + c)
    phone = phone.mask(kind == 3, a + "-" + b + "-" + c)
    phone = phone.mask(kind == 4, p.str.translate(FULLWIDTH))
    phone = phone.mask(kind == 5, "请选择")

    start = pd.Timestamp("2024-11-01").value // 10**9
    secs = rng.integers(0, 730 * 86400, n) + start
    ts = pd.to_datetime(secs, unit="s").floor("min")
    ts = pd.Series(ts + pd.to_timedelta(9, unit="h"))
    fmt = rng.choice(6, n, p=[0.6, 0.15, 0.1, 0.1, 0.04, 0.01])
    date = ts.dt.strftime("%Y-%m-%d %H:%M")
    date = date.mask(fmt == 1, ts.dt.year.astype(str) + "/" + ts.dt.month.astype(str) + "/"
                     + ts.dt.day.astype(str) + " " + ts.dt.strftime("%H:%M"))  # fmt: skip
    date = date.mask(fmt == 2, ts.dt.year.astype(str) + "年" + ts.dt.month.astype(str) + "月"
                     + ts.dt.day.astype(str) + "日")  # fmt: skip
    serial = (ts - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    date = date.mask(fmt == 3, serial.round(6).astype(str))
    date = date.mask(fmt == 4, ts.dt.strftime("%Y.%m.%d"))
    date = date.mask(fmt == 5, "不详")

    region = pd.Series(rng.choice(REGIONS, n), dtype="str")
    short = rng.random(n) < 0.1
    region = region.mask(short, region.str.slice(0, 2))
    df = pd.DataFrame(
        {
            "客户姓名": rng.choice(["张三", "李四", "王五", " 赵六 ", "钱七"], n),
            "联系电话": phone,
            "来店日期": date,
            "所属区域": region,
            "门店": rng.choice(["东湖旗舰店", "北岭店", "西江店"], n),
            "销售顾问": rng.choice([f"顾问{i:02d}" for i in range(40)], n),
            "信息来源": rng.choice(SOURCES, n),
            "意向车型": rng.choice(MODELS, n),
            "意向级别": rng.choice(GRADES, n),
            "是否试驾": rng.choice(DRIVES, n),
        }
    )
    dups = df.sample(frac=0.03, random_state=random_state)
    df = (
        pd.concat([df, dups])
        .sort_values("来店日期", kind="stable")
        .reset_index(drop=True)
    )
    with open(path, "w", encoding="gbk", newline="") as f:
        f.write("东湖汽车集团 来店登记表 导出时间:2026-11-02 08:30\n")
        df.to_csv(f, index=False)


def measure(path: Path) -> dict:
    """Read + clean in this process; return seconds and peak RSS."""
    import pondstats as ps

    c0, t0 = time.process_time(), time.perf_counter()
    raw = ps.read_visits(path)
    c1, t1 = time.process_time(), time.perf_counter()
    res = ps.clean_visits(raw, today="2026-11-02")
    c2, t2 = time.process_time(), time.perf_counter()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    s = res.summary
    return {
        "rows": s.rows_read,
        "read_s": round(t1 - t0, 2),
        "clean_s": round(t2 - t1, 2),
        "total_s": round(t2 - t0, 2),
        "read_cpu_s": round(c1 - c0, 2),
        "clean_cpu_s": round(c2 - c1, 2),
        "peak_rss_mb": round(peak_kb / 1024),
        "kept": s.rows_kept,
        "rejected": s.rows_rejected,
        "merged": s.duplicates_merged,
        "file_mb": round(path.stat().st_size / 2**20, 1),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "n", nargs="?", type=int, default=1_000_000, help="rows (default 1,000,000)"
    )
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    ap.add_argument("--measure", metavar="FILE", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(Path(args.measure))))
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="pondstats-bench-"))
    path = tmp / f"visits_{args.n}.csv"
    t0 = time.perf_counter()
    make_export(args.n, path)
    print(
        f"wrote {path} ({path.stat().st_size / 2**20:.1f} MB) in {time.perf_counter() - t0:.1f} s"
    )
    out = subprocess.run(
        [sys.executable, __file__, "--measure", str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(
        f"{result['rows']:,} rows: read {result['read_s']} s + clean {result['clean_s']} s "
        f"= {result['total_s']} s wall (CPU: read {result['read_cpu_s']} s + clean "
        f"{result['clean_cpu_s']} s), peak memory {result['peak_rss_mb']} MB "
        f"(kept {result['kept']:,}, rejected {result['rejected']:,}, merged {result['merged']:,})"
    )
    if not args.keep:
        path.unlink()
        tmp.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
