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
    from pondstats._version import __version__

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
        help="close rates (C-cards / A-cards) per region against the 13%% benchmark",
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
    with _display_options(width=200, max_rows=500):
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


# pondstats map (branch zones)
# ---------------------------------------------------------------------------


def _add_map(sub) -> None:
    p = sub.add_parser(
        "map",
        help="draw the weak-zone map of a month and print the diagnosis",
        description=(
            "Close rate per zone on a map, centred on the 13% benchmark: zones with "
            "too little data hatched, zones with no data grey. Prints per zone whether "
            "the weakness is traffic (引流) or conversion (提升转化)."
        ),
    )
    _add_data_args(p)
    p.add_argument(
        "--zones", metavar="FILE", help="zones file: GeoJSON, GeoPackage or Shapefile"
    )
    p.add_argument(
        "--key", default="region", help="the zones file's name column (region)"
    )
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
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
        "--clusters", action="store_true", help="outline clusters of weak zones"
    )
    p.set_defaults(func=_run_map)


def _run_map(args: argparse.Namespace) -> int:
    from pathlib import Path

    import matplotlib

    matplotlib.use("Agg")
    import pondstats as ps
    from pondstats.fonts import font_context

    if args.zones:
        zones = ps.read_zones(args.zones, key=args.key)
    elif args.visits is None:
        zones = ps.load_sample_zones()
    else:
        raise PondstatsError(
            "give --zones FILE (the zone polygons) with your own --visits"
        )
    visits, deposits = _load_data(args)
    source = (
        "示例经销商 sample dealer" if args.visits is None else Path(args.visits).name
    )
    if args.month == "all":
        rates = ps.close_rates(visits, deposits, by="region", period=None)
        months = visits["visit_date"].dt.to_period("M")
        label = f"{months.min()}..{months.max()}"
        period = None
    else:
        rates = ps.close_rates(visits, deposits, by="region", period="M")
        period = args.month or str(rates["period"].max())
        label = None
    ax = ps.plot_zone_map(
        zones,
        rates,
        column=args.column,
        period=period,
        clusters=args.clusters or None,
        source=source,
        period_label=label,
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with font_context():
        ax.figure.savefig(out, dpi=150, bbox_inches="tight")
    diag = ps.diagnose_zones(rates, zones, period=period, period_label=label)
    shown = diag[
        ["region", "a_cards", "c_cards", "close_rate", "status", "problem", "action_zh"]
    ]
    with _display_options():
        print(f"period {diag['period'].iloc[0]}: close rate and diagnosis per zone")
        print(shown.to_string(index=False, formatters={"close_rate": "{:.1%}".format}))
    print(f"wrote {out}")
    return 0


def _display_options(*, width: int = 120, max_rows: int | None = None):
    """pandas options for a readable table in a terminal."""
    import pandas as pd

    rows = () if max_rows is None else ("display.max_rows", max_rows)
    return pd.option_context(
        "display.width", width, "display.unicode.east_asian_width", True, *rows
    )


_COMMANDS.append(_add_map)
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
    p.add_argument(
        "--total",
        type=float,
        required=True,
        metavar="AMOUNT",
        help="money to split, in yuan",
    )
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="month planned for (default: the month after the spend history)",
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help="plan table: .csv, .xlsx or .parquet",
    )
    _add_data_args(p)
    p.add_argument(
        "--spend",
        metavar="FILE",
        help="spend export (region, month, spend), CSV or Excel",
    )
    p.add_argument(
        "--draws",
        type=int,
        default=100,
        help="bootstrap refits for the intervals (100; fewer is faster)",
    )
    p.add_argument(
        "--random-state", type=int, default=0, help="seed of the interval draws (0)"
    )
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
    plan = ps.plan_budget(
        history,
        args.total,
        month=args.month,
        fit_kwargs={"random_state": args.random_state, "n_draws": args.draws},
    )
    path = write_table(plan.table.round(4), args.out)
    t = plan.totals
    print(
        f"budget plan for {plan.month}: total {plan.total:,.0f} yuan over "
        f"{len(plan.table)} zones"
    )
    for name, label in (
        ("current_split", "keeping last month's split"),
        ("planned", "planned split"),
    ):
        print(
            f"  {label:<28} expected C-cards {t.loc[name, 'c_expected']:7.1f} "
            f"[{t.loc[name, 'c_low']:.1f}, {t.loc[name, 'c_high']:.1f}]  "
            f"A-cards {t.loc[name, 'a_expected']:7.1f}"
        )
    d = t.loc["difference"]
    print(
        f"  {'difference':<28} C-cards {d['c_expected']:+.1f} "
        f"[{d['c_low']:+.1f}, {d['c_high']:+.1f}]; "
        f"chance the plan does better: {plan.prob_better:.0%}"
    )
    print(f"wrote {path}")
    return 0


_COMMANDS.append(_add_budget)
# pondstats score (branch leads)
# ---------------------------------------------------------------------------


def _add_score(sub) -> None:
    p = sub.add_parser(
        "score",
        help="score open prospects and write a call list",
        description=(
            "Train a LeadScorer on monthly snapshots of the history before --as-of "
            "(labels known by then), print its time-split evaluation, and write the "
            "call list of the prospects open on --as-of (phones and names masked)."
        ),
    )
    _add_data_args(p)
    p.add_argument(
        "--as-of", required=True, metavar="YYYY-MM-DD", help="the call-list day"
    )
    p.add_argument(
        "--out", required=True, metavar="FILE", help="call list, .csv/.xlsx/.parquet"
    )
    p.add_argument(
        "--horizon", type=int, default=30, help="days in which a deposit counts"
    )
    p.add_argument(
        "--lookback", type=int, default=180, help="days a prospect stays open"
    )
    p.add_argument(
        "--history", type=int, default=12, help="months of snapshots to train on"
    )
    p.add_argument("--model", choices=("logistic", "gbm"), default="logistic")
    p.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="language of the factors"
    )
    p.add_argument("--no-mask", action="store_true", help="write raw phones and names")
    p.set_defaults(func=_run_score)


