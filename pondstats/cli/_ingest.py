"""``pondstats ingest``: import exports into the history store, one transaction each."""

from __future__ import annotations

import argparse
import sys

from pondstats.cli._common import day_arg
from pondstats.errors import PondstatsError


def add_parser(sub) -> None:
    p = sub.add_parser(
        "ingest",
        help="import exports into the history store (counted once, reproducible)",
        description=(
            "Import one or more exports into the history store (a DuckDB file): each "
            "file is cleaned and merged with what the store holds, in one transaction "
            "(all of it or none of it). The same file twice changes nothing; "
            "overlapping exports are merged by the duplicate rules; visit numbers run "
            "over the whole history; a deposit's newest status wins and every change "
            "is kept. Prints, per file: rows read, new, updated, unchanged, rejected "
            "by reason, conflicts."
        ),
    )
    p.add_argument(
        "files", nargs="+", metavar="FILE", help="export files (CSV or Excel)"
    )
    p.add_argument(
        "--kind",
        required=True,
        choices=("visits", "deposits", "spend"),
        help="what the files are",
    )
    p.add_argument(
        "--store",
        metavar="PATH",
        default="pondstats.duckdb",
        help="the store file (default: pondstats.duckdb here; created if missing)",
    )
    p.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=day_arg,
        help="rows dated after this day are rejected (default: today)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import warnings

    from pondstats.errors import DataQualityWarning
    from pondstats.store import Store, WrongKindError
    from pondstats.vocab import WORDS, both

    with Store(args.store) as store:
        for path in args.files:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DataQualityWarning)
                try:
                    summary = store.ingest(path, kind=args.kind, today=args.today)
                except WrongKindError as exc:
                    raise PondstatsError(
                        f"{path} looks like a {exc.found} export, not {exc.asked}: "
                        f"run 'pondstats ingest {path} --kind {exc.found}'. The store "
                        "was not changed."
                    ) from None
            print(summary)
            for w in caught:
                if issubclass(w.category, DataQualityWarning):
                    print(f"warning: {w.message}", file=sys.stderr)
        print(
            f"{both(WORDS['store'])} {args.store}: {both(WORDS['store_snapshot'])} "
            f"{store.snapshot_id}"
        )
    return 0
