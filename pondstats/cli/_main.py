"""The entry point: the parser of every sub-command, and errors as messages."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pondstats.cli import (
    _budget,
    _clean,
    _map,
    _rates,
    _report,
    _sample,
    _score,
    _zones,
)
from pondstats.errors import PondstatsError

__all__ = ["build_parser", "main"]

#: The sub-commands, in the order ``pondstats --help`` lists them.
COMMANDS = (_report, _rates, _map, _score, _budget, _clean, _sample, _zones)


class _Parser(argparse.ArgumentParser):
    """An argument error is one line, like every other error, and a pointer to --help."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\nsee '{self.prog} --help'\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    from pondstats._version import __version__

    parser = _Parser(
        prog="pondstats",
        description="Showroom-visit (A-card) and deposit (C-card) analytics for dealers.",
    )
    parser.add_argument(
        "--version", action="version", version=f"pondstats {__version__}"
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or an argument error (printed)
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except (PondstatsError, FileNotFoundError) as exc:
        print(f"pondstats {args.command}: error: {exc}", file=sys.stderr)
        return 2
