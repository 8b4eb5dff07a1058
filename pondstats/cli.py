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
    g.add_argument(
        "--visits", metavar="FILE", help="visits (A-card) export, CSV or Excel"
    )
    g.add_argument(
        "--deposits", metavar="FILE", help="deposits (C-card) export, CSV or Excel"
    )


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
    parser.add_argument(
        "--version", action="version", version=f"pondstats {__version__}"
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output"
    )
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
    p.add_argument(
        "--out", metavar="DIR", required=True, help="output directory (created)"
    )
    p.add_argument("--encoding", help="text encoding of a CSV (detected when omitted)")
    p.add_argument("--sheet", help="Excel sheet name (the first sheet when omitted)")
    p.add_argument(
        "--today", help="reject dates after this day (default: today), YYYY-MM-DD"
    )
    p.set_defaults(func=_run_clean)


def _run_clean(args: argparse.Namespace) -> int:
    from pathlib import Path

    import pondstats as ps
    from pondstats.io import write_table

    reader = {
        "visits": ps.read_visits,
        "deposits": ps.read_deposits,
        "spend": ps.read_spend,
    }
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
    p.add_argument(
        "--out", metavar="DIR", default="data/sample", help="output directory"
    )
    p.add_argument("--random-state", type=int, default=0, help="seed of the data (0)")
    p.add_argument(
        "--mess-random-state", type=int, default=0, help="seed of the mess (0)"
    )
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
# pondstats rates (branch rates)
# ---------------------------------------------------------------------------

_RATES_LEGEND = (
    "状态 status: 偏弱 weak / 领先 strong = 可信地低于/高于 credibly below/above "
    "{target:.0%} (exact binomial test, Benjamini-Hochberg FDR {alpha:.0%}); "
    "样本不足 too few = 预期C卡 expected C-cards < {min_exp:g}; "
    "收缩估计 shrunk = empirical-Bayes rate"
)
_ZH_GROUP_NAMES = {
    "region": "区域",
    "store": "门店",
    "consultant": "销售顾问",
    "source": "来源",
    "model": "车型",
}


def _add_rates(sub) -> None:
    p = sub.add_parser(
        "rates",
        help="close rates (C-cards / A-cards) per region against the 13% benchmark",
        description=(
            "Print the close-rate table (A-cards, C-cards, close rate with its 95%% "
            "interval, shrunk estimate and status) for one month, plus the whole "
            "period; --out writes the full table (every month, every column)."
        ),
    )
    _add_data_args(p)
    p.add_argument(
        "--month", metavar="YYYY-MM", help="month to show (default: the latest)"
    )
    p.add_argument(
        "--by",
        default="region",
        help="group column(s), comma-separated: region, store, consultant, source, model",
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="status names")
    p.add_argument(
        "--out", metavar="FILE", help="write the table: .csv, .xlsx or .parquet"
    )
    p.set_defaults(func=_run_rates)


def _format_rates(rates, by: list[str], lang: str):
    """A display copy of a close-rate table: percentages, interval, status names."""
    import pandas as pd

    from pondstats.plotting._common import STATUS_LABELS

    def pct(x):
        return x.map(lambda v: "-" if pd.isna(v) else f"{v:.1%}")

    zh = lang == "zh"
    out = pd.DataFrame(index=rates.index)
    for col in by:
        name = _ZH_GROUP_NAMES.get(col, col) if zh else col
        out[name] = rates[col].astype("str").fillna("(空)" if zh else "(missing)")
    out["A卡" if zh else "A-cards"] = rates["a_cards"]
    out["C卡" if zh else "C-cards"] = rates["c_cards"]
    out["退订" if zh else "cancelled"] = rates["cancelled"]
    out["成交率" if zh else "close rate"] = pct(rates["close_rate"])
    lo, hi = pct(rates["ci_low"]), pct(rates["ci_high"])
    out["95%区间" if zh else "95% interval"] = (lo + "–" + hi).where(
        rates["close_rate"].notna(), "-"
    )
    out["收缩估计" if zh else "shrunk"] = pct(rates["shrunk_rate"])
    out["状态" if zh else "status"] = rates["status"].map(STATUS_LABELS[lang])
    return out.reset_index(drop=True)


def _run_rates(args: argparse.Namespace) -> int:
    import pandas as pd

    import pondstats as ps
    from pondstats.io import write_table

    by = [c.strip() for c in args.by.split(",") if c.strip()]
    visits, deposits = _load_data(args)
    rates = ps.close_rates(visits, deposits, by=by)
    if rates.empty:
        raise PondstatsError("no visits or deposits: nothing to report")
    if args.month is None:
        month = rates.loc[rates["a_cards"] > 0, "period"].max()
    else:
        import re

        if not re.fullmatch(r"\d{4}-\d{1,2}", args.month.strip()):
            raise PondstatsError(f"--month must look like 2026-10, got {args.month!r}")
        month = pd.Period(args.month.strip(), "M")
    shown = rates[rates["period"] == month]
    if shown.empty:
        first, last = rates["period"].min(), rates["period"].max()
        raise PondstatsError(
            f"no data for --month {month}; the data covers {first} to {last}"
        )
    whole = ps.close_rates(visits, deposits, by=by, period=None)
    b = rates.attrs["benchmark"]
    with pd.option_context(
        "display.unicode.east_asian_width",
        True,
        "display.width",
        200,
        "display.max_rows",
        500,
    ):
        title = "月度成交率" if args.lang == "zh" else "close rates"
        print(
            f"{title} {month}  (benchmark {b.target:.0%}, band {b.low:.0%}-{b.high:.0%})"
        )
        print(_format_rates(shown, by, args.lang).to_string(index=False))
        first, last = rates["period"].min(), rates["period"].max()
        title = "全期" if args.lang == "zh" else "whole period"
        print(f"\n{title} {first} .. {last}")
        print(_format_rates(whole, by, args.lang).to_string(index=False))
    print(
        _RATES_LEGEND.format(
            target=b.target,
            alpha=rates.attrs["alpha"],
            min_exp=rates.attrs["min_expected"],
        )
    )
    unlinked = int(rates["unlinked"].sum())
    if unlinked:
        print(
            f"{unlinked} C-card(s) have no A-card (unlinked; counted in C卡) "
            "| C 卡无对应 A 卡"
        )
    if args.out:
        table = rates.assign(period=rates["period"].astype("str"))
        print(f"wrote {write_table(table, args.out)}")
    return 0


_COMMANDS.append(_add_rates)
