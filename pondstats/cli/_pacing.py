"""``pondstats pacing``: month to date against the C-card targets, projected month end."""

from __future__ import annotations

import argparse

from pondstats.cli._common import add_data_args, day_arg, display_options, load_data
from pondstats.errors import PondstatsError
from pondstats.vocab import GROUPS, KPIS


def add_parser(sub) -> None:
    p = sub.add_parser(
        "pacing",
        help="C-cards month to date against the targets, with the projected month end",
        description=(
            "Compare the C-cards of the month up to --as-of with the month's targets "
            "(--targets: 区域/门店/销售顾问, 月份, 目标), project the month end from "
            "the day-of-month profile of the earlier months (with a 95% interval) "
            "and give the C-cards needed per remaining day. Without data files the "
            "sample dealer and its targets are used."
        ),
    )
    add_data_args(p)
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", type=day_arg, required=True,
        help="the last day counted",
    )  # fmt: skip
    p.add_argument("--targets", metavar="FILE", help="targets file (CSV or Excel)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="column names")
    p.add_argument(
        "--out", metavar="FILE", help="write the table: .csv, .xlsx or .parquet"
    )
    p.set_defaults(func=run)


def format_pacing(table, lang: str):
    """A display copy of a quota_pacing table."""
    import pandas as pd

    i = 0 if lang == "zh" else 1

    def num(x, fmt="{:,.0f}"):
        return x.map(lambda v: "-" if pd.isna(v) else fmt.format(v))

    out = pd.DataFrame(index=table.index)
    for col in ("region", "store", "consultant"):
        if col in table.columns:
            out[GROUPS[col][i]] = table[col].astype("str")
    out[KPIS["target"].column[i]] = num(table["target"])
    out[KPIS["month_to_date"].column[i]] = table["month_to_date"]
    out[KPIS["projected"].column[i]] = num(table["projected"])
    out["95%"] = num(table["projected_low"]) + "–" + num(table["projected_high"])
    out[KPIS["gap"].column[i]] = num(table["gap"], "{:+,.0f}")
    out[KPIS["needed_per_day"].column[i]] = num(table["needed_per_day"], "{:.1f}")
    out[KPIS["p_reach"].column[i]] = num(table["p_reach"], "{:.0%}")
    return out.reset_index(drop=True)


def run(args: argparse.Namespace) -> int:
    from pondstats.datasets import load_sample_targets
    from pondstats.io import read_targets, write_table
    from pondstats.rates import quota_pacing

    visits, deposits = load_data(args)
    if args.targets:
        targets = read_targets(args.targets)
    elif args.visits is None:
        targets = load_sample_targets()
    else:
        raise PondstatsError(
            "give --targets FILE (区域/门店/销售顾问, 月份, 目标) with your own data"
        )
    table = quota_pacing(deposits, targets, args.as_of, visits=visits)
    i = 0 if args.lang == "zh" else 1
    a = table.attrs
    with display_options(width=200, max_rows=500):
        print(
            f"{('目标进度', 'pacing')[i]} {a['month']} · {('截至', 'as of')[i]} {a['as_of']}"
        )
        print(format_pacing(table, args.lang).to_string(index=False))
        total = table[["target", "month_to_date", "projected"]].sum()
        print(
            (
                f"合计: 目标 {total['target']:,.0f}, 累计 {total['month_to_date']:,.0f}, "
                f"预计月末 {total['projected']:,.0f}; 预计按往{a['months_profiled']}个月的日分布",
                f"total: target {total['target']:,.0f}, to date {total['month_to_date']:,.0f}, "
                f"projected {total['projected']:,.0f}; projection from the daily profile of "
                f"{a['months_profiled']} earlier months",
            )[i]  # fmt: skip
        )
    if args.out:
        out = table.assign(month=table["month"].astype("str"))
        print(f"wrote {write_table(out, args.out)}")
    return 0
