"""Write a :class:`~pondstats.datasets.Sample` the way a DMS exports it, messy.

The mess is planted on purpose, and counted: :func:`write_sample_exports`
returns (and writes to ``manifest.json``) how many rows or cells of each kind
of mess it planted, so tests can check that cleaning undoes exactly that.

* ``visits.csv``: GBK, CRLF, a title line above the Chinese header, no visit
  number; phones as ``+86 138-0013-8000``, ``138 0013 8000``, full-width
  digits...; dates as ``2026-10-03 14:25``, ``2026/10/3 14:25``,
  ``2026年10月3日`` (date only) or Excel serials; placeholders (请选择, 无, -)
  for empty optional fields; region names without their 区/县 suffix; the
  lost reason (战败原因) of the prospects recorded as lost, blank otherwise;
  duplicated rows from overlapping monthly exports (some exact, some with a
  field filled in later); a handful of invalid rows (no date, a date in the
  future, an unparseable date, no phone).
* ``deposits.xlsx``: a title row, then 订单号, 客户姓名, 联系电话, 下订日期,
  订金（元）, 所属区域, 门店, 销售顾问, 意向车型, 订单状态 (有效/退订/已交车), 交车日期;
  dates as date cells, text or serial numbers; rows repeated by an earlier
  export in which a since-delivered order was still 有效; a few invalid rows.
* ``spend.csv`` (区域, 月份, 市场费用) and ``zones.geojson`` (with ``potential``).
* ``targets.csv`` (区域, 月份, C卡目标（台）) and ``spend_by_source.csv`` (区域,
  月份, 渠道, 市场费用), GBK, from a random stream of their own so the files
  above keep their bytes.

This module builds the export tables in memory and writes the bytes itself
(through no other writer) because it must write exactly the unsafe, messy
cells a DMS writes; :func:`pondstats.io.write_table` would neutralise them.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["write_sample_exports", "export_date"]

PLACEHOLDER_WORDS = ("请选择", "无", "-", "")
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
STATUS_ZH = {"active": "有效", "cancelled": "退订", "delivered": "已交车"}
_PHONE_KINDS = ("plain", "+86 dashes", "spaces", "dashes", "full-width", "+86")
_PHONE_P = (0.84, 0.04, 0.04, 0.03, 0.03, 0.02)


def export_date(sample) -> pd.Timestamp:
    """The day the exports were taken: the 2nd of the month after the sample."""
    return (sample.spend["month"].max() + 1).start_time + pd.Timedelta(days=1)


def _counts(codes: np.ndarray, names: tuple[str, ...]) -> dict[str, int]:
    return {nm: int((codes == i).sum()) for i, nm in enumerate(names)}


def _mess_phones(phone: pd.Series, rng: np.random.Generator) -> tuple[pd.Series, dict]:
    kind = rng.choice(len(_PHONE_KINDS), size=len(phone), p=_PHONE_P)
    a, b, c = phone.str[:3], phone.str[3:7], phone.str[7:]
    out = pd.Series(
        np.select(
            [kind == 1, kind == 2, kind == 3, kind == 4, kind == 5],
            [
                "+86 " + a + "-" + b + "-" + c,
                a + " " + b + " " + c,
                a + "-" + b + "-" + c,
                phone.str.translate(_FULLWIDTH),
                "+86" + phone,
            ],
            phone,
        ),
        index=phone.index,
        dtype="str",
    )
    return out, _counts(kind, _PHONE_KINDS)


def _ymd(ts: pd.Series, sep: str) -> pd.Series:
    y, m, d = (
        ts.dt.year.astype("str"),
        ts.dt.month.astype("str"),
        ts.dt.day.astype("str"),
    )
    if sep == "年":
        return y + "年" + m + "月" + d + "日"
    return y + sep + m + sep + d


def _serial(ts: pd.Series, decimals: int) -> pd.Series:
    days = (ts - _EXCEL_EPOCH) / pd.Timedelta(days=1)
    return pd.Series(
        np.char.mod(f"%.{decimals}f", days.to_numpy()), index=ts.index, dtype="str"
    )


def _placeholders(
    values: pd.Series, rng: np.random.Generator, words=PLACEHOLDER_WORDS
) -> tuple[pd.Series, int]:
    missing = values.isna().to_numpy()
    words = np.asarray(words)[rng.integers(0, len(words), len(values))]
    out = pd.Series(
        np.where(missing, words, values.astype("object")),
        index=values.index,
        dtype="str",
    )
    return out, int((missing & (words != "")).sum())


def _strip_suffix(
    region: pd.Series, rng: np.random.Generator, share: float
) -> tuple[pd.Series, int]:
    cut = (rng.random(len(region)) < share) & region.str.match(r".+[区县]$").fillna(
        False
    ).to_numpy()
    return region.where(~cut, region.str[:-1]), int(cut.sum())


# ---------------------------------------------------------------------------
# visits
# ---------------------------------------------------------------------------


def messy_visits(visits: pd.DataFrame, rng: np.random.Generator, today: pd.Timestamp):
    """The visits export as strings (export header names) and what was planted."""
    rec: dict = {"rows_in_memory": len(visits)}
    v = visits.reset_index(drop=True)
    ts = v["visit_date"]
    out = pd.DataFrame(index=v.index)
    names = v["name"].copy()
    ws = rng.random(len(v)) < 0.01
    out["客户姓名"] = names.where(~ws, " " + names + " ")
    rec["name_whitespace"] = int(ws.sum())
    out["联系电话"], rec["phone_formats"] = _mess_phones(v["phone"], rng)
    fmt_names = ("iso", "slash", "chinese_date_only", "excel_serial")
    fmt = rng.choice(4, size=len(v), p=(0.70, 0.15, 0.08, 0.07))
    hm = ts.dt.strftime(" %H:%M")
    out["来店日期"] = np.select(
        [fmt == 0, fmt == 1, fmt == 2],
        [ts.dt.strftime("%Y-%m-%d %H:%M"), _ymd(ts, "/") + hm, _ymd(ts, "年")],
        _serial(ts, 6),
    )
    rec["date_formats"] = _counts(fmt, fmt_names)
    out["所属区域"], rec["region_without_suffix"] = _strip_suffix(
        v["region"], rng, 0.10
    )
    out["门店"] = v["store"]
    out["销售顾问"] = v["consultant"]
    n_ph = 0
    for col, head in (
        ("source", "信息来源"),
        ("model", "意向车型"),
        ("grade", "意向级别"),
    ):
        out[head], k = _placeholders(v[col], rng)
        n_ph += k
    td = v["test_drive"].map({True: "是", False: "否"}, na_action="ignore")
    # not 无 here: for a yes/no field it reads as "no test drive"
    no_wu = tuple(w for w in PLACEHOLDER_WORDS if w != "无")
    out["是否试驾"], k = _placeholders(td.astype("str"), rng, no_wu)
    rec["placeholder_cells"] = n_ph + k
    if "lost_reason" in v.columns:  # 战败原因: left blank unless the deal was lost
        out["战败原因"] = v["lost_reason"].astype("object").fillna("")
    out = out.astype("str")
    key = ts.to_numpy()

    # duplicates from overlapping monthly exports
    n = len(v)
    dup = rng.random(n) < 0.03
    copies = out[dup].copy()
    opt = ["信息来源", "意向车型", "意向级别", "是否试驾"]
    empty_cells = copies[opt].isin(PLACEHOLDER_WORDS) | copies[opt].isna()
    can_fill = empty_cells.any(axis=1).to_numpy()
    fill = can_fill & (rng.random(len(copies)) < 0.6)
    fill_values = {
        "信息来源": "自然到店",
        "意向车型": "悦行S5",
        "意向级别": "B",
        "是否试驾": "否",
    }
    for i in np.flatnonzero(fill):  # one field filled in the later export
        col = next(c for c in opt if empty_cells.iloc[i][c])
        copies.iloc[i, copies.columns.get_loc(col)] = fill_values[col]
    rec["duplicates_exact"] = int((~fill).sum())
    rec["duplicates_filled"] = int(fill.sum())
    dup_key = key[dup]

    # invalid rows: fabricated customers with a broken field
    bad, bad_key, rec["invalid"] = _invalid_visits(out, key, rng, today)
    table = pd.concat([out, copies, bad], ignore_index=True)
    sort_key = np.concatenate([key, dup_key, bad_key])
    prio = np.concatenate([np.zeros(n), np.ones(len(copies)), np.full(len(bad), 2)])
    order = np.lexsort((prio, sort_key))
    table = table.iloc[order].reset_index(drop=True)
    rec["rows_written"] = len(table)
    return table, rec


def _invalid_visits(out: pd.DataFrame, key: np.ndarray, rng, today: pd.Timestamp):
    kinds = {"no visit date": 6, "visit date in the future": 6, "unparseable visit date": 3,
             "no phone": 6}  # fmt: skip
    n = sum(kinds.values())
    pick = rng.choice(len(out), size=n, replace=False)
    bad = out.iloc[pick].copy().reset_index(drop=True)
    # 147: a prefix the sample's customers never have
    bad["联系电话"] = ["147" + f"{x:08d}" for x in rng.integers(0, 10**8, n)]
    i = 0
    for kind, k in kinds.items():
        sl = slice(i, i + k)
        if kind == "no visit date":
            bad.loc[bad.index[sl], "来店日期"] = rng.choice(["", "请选择", "-"], size=k)
        elif kind == "visit date in the future":
            fut = today + pd.to_timedelta(rng.integers(60, 400, k), unit="D")
            bad.loc[bad.index[sl], "来店日期"] = (
                pd.Series(fut).dt.strftime("%Y-%m-%d 10:00").to_numpy()
            )
        elif kind == "unparseable visit date":
            bad.loc[bad.index[sl], "来店日期"] = ["2026-13-45", "下周三", "10/3"][:k]
        else:
            bad.loc[bad.index[sl], "联系电话"] = rng.choice(["", "无", "-"], size=k)
        i += k
    return bad, key[pick], kinds


# ---------------------------------------------------------------------------
# deposits
# ---------------------------------------------------------------------------


def messy_deposits(deposits: pd.DataFrame, rng, today):
    """The deposits export as cells (object columns) and what was planted."""
    rec: dict = {"rows_in_memory": len(deposits)}
    d = deposits.reset_index(drop=True)
    n = len(d)
    out = pd.DataFrame(index=d.index)
    out["订单号"] = d["deposit_id"].astype("object")
    out["客户姓名"] = d["name"].astype("object")
    phones, rec["phone_formats"] = _mess_phones(d["phone"], rng)
    out["联系电话"] = phones.astype("object")
    fmt_names = ("date_cell", "slash_text", "chinese_text", "excel_serial_number")
    fmt = rng.choice(4, size=n, p=(0.70, 0.12, 0.10, 0.08))
    ts = d["deposit_date"]
    cells = np.empty(n, dtype=object)
    cells[fmt == 0] = [x.to_pydatetime() for x in ts[fmt == 0]]
    cells[fmt == 1] = _ymd(ts[fmt == 1], "/").to_numpy()
    cells[fmt == 2] = _ymd(ts[fmt == 2], "年").to_numpy()
    cells[fmt == 3] = ((ts[fmt == 3] - _EXCEL_EPOCH).dt.days).astype(int).to_numpy()
    out["下订日期"] = cells
    rec["date_formats"] = _counts(fmt, fmt_names)
    amount = d["amount"].astype(int).astype("object")
    txt = rng.random(n) < 0.03
    amount[txt] = (d["amount"][txt].astype(int).map("{:,}元".format)).to_numpy()
    out["订金（元）"] = amount
    rec["amount_as_text"] = int(txt.sum())
    region, rec["region_without_suffix"] = _strip_suffix(d["region"], rng, 0.10)
    out["所属区域"] = region.astype("object")
    out["门店"] = d["store"].astype("object")
    out["销售顾问"] = d["consultant"].astype("object")
    out["意向车型"] = d["model"].astype("object")
    out["订单状态"] = d["status"].map(STATUS_ZH).astype("object")
    deliv = d["delivery_date"]
    dcell = np.array(rng.choice(["", "-", "无"], size=n), dtype=object)
    has = deliv.notna().to_numpy()
    dcell[has] = [x.to_pydatetime() for x in deliv[has]]
    out["交车日期"] = dcell

    # overlapping exports: an earlier export repeats some orders; for orders
    # delivered since, the earlier copy still says 有效 with no delivery date
    dup = rng.random(n) < 0.02
    copies = out[dup].copy()
    stale = copies["订单状态"].eq("已交车").to_numpy() & (rng.random(len(copies)) < 0.5)
    copies.loc[stale, "订单状态"] = "有效"
    copies.loc[stale, "交车日期"] = ""
    rec["duplicates_exact"] = int((~stale).sum())
    rec["duplicates_stale"] = int(stale.sum())

    kinds = {"no deposit date": 3, "deposit date in the future": 2, "no phone": 3}
    k_all = sum(kinds.values())
    pick = rng.choice(n, size=k_all, replace=False)
    bad = out.iloc[pick].copy().reset_index(drop=True)
    bad["订单号"] = [f"SO2099{i:07d}" for i in range(k_all)]
    bad["联系电话"] = ["147" + f"{x:08d}" for x in rng.integers(0, 10**8, k_all)]
    bad["订单状态"] = "有效"
    bad["交车日期"] = ""
    bad.loc[0:2, "下订日期"] = ["", "请选择", None]
    fut = today + pd.to_timedelta(rng.integers(60, 400, 2), unit="D")
    bad.loc[3:4, "下订日期"] = [_ymd(pd.Series(fut), "/").iloc[j] for j in range(2)]
    bad.loc[5:7, "联系电话"] = ["", "无", "-"]
    rec["invalid"] = kinds

    key = ts.to_numpy()
    table = pd.concat([copies, out, bad], ignore_index=True)  # earlier export first
    sort_key = np.concatenate([key[dup], key, key[pick]])
    prio = np.concatenate([np.zeros(len(copies)), np.ones(n), np.full(k_all, 2)])
    table = table.iloc[np.lexsort((prio, sort_key))].reset_index(drop=True)
    rec["rows_written"] = len(table)
    return table, rec


def spend_table(spend: pd.DataFrame, rng) -> tuple[pd.DataFrame, dict]:
    """The spend export: 区域, 月份 (``2026-10`` or ``2026年10月``), 市场费用."""
    rec: dict = {"rows": len(spend)}
    m = spend["month"]
    cn = rng.random(len(spend)) < 0.2
    iso = m.dt.strftime("%Y-%m")
    month = iso.where(
        ~cn, m.dt.year.astype("str") + "年" + m.dt.month.astype("str") + "月"
    )
    rec["month_chinese"] = int(cn.sum())
    region, rec["region_without_suffix"] = _strip_suffix(spend["region"], rng, 0.05)
    out = pd.DataFrame(
        {
            "区域": region,
            "月份": month,
            "市场费用": spend["spend"].round().astype("int64"),
        }
    )
    return out, rec


def _months_mixed(m: pd.Series, rng) -> pd.Series:
    """``2026-10``, with a fifth of the months as ``2026年10月``."""
    cn = rng.random(len(m)) < 0.2
    iso = m.dt.strftime("%Y-%m")
    return iso.where(
        ~cn, m.dt.year.astype("str") + "年" + m.dt.month.astype("str") + "月"
    )


def board_tables(sample, rng) -> dict[str, pd.DataFrame]:
    """The KPI board's exports: ``targets.csv`` (区域, 月份, C卡目标（台）) and
    ``spend_by_source.csv`` (区域, 月份, 渠道, 市场费用)."""
    t, s = sample.targets, sample.spend_by_source
    return {
        "targets.csv": pd.DataFrame(
            {
                "区域": t["region"],
                "月份": _months_mixed(t["month"], rng),
                "C卡目标（台）": t["target"].round().astype("int64"),
            }
        ),
        "spend_by_source.csv": pd.DataFrame(
            {
                "区域": s["region"],
                "月份": _months_mixed(s["month"], rng),
                "渠道": s["source"],
                "市场费用": s["spend"].round().astype("int64"),
            }
        ),
    }


# ---------------------------------------------------------------------------
# bytes
# ---------------------------------------------------------------------------


def _csv_bytes(table: pd.DataFrame, title: str | None, encoding: str) -> bytes:
    body = table.to_csv(index=False, lineterminator="\r\n")
    text = (title + "\r\n" if title else "") + body
    return text.encode(encoding)


_FIXED_TIME = datetime(2026, 11, 2, 8, 30)


def _xlsx_bytes(table: pd.DataFrame, title: str) -> bytes:
    """An .xlsx with a title row; byte-reproducible (fixed times in the zip)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "订单明细"
    ws.append([title])
    ws.append(list(table.columns))
    for row in table.itertuples(index=False):
        ws.append([None if (isinstance(x, float) and np.isnan(x)) else x for x in row])
    for cell in ws["D"][2:] + ws["K"][2:]:
        if isinstance(cell.value, datetime):
            cell.number_format = "yyyy-mm-dd"
    wb.properties.created = _FIXED_TIME
    wb.properties.modified = _FIXED_TIME
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME.timetuple()[:6])
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "now" on save
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*",
                    rb"\g<1>" + _FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode(),
                    data,
                )
            dst.writestr(zi, data)
    return out.getvalue()


