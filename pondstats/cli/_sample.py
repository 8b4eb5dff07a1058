"""``pondstats sample``: write the sample dealer's messy DMS exports."""

from __future__ import annotations

import argparse

from pondstats.cli._common import check_out


def add_parser(sub) -> None:
    p = sub.add_parser(
        "sample",
        help="write the sample dealer's messy DMS exports",
        description=(
            "Simulate the sample dealer group (make_sample) and write its exports as a "
            "DMS writes them, messy on purpose: visits.csv (GBK), deposits.xlsx, "
            "spend.csv, zones.geojson and manifest.json (what mess was planted), the "
            "KPI board's and the whole funnel's files (inquiries, the order history, "
            "the joining store's exports) and their truth. "
            "The same seeds give the same bytes; the defaults give data/sample/."
        ),
    )
    p.add_argument(
        "--out", metavar="DIR", default="data/sample", help="output directory"
    )
    p.add_argument("--random-state", type=int, default=0, help="seed of the data (0)")
    p.add_argument(
        "--mess-random-state", type=int, default=0, help="seed of the mess (0)"
    )
    p.add_argument("--scale", type=float, default=1.0, help="multiply traffic (1.0)")
    p.add_argument(
        "--store",
        metavar="PATH",
        help="build a history store from the exports: the zones file, then month "
        "by month (24 overlapping two-month exports, as an analyst gets them); with "
        "the default "
        "seeds the bundled exports are used and --out is not written",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    check_out(args.out, directory=True)
    from pondstats.datasets import (
        make_sample,
        write_sample_exports,
        write_sample_inquiries,
        write_sample_plants,
    )

    defaults = (args.random_state, args.mess_random_state, args.scale) == (0, 0, 1.0)
    if args.store and defaults:
        from pondstats.datasets import sample_dir

        return _store(args, sample_dir())  # the bundled exports, as they are

    sample = make_sample(args.random_state, scale=args.scale)
    rec = write_sample_exports(sample, args.out, random_state=args.mess_random_state)
    write_sample_inquiries(sample, args.out, random_state=args.mess_random_state)
    write_sample_plants(sample, args.out, random_state=args.mess_random_state)
    v, d = rec["visits"], rec["deposits"]
    print(
        f"wrote {args.out}: visits.csv ({v['rows_written']} rows from "
        f"{v['rows_in_memory']} visits), deposits.xlsx ({d['rows_written']} rows from "
        f"{d['rows_in_memory']} deposits), spend.csv, zones.geojson, manifest.json, "
        "targets.csv, spend_by_source.csv, inquiries.csv, inquiries_truth.json, "
        "deposits_history.csv, store_longwan_visits.csv, store_longwan_deposits.csv, "
        "plants_truth.json"
    )
    if args.store:
        return _store(args, args.out)
    return 0


def _store(args: argparse.Namespace, directory) -> int:
    from pondstats.datasets import build_sample_store
    from pondstats.store import Store

    summaries = build_sample_store(args.store, directory=directory)
    with Store(args.store, read_only=True) as store:
        c, n = store.counts(), store.snapshot_id
    months = sum(s.kind == "visits" for s in summaries)
    zones = " and zones.geojson" if any(s.kind == "zones" for s in summaries) else ""
    print(
        f"built {args.store} from {months} monthly exports of visits, deposits and "
        f"spend{zones}: {c['visits']} visits, {c['deposits']} deposits, "
        f"{c['zones']} zones, snapshot {n}"
    )
    return 0
