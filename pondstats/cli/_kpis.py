"""``pondstats kpis``: the dealer's KPI board for one month, or the KPI dictionary."""

from __future__ import annotations

import argparse

from pondstats.cli._common import add_data_args, display_options, load_data, month_arg
from pondstats.errors import PondstatsError
from pondstats.vocab import GROUPS, KPI_DEFINITIONS, KPI_UNITS, KPIS, WORDS

#: KPI columns printed, in order (the file written by --out has them all).
_SHOWN = ("a_cards", "c_cards", "close_rate", "test_drive_rate",
          "test_drive_close_rate", "no_test_drive_close_rate", "return_rate",
          "cancel_rate")  # fmt: skip
_COSTS = ("spend", "cost_per_a_card", "cost_per_c_card")
_BY = ("region", "store", "consultant", "source")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "kpis",
        help="the KPI board: A/C cards, close, test-drive and return-visit rates, costs",
        description=(
            "Print the KPI board of one month per region, store, consultant or lead "
            "source: A-cards, C-cards, close rate, test-drive rate (试驾率) and the "
            "close rate with and without a test drive, return-visit rate (二次来店率), "
            "cancellations and, with spend, the cost per A-card and per C-card; "
            "--by consultant adds the consultant league. --list prints the KPI "
            "dictionary. --out writes the full table (every month, every column)."
        ),
    )
    add_data_args(p)
    p.add_argument("--by", choices=_BY, default="region", help="group (region)")
    p.add_argument(
        "--month", metavar="YYYY-MM", type=month_arg, help="month (default: the latest)"
    )
    p.add_argument(
        "--spend",
        metavar="FILE",
        help="marketing spend (区域/渠道, 月份, 费用) for the costs; the sample's own "
        "with the sample",
    )
    p.add_argument("--lang", choices=("zh", "en"), default="zh", help="column names")
    p.add_argument(
        "--out", metavar="FILE", help="write the table: .csv, .xlsx or .parquet"
    )
    p.add_argument(
        "--list", action="store_true", help="print the KPI dictionary and stop"
    )
    p.set_defaults(func=run)


def kpi_list(lang: str) -> str:
    """The KPI dictionary as text (``pondstats kpis --list``)."""
    i = 0 if lang == "zh" else 1
    better = {"higher": ("越高越好", "higher is better"),
              "lower": ("越低越好", "lower is better")}  # fmt: skip
    lines = []
    for k in KPI_DEFINITIONS:
        extra = [KPI_UNITS[k.unit][i]]
        if k.better:
            extra.append(better[k.better][i])
        if k.benchmark:
            extra.append(f"{WORDS['benchmark'][i]} {k.benchmark}")
        lines.append(f"{k.id}  {k.name[i]}  =  {k.symbols}")
        lines.append(f"    {k.formula[i]}  ({'; '.join(extra)})")
    return "\n".join(lines)


def _pct(x):
    import pandas as pd

    return x.map(lambda v: "-" if pd.isna(v) else f"{v:.1%}")


def _money(x):
    import pandas as pd

    return x.map(lambda v: "-" if pd.isna(v) else f"{v:,.0f}")


def format_board(table, by: str, lang: str):
    """A display copy of a kpi_table: group names, percentages, costs."""
    import pandas as pd

    i = 0 if lang == "zh" else 1
    out = pd.DataFrame(index=table.index)
    out[GROUPS[by][i]] = table[by].astype("str").fillna(f"({WORDS['empty'][i]})")
    for key in _SHOWN:
        v = table[key]
        out[KPIS[key].column[i]] = v if KPIS_UNIT.get(key) == "count" else _pct(v)
    for key in _COSTS:
        if key in table.columns:
            out[KPIS[key].column[i]] = _money(table[key])
    return out.reset_index(drop=True)


KPIS_UNIT = {k.id: k.unit for k in KPI_DEFINITIONS}


def _spend(args, by: str):
    from pondstats.clean import clean_spend
    from pondstats.datasets import load_sample_spend
    from pondstats.io import read_spend

    if args.spend:
        return clean_spend(read_spend(args.spend)).data
    if args.visits is None and by in ("region", "source"):
        return load_sample_spend(by_source=by == "source")
    return None


def run(args: argparse.Namespace) -> int:
    if args.list:
        print(kpi_list(args.lang))
        return 0
    from pondstats.io import write_table
    from pondstats.rates import consultant_league, kpi_table

    visits, deposits = load_data(args)
    by = args.by
    if by not in visits.columns:
        raise PondstatsError(
            f"--by {by}: the visits have no {by} column; choose one of "
            f"{[c for c in _BY if c in visits.columns]}"
        )
    spend = _spend(args, by)
    if spend is not None and by not in spend.columns:
        raise PondstatsError(
            f"--spend has no {by} column, so its costs cannot be split by {by}: "
            f"use --by {'region' if 'region' in spend.columns else 'source'} or a "
            f"spend file with a {by} column"
        )
    table = kpi_table(visits, deposits, by=by, period="M", spend=spend)
    month = args.month or table.loc[table["a_cards"] > 0, "period"].max()
    shown = table[table["period"] == month]
    if shown.empty:
        first, last = table["period"].min(), table["period"].max()
        raise PondstatsError(
            f"no data for --month {month}; the data covers {first} to {last}"
        )
    i = 0 if args.lang == "zh" else 1
    title = ("KPI看板", "KPI board")[i]
    with display_options(width=220, max_rows=500):
        print(f"{title} {month} · {GROUPS[by][i]}")
        print(format_board(shown, by, args.lang).to_string(index=False))
        if by == "consultant":
            league = consultant_league(visits, deposits, period=month)
            print(f"\n{('顾问排名', 'consultant league')[i]} {month}")
            print(format_league(league, args.lang).to_string(index=False))
    print(
        (
            "试驾/二次来店: 首次来店后90天内; 成交率区间见 --out 文件",
            "test drive / return visit: within 90 days of the first visit; intervals in "
            "the --out file",
        )[i]  # fmt: skip
    )
    if args.out:
        out = table.assign(period=table["period"].astype("str"))
        print(f"wrote {write_table(out, args.out)}")
    return 0


def format_league(league, lang: str):
    """A display copy of the consultant league."""
    import pandas as pd

    i = 0 if lang == "zh" else 1
    out = pd.DataFrame(index=league.index)
    out[KPIS["rank"].column[i]] = league["rank"].astype("str").replace("<NA>", "-")
    out[GROUPS["consultant"][i]] = league["consultant"].astype("str")
    if "store" in league.columns:
        out[GROUPS["store"][i]] = league["store"].astype("str")
    out[KPIS["a_cards"].column[i]] = league["a_cards"]
    out[KPIS["close_rate"].column[i]] = _pct(league["close_rate"])
    out[KPIS["shrunk_rate"].column[i]] = _pct(league["shrunk_rate"])
    out[KPIS["p_top"].column[i]] = _pct(league["p_top"])
    out[KPIS["p_bottom"].column[i]] = _pct(league["p_bottom"])
    return out.reset_index(drop=True)
