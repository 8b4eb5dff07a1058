"""The sample dealer's inquiries (online and phone leads) with planted invite rates.

The visits of :func:`pondstats.make_sample` carry the lead sources 网络
(online) and 电话 (phone). :func:`make_sample_inquiries` gives each such
first visit the inquiry that brought it (online: 汽车之家, 懂车帝, 易车 or the
OEM's DCC; phone: 400电话), 0-28 days before the visit, and adds the
inquiries that never came, so that each inquiry source has a planted
invite-to-visit rate (:data:`INVITE_RATES`, within 30 days). Everything is
drawn from its own random stream (``default_rng([random_state, 16])``), so the
existing sample tables and files are unchanged.

:func:`write_sample_inquiries` writes ``inquiries.csv`` (UTF-8 with BOM, a
title line, Chinese headers, some mess) and ``inquiries_truth.json`` beside
the other exports (``pondstats sample`` writes them too);
:func:`pondstats.load_sample_inquiries` reads and cleans them.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from pondstats.datasets._exports import export_date
from pondstats.datasets._parts import _ids, _int_str, _mobiles, _names
from pondstats.datasets._sim import GROUP_NAME

__all__ = [
    "INQUIRY_SOURCES",
    "INVITE_RATES",
    "make_sample_inquiries",
    "write_sample_inquiries",
]

#: Inquiry platform -> (the visits' lead source, share of that source's visits).
INQUIRY_SOURCES: dict[str, tuple[str, float]] = {
    "汽车之家": ("网络", 0.40),
    "懂车帝": ("网络", 0.30),
    "易车": ("网络", 0.10),
    "DCC": ("网络", 0.20),
    "400电话": ("电话", 1.00),
}
#: Planted invite-to-visit rate (first visit within 30 days) per platform.
INVITE_RATES: dict[str, float] = {
    "汽车之家": 0.30,
    "懂车帝": 0.20,
    "易车": 0.12,
    "DCC": 0.40,
    "400电话": 0.35,
}
_MAX_LAG = 28


def make_sample_inquiries(sample, *, random_state: int = 0) -> pd.DataFrame:
    """The inquiries behind the sample's online and phone visits, plus the no-shows.

    Parameters
    ----------
    sample : Sample
        From :func:`pondstats.make_sample`.
    random_state : int, default 0
        Seed of the inquiries' own stream (``[random_state, 16]``).

    Returns
    -------
    DataFrame
        Canonical inquiries (:data:`pondstats.schema.INQUIRY_COLUMNS`) sorted by
        date, plus ``visited`` (planted: the lead came to the showroom).

    Examples
    --------
    >>> import pondstats as ps
    >>> from pondstats.datasets import make_sample_inquiries
    >>> inq = make_sample_inquiries(ps.make_sample(n_zones=3, months=3))
    >>> sorted(inq["source"].unique())
    ['400电话', 'DCC', '懂车帝', '易车', '汽车之家']
    """
    rng = np.random.default_rng([random_state, 16])
    v = sample.visits
    first = v[(v["visit_no"] == 1).to_numpy() & v["source"].isin(["网络", "电话"])]
    first = first.reset_index(drop=True)
    plat = np.empty(len(first), dtype=object)
    for src in ("网络", "电话"):
        names = [p for p, (s, _) in INQUIRY_SOURCES.items() if s == src]
        share = np.array([INQUIRY_SOURCES[p][1] for p in names])
        m = (first["source"] == src).to_numpy()
        plat[m] = np.asarray(names, dtype=object)[
            rng.choice(len(names), size=int(m.sum()), p=share / share.sum())
        ]
    lag = np.minimum(rng.geometric(0.15, len(first)) - 1, _MAX_LAG)
    secs = 60 * rng.integers(8 * 60, 22 * 60, len(first))
    came = pd.DataFrame(
        {
            "customer_key": first["customer_key"],
            "name": first["name"],
            "phone": first["phone"],
            "inquiry_date": first["visit_date"].dt.normalize()
            - pd.to_timedelta(lag, unit="D")
            + pd.to_timedelta(secs, unit="s"),
            "source": plat.astype(str),
            "region": first["region"],
            "store": first["store"],
            "consultant": first["consultant"],
            "model": first["model"],
            "visited": True,
        }
    )
    # the no-shows: per platform and month, Poisson(came * (1 - r) / r)
    month = came["inquiry_date"].dt.to_period("M")
    counts = came.groupby([came["source"], month]).size()
    rows = []
    for (p, mon), n_came in counts.items():
        r = INVITE_RATES[p]
        k = rng.poisson(n_came * (1 - r) / r)
        if not k:
            continue
        pick = came[(came["source"] == p).to_numpy()].sample(
            n=k, replace=True, random_state=rng
        )
        day = mon.start_time + pd.to_timedelta(
            rng.integers(0, mon.days_in_month * 86400, k), unit="s"
        )
        rows.append(
            pick[["region", "store", "consultant", "model"]].assign(
                source=p, inquiry_date=np.asarray(day.floor("min"))
            )
        )
    noshow = pd.concat(rows, ignore_index=True)
    known = set(v["customer_key"].dropna()) | set(
        sample.deposits["customer_key"].dropna()
    )
    phones = pd.Series(_int_str(_mobiles(rng, 2 * len(noshow))))
    phones = phones[~phones.isin(known)].drop_duplicates().iloc[: len(noshow)]
    noshow["customer_key"] = phones.to_numpy()
    noshow["phone"] = phones.to_numpy()
    noshow["name"] = np.asarray(_names(rng, len(noshow)))
    noshow["visited"] = False
    out = pd.concat([came, noshow[came.columns]], ignore_index=True)
    end = sample.end
    out = out[(out["inquiry_date"] <= end + pd.Timedelta(days=1)).to_numpy()]
    out = out.sort_values(["inquiry_date", "customer_key"], kind="stable")
    out = out.reset_index(drop=True)
    out.insert(0, "inquiry_id", _ids("L", len(out)))
    out["inquiry_date"] = out["inquiry_date"].astype("datetime64[ns]")
    return out


def _messy(inq: pd.DataFrame, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    """The export table: Chinese headers, phone and date formats, a few copies."""
    n = len(inq)
    phone = inq["phone"].astype(str)
    spaced = rng.random(n) < 0.10
    phone = phone.where(
        ~spaced,
        phone.str.slice(0, 3) + " " + phone.str.slice(3, 7) + " " + phone.str.slice(7),
    )
    slash = rng.random(n) < 0.15
    date = inq["inquiry_date"].dt.strftime("%Y-%m-%d %H:%M")
    date = date.where(~slash, inq["inquiry_date"].dt.strftime("%Y/%-m/%-d %H:%M"))
    empty = rng.random(n) < 0.03
    model = inq["model"].astype(str).where(~empty & inq["model"].notna(), "请选择")
    table = pd.DataFrame(
        {
            "线索编号": inq["inquiry_id"],
            "客户姓名": inq["name"],
            "手机": phone,
            "留资时间": date,
            "线索来源": inq["source"],
            "所属区域": inq["region"],
            "门店": inq["store"],
            "跟进人": inq["consultant"],
            "意向车型": model,
        }
    )
    dup = np.flatnonzero(rng.random(n) < 0.02)
    table = pd.concat([table, table.iloc[dup]]).sort_index(kind="stable")
    rec = {
        "rows_in_memory": n,
        "rows_written": len(table),
        "exact_copies": len(dup),
        "phones_with_spaces": int(spaced.sum()),
        "dates_with_slashes": int(slash.sum()),
        "model_placeholders": int(empty.sum()),
    }
    return table.reset_index(drop=True), rec


def write_sample_inquiries(sample, directory, *, random_state: int = 0) -> dict:
    """Write ``inquiries.csv`` and ``inquiries_truth.json`` into ``directory``.

    The same sample and seed give the same bytes; the other sample files are
    not touched.

    Returns
    -------
    dict
        The truth: planted invite rates per platform, the mess planted.

    Examples
    --------
    >>> import tempfile
    >>> import pondstats as ps
    >>> from pondstats.datasets import write_sample_inquiries
    >>> with tempfile.TemporaryDirectory() as d:
    ...     truth = write_sample_inquiries(ps.make_sample(n_zones=3, months=3), d)
    >>> truth["invite_rates"]["DCC"]
    0.4
    """
    inq = make_sample_inquiries(sample, random_state=random_state)
    rng = np.random.default_rng([random_state, 16, 1])
    table, rec = _messy(inq, rng)
    today = export_date(sample)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    title = f"{GROUP_NAME} 线索明细 导出时间:{today:%Y-%m-%d} 08:30"
    text = title + "\r\n" + table.to_csv(index=False, lineterminator="\r\n")
    (directory / "inquiries.csv").write_bytes(text.encode("utf-8-sig"))
    truth = {
        "random_state": random_state,
        "invite_within_days": 30,
        "invite_rates": INVITE_RATES,
        "platforms": {p: list(s) for p, s in INQUIRY_SOURCES.items()},
        "inquiries": rec,
    }
    (directory / "inquiries_truth.json").write_bytes(
        (
            json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        ).encode()
    )
    return truth
