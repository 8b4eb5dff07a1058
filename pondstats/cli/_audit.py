"""``pondstats audit``: are the A-cards logged honestly, per consultant or store?"""

from __future__ import annotations

import argparse

from pondstats.cli._common import add_data_args, display_options, load_data


def add_parser(sub) -> None:
    p = sub.add_parser(
        "audit",
        help="logging audit: consultants or stores that register mostly the buyers",
        description=(
            "Check per consultant (or store) whether visitors are registered honestly: "
            "the share of deposits whose customer was first registered on the deposit "
            "day, first visits per working day and the close rate, each against the "
            "peers, with exact tests and false-discovery control. Groups with too "
            "little data get no verdict. A store exported separately (one that "
            "joined the group) is audited with the others through --extra-visits "
            "and --extra-deposits; on the bundled sample its joining store 龙湾店 "
            "is included."
        ),
    )
    add_data_args(p)
    p.add_argument("--extra-visits", metavar="FILE",
                   help="another store's own visits export, audited with the others "
                   "(e.g. a store that joined the group); needs --extra-deposits")  # fmt: skip
    p.add_argument("--extra-deposits", metavar="FILE",
                   help="that store's deposits export")  # fmt: skip
    p.add_argument("--by", choices=("consultant", "store"), default="consultant",
                   help="audit consultants (default) or stores")  # fmt: skip
    p.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the reasons"
    )
    p.add_argument("--out", metavar="FILE", help="write the full table (.csv, .xlsx)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    from pondstats.io import write_table
    from pondstats.rates import logging_audit
    from pondstats.vocab import FUNNEL_WORDS, GROUPS, both_lines

    visits, deposits = load_data(args)
    extra = _extra_store(args)
    if extra is not None:
        ev, ed = extra
        stores = "、".join(
            sorted(set(ev["store"].dropna()) | set(ed["store"].dropna()))
        )
        print(both_lines(FUNNEL_WORDS["cli_extra_store"], stores=stores,
                         n_v=len(ev), n_d=len(ed)))  # fmt: skip
        visits = pd.concat([visits, ev], ignore_index=True)
        deposits = pd.concat([deposits, ed], ignore_index=True)
    audit = logging_audit(visits, deposits, by=args.by, lang=args.lang)
    show = audit[[args.by, "a_cards", "c_cards"]].copy()
    show["same-day share"] = audit["same_day_share"].map(lambda v: f"{v:.0%}")
    show["close rate"] = audit["close_rate"].map(lambda v: f"{v:.0%}")
    show["verdict"] = audit["verdict"]
    show["reason"] = audit["reason"].fillna("")
    n = int(audit["suspect"].sum())
    with display_options(width=220, max_rows=500):
        print(
            both_lines(
                FUNNEL_WORDS["cli_audit"],
                by=GROUPS[args.by][0],
                by_en=GROUPS[args.by][1],
                n=n,
                total=len(audit),
            )
        )
        print(show.to_string(index=False))
    if args.out:
        print(f"wrote {write_table(audit, args.out)}")
    return 0


def _extra_store(args: argparse.Namespace):
    """(visits, deposits) of --extra-visits/--extra-deposits; on the bundled
    sample, its joining store 龙湾店; else None."""
    from pondstats.errors import PondstatsError

    if (args.extra_visits is None) != (args.extra_deposits is None):
        raise PondstatsError(
            "give both --extra-visits and --extra-deposits, or neither"
        )
    if args.extra_visits is not None:
        from pondstats.clean import clean_deposits, clean_visits
        from pondstats.io import read_deposits, read_visits

        return (
            clean_visits(read_visits(args.extra_visits)).data,
            clean_deposits(read_deposits(args.extra_deposits)).data,
        )
    if args.visits is None and not getattr(args, "store", None):
        from pondstats.datasets import load_sample_joining_store

        return load_sample_joining_store()
    return None
