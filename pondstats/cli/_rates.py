"""``pondstats rates``: the close-rate table per zone (or any group) against the benchmark."""

from __future__ import annotations

import argparse

from pondstats.cli._common import (
    add_data_args,
    check_out,
    display_options,
    load_data,
    month_arg,
    store_view,
)
from pondstats.errors import PondstatsError
from pondstats.vocab import BILINGUAL, GROUPS, KPIS, STATUSES, WORDS, word

#: The columns of the printed table, in order (names: vocab.KPIS[...].column).
_SHOWN = ("a_cards", "c_cards", "cancelled", "close_rate", "interval", "shrunk_rate")


def add_parser(sub) -> None:
    p = sub.add_parser(
        "rates",
        help="close rates (C-cards / A-cards) per region against the 13%% benchmark",
        description=(
            "Print the close-rate table (A-cards, C-cards, close rate with its 95% "
            "interval, shrunk estimate and status) for one month, plus the whole "
            "period; --out writes the full table (every month, every column)."
        ),
    )
    add_data_args(p)
    p.add_argument(
        "--month",
        metavar="YYYY-MM",
        type=month_arg,
        help="month to show (default: the latest)",
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
    p.set_defaults(func=run)


def _format_rates(rates, by: list[str], lang: str):
    """A display copy of a close-rate table: percentages, interval, status names."""
    import pandas as pd

    def pct(x):
        return x.map(lambda v: "-" if pd.isna(v) else f"{v:.1%}")

    i = 0 if lang == "zh" else 1
    out = pd.DataFrame(index=rates.index)
    for col in by:
        name = GROUPS[col][i] if col in GROUPS else col
        out[name] = rates[col].astype("str").fillna(f"({WORDS['empty'][i]})")
    lo, hi = pct(rates["ci_low"]), pct(rates["ci_high"])
    values = {
        "a_cards": rates["a_cards"],
        "c_cards": rates["c_cards"],
        "cancelled": rates["cancelled"],
        "close_rate": pct(rates["close_rate"]),
        "interval": (lo + "–" + hi).where(rates["close_rate"].notna(), "-"),
        "shrunk_rate": pct(rates["shrunk_rate"]),
    }
    for key in _SHOWN:
        out[KPIS[key].column[i]] = values[key]
    out[KPIS["status"].column[i]] = rates["status"].map(
        {k: w[i] for k, w in STATUSES.items()}
    )
    return out.reset_index(drop=True)


def run(args: argparse.Namespace) -> int:
    check_out(args.out)
    from pondstats.io import write_table
    from pondstats.rates import close_rates

    by = [c.strip() for c in args.by.split(",") if c.strip()]
    from pondstats.store._counts import GROUP_COLUMNS

    if getattr(args, "store", None) and set(by) <= set(GROUP_COLUMNS):
        # counted inside the store: a store of any size, in little memory
        with store_view(args) as (view, _):
            rates = close_rates(view, by=by)
            whole = close_rates(view, by=by, period=None)
    else:
        visits, deposits = load_data(args)
        rates = close_rates(visits, deposits, by=by)
        whole = close_rates(visits, deposits, by=by, period=None)
    if rates.empty:
        raise PondstatsError("no visits or deposits: nothing to report")
    month = args.month
    if month is None:
        month = rates.loc[rates["a_cards"] > 0, "period"].max()
    shown = rates[rates["period"] == month]
    if shown.empty:
        first, last = rates["period"].min(), rates["period"].max()
        raise PondstatsError(
            f"no data for --month {month}; the data covers {first} to {last}"
        )
    b = rates.attrs["benchmark"]
    with display_options(width=200, max_rows=500):
        title = word("rates_title", args.lang)
        print(
            f"{title} {month}  (benchmark {b.target:.0%}, band {b.low:.0%}-{b.high:.0%})"
        )
        print(_format_rates(shown, by, args.lang).to_string(index=False))
        first, last = rates["period"].min(), rates["period"].max()
        title = word("whole_period", args.lang)
        print(f"\n{title} {first} .. {last}")
        print(_format_rates(whole, by, args.lang).to_string(index=False))
    print(
        BILINGUAL["rates_legend"].format(
            target=b.target,
            alpha=rates.attrs["alpha"],
            min_exp=rates.attrs["min_expected"],
        )
    )
    unlinked = int(rates["unlinked"].sum())
    if unlinked:
        print(BILINGUAL["unlinked_cli"].format(n=unlinked))
    if args.out:
        table = rates.assign(period=rates["period"].astype("str"))
        print(f"wrote {write_table(table, args.out)}")
    return 0
