"""``pondstats funnel``: inquiry -> visit -> deposit -> delivery, invite rates, deliveries."""

from __future__ import annotations

import argparse

from pondstats.cli._common import (
    add_data_args,
    day_arg,
    display_options,
    load_data,
    read_column_map,
)
from pondstats.errors import PondstatsError


def add_parser(sub) -> None:
    p = sub.add_parser(
        "funnel",
        help="the whole funnel: inquiries, invite rates, deposits, deliveries",
        description=(
            "Print the whole funnel (inquiries -> first visits -> deposits -> "
            "deliveries) per group, the invite-to-visit rates (邀约到店率) with their "
            "95% intervals, and the cancellations and deliveries of the deposits. "
            "Without --inquiries and data files the bundled sample's inquiries are used."
        ),
    )
    add_data_args(p)
    p.add_argument(
        "--inquiries",
        metavar="FILE",
        help="inquiry (lead, 线索) export, CSV or Excel (--column-map: its "
        "[inquiries] section, or the entries outside any section)",
    )
    p.add_argument(
        "--by",
        default="source",
        help="group column(s) of the inquiries, comma-separated",
    )
    p.add_argument(
        "--within-days", type=int, default=30, metavar="N",
        help="invitation window in days (30)",
    )  # fmt: skip
    p.add_argument(
        "--horizon-days", type=int, default=90, metavar="N",
        help="days from the inquiry within which a deposit counts (90)",
    )  # fmt: skip
    p.add_argument("--as-of", type=day_arg, metavar="YYYY-MM-DD",
                   help="the day the data runs to (default: the last day in it)")  # fmt: skip
    p.add_argument("--out", metavar="FILE", help="write the funnel table (.csv, .xlsx)")
    p.set_defaults(func=run)


def _pct(s):
    import pandas as pd

    return s.map(lambda v: "-" if pd.isna(v) else f"{v:.1%}")


def run(args: argparse.Namespace) -> int:
    from pondstats.clean import clean_inquiries
    from pondstats.datasets import load_sample_inquiries
    from pondstats.io import read_inquiries, write_table
    from pondstats.rates import delivery_funnel, funnel_table, invite_rates
    from pondstats.vocab import FUNNEL_WORDS, both_lines, word

    for name in ("within_days", "horizon_days"):
        if getattr(args, name) < 0:
            raise PondstatsError(f"--{name.replace('_', '-')} must be 0 or more")
    by = [c.strip() for c in args.by.split(",") if c.strip()]
    visits, deposits = load_data(args)
    if args.inquiries:
        cmap = read_column_map(args.column_map, "inquiries")
        res = clean_inquiries(read_inquiries(args.inquiries, column_map=cmap))
        inquiries = res.data
        print(f"inquiries: {res.summary.rows_read} rows read, {res.summary.rows_kept} kept, "
              f"{res.summary.rows_rejected} rejected, {res.summary.duplicates_merged} merged")  # fmt: skip
    elif args.visits is None:
        inquiries = load_sample_inquiries()
    else:
        inquiries = None
    unit_cols = inquiries.columns if inquiries is not None else visits.columns
    missing = [c for c in by if c not in unit_cols]
    if missing:
        raise PondstatsError(
            f"--by {','.join(missing)}: no such column in the "
            f"{'inquiries' if inquiries is not None else 'visits'}; available: "
            f"{', '.join(map(str, unit_cols))}"
        )
    kw = {"as_of": args.as_of}
    table = funnel_table(
        inquiries, visits, deposits, by=by, within_days=args.within_days,
        horizon_days=args.horizon_days, **kw,
    )  # fmt: skip
    show = table[by].astype("str").fillna("(空 missing)")
    for c in ("inquiries", "visited", "deposited", "delivered"):
        show[c] = table[c]
    for c in ("invite_rate", "close_rate", "lead_close_rate", "delivery_rate"):
        show[c] = _pct(table[c])
    with display_options(width=200, max_rows=200):
        unit = "inquiries" if inquiries is not None else "first_visits"
        print(
            both_lines(
                FUNNEL_WORDS["cli_funnel"],
                unit=word(f"stage_{unit}", "zh"),
                unit_en=word(f"stage_{unit}", "en"),
                within=args.within_days,
                horizon=args.horizon_days,
            )
        )
        print(show.to_string(index=False))
        if inquiries is not None:
            inv = invite_rates(inquiries, visits, by=by,
                                  within_days=args.within_days, **kw)  # fmt: skip
            out = inv[by].astype("str")
            out["inquiries"] = inv["inquiries"]
            out["visited"] = inv["visited"]
            out["invite_rate"] = _pct(inv["invite_rate"])
            out["95% interval"] = _pct(inv["ci_low"]) + "–" + _pct(inv["ci_high"])
            out["median days"] = inv["median_days"]
            print(
                "\n" + both_lines(FUNNEL_WORDS["cli_invite"], within=args.within_days)
            )
            print(out.to_string(index=False))
        dl = delivery_funnel(deposits, **kw)
        print("\n" + both_lines(FUNNEL_WORDS["cli_delivery"]))
        cols = ["deposits", "cancelled", "delivered", "open", "overdue"]
        row = dl.iloc[0]
        print("  " + ", ".join(f"{c} {int(row[c])}" for c in cols)
              + f"; cancel rate {row['cancel_rate']:.1%}, delivery rate "
              f"{row['delivery_rate']:.1%}, median days to delivery "
              f"{row['median_days_to_delivery']:.0f}")  # fmt: skip
    if args.out:
        print(f"wrote {write_table(table, args.out)}")
    return 0
