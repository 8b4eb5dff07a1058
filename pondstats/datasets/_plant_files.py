"""Write the whole funnel's plants beside the sample exports, with their truth.

:func:`write_sample_plants` writes, into a sample directory:

* ``deposits_history.csv``: the order history of the five years before the
  window (:mod:`pondstats.datasets._orders`), in the layout of
  ``deposits.xlsx`` (GBK, a title line, some phone and date formats);
* ``store_longwan_visits.csv`` and ``store_longwan_deposits.csv``: the
  joining store's own exports (:mod:`pondstats.datasets._joining`), in the
  layouts of ``visits.csv`` and ``deposits.xlsx``;
* ``plants_truth.json``: what was planted, in the sample's own tables too
  (lost reasons, the inaccurate grader, deliveries and cancellations) and in
  these files (repeat, returning and lapsed customers; the joining store).

The other sample files are not touched; the same sample and seed give the
same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from pondstats.datasets._exports import STATUS_ZH, _mess_phones, _ymd, export_date
from pondstats.datasets._joining import (
    JOINING_STORE,
    JOINING_ZONES,
    LATE_SHARE,
    UNREGISTERED_SHARE,
    make_joining_store,
)
from pondstats.datasets._orders import make_sample_history
from pondstats.datasets._plants import LOST_REASONS, LOST_REASONS_EV

__all__ = ["PLANT_FILES", "write_sample_plants"]

#: The files :func:`write_sample_plants` writes.
PLANT_FILES: tuple[str, ...] = (
    "deposits_history.csv",
    "store_longwan_visits.csv",
    "store_longwan_deposits.csv",
    "plants_truth.json",
)


def _date_text(ts: pd.Series, rng: np.random.Generator) -> pd.Series:
    slash = pd.Series(rng.random(len(ts)) < 0.2, index=ts.index)
    ok = ts.notna().to_numpy()
    out = pd.Series("", index=ts.index, dtype="str")
    t = ts[ok]
    out[ok] = t.dt.strftime("%Y-%m-%d").where(~slash[ok], _ymd(t, "/"))
    return out


def _deposit_table(d: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    phone, _ = _mess_phones(d["phone"].reset_index(drop=True), rng)
    d = d.reset_index(drop=True)
    return pd.DataFrame(
        {
            "订单号": d["deposit_id"],
            "客户姓名": d["name"],
            "联系电话": phone,
            "下订日期": _date_text(d["deposit_date"], rng),
            "订金（元）": d["amount"].astype("int64"),
            "所属区域": d["region"],
            "门店": d["store"],
            "销售顾问": d["consultant"],
            "意向车型": d["model"],
            "订单状态": d["status"].map(STATUS_ZH),
            "交车日期": _date_text(d["delivery_date"], rng),
        }
    )


def _visit_table(v: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    phone, _ = _mess_phones(v["phone"].reset_index(drop=True), rng)
    v = v.reset_index(drop=True)
    return pd.DataFrame(
        {
            "客户姓名": v["name"],
            "联系电话": phone,
            "来店日期": v["visit_date"].dt.strftime("%Y-%m-%d %H:%M"),
            "所属区域": v["region"],
            "门店": v["store"],
            "销售顾问": v["consultant"],
            "信息来源": v["source"],
            "意向车型": v["model"],
            "意向级别": v["grade"],
            "是否试驾": v["test_drive"].map({True: "是", False: "否"}),
            "战败原因": "",
        }
    )


def _csv(table: pd.DataFrame, title: str) -> bytes:
    body = table.to_csv(index=False, lineterminator="\r\n")
    return (title + "\r\n" + body).encode("gbk")


def plants_truth(sample, orders, roles, jv, jd, jp) -> dict:
    """The truth record of the plants (counts, shares; no personal data)."""
    t = sample.truth
    end = sample.end
    d = sample.deposits
    lag = (d["delivery_date"] - d["deposit_date"]).dt.days
    due = d["deposit_date"] + pd.Timedelta(days=t.delivery_days[1])
    overdue = d["status"].eq("active") & (due < end)
    v = sample.visits
    lost = v[v["lost_reason"].notna().to_numpy()]
    mix = lost["lost_reason"].value_counts().sort_index()
    quiet = roles["role"].eq("quiet")
    lapsed = quiet & (end - roles["last_contact"]).dt.days.gt(730)
    return {
        "random_state": 0,
        "as_of": f"{end:%Y-%m-%d}",
        "deliveries": {
            "cancel_share": t.cancel_share,
            "delivery_days": list(t.delivery_days),
            "delivered_share_when_due": t.delivered_share,
            "deposits": int(len(d)),
            "cancelled": int(d["status"].eq("cancelled").sum()),
            "delivered": int(d["status"].eq("delivered").sum()),
            "open": int(d["status"].eq("active").sum()),
            "open_overdue": int(overdue.sum()),
            "mean_days_to_delivery": round(float(lag.mean()), 2),
        },
        "lost_reasons": {
            "column": "lost_reason (战败原因, on the prospect's latest visit)",
            "recorded_share": t.lost_recorded_share,
            "after_days_silent": t.lost_after_days,
            "mix": LOST_REASONS,
            "mix_悦行EV": LOST_REASONS_EV,
            "lost_prospects": int(len(lost)),
            "recorded": {k: int(n) for k, n in mix.items()},
        },
        "inaccurate_grader": {
            "consultant": t.bad_grader,
            "how": "every graded visit re-drawn from the usual grade mix",
        },
        "history": {
            "file": "deposits_history.csv",
            "orders": int(len(orders)),
            "customers": {k: int(n) for k, n in roles["role"].value_counts().items()},
            "bought_twice_before": int(roles["orders"].ge(2).sum()),
            "lapsed_customers_at_as_of": int(lapsed.sum()),
            "lapsed_repeat_customers_at_as_of": int(
                (lapsed & roles["orders"].ge(2)).sum()
            ),
            "repeat_buyers_established_at_as_of": int(roles["role"].eq("repeat").sum()),
        },
        "joining_store": {
            "store": JOINING_STORE,
            "zones": list(JOINING_ZONES),
            "files": ["store_longwan_visits.csv", "store_longwan_deposits.csv"],
            "since": f"{jv['visit_date'].min():%Y-%m}",
            "consultants": sorted(jv["consultant"].unique().tolist()),
            "unregistered_share_of_non_buyers": UNREGISTERED_SHARE,
            "late_share_of_buyers": LATE_SHARE,
            "prospects": int(len(jp)),
            "buyers": int(jp["buys"].sum()),
            "registered_only_on_deposit_day": int(jp["late"].sum()),
            "a_card_rows": int(len(jv)),
            "deposits": int(len(jd)),
            "true_close_rate": round(float(jp["buys"].mean()), 4),
        },
    }


def write_sample_plants(sample, directory, *, random_state: int = 0) -> dict:
    """Write :data:`PLANT_FILES` into ``directory``; return the truth.

    Examples
    --------
    >>> import tempfile
    >>> import pondstats as ps
    >>> from pondstats.datasets import write_sample_plants
    >>> with tempfile.TemporaryDirectory() as d:
    ...     truth = write_sample_plants(ps.make_sample(n_zones=3, months=3), d)
    >>> truth["joining_store"]["store"]
    '龙湾店'
    """
    from pondstats.datasets._funnel import make_sample_inquiries
    from pondstats.datasets._sim import GROUP_NAME

    inq = make_sample_inquiries(sample, random_state=random_state)
    leads = set(inq["customer_key"])
    orders, roles = make_sample_history(
        sample, random_state=random_state, exclude=leads
    )
    jv, jd, jp = make_joining_store(
        sample, random_state=random_state, exclude=leads | set(roles["customer_key"])
    )
    rng = np.random.default_rng([random_state, 18, 1])
    today = export_date(sample)
    stamp = f"导出时间:{today:%Y-%m-%d} 08:30"
    first, last = orders["deposit_date"].min(), orders["deposit_date"].max()
    files = {
        "deposits_history.csv": _csv(
            _deposit_table(orders, rng),
            f"{GROUP_NAME} 历史订单 {first:%Y-%m-%d}至{last:%Y-%m-%d} {stamp}",
        ),
        "store_longwan_visits.csv": _csv(
            _visit_table(jv, rng), f"{GROUP_NAME} {JOINING_STORE} 来店登记表 {stamp}"
        ),
        "store_longwan_deposits.csv": _csv(
            _deposit_table(jd, rng), f"{GROUP_NAME} {JOINING_STORE} 订单明细 {stamp}"
        ),
    }
    truth = plants_truth(sample, orders, roles, jv, jd, jp)
    truth["random_state"] = random_state
    files["plants_truth.json"] = (
        json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    ).encode("utf-8")
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return truth
