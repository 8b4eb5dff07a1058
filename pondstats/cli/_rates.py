"""``pondstats rates``: the close-rate table per zone (or any group) against the benchmark."""

from __future__ import annotations

import argparse

from pondstats.cli._common import add_data_args, display_options, load_data, month_arg
from pondstats.errors import PondstatsError

_RATES_LEGEND = (
    "状态 status: 偏弱 weak / 领先 strong = 可信地低于/高于 credibly below/above "
    "{target:.0%} (exact binomial test, Benjamini-Hochberg FDR {alpha:.0%}); "
    "样本不足 too few = 预期C卡 expected C-cards < {min_exp:g}; "
    "收缩估计 shrunk = empirical-Bayes rate"
)
_ZH_GROUP_NAMES = {
    "region": "区域",
    "store": "门店",
    "consultant": "销售顾问",
    "source": "来源",
    "model": "车型",
}


def add_parser(sub) -> None:
    p = sub.add_parser(
        "rates",
        help="close rates (C-cards / A-cards) per region against the 13%% benchmark",
        description=(
            "Print the close-rate table (A-cards, C-cards, close rate with its 95%% "
            "interval, shrunk estimate and status) for one month, plus the whole "
            "period; --out writes the full table (every month, every column)."
        ),
    )
    add_data_args(p)
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        type=month_arg,
        help="month to show (default: the latest)",
    )
    p.add_argument(
        "--by",
        default="region",
        help="group column(s), comma-separated: region, store, consultant, source, model",
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="status names")
    p.add_argument(
        "--out", metavar="FILE", help="write the table: .csv, .xlsx or .parquet"
    )
    p.set_defaults(func=run)


def _format_rates(rates, by: list[str], lang: str):
    """A display copy of a close-rate table: percentages, interval, status names."""
    import pandas as pd

    from pondstats.plotting._common import STATUS_LABELS

    def pct(x):
        return x.map(lambda v: "-" if pd.isna(v) else f"{v:.1%}")

    zh = lang == "zh"
    out = pd.DataFrame(index=rates.index)
    for col in by:
        name = _ZH_GROUP_NAMES.get(col, col) if zh else col
        out[name] = rates[col].astype("str").fillna("(空)" if zh else "(missing)")
    out["A卡" if zh else "A-cards"] = rates["a_cards"]
    out["C卡" if zh else "C-cards"] = rates["c_cards"]
    out["退订" if zh else "cancelled"] = rates["cancelled"]
    out["成交率" if zh else "close rate"] = pct(rates["close_rate"])
    lo, hi = pct(rates["ci_low"]), pct(rates["ci_high"])
    out["95%区间" if zh else "95% interval"] = (lo + "–" + hi).where(
        rates["close_rate"].notna(), "-"
    )
    out["收缩估计" if zh else "shrunk"] = pct(rates["shrunk_rate"])
    out["状态" if zh else "status"] = rates["status"].map(STATUS_LABELS[lang])
    return out.reset_index(drop=True)


def run(args: argparse.Namespace) -> int:

    import pondstats as ps
    from pondstats.io import write_table

    by = [c.strip() for c in args.by.split(",") if c.strip()]
    visits, deposits = load_data(args)
    rates = ps.close_rates(visits, deposits, by=by)
    if rates.empty:
        raise PondstatsError("no visits or deposits: nothing to report")
    month = args.month
    if month is None:
        month = rates.loc[rates["a_cards"] > 0, "period"].max()
    shown = rates[rates["period"] == month]
    if shown.empty:
        first, last = rates["period"].min(), rates["period"].max()
        raise PondstatsError(
            f"no data for --month {month}; the data covers {first} to {last}"
        )
    whole = ps.close_rates(visits, deposits, by=by, period=None)
    b = rates.attrs["benchmark"]
    with display_options(width=200, max_rows=500):
        title = "月度成交率" if args.lang == "zh" else "close rates"
        print(
            f"{title} {month}  (benchmark {b.target:.0%}, band {b.low:.0%}-{b.high:.0%})"
        )
        print(_format_rates(shown, by, args.lang).to_string(index=False))
        first, last = rates["period"].min(), rates["period"].max()
        title = "全期" if args.lang == "zh" else "whole period"
        print(f"\n{title} {first} .. {last}")
        print(_format_rates(whole, by, args.lang).to_string(index=False))
    print(
        _RATES_LEGEND.format(
            target=b.target,
            alpha=rates.attrs["alpha"],
            min_exp=rates.attrs["min_expected"],
        )
    )
    unlinked = int(rates["unlinked"].sum())
    if unlinked:
        print(
            f"{unlinked} C-card(s) have no A-card (unlinked; counted in C卡) "
            "| C 卡无对应 A 卡"
        )
    if args.out:
        table = rates.assign(period=rates["period"].astype("str"))
        print(f"wrote {write_table(table, args.out)}")
    return 0
