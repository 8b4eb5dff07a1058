"""``pondstats zones``: one verdict per zone for a month (the report's table)."""

from __future__ import annotations

import argparse

from pondstats.cli._common import (
    add_data_args,
    display_options,
    load_data,
    load_store_zones,
    month_arg,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "zones",
        help="one verdict per zone for a month: weak, on target, strong, ... and why",
        description=(
            "Judge every zone's close rate over this month, the last 3 and the last "
            "12 months (exact binomial tests, Benjamini-Hochberg across zones), name "
            "the problem (traffic or conversion), the deposits at stake and the action, "
            "as on page 1 of the report. Runs on the bundled sample when no files are "
            "given."
        ),
    )
    add_data_args(p)
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        type=month_arg,
        help="the month to judge (default: the latest complete month of the data)",
    )
    p.add_argument(
        "--zones",
        metavar="FILE",
        help="zone polygons with potential (households), to judge traffic per "
        "household (with --store: the zones the store holds when omitted)",
    )
    p.add_argument(
        "--out", metavar="FILE", help="also write the table: .csv, .xlsx or .parquet"
    )
    p.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the words"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pondstats.datasets import load_sample_zones
    from pondstats.io import write_table
    from pondstats.report._month import latest_complete_month
    from pondstats.vocab import (
        PROBLEMS,
        VERDICT_ACTIONS,
        Labels,
        fmt_num,
        fmt_pct,
    )
    from pondstats.zones import assess_zones, read_zones

    visits, deposits = load_data(args)
    if args.zones:
        zones = read_zones(args.zones)
    elif getattr(args, "store", None):  # the zones the store holds, if any
        zones = load_store_zones(args)
    elif args.visits is None:
        zones = load_sample_zones()
    else:
        zones = None
    month = args.month or latest_complete_month(visits, deposits)
    t = assess_zones(visits, deposits, month, zones=zones)
    L = Labels(args.lang)
    shown = t.assign(
        verdict=[
            L.verdict(v, p) for v, p in zip(t["verdict"], t["problem"], strict=True)
        ],
        problem=[L.word(PROBLEMS[p]) for p in t["problem"]],
        action=[L.word(VERDICT_ACTIONS[a]) for a in t["action"]],
        reason=t[f"reason_{args.lang}"],
    )
    cols = {
        "region": L.pick("区域", "zone"),
        "verdict": L.pick("判断", "verdict"),
        "rate_12m": L.pick("12个月", "12 months"),
        "rate_3m": L.pick("近3个月", "3 months"),
        "close_rate": L.pick("本月", "this month"),
        "problem": L.pick("问题", "problem"),
        "deposits_at_stake": L.pick("每月可多C卡", "deposits/month at stake"),
        "action": L.pick("建议", "action"),
        "reason": L.pick("依据", "reason"),
    }
    view = shown[list(cols)].rename(columns=cols)
    fmts = {
        cols["rate_12m"]: fmt_pct,
        cols["rate_3m"]: fmt_pct,
        cols["close_rate"]: fmt_pct,
        cols["deposits_at_stake"]: fmt_num,
    }
    with display_options(width=200):
        print(L.pick(f"{month} 区域判断", f"zone verdicts, {month}"))
        print(view.to_string(index=False, formatters=fmts))
    if args.out:
        path = write_table(t, args.out)
        print(f"wrote {path}")
    return 0
