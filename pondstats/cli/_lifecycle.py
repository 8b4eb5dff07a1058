"""``pondstats lifecycle``: each customer's stage on a day, and the win-back list."""

from __future__ import annotations

import argparse

from pondstats.cli._common import add_data_args, day_arg, load_data


def add_parser(sub) -> None:
    p = sub.add_parser(
        "lifecycle",
        help="customer lifecycle stages and the win-back list of lapsed customers",
        description=(
            "Assign each customer one of five stages on --as-of (prospect, qualified, "
            "new customer, established, lapsed; rules in ps.LifecycleRules) and print "
            "how many are in each. --out writes the win-back list (lapsed customers "
            "worth a call, most valuable first) or, with --stages, every customer's "
            "stage; phones and names are masked. --history adds the earlier orders "
            "(the years before the export) so that repeat buyers and lapsed owners "
            "are known; the bundled sample's order history is used with the sample."
        ),
    )
    add_data_args(p)
    p.add_argument("--as-of", type=day_arg, required=True, metavar="YYYY-MM-DD",
                   help="the day the stages are for")  # fmt: skip
    p.add_argument("--history", metavar="FILE",
                   help="earlier orders (历史订单, the layout of --deposits), so that "
                   "repeat buyers and lapsed owners are known; the bundled sample's "
                   "are used with the sample")  # fmt: skip
    p.add_argument("--out", metavar="FILE", help="write the list (.csv, .xlsx)")
    p.add_argument("--stages", action="store_true",
                   help="write every customer's stage instead of the win-back list")  # fmt: skip
    p.add_argument(
        "--limit", type=int, metavar="N", help="at most N rows in the win-back list"
    )
    p.add_argument("--prospect-lapse-days", type=int, default=90, metavar="N",
                   help="a prospect silent longer is lapsed (90)")  # fmt: skip
    p.add_argument("--customer-lapse-days", type=int, default=730, metavar="N",
                   help="a customer silent longer is lapsed (730)")  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from pondstats.errors import InputError, PondstatsError
    from pondstats.io import write_table
    from pondstats.leads import LifecycleRules, lifecycle_stages, winback_list
    from pondstats.privacy import mask_personal
    from pondstats.vocab import FUNNEL_WORDS, both_lines, word

    if args.limit is not None and args.limit < 1:
        raise PondstatsError("--limit must be 1 or more")
    try:
        rules = LifecycleRules(
            prospect_lapse_days=args.prospect_lapse_days,
            customer_lapse_days=args.customer_lapse_days,
        )
    except InputError as exc:
        text = str(exc).replace("LifecycleRules(", "--").replace("=...)", "")
        raise PondstatsError(text.replace("_", "-")) from None
    visits, deposits = load_data(args)
    history = _history(args)
    if history is not None and len(history):
        first, last = history["deposit_date"].min(), history["deposit_date"].max()
        print(both_lines(FUNNEL_WORDS["cli_history"], n=len(history),
                         first=f"{first:%Y-%m-%d}", last=f"{last:%Y-%m-%d}"))  # fmt: skip
        deposits = pd.concat([history, deposits], ignore_index=True)
    stages = lifecycle_stages(visits, deposits, args.as_of, rules=rules)
    counts = stages["stage"].value_counts(sort=False)
    print(both_lines(FUNNEL_WORDS["cli_lifecycle"], day=f"{args.as_of:%Y-%m-%d}"))
    for stage, n in counts.items():
        print(f"  {word(f'life_{stage}', 'zh')} {stage:<13} {n:>7}")
    winback = winback_list(visits, deposits, args.as_of, rules=rules, limit=args.limit)
    print(both_lines(FUNNEL_WORDS["cli_winback"], n=len(winback)))
    if args.out:
        if args.stages:
            table = mask_personal(stages).drop(columns="customer_key")
        else:
            table = winback
        print(f"wrote {write_table(table, args.out)}")
    return 0


def _history(args: argparse.Namespace):
    """The earlier orders: --history, or the bundled sample's with the sample."""
    if args.history is not None:
        from pondstats.clean import clean_deposits
        from pondstats.cli._common import read_column_map
        from pondstats.io import read_deposits

        cmap = read_column_map(getattr(args, "column_map", None), "deposits")
        return clean_deposits(read_deposits(args.history, column_map=cmap)).data
    if args.visits is None and not getattr(args, "store", None):
        from pondstats.datasets import load_sample_history

        return load_sample_history()
    return None
