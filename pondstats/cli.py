"""The ``pondstats`` command line: parses arguments and calls the library.

Each sub-command has an ``_add_<name>(subparsers)`` function that declares its
arguments and sets ``func`` to a ``_run_<name>(args) -> int`` function. No
analysis happens here: the library computes, the CLI only reads arguments,
calls it, prints and writes.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from pondstats.errors import PondstatsError

__all__ = ["main", "build_parser"]

log = logging.getLogger("pondstats")


# ---------------------------------------------------------------------------
# shared argument groups
# ---------------------------------------------------------------------------


def _add_data_args(p: argparse.ArgumentParser) -> None:
    """--visits/--deposits/--zones/--spend; the bundled sample when omitted."""
    g = p.add_argument_group("data (the bundled sample dealer when omitted)")
    g.add_argument("--visits", metavar="FILE", help="visits (A-card) export, CSV or Excel")
    g.add_argument("--deposits", metavar="FILE", help="deposits (C-card) export, CSV or Excel")


def _load_data(args: argparse.Namespace):
    """Return cleaned (visits, deposits) from files, or the sample."""
    import pondstats as ps

    if (args.visits is None) != (args.deposits is None):
        raise PondstatsError(
            "give both --visits and --deposits, or neither to use the bundled sample"
        )
    if args.visits is None:
        return ps.load_sample()
    visits = ps.clean_visits(ps.read_visits(args.visits))
    deposits = ps.clean_deposits(ps.read_deposits(args.deposits))
    for kind, res in (("visits", visits), ("deposits", deposits)):
        log.info("%s: %s", kind, res.summary)
    return visits.data, deposits.data


# ---------------------------------------------------------------------------
# entry point
# ---------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    from pondstats import __version__

    parser = argparse.ArgumentParser(
        prog="pondstats",
        description="Showroom-visit (A-card) and deposit (C-card) analytics for dealers.",
    )
    parser.add_argument("--version", action="version", version=f"pondstats {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for add in _COMMANDS:
        add(sub)
    return parser


_COMMANDS: list = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING - 10 * min(args.verbose, 2),
        format="%(levelname)s %(name)s: %(message)s",
    )
    try:
        return int(args.func(args) or 0)
    except (PondstatsError, FileNotFoundError) as exc:
        print(f"pondstats {args.command}: error: {exc}", file=sys.stderr)
        return 2


# ---------------------------------------------------------------------------
# pondstats clean (branch clean)
# ---------------------------------------------------------------------------


def _add_clean(sub) -> None:
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
    p.add_argument("--out", metavar="DIR", required=True, help="output directory (created)")
    p.add_argument("--encoding", help="text encoding of a CSV (detected when omitted)")
    p.add_argument("--sheet", help="Excel sheet name (the first sheet when omitted)")
    p.add_argument("--today", help="reject dates after this day (default: today), YYYY-MM-DD")
    p.set_defaults(func=_run_clean)


def _run_clean(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pondstats as ps
    from pondstats.io import write_table

    reader = {"visits": ps.read_visits, "deposits": ps.read_deposits, "spend": ps.read_spend}
    raw = reader[args.kind](args.file, encoding=args.encoding, sheet=args.sheet)
    if args.kind == "spend":
        res = ps.clean_spend(raw)
    else:
        cleaner = ps.clean_visits if args.kind == "visits" else ps.clean_deposits
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


_COMMANDS.append(_add_clean)


# ---------------------------------------------------------------------------
# pondstats sample (branch sample)
# ---------------------------------------------------------------------------


def _add_sample(sub) -> None:
    p = sub.add_parser(
        "sample",
        help="write the sample dealer's messy DMS exports",
        description=(
            "Simulate the sample dealer group (make_sample) and write its exports as a "
            "DMS writes them, messy on purpose: visits.csv (GBK), deposits.xlsx, "
            "spend.csv, zones.geojson and manifest.json (what mess was planted). "
            "The same seeds give the same bytes; the defaults give data/sample/."
        ),
    )
    p.add_argument("--out", metavar="DIR", default="data/sample", help="output directory")
    p.add_argument("--random-state", type=int, default=0, help="seed of the data (0)")
    p.add_argument("--mess-random-state", type=int, default=0, help="seed of the mess (0)")
    p.add_argument("--scale", type=float, default=1.0, help="multiply traffic (1.0)")
    p.set_defaults(func=_run_sample)


def _run_sample(args: argparse.Namespace) -> int:
    import pondstats as ps

    sample = ps.make_sample(args.random_state, scale=args.scale)
    rec = ps.write_sample_exports(sample, args.out, random_state=args.mess_random_state)
    v, d = rec["visits"], rec["deposits"]
    print(
        f"wrote {args.out}: visits.csv ({v['rows_written']} rows from "
        f"{v['rows_in_memory']} visits), deposits.xlsx ({d['rows_written']} rows from "
        f"{d['rows_in_memory']} deposits), spend.csv, zones.geojson, manifest.json"
    )
    return 0


_COMMANDS.append(_add_sample)


# ---------------------------------------------------------------------------
# pondstats budget (branch budget)
# ---------------------------------------------------------------------------


def _add_budget(sub) -> None:
    p = sub.add_parser(
        "budget",
        help="split next month's marketing money across zones for the most deposits",
        description=(
            "Fit each zone's traffic-vs-spend curve (pooled across zones) and its shrunk "
            "close rate from the spend history, visits and deposits, then split --total "
            "to maximise expected deposits, each zone staying within the spend range it "
            "has seen. Writes one row per zone (current and planned spend, expected A- "
            "and C-cards with intervals, marginal cost of one more deposit) and prints "
            "the totals against keeping last month's split. Uses the bundled sample "
            "dealer unless --visits/--deposits/--spend are given."
        ),
    )
    p.add_argument("--total", type=float, required=True, metavar="AMOUNT",
                   help="money to split, in yuan")
    p.add_argument("--month", metavar="YYYY-MM",
                   help="month planned for (default: the month after the spend history)")
    p.add_argument("--out", metavar="FILE", required=True,
                   help="plan table: .csv, .xlsx or .parquet")
    _add_data_args(p)
    p.add_argument("--spend", metavar="FILE",
                   help="spend export (region, month, spend), CSV or Excel")
    p.add_argument("--draws", type=int, default=100,
                   help="bootstrap refits for the intervals (100; fewer is faster)")
    p.add_argument("--random-state", type=int, default=0, help="seed of the interval draws (0)")
    p.set_defaults(func=_run_budget)


def _run_budget(args: argparse.Namespace) -> int:
    import pondstats as ps
    from pondstats.io import write_table

    using_sample = args.visits is None and args.deposits is None
    if args.spend is None and not using_sample:
        raise PondstatsError(
            "give --spend FILE with --visits/--deposits (the plan needs the spend history)"
        )
    visits, deposits = _load_data(args)
    if args.spend is None:
        spend = ps.load_sample_spend()
    else:
        res = ps.clean_spend(ps.read_spend(args.spend))
        log.info("spend: %s", res.summary)
        spend = res.data
    history = ps.budget_history(spend, visits, deposits)
    plan = ps.plan_budget(history, args.total, month=args.month,
                          fit_kwargs={"random_state": args.random_state,
                                      "n_draws": args.draws})
    path = write_table(plan.table.round(4), args.out)
    t = plan.totals
    print(f"budget plan for {plan.month}: total {plan.total:,.0f} yuan over "
          f"{len(plan.table)} zones")
    for name, label in (("current_split", "keeping last month's split"),
                        ("planned", "planned split")):
        print(f"  {label:<28} expected C-cards {t.loc[name, 'c_expected']:7.1f} "
              f"[{t.loc[name, 'c_low']:.1f}, {t.loc[name, 'c_high']:.1f}]  "
              f"A-cards {t.loc[name, 'a_expected']:7.1f}")
    d = t.loc["difference"]
    print(f"  {'difference':<28} C-cards {d['c_expected']:+.1f} "
          f"[{d['c_low']:+.1f}, {d['c_high']:+.1f}]; "
          f"chance the plan does better: {plan.prob_better:.0%}")
    print(f"wrote {path}")
    return 0


_COMMANDS.append(_add_budget)
