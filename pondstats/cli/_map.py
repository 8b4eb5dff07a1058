"""``pondstats map``: the weak-zone map of a month and the diagnosis per zone."""

from __future__ import annotations

import argparse

from pondstats.cli._common import (
    add_data_args,
    check_out,
    display_options,
    load_data,
    load_store_zones,
    month_arg,
)
from pondstats.errors import PondstatsError
from pondstats.vocab import WORDS, Labels


def add_parser(sub) -> None:
    p = sub.add_parser(
        "map",
        help="draw the weak-zone map of a month and print the diagnosis",
        description=(
            "Close rate per zone on a map, centred on the 13% benchmark: zones with "
            "too little data hatched, zones with no data grey. Prints per zone whether "
            "the weakness is traffic (引流) or conversion (提升转化)."
        ),
    )
    add_data_args(p)
    p.add_argument(
        "--zones",
        metavar="FILE",
        help="zones file: GeoJSON, GeoPackage or Shapefile (with --store: the "
        "zones the store holds when omitted)",
    )
    p.add_argument(
        "--key", default="region", help="the zones file's name column (region)"
    )
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        type=lambda text: "all" if text == "all" else month_arg(text),
        help="the month to map (default: the latest); 'all' = whole range",
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help="image to write: .png, .pdf or .svg",
    )
    p.add_argument(
        "--column",
        choices=("close_rate", "shrunk_rate", "status"),
        default="close_rate",
        help="colour by the close rate (default), the shrunk rate or the status class",
    )
    p.add_argument(
        "--clusters",
        action="store_true",
        help='outline clusters of weak zones (needs the maps extra: pip install "pondstats[maps]")',
    )
    p.add_argument(
        "--lang",
        choices=("both", "zh", "en"),
        default="both",
        help="language of the map's words and of the printed actions (default both)",
    )
    p.set_defaults(func=run)


def _check_clusters_extra() -> None:
    import importlib.util

    missing = [m for m in ("esda", "libpysal") if importlib.util.find_spec(m) is None]
    if missing:
        raise PondstatsError(
            f"--clusters needs {' and '.join(missing)}, from the maps extra: "
            'pip install "pondstats[maps]" (or leave out --clusters).'
        )


def run(args: argparse.Namespace) -> int:
    check_out(args.out, kind="image")
    if args.clusters:
        _check_clusters_extra()
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    from pondstats.datasets import load_sample_zones
    from pondstats.fonts import font_context
    from pondstats.plotting import plot_zone_map
    from pondstats.rates import close_rates
    from pondstats.zones import assess_zones, diagnose_zones, read_zones

    store = getattr(args, "store", None)
    if args.zones:
        zones = read_zones(args.zones, key=args.key)
    elif store:  # the zones the store holds (as of --as-of-import)
        zones = load_store_zones(args)
        if zones is None:
            raise PondstatsError(
                f"the store {store} holds no zones: give --zones FILE (the zone "
                f"polygons), or add them to the store with 'pondstats ingest FILE "
                f"--kind zones --store {store}'"
            )
    elif args.visits is None:
        zones = load_sample_zones()
    else:
        raise PondstatsError(
            "give --zones FILE (the zone polygons) with your own --visits"
        )
    visits, deposits = load_data(args)
    L = Labels(args.lang)
    source = (
        L.word(WORDS["sample_dealer"])
        if args.visits is None
        else Path(args.visits).name
    )
    if store:
        source = Path(store).name
    if args.month == "all":
        rates = close_rates(visits, deposits, by="region", period=None)
        months = visits["visit_date"].dt.to_period("M")
        label = f"{months.min()}..{months.max()}"
        period = None
    else:
        rates = close_rates(visits, deposits, by="region", period="M")
        period = args.month or rates["period"].max()
        label = None
    ax = plot_zone_map(
        zones,
        rates,
        column=args.column,
        period=period,
        clusters=args.clusters or None,
        source=source,
        period_label=label,
        lang=args.lang,
    )
    out = Path(args.out)
    with font_context():
        ax.figure.savefig(out, dpi=150, bbox_inches="tight")
    if period is None:
        diag = diagnose_zones(rates, zones, period=period, period_label=label)
        shown = diag[
            [
                "region",
                "a_cards",
                "c_cards",
                "close_rate",
                "status",
                "problem",
                "action_en" if args.lang == "en" else "action_zh",
            ]
        ]
        name = diag["period"].iloc[0]
    else:  # a month: the verdicts of the report and of 'pondstats zones'
        from pondstats.vocab import VERDICT_ACTIONS

        t = assess_zones(visits, deposits, period, zones=zones)
        shown = t[["region", "a_cards", "c_cards", "close_rate", "verdict", "problem"]]
        i, col = (1, "action_en") if args.lang == "en" else (0, "action_zh")
        shown = shown.assign(**{col: [VERDICT_ACTIONS[a][i] for a in t["action"]]})
        name = period
    with display_options():
        print(f"period {name}: close rate and diagnosis per zone")
        print(shown.to_string(index=False, formatters={"close_rate": "{:.1%}".format}))
    print(f"wrote {out}")
    return 0
