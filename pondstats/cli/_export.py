"""``pondstats export``: the store's canonical tables as Parquet, partitioned by month."""

from __future__ import annotations

import argparse


def add_parser(sub) -> None:
    p = sub.add_parser(
        "export",
        help="write the store's tables as Parquet partitioned by month",
        description=(
            "Write visits, deposits and spend from the store as Parquet datasets "
            "partitioned by month (DIR/visits/month=2026-10/...), for BI tools and "
            "other engines (DuckDB, Polars, Spark and Dask read them directly)."
        ),
    )
    p.add_argument("--store", required=True, metavar="PATH", help="the store file")
    p.add_argument("--parquet", required=True, metavar="DIR", help="output directory")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pondstats.store import Store

    with Store(args.store, read_only=True) as store:
        paths = store.export_parquet(args.parquet)
        n = store.snapshot_id
    print(f"wrote {', '.join(str(p) for p in paths)} (snapshot {n})")
    return 0
