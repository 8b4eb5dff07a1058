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


def load_data(args: argparse.Namespace):
    """Return cleaned (visits, deposits) from files, or the sample."""
    import pondstats as ps

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
