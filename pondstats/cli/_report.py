"""``pondstats report``: the monthly management report (A4 PDF)."""

from __future__ import annotations

import argparse
import sys

from pondstats.cli._common import (
    add_data_args,
    check_out,
    log,
    month_arg,
    read_column_map,
)
from pondstats.errors import PondstatsError


def add_parser(sub) -> None:
    p = sub.add_parser(
        "report",
        help="write the monthly management report (A4 PDF)",
        description=(
            "Write the monthly management report as an A4 PDF: the decision page (the "
            "zones that need action, with verdict, reason, action and deposits at stake), "
            "zone map and funnel plot, zone table, traffic vs conversion, budget (with "
            "--spend), the data-quality appendix, and a page per zone that needs action "
            "(--all-zones: every zone). Every page reads the verdicts of 'pondstats zones'. Runs on the bundled "
            "sample dealer when no files are given."
        ),
    )
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        type=month_arg,
        help="report month (default: the latest complete month of the data)",
    )
    add_data_args(p)
    p.add_argument(
        "--zones",
        metavar="FILE",
        help="zone polygons (GeoJSON, GeoPackage, Shapefile; with --store: the "
        "zones the store holds when omitted)",
    )
    p.add_argument(
        "--spend", metavar="FILE", help="marketing spend per region and month"
    )
    p.add_argument(
        "--targets",
        metavar="FILE",
        help="monthly C-card targets (区域/门店/销售顾问, 月份, 目标) for the KPI page's "
        "pacing; the sample's own targets when the sample is used",
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        default=".",
        help="output directory, or a .pdf file name (default: current directory)",
    )
    p.add_argument(
        "--all-zones",
        action="store_true",
        help="a detail page for every zone (default: only the zones that need action)",
    )
    p.add_argument(
        "--per-region",
        action="store_true",
        help="write one PDF per zone for its manager",
    )
    p.add_argument(
        "--lang",
        choices=("both", "zh", "en"),
        default="both",
        help="labels in Chinese and English (default), Chinese or English",
    )
    p.add_argument(
        "--no-mask",
        action="store_true",
        help="show phones and names unmasked (only for entitled readers)",
    )
    p.set_defaults(func=run)


def _report_inputs(args: argparse.Namespace):
    """(visits, deposits, zones, spend, source note) for the report command."""
    from pathlib import Path

    from pondstats.clean import clean_deposits, clean_spend, clean_visits
    from pondstats.datasets import load_sample, load_sample_spend, load_sample_zones
    from pondstats.io import read_deposits, read_spend, read_visits
    from pondstats.zones import read_zones

    if getattr(args, "store", None):  # the history store (its snapshot in the footer)
        return _store_report_inputs(args)
    if (args.visits is None) != (args.deposits is None):
        raise PondstatsError(
            "give both --visits and --deposits, or neither to use the bundled sample"
        )
    zones = spend = None
    if args.visits is None:
        visits, deposits = load_sample(as_cleaned=True)
        from pondstats.vocab import WORDS, Labels

        note = f"{Labels(args.lang).word(WORDS['sample_dealer'])} (load_sample)"
        if args.zones is None:
            zones = load_sample_zones()
        if args.spend is None:
            spend = load_sample_spend()
    else:
        cmap = args.column_map
        visits = clean_visits(
            read_visits(args.visits, column_map=read_column_map(cmap, "visits"))
        )
        deposits = clean_deposits(
            read_deposits(args.deposits, column_map=read_column_map(cmap, "deposits"))
        )
        note = f"{Path(args.visits).name}, {Path(args.deposits).name}"
        for kind, res in (("visits", visits), ("deposits", deposits)):
            log.info("%s: %s", kind, res.summary)
    if args.zones is not None:
        zones = read_zones(args.zones)
    if args.spend is not None:
        cmap = read_column_map(args.column_map, "spend")
        spend = clean_spend(read_spend(args.spend, column_map=cmap)).data
    return visits, deposits, zones, spend, note


def _store_report_inputs(args: argparse.Namespace):
    from pondstats.clean import clean_spend
    from pondstats.cli._common import load_store, load_store_zones
    from pondstats.io import read_spend
    from pondstats.zones import read_zones

    visits, deposits, spend, note = load_store(args, spend=True)
    if spend is not None and spend.empty:
        spend = None
    if args.spend is not None:
        cmap = read_column_map(args.column_map, "spend")
        spend = clean_spend(read_spend(args.spend, column_map=cmap)).data
    # without --zones: the zones the store holds (as of --as-of-import), if any
    zones = read_zones(args.zones) if args.zones is not None else load_store_zones(args)
    return visits, deposits, zones, spend, note


def run(args: argparse.Namespace) -> int:
    check_out(args.out, dir_or="pdf")
    from pondstats.datasets import load_sample_targets
    from pondstats.io import read_targets
    from pondstats.report import write_monthly_report

    visits, deposits, zones, spend, note = _report_inputs(args)
    extra = None
    if args.visits is None and not getattr(args, "store", None):
        from pondstats.datasets import load_sample_joining_store

        extra = load_sample_joining_store()  # the appendix audits it with the group
    if args.targets:
        targets = read_targets(args.targets)
    elif args.visits is None and not getattr(args, "store", None):
        targets = load_sample_targets()
    else:
        targets = None
    out = write_monthly_report(
        args.month,
        visits,
        deposits,
        zones=zones,
        spend=spend,
        targets=targets,
        path=args.out,
        per_region=args.per_region,
        all_zones=args.all_zones,
        lang=args.lang,
        mask=not args.no_mask,
        progress=sys.stderr.isatty(),
        source_note=note,
        audit_extra=extra,
    )
    for path in out if isinstance(out, list) else [out]:
        print(f"wrote {path}")
    return 0
