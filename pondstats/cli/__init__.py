"""The ``pondstats`` command line: parses arguments and calls the library.

It stands above the package face. Each sub-command is one module here
(``_rates``, ``_map``, ...) with ``add_parser(subparsers)``, which declares its
options, and ``run(args) -> int``. No analysis happens here: the library
computes, the CLI reads arguments, calls it, prints and writes. Importing the
CLI loads no heavy library: each ``run`` imports what it needs, so ``--help``
and argument errors answer at once.
"""

from pondstats.cli._main import build_parser, console, main

__all__ = ["build_parser", "console", "main"]
