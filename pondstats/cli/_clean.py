"""``pondstats clean``: clean one export and write the clean table and the rejected rows."""

from __future__ import annotations

import argparse

from pondstats.cli._common import (
    add_column_map_arg,
    check_out,
    day_arg,
    read_column_map,
)


def add_parser(sub) -> None:
    p = sub.add_parser(
        "clean",
        help="clean one export: write the clean table and the rejected rows",
        description=(
            "Read a visits, deposits or spend export (CSV or Excel), clean it and write "
            "<name>_clean.parquet, <name>_clean.csv and <name>_rejected.csv to --out; "
            "print how every row was accounted for."
        ),
    )
    p.add_argument("file", metavar="FILE", help="the export, CSV or Excel")
    p.add_argument("--kind", choices=("visits", "deposits", "spend"), required=True)
    p.add_argument(
        "--out", metavar="DIR", required=True, help="output directory (created)"
    )
    p.add_argument("--encoding", help="text encoding of a CSV (detected when omitted)")
    p.add_argument("--sheet", help="Excel sheet name (the first sheet when omitted)")
    add_column_map_arg(p)
    p.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=day_arg,
        help="reject dates after this day (default: today)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_out(args.out, directory=True)
    from pathlib import Path

    from pondstats.clean import clean_deposits, clean_spend, clean_visits
    from pondstats.io import read_deposits, read_spend, read_visits, write_table

    reader = {
        "visits": read_visits,
        "deposits": read_deposits,
        "spend": read_spend,
    }
    sheet = int(args.sheet) if args.sheet and args.sheet.isdigit() else args.sheet
    raw = reader[args.kind](
        args.file,
        encoding=args.encoding,
        sheet=sheet,
        column_map=read_column_map(args.column_map, args.kind),
    )
    if args.kind == "spend":
        res = clean_spend(raw)
    else:
        cleaner = clean_visits if args.kind == "visits" else clean_deposits
        res = cleaner(raw, today=args.today)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = Path(args.file).stem
    written = [
        write_table(res.data, out / f"{stem}_clean.parquet"),
        write_table(res.data, out / f"{stem}_clean.csv"),
        write_table(res.rejected, out / f"{stem}_rejected.csv"),
    ]
    print(res.summary)
    for path in written:
        print(f"wrote {path}")
    return 0
