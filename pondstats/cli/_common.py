"""What the sub-commands share: the data options and loading, display options."""

from __future__ import annotations

import argparse
import logging

from pondstats.dates import parse_day, parse_month
from pondstats.errors import InputError, PondstatsError

log = logging.getLogger("pondstats")


def add_data_args(p: argparse.ArgumentParser) -> None:
    """--visits/--deposits/--zones/--spend; the bundled sample when omitted."""
    g = p.add_argument_group("data (the bundled sample dealer when omitted)")
    g.add_argument(
        "--visits", metavar="FILE", help="visits (A-card) export, CSV or Excel"
    )
    g.add_argument(
        "--deposits", metavar="FILE", help="deposits (C-card) export, CSV or Excel"
    )
    add_store_args(g)


def add_store_args(g) -> None:
    """--store PATH and --as-of-import N (read the history store)."""
    g.add_argument(
        "--store",
        metavar="PATH",
        help="read the history store built by 'pondstats ingest' instead of "
        "--visits/--deposits",
    )
    g.add_argument(
        "--as-of-import",
        metavar="N",
        type=int,
        dest="as_of_import",
        help="with --store: read the store as it was after import N (reproduces "
        "an earlier report)",
    )


def load_store(args: argparse.Namespace, *, spend: bool = False):
    """(visits, deposits, spend or None, note) from ``--store`` [``--as-of-import``]."""
    from pathlib import Path

    from pondstats.store import Store
    from pondstats.vocab import WORDS, both

    given = [o for o in ("visits", "deposits") if getattr(args, o, None)]
    if given:
        raise PondstatsError(
            f"give --store or --{given[0]}, not both: the store already holds the "
            "imported exports (add new ones with 'pondstats ingest FILE --kind ...')"
        )
    with Store(args.store, read_only=True) as store:
        n = args.as_of_import
        if n is None:
            view = store
        else:
            try:
                view = store.snapshot(n)
            except InputError as exc:
                raise PondstatsError(
                    str(exc).replace("no import", "--as-of-import: no import")
                ) from None
        visits, deposits = view.visits(), view.deposits()
        money = view.spend() if spend else None
        note = (
            f"{both(WORDS['store'])} {Path(args.store).name}, "
            f"{both(WORDS['store_snapshot'])} {view.snapshot_id}"
        )
    log.info("%s: %d visits, %d deposits", note, len(visits), len(deposits))
    return visits, deposits, money, note


def load_data(args: argparse.Namespace):
    """Return cleaned (visits, deposits) from files, the store, or the sample."""
    import pondstats as ps

    if getattr(args, "store", None):
        return load_store(args)[:2]
    if getattr(args, "as_of_import", None) is not None:
        raise PondstatsError("--as-of-import needs --store PATH")
    if (args.visits is None) != (args.deposits is None):
        raise PondstatsError(
            "give both --visits and --deposits, or neither to use the bundled sample"
        )
    if args.visits is None:
        return ps.load_sample()
    visits = ps.clean_visits(ps.read_visits(args.visits))
    deposits = ps.clean_deposits(ps.read_deposits(args.deposits))
    for kind, res in (("visits", visits), ("deposits", deposits)):
        log.info("%s: %s", kind, res.summary)
    return visits.data, deposits.data


def display_options(*, width: int = 120, max_rows: int | None = None):
    """pandas options for a readable table in a terminal."""
    import pandas as pd

    rows = () if max_rows is None else ("display.max_rows", max_rows)
    return pd.option_context(
        "display.width", width, "display.unicode.east_asian_width", True, *rows
    )


def month_arg(text: str):
    """argparse ``type=`` for ``--month``: the one month parser of :mod:`pondstats.dates`."""
    try:
        return parse_month(text, name=None)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def day_arg(text: str):
    """argparse ``type=`` for ``--as-of`` / ``--today``: :func:`pondstats.dates.parse_day`."""
    try:
        return parse_day(text, name=None)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
