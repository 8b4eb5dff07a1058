"""``pondstats score``: score the open prospects and write the call list."""

from __future__ import annotations

import argparse

from pondstats.cli._common import add_data_args, day_arg, load_data, log


def add_parser(sub) -> None:
    p = sub.add_parser(
        "score",
        help="score open prospects and write a call list",
        description=(
            "Train a LeadScorer on monthly snapshots of the history before --as-of "
            "(labels known by then), print its time-split evaluation, and write the "
            "call list of the prospects open on --as-of (phones and names masked)."
        ),
    )
    add_data_args(p)
    p.add_argument(
        "--as-of",
        required=True,
        metavar="YYYY-MM-DD",
        type=day_arg,
        help="the call-list day",
    )
    p.add_argument(
        "--out", required=True, metavar="FILE", help="call list, .csv/.xlsx/.parquet"
    )
    p.add_argument(
        "--horizon", type=int, default=30, help="days in which a deposit counts"
    )
    p.add_argument(
        "--lookback", type=int, default=180, help="days a prospect stays open"
    )
    p.add_argument(
        "--history", type=int, default=12, help="months of snapshots to train on"
    )
    p.add_argument(
        "--model",
        choices=("auto", "logistic", "gbm"),
        default="auto",
        help="auto (default): the better of logistic and boosting on held-out data",
    )
    p.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the factors"
    )
    p.add_argument("--no-mask", action="store_true", help="write raw phones and names")
    p.add_argument(
        "--capacity",
        type=_capacity,
        default=None,
        metavar="N|auto",
        help="calls per consultant per day: book the next --schedule-days days, "
        "highest expected deposits first ('auto': from the daily visits)",
    )
    p.add_argument(
        "--schedule-days", type=int, default=5, help="days booked with --capacity"
    )
    p.set_defaults(func=run)


def _capacity(text: str) -> int | str:
    if text == "auto":
        return text
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(
            f"expected a whole number of calls per consultant per day (e.g. 20) or "
            f"'auto', got {text!r}"
        )
    return n


def run(args: argparse.Namespace) -> int:
    import pandas as pd

    import pondstats as ps

    visits, deposits = load_data(args)
    as_of = args.as_of
    # only what was known on as_of: later rows would leak into the training labels
    cutoff = as_of + pd.Timedelta(days=1)
    visits = visits.loc[visits["visit_date"] < cutoff]
    deposits = deposits.loc[deposits["deposit_date"] < cutoff]
    first = (as_of - pd.DateOffset(months=args.history)).to_period("M").to_timestamp()
    dates = pd.date_range(first, as_of - pd.Timedelta(days=args.horizon), freq="MS")
    kw = {"horizon_days": args.horizon, "lookback_days": args.lookback}
    snaps = ps.lead_snapshots(visits, deposits, dates, complete_only=True, **kw)
    log.info("training on %d snapshot rows from %d dates", len(snaps), len(dates))
    scorer = ps.LeadScorer(model=args.model, random_state=0)
    ev = ps.evaluate_scorer(scorer, snaps)
    print(
        f"evaluation (test from {ev.metrics['split'].date()}): {ev.summary(args.lang)}"
    )
    print(
        ev.gains[
            ["decile", "leads", "converted", "rate", "lift", "cum_converted_share"]
        ]
        .round(3)
        .to_string(index=False)
    )
    from pondstats.leads import LEAD_FEATURES

    feats = [c for c in LEAD_FEATURES if c in snaps]
    final = scorer.fit(snaps[feats], snaps["converted"].astype(int))
    print(f"model: {final.selection_['reason']}")
    calls = ps.call_list(
        final,
        visits,
        deposits,
        as_of,
        mask=not args.no_mask,
        lang=args.lang,
        capacity=args.capacity,
        schedule_days=args.schedule_days,
        **kw,
    )
    path = ps.write_table(calls, args.out)
    counts = calls["tier"].value_counts().reindex(["H", "A", "B", "C"], fill_value=0)
    print(
        f"wrote {len(calls)} open prospects to {path} "
        f"(H {counts['H']}, A {counts['A']}, B {counts['B']}, C {counts['C']})"
    )
    if args.capacity is not None:
        state = calls["call_state"].value_counts()
        print(
            f"{calls.attrs['capacity']} calls per consultant per day over "
            f"{args.schedule_days} days: {state.get('scheduled', 0)} booked, "
            f"{state.get('waiting', 0)} waiting beyond capacity, "
            f"{state.get('later', 0)} not yet due"
        )
    return 0
