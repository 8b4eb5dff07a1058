"""The entry point: the parser of every sub-command, and errors as messages."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
import warnings
from collections.abc import Sequence
from typing import NoReturn

from pondstats.cli import (
    _audit,
    _budget,
    _clean,
    _export,
    _forget,
    _funnel,
    _ingest,
    _kpis,
    _lifecycle,
    _map,
    _pacing,
    _rates,
    _report,
    _sample,
    _score,
    _zones,
)
from pondstats.errors import PondstatsError, PondstatsWarning

__all__ = ["build_parser", "main"]

#: The sub-commands, in the order ``pondstats --help`` lists them.
COMMANDS = (_report, _zones, _rates, _map, _kpis, _pacing, _score, _budget, _clean)
COMMANDS += (_sample,)
COMMANDS += (_funnel, _lifecycle, _audit)  # the whole funnel
COMMANDS += (_ingest, _forget, _export)  # the history store


class _Parser(argparse.ArgumentParser):
    """An argument error is one line, like every other error, and a pointer to --help."""

    #: The sub-commands' parsers by name (set on the top-level parser).
    commands: dict[str, argparse.ArgumentParser]

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\nsee '{self.prog} --help'\n")


def build_parser() -> _Parser:
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
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the full traceback of an error (for a bug report)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for command in COMMANDS:
        command.add_parser(sub)
    parser.commands = sub.choices  # name -> the sub-command's parser
    return parser


def _show_warning(message, category, filename, lineno, file=None, line=None):
    """Warnings as one readable line in the CLI's words."""
    from pondstats.cli._common import cli_message

    name = getattr(category, "__name__", "warning")
    print(f"pondstats: {name}: {cli_message(str(message))}", file=sys.stderr)


def console(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``pondstats`` console script and ``python -m pondstats``.

    Runs :func:`main`, flushes the output streams and the log, and ends the
    process without the interpreter's teardown (as mypy's command line
    does): freeing the modules and objects of the scientific stack takes
    0.5-0.8 s on a 2-core machine and does nothing a finished command needs
    (every file is written and closed, every store closed, before a command
    returns). Call :func:`main` to run a command inside Python.
    """
    status = main(argv)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away (``pondstats ... | head``)
        status = status or 1
    logging.shutdown()
    os._exit(status)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code.

    Every error becomes a message and a non-zero exit: 2 for a problem with
    the input (the message names the fix in CLI options), 1 for a bug in
    pondstats (the traceback is shown with ``--debug``).
    """
    from pondstats.cli._common import cli_message

    parser = build_parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:  # said by the sub-command, whose --help lists what it takes
            parser.commands[args.command].error(
                "unrecognized arguments: " + " ".join(extra)
            )
    except SystemExit as exc:  # --help, --version, or an argument error (printed)
        return int(exc.code or 0)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
    )
    debug = getattr(args, "debug", False)
    command = getattr(args, "command", "?")
    with warnings.catch_warnings():
        if not debug:
            warnings.showwarning = _show_warning
        try:
            return int(args.func(args) or 0)
        except (PondstatsError, FileNotFoundError, IsADirectoryError) as exc:
            if debug:
                traceback.print_exc()
            print(
                f"pondstats {command}: error: {cli_message(str(exc))}", file=sys.stderr
            )
            return 2
        except PermissionError as exc:
            if debug:
                traceback.print_exc()
            print(
                f"pondstats {command}: error: no permission to use "
                f"{exc.filename or 'a file'} ({exc.strerror}). Check the path and "
                "its permissions, or give another --out.",
                file=sys.stderr,
            )
            return 2
        except ImportError as exc:
            if debug:
                traceback.print_exc()
            missing = getattr(exc, "name", None) or str(exc)
            print(
                f"pondstats {command}: error: this needs the optional package "
                f"{missing!r}, which is not installed: {cli_message(str(exc))}",
                file=sys.stderr,
            )
            return 2
        except PondstatsWarning as exc:  # a warning made an error (python -W error)
            if debug:
                traceback.print_exc()
            print(
                f"pondstats {command}: error: {cli_message(str(exc))}", file=sys.stderr
            )
            return 2
        except KeyboardInterrupt:
            print(f"pondstats {command}: interrupted", file=sys.stderr)
            return 130
        except Exception as exc:  # a bug: say so, and how to report it
            if debug:
                traceback.print_exc()
            detail = cli_message(f"{type(exc).__name__}: {exc}")
            print(
                f"pondstats {command}: error: {detail}\n"
                "this is a bug in pondstats; please report it with the output of "
                f"--debug (pondstats --debug {command} ...)",
                file=sys.stderr,
            )
            return 1