def _run_score(args: argparse.Namespace) -> int:
    import pandas as pd

    import pondstats as ps

    visits, deposits = _load_data(args)
    try:
        as_of = pd.Timestamp(args.as_of).normalize()
    except ValueError as exc:
        raise PondstatsError(
            f"--as-of must be a date YYYY-MM-DD, got {args.as_of!r}"
        ) from exc
    # only what was known on as_of: later rows would leak into the training labels
    cutoff = as_of + pd.Timedelta(days=1)
    visits = visits.loc[visits["visit_date"] < cutoff]
    deposits = deposits.loc[deposits["deposit_date"] < cutoff]
    first = (as_of - pd.DateOffset(months=args.history)).to_period("M").to_timestamp()
    dates = pd.date_range(first, as_of - pd.Timedelta(days=args.horizon), freq="MS")
    kw = {"horizon_days": args.horizon, "lookback_days": args.lookback}
    snaps = ps.lead_snapshots(visits, deposits, dates, complete_only=True, **kw)
    log.info("training on %d snapshot rows from %d dates", len(snaps), len(dates))
    scorer = ps.LeadScorer(model=args.model, random_state=0)
    ev = ps.evaluate_scorer(scorer, snaps)
    print(
        f"evaluation (test from {ev.metrics['split'].date()}): {ev.summary(args.lang)}"
    )
    print(
        ev.gains[
            ["decile", "leads", "converted", "rate", "lift", "cum_converted_share"]
        ]
        .round(3)
        .to_string(index=False)
    )
    from pondstats.leads import LEAD_FEATURES

    feats = [c for c in LEAD_FEATURES if c in snaps]
    final = scorer.fit(snaps[feats], snaps["converted"].astype(int))
    calls = ps.call_list(
        final, visits, deposits, as_of, mask=not args.no_mask, lang=args.lang, **kw
    )
    path = ps.write_table(calls, args.out)
    counts = calls["tier"].value_counts().reindex(["H", "A", "B", "C"], fill_value=0)
    print(
        f"wrote {len(calls)} open prospects to {path} "
        f"(H {counts['H']}, A {counts['A']}, B {counts['B']}, C {counts['C']})"
    )
    return 0


_COMMANDS.append(_add_score)


# ---------------------------------------------------------------------------
# pondstats report (branch report)
# ---------------------------------------------------------------------------


def _add_report(sub) -> None:
    p = sub.add_parser(
        "report",
        help="write the monthly management report (A4 PDF)",
        description=(
            "Write the monthly management report as an A4 PDF: network summary, zone "
            "map and funnel plot, zone table, traffic vs conversion, one page per zone, "
            "budget (with --spend) and the data-quality appendix. Runs on the bundled "
            "sample dealer when no files are given."
        ),
    )
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        help="report month (default: the latest complete month of the data)",
    )
    _add_data_args(p)
    p.add_argument(
        "--zones", metavar="FILE", help="zone polygons (GeoJSON, GeoPackage, Shapefile)"
    )
    p.add_argument(
        "--spend", metavar="FILE", help="marketing spend per region and month"
    )
    p.add_argument(
        "--out",
        metavar="DIR",
        default=".",
        help="output directory, or a .pdf file name (default: current directory)",
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
    p.set_defaults(func=_run_report)


def _report_inputs(args: argparse.Namespace):
    """(visits, deposits, zones, spend, source note) for the report command."""
    from pathlib import Path

    import pondstats as ps

    if (args.visits is None) != (args.deposits is None):
        raise PondstatsError(
            "give both --visits and --deposits, or neither to use the bundled sample"
        )
    zones = spend = None
    if args.visits is None:
        visits, deposits = ps.load_sample(as_cleaned=True)
        note = "sample dealer (ps.load_sample)"
        if args.zones is None and hasattr(ps, "load_sample_zones"):
            zones = ps.load_sample_zones()
        if args.spend is None and hasattr(ps, "load_sample_spend"):
            spend = ps.load_sample_spend()
    else:
        visits = ps.clean_visits(ps.read_visits(args.visits))
        deposits = ps.clean_deposits(ps.read_deposits(args.deposits))
        note = f"{Path(args.visits).name}, {Path(args.deposits).name}"
        for kind, res in (("visits", visits), ("deposits", deposits)):
            log.info("%s: %s", kind, res.summary)
    if args.zones is not None:
        zones = ps.read_zones(args.zones)
    if args.spend is not None:
        spend = ps.clean_spend(ps.read_spend(args.spend)).data
    return visits, deposits, zones, spend, note


def _run_report(args: argparse.Namespace) -> int:
    import pondstats as ps

    visits, deposits, zones, spend, note = _report_inputs(args)
    out = ps.write_monthly_report(
        args.month,
        visits,
        deposits,
        zones=zones,
        spend=spend,
        path=args.out,
        per_region=args.per_region,
        lang=args.lang,
        mask=not args.no_mask,
        progress=sys.stderr.isatty(),
        source_note=note,
    )
    for path in out if isinstance(out, list) else [out]:
        print(f"wrote {path}")
    return 0


_COMMANDS.append(_add_report)
