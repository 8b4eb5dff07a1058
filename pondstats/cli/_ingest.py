"""``pondstats ingest``: import exports into the history store, one transaction each."""

from __future__ import annotations

import argparse
import sys

from pondstats.cli._common import add_column_map_arg, day_arg, read_column_map
from pondstats.errors import InputError, PondstatsError


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
            "by reason, conflicts. --kind zones adds the zone polygons (GeoJSON, "
            "GeoPackage, Shapefile): a newer zones file replaces the older one, "
            "earlier snapshots keep theirs, and map/zones/report --store use them."
        ),
    )
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="export files (CSV or Excel), or zones files with --kind zones",
    )
    p.add_argument(
        "--kind",
        required=True,
        choices=("visits", "deposits", "spend", "zones"),
        help="what the files are",
    )
    add_column_map_arg(p)
    p.add_argument(
        "--key",
        metavar="NAME",
        help="with --kind zones: the zones file's column with the zone names "
        "(default: region)",
    )
    p.add_argument(
        "--crs",
        metavar="CRS",
        help="with --kind zones: the CRS of a zones file that declares none, "
        "e.g. 4547 or EPSG:4490",
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


def _zones_message(text: str, path: str, args: argparse.Namespace) -> str:
    """read_zones' Python words (key=, crs=) as this command's options."""
    text = text.replace("Pass the name column as key=...", "Give it with --key NAME.")
    text = text.replace("e.g. key=", "e.g. --key ").replace("another key=...", "--key")
    if "declares no CRS" in text and not args.crs:
        text += (
            f" Or give its CRS: 'pondstats ingest {path} --kind zones --crs 4547' "
            "(the EPSG code of its coordinates)."
        )
    return text


def _what(kind: str) -> str:
    return "a zones file" if kind == "zones" else f"a {kind} export"


def _crs(text: str | None):
    """``--crs 4547`` -> 4547; ``--crs EPSG:4490`` as given."""
    if text is None:
        return None
    return int(text) if text.strip().isdigit() else text.strip()


def run(args: argparse.Namespace) -> int:
    import warnings

    from pondstats.errors import DataQualityWarning
    from pondstats.store import Store, WrongKindError
    from pondstats.vocab import WORDS, both

    zones = args.kind == "zones"
    if zones and args.column_map:
        raise PondstatsError(
            "--column-map is for exports (visits, deposits, spend); a zones file "
            "names its zone column with --key NAME"
        )
    if not zones and (args.key or args.crs):
        raise PondstatsError(
            f"--{'key' if args.key else 'crs'} is for --kind zones; for {args.kind} "
            "exports name the columns with --column-map FILE"
        )
    opts = (
        {"key": args.key, "crs": _crs(args.crs)}
        if zones
        else {
            "today": args.today,
            "column_map": read_column_map(args.column_map, args.kind),
        }
    )
    with Store(args.store) as store:
        for path in args.files:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DataQualityWarning)
                try:
                    summary = store.ingest(path, kind=args.kind, **opts)
                except WrongKindError as exc:
                    raise PondstatsError(
                        f"{path} looks like {_what(exc.found)}, not "
                        f"{_what(exc.asked)}: run 'pondstats ingest {path} --kind "
                        f"{exc.found}'. The store was not changed."
                    ) from None
                except InputError as exc:
                    if zones:
                        raise PondstatsError(
                            _zones_message(str(exc), path, args)
                        ) from None
                    raise
            print(summary)
            for w in caught:
                if issubclass(w.category, DataQualityWarning):
                    print(f"warning: {w.message}", file=sys.stderr)
        print(
            f"{both(WORDS['store'])} {args.store}: {both(WORDS['store_snapshot'])} "
            f"{store.snapshot_id}"
        )
    return 0