def write_sample_exports(sample, directory, *, random_state: int = 0) -> dict:
    """Write ``sample`` as messy DMS exports into ``directory``.

    Writes ``visits.csv`` (GBK, title line), ``deposits.xlsx``, ``spend.csv``
    (GBK), ``zones.geojson`` and ``manifest.json`` (what was planted), and
    the KPI board's ``targets.csv`` and ``spend_by_source.csv``. The
    same sample and ``random_state`` give the same bytes.

    Parameters
    ----------
    sample : Sample
        From :func:`pondstats.make_sample`.
    directory : str or Path
        Created if needed; existing files of these names are replaced.
    random_state : int, default 0
        Seed of the mess.

    Returns
    -------
    dict
        The manifest: per file, how many rows/cells of each mess were planted.

    Examples
    --------
    >>> import tempfile
    >>> import pondstats as ps
    >>> s = ps.make_sample(n_zones=3, months=2)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     rec = ps.write_sample_exports(s, d)
    >>> rec["visits"]["invalid"]["no phone"]
    6
    """
    rng = np.random.default_rng(random_state)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    today = export_date(sample)
    stamp = f"导出时间:{today:%Y-%m-%d} 08:30"
    from pondstats.datasets._sim import GROUP_NAME

    visits, rec_v = messy_visits(sample.visits, rng, today)
    deposits, rec_d = messy_deposits(sample.deposits, rng, today)
    spend, rec_s = spend_table(sample.spend, rng)
    files = {
        "visits.csv": _csv_bytes(visits, f"{GROUP_NAME} 来店登记表 {stamp}", "gbk"),
        "deposits.xlsx": _xlsx_bytes(deposits, f"{GROUP_NAME} 订单明细 {stamp}"),
        "spend.csv": _csv_bytes(spend, None, "gbk"),
        "zones.geojson": sample.zones.to_json(drop_id=True, ensure_ascii=False).encode(
            "utf-8"
        ),
    }
    manifest = {
        "export_date": f"{today:%Y-%m-%d}",
        "random_state": random_state,
        "visits": rec_v,
        "deposits": rec_d,
        "spend": rec_s,
    }
    files["manifest.json"] = (
        json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    ).encode("utf-8")
    if sample.targets is not None:  # the KPI board, from a stream of its own
        board = board_tables(sample, np.random.default_rng([random_state, 15]))
        for name, table in board.items():
            files[name] = _csv_bytes(table, None, "gbk")
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return manifest
