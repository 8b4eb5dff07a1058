"""``pondstats budget``: split next month's marketing money across zones."""

from __future__ import annotations

import argparse

from pondstats.cli._common import (
    add_data_args,
    check_out,
    load_data,
    load_store,
    log,
    month_arg,
    read_bounds,
    read_column_map,
)
from pondstats.errors import PondstatsError


def add_parser(sub) -> None:
    p = sub.add_parser(
        "budget",
        help="split next month's marketing money across zones for the most deposits",
        description=(
            "Fit each zone's traffic-vs-spend curve (pooled across zones) and its shrunk "
            "close rate from the spend history, visits and deposits, then split --total "
            "to maximise expected deposits, each zone staying within the spend range it "
            "has seen. Writes one row per zone (current and planned spend, expected A- "
            "and C-cards with intervals, marginal cost of one more deposit) and prints "
            "the totals against keeping last month's split. Uses the bundled sample "
            "dealer unless --visits/--deposits/--spend are given."
        ),
    )
    p.add_argument(
        "--total",
        type=float,
        required=True,
        metavar="AMOUNT",
        help="money to split, in yuan",
    )
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        type=month_arg,
        help="month planned for (default: the month after the spend history)",
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help="plan table: .csv, .xlsx or .parquet",
    )
    add_data_args(p)
    p.add_argument(
        "--spend",
        metavar="FILE",
        help="spend export (region, month, spend), CSV or Excel",
    )
    p.add_argument(
        "--bounds",
        metavar="FILE",
        help=(
            "spend limits per zone: CSV/Excel with region, min_spend, max_spend, or "
            'TOML/JSON such as "东湖区" = [0, 50000] (default: the range each zone '
            "has seen)"
        ),
    )
    p.add_argument(
        "--draws",
        type=int,
        default=100,
        help="bootstrap refits for the intervals (100; fewer is faster)",
    )
    p.add_argument(
        "--random-state", type=int, default=0, help="seed of the interval draws (0)"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_out(args.out)
    from pondstats.budget import budget_history, plan_budget
    from pondstats.clean import clean_spend
    from pondstats.datasets import load_sample_spend
    from pondstats.io import read_spend, write_table

    store = getattr(args, "store", None)
    if args.spend is None and not store and args.visits is not None:
        raise PondstatsError(
            "give --spend FILE with --visits/--deposits (the plan needs the spend history)"
        )
    bounds = read_bounds(args.bounds)
    if store:  # the history store holds the spend too
        visits, deposits, spend, _ = load_store(args, spend=True)
    else:
        visits, deposits = load_data(args)
        spend = load_sample_spend() if args.spend is None else None
    if args.spend is not None:
        cmap = read_column_map(args.column_map, "spend")
        res = clean_spend(read_spend(args.spend, column_map=cmap))
        log.info("spend: %s", res.summary)
        spend = res.data
    history = budget_history(spend, visits, deposits)
    plan = plan_budget(
        history,
        args.total,
        month=args.month,
        bounds=bounds,
        fit_kwargs={"random_state": args.random_state, "n_draws": args.draws},
    )
    path = write_table(plan.table.round(4), args.out)
    t = plan.totals
    print(
        f"budget plan for {plan.month}: total {plan.total:,.0f} yuan over "
        f"{len(plan.table)} zones"
    )
    for name, label in (
        ("current_split", "keeping last month's split"),
        ("planned", "planned split"),
    ):
        print(
            f"  {label:<28} expected C-cards {t.loc[name, 'c_expected']:7.1f} "
            f"[{t.loc[name, 'c_low']:.1f}, {t.loc[name, 'c_high']:.1f}]  "
            f"A-cards {t.loc[name, 'a_expected']:7.1f}"
        )
    d = t.loc["difference"]
    print(
        f"  {'difference':<28} C-cards {d['c_expected']:+.1f} "
        f"[{d['c_low']:+.1f}, {d['c_high']:+.1f}]; "
        f"chance the plan does better: {plan.prob_better:.0%}"
    )
    print(f"wrote {path}")
    return 0
