"""``pondstats score``: score the open prospects and write the call list."""

from __future__ import annotations

import argparse
import sys

from pondstats.cli._common import add_data_args, check_out, day_arg, load_data, log
from pondstats.errors import PondstatsError


def add_parser(sub) -> None:
    p = sub.add_parser(
        "score",
        help="score open prospects and write a call list",
        description=(
            "Train the horizon model (the chance of a deposit within 7, 15, 30 and "
            "90 days) on monthly snapshots of the history before --as-of, print the "
            "same model's time-split evaluation (its --horizon-day chance), and "
            "write the call list of the prospects open on --as-of with their H/A/B/C "
            "tier (phones and names masked)."
        ),
    )
    add_data_args(p)
    p.add_argument(
        "--as-of",
        required=True,
        metavar="YYYY-MM-DD",
        type=day_arg,
        help="the call-list day: rows dated before it train the scorer (the report of a month uses the first day after it)",
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
        "--history",
        type=int,
        default=6,
        help="months of snapshots to train on (6, as the report)",
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
    p.add_argument(
        "--tiers",
        type=_tiers,
        default=None,
        metavar="H=7:0.05,A=15:0.05,B=30:0.02",
        help="the tier rule: tier=days:minimum chance of a deposit within those days, "
        "checked in order (else C); the default is the one shown",
    )
    p.set_defaults(func=run)


def _tiers(text: str) -> dict[str, tuple[int, float]]:
    """``H=7:0.05,A=15:0.05,B=30:0.02`` -> {"H": (7, 0.05), ...}."""
    out: dict[str, tuple[int, float]] = {}
    for part in text.split(","):
        name, _, spec = part.strip().partition("=")
        days, _, prob = spec.partition(":")
        try:
            d, q = int(days), float(prob)
        except ValueError:
            d, q = 0, -1.0
        if name.strip().upper() not in ("H", "A", "B") or d not in (7, 15, 30, 90):
            d = 0
        if d == 0 or not 0.0 <= q <= 1.0:
            raise argparse.ArgumentTypeError(
                f"expected tier=days:chance for tiers H, A, B with days 7, 15, 30 or "
                f"90 and a chance between 0 and 1, e.g. H=7:0.05,A=15:0.05,B=30:0.02; "
                f"got {part.strip()!r}"
            )
        out[name.strip().upper()] = (d, q)
    return out


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


def _check_as_of(visits, as_of, lookback: int) -> None:
    """--as-of inside the data: an error before it, a warning after its end."""
    import warnings

    import pandas as pd

    from pondstats.errors import DataQualityWarning

    first, last = visits["visit_date"].min(), visits["visit_date"].max()
    if pd.isna(first):
        raise PondstatsError("the visits table is empty: no prospects to score.")
    span = f"the visits run from {first.date()} to {last.date()}"
    if as_of < first:
        raise PondstatsError(
            f"--as-of {as_of.date()} is before the data starts ({span}); give a day "
            f"inside it, e.g. --as-of {last.date()}."
        )
    if as_of > last + pd.Timedelta(days=lookback):
        raise PondstatsError(
            f"--as-of {as_of.date()} is more than --lookback {lookback} days after the "
            f"data ends ({span}): no prospect would still be open. Give a day inside "
            f"the data, e.g. --as-of {last.date()}, or export newer visits."
        )
    if as_of > last + pd.Timedelta(days=7):
        warnings.warn(
            f"--as-of {as_of.date()} is {(as_of - last).days} days after the last visit "
            f"({span}): the newer visits and deposits are missing, so prospects who "
            "have bought since look open. Export newer data, or give --as-of "
            f"{last.date()}.",
            DataQualityWarning,
            stacklevel=2,
        )


def _print_evaluation(snaps, args: argparse.Namespace) -> None:
    """The list's own model, trained the same way on the earlier snapshots:
    its --horizon-day chance for the later ones (or why there is none)."""
    from pondstats.errors import InputError
    from pondstats.leads import evaluate_horizons

    try:
        ev = evaluate_horizons(snaps, horizon_days=args.horizon, model=args.model)
    except InputError:
        months = snaps.loc[snaps["observed_days"] >= args.horizon, "as_of"].nunique()
        print(
            "pondstats score: no evaluation printed: the snapshots before --as-of "
            f"({months} month(s) with their --horizon {args.horizon} days observed) "
            "cannot be split into earlier months to train on and later ones to test; "
            "give a longer --history to see one. The call list is written all the same.",
            file=sys.stderr,
        )
        return
    print(
        f"evaluation of the horizon model, P(deposit within {args.horizon} days) "
        f"(trained before {ev.metrics['split'].date()}, tested from it): "
        f"{ev.summary(args.lang)}"
    )
    print(
        ev.gains[
            ["decile", "leads", "converted", "rate", "lift", "cum_converted_share"]
        ]
        .round(3)
        .to_string(index=False)
    )


def run(args: argparse.Namespace) -> int:
    check_out(args.out)
    from pondstats.io import write_table
    from pondstats.leads import score_open_leads

    visits, deposits = load_data(args)
    _check_as_of(visits, args.as_of, args.lookback)
    # the one call list of the report: only rows dated before --as-of train
    # the scorer and make the list (the list is made at the start of that day)
    scored = score_open_leads(
        visits,
        deposits,
        args.as_of,
        history=args.history,
        horizon_days=args.horizon,
        lookback_days=args.lookback,
        model=args.model,
        mask=not args.no_mask,
        lang=args.lang,
        capacity=args.capacity,
        schedule_days=args.schedule_days,
        tiers=args.tiers,
    )
    snaps = scored.snapshots
    log.info("training on %d snapshot rows", len(snaps))
    if scored.calls is None:
        raise PondstatsError(
            "cannot score: the training snapshots before --as-of hold a single "
            "class (no deposits, or no open prospects); give --as-of a later day "
            "or a longer --history"
        )
    _print_evaluation(snaps, args)
    calls = scored.calls
    print(f"model: {scored.scorer.selection_['reason']}")
    path = write_table(calls, args.out)
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
