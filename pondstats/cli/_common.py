"""What the sub-commands share: the data options and loading, display options."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
from pathlib import Path

from pondstats.dates import parse_day, parse_month
from pondstats.errors import InputError, PondstatsError

log = logging.getLogger("pondstats")


def add_data_args(p: argparse.ArgumentParser) -> None:
    """--visits/--deposits/--zones/--spend; the bundled sample when omitted."""
    g = p.add_argument_group("data (the bundled sample dealer when omitted)")
    g.add_argument(
        "--visits", metavar="FILE", help="visits (A-card) export, CSV or Excel"
    )
    g.add_argument(
        "--deposits", metavar="FILE", help="deposits (C-card) export, CSV or Excel"
    )
    add_column_map_arg(g)
    add_store_args(g)


def add_column_map_arg(p) -> None:
    """``--column-map FILE``: export headers the alias tables do not know."""
    p.add_argument(
        "--column-map",
        metavar="FILE",
        help=(
            "TOML or JSON file mapping export headers to pondstats columns, e.g. "
            '"接待日" = "visit_date" (sections [visits], [deposits], [spend], '
            "[inquiries] for one table only)"
        ),
    )


def read_column_map(path: str | None, kind: str) -> dict[str, str] | None:
    """The header -> column mapping for ``kind`` from a ``--column-map`` file.

    A flat table applies to every file; ``[visits]`` / ``[deposits]`` /
    ``[spend]`` / ``[inquiries]`` sections to one kind of file only.
    """
    if path is None:
        return None
    data = _read_mapping_file(path, "--column-map")
    sections = {"visits", "deposits", "spend", "inquiries", "targets"}
    out: dict[str, str] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            if key not in sections:
                raise PondstatsError(
                    f"--column-map {path}: unknown section [{key}]; use [visits], "
                    "[deposits], [spend], [inquiries] or [targets], or no section "
                    "for every file."
                )
            if key == kind:
                out.update({str(k): str(v) for k, v in value.items()})
        elif isinstance(value, str):
            out.setdefault(str(key), value)
        else:
            raise PondstatsError(
                f"--column-map {path}: {key!r} maps to {value!r}; each entry is "
                '"export header" = "pondstats column", e.g. "接待日" = "visit_date".'
            )
    return out or None


def _read_mapping_file(path: str, option: str) -> dict:
    """A TOML or JSON file as a dict; PondstatsError naming ``option`` otherwise."""
    import json
    import tomllib

    p = Path(path)
    if not p.is_file():
        raise PondstatsError(
            f"{option} {path}: no such file"
            + (" (it is a directory)" if p.is_dir() else "")
            + f". Give a .toml or .json file (the current directory is {os.getcwd()})."
        )
    raw = p.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PondstatsError(f"{option} {path}: save the file as UTF-8.") from None
    try:
        if p.suffix.lower() == ".json" or text.lstrip().startswith("{"):
            data = json.loads(text)
        else:
            data = tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PondstatsError(
            f"{option} {path} is neither valid TOML nor JSON ({exc}). Write one "
            'line per entry, e.g. "接待日" = "visit_date" (TOML) or '
            '{"接待日": "visit_date"} (JSON).'
        ) from None
    if not isinstance(data, dict):
        raise PondstatsError(f"{option} {path}: expected a table of entries.")
    return data


def read_bounds(path: str | None):
    """``--bounds FILE`` as plan_budget's bounds: CSV/XLSX (region, min_spend,
    max_spend) or TOML/JSON ({region = [min, max]}; a number alone is a maximum)."""
    if path is None:
        return None
    import pandas as pd

    p = Path(path)
    if p.suffix.lower() in (".csv", ".xlsx", ".xls"):
        from pondstats.io import read_table

        raw = read_table(
            p,
            aliases={
                "region": ("区域", "片区", "zone"),
                "min_spend": ("最低", "下限", "min"),
                "max_spend": ("最高", "上限", "max"),
            },
            required=("region",),
            kind="bounds",
        )
        if not {"min_spend", "max_spend"} & set(raw.columns):
            raise PondstatsError(
                f"--bounds {path}: needs a min_spend and/or max_spend column next to "
                "region (the yuan a zone may get at least / at most)."
            )
        out = {}
        for _, row in raw.iterrows():
            lo = pd.to_numeric(row.get("min_spend"), errors="coerce")
            hi = pd.to_numeric(row.get("max_spend"), errors="coerce")
            out[str(row["region"]).strip()] = (
                None if pd.isna(lo) else float(lo),
                None if pd.isna(hi) else float(hi),
            )
        return out
    data = _read_mapping_file(path, "--bounds")
    out = {}
    for region, value in data.items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            out[region] = (None, float(value))
        elif isinstance(value, list) and len(value) == 2:
            out[region] = tuple(None if v in ("", None) else float(v) for v in value)
        elif isinstance(value, dict):
            out[region] = (value.get("min"), value.get("max"))
        else:
            raise PondstatsError(
                f"--bounds {path}: {region!r} = {value!r}; give [min, max] in yuan, "
                f'e.g. "{region}" = [0, 50000], or one number for the maximum.'
            )
    return out


#: Output kinds: what a sub-command's --out must be.
_OUT_SUFFIXES = {
    "table": (".csv", ".xlsx", ".parquet"),
    "image": (".png", ".pdf", ".svg"),
    "pdf": (".pdf",),
}


def check_out(
    path: str | os.PathLike | None,
    *,
    kind: str = "table",
    directory: bool = False,
    dir_or: str | None = None,
    new_dir: bool = False,
) -> None:
    """Check ``--out`` before any work: PondstatsError naming the problem.

    ``kind`` gives the allowed suffixes of a file (``table``, ``image``,
    ``pdf``); ``directory=True`` wants a directory (created later when
    missing); ``dir_or="pdf"`` accepts a directory or a file of that kind;
    ``new_dir`` refuses an existing file where a directory will be written.
    """
    if path is None:
        return
    p = Path(path)
    text = str(path)
    if not text.strip():
        raise PondstatsError("--out is empty; give a file or directory name.")
    suffixes = _OUT_SUFFIXES.get(dir_or or kind, ())
    wants_dir = directory or (dir_or is not None and p.suffix.lower() not in suffixes)
    if wants_dir:
        if p.exists() and not p.is_dir():
            what = "a file" if p.is_file() else "not a directory"
            extra = (
                f", or a {'/'.join(suffixes)} file name" if dir_or is not None else ""
            )
            raise PondstatsError(
                f"--out {text} is {what}, and a directory is expected here; give a "
                f"new or existing directory{extra}."
            )
        if dir_or is not None and p.suffix and not p.exists():
            raise PondstatsError(
                f"--out {text}: {p.suffix!r} is not an output this command writes; "
                f"give a directory or a {'/'.join(suffixes)} file name."
            )
        parent = p if p.exists() else _existing_parent(p)
        if not os.access(parent, os.W_OK):
            raise PondstatsError(
                f"--out {text}: cannot write in {parent} (no permission); give a "
                "directory you can write to."
            )
        return
    if p.is_dir():
        raise PondstatsError(
            f"--out {text} is a directory; give a file name inside it, e.g. "
            f"--out {p / ('out' + suffixes[0])}."
        )
    if p.suffix.lower() not in suffixes:
        raise PondstatsError(
            f"--out {text}: cannot write {p.suffix or 'a file without extension'!r}; "
            f"give a {', '.join(suffixes)} file name."
        )
    parent = p.parent
    if not parent.exists():
        raise PondstatsError(
            f"--out {text}: the directory {parent} does not exist; create it "
            f"(mkdir -p {parent}) or give another path."
        )
    if not parent.is_dir():
        raise PondstatsError(f"--out {text}: {parent} is a file, not a directory.")
    if not os.access(parent, os.W_OK) or (p.exists() and not os.access(p, os.W_OK)):
        raise PondstatsError(
            f"--out {text}: cannot write there (no permission); give a path in a "
            "directory you can write to."
        )


def _existing_parent(p: Path) -> Path:
    for parent in (p, *p.parents):
        if parent.exists():
            return parent if parent.is_dir() else parent.parent
    return Path(".")


#: Python keywords in library messages -> what a CLI user types.
_CLI_WORDS = (
    (
        re.compile(
            r"read the file with read_\w+\(path, column_map=\{'<your header>': '(\w+)'\}\)"
        ),
        r'give --column-map FILE (a TOML file with the line "<your header>" = "\1")',
    ),
    (
        re.compile(r"column_map=\{'<your header>': '(\w+)'[^}]*\}"),
        r'--column-map FILE (a TOML file with the line "<your header>" = "\1")',
    ),
    (re.compile(r"column_map=\{[^}]*\}"), "--column-map FILE (a TOML/JSON header map)"),
    (re.compile(r"\bcolumn_map=?\b"), "--column-map FILE"),
    (re.compile(r"\bencoding=\s*'([\w-]+)'"), r"--encoding \1"),
    (re.compile(r"\bencoding=None\b"), "no --encoding"),
    (re.compile(r"\bsheet=\s*"), "--sheet NAME"),
    (re.compile(r"\bbounds=\{[^}]*\}"), "--bounds FILE"),
    (re.compile(r"\bbounds=\s*\w*"), "--bounds FILE"),
    (re.compile(r"read_zones\(path, key=[^)]*\)"), "--key NAME"),
    (
        re.compile(r"Pass its CRS, e\.g\. read_zones\(path, crs=(\d+)\)"),
        r"Save the zones file with its CRS declared (e.g. EPSG:\1)",
    ),
    (re.compile(r"\bread_zones / --zones\b"), "--zones"),
    (
        re.compile(r"(?:map the names with )?aliases=\{[^}]*\}"),
        "rename them in the zones file",
    ),
    (
        re.compile(r"\bby=\[([^\]]*)\]"),
        lambda m: "--by " + m.group(1).replace("'", "").replace(" ", ""),
    ),
    (re.compile(r"\bby='(\w+)'"), r"--by \1"),
    (
        re.compile(r"ps\.cohort_rates\([^)]*\)"),
        "cohort rates (in Python: ps.cohort_rates; the CLI has no cohort command yet)",
    ),
    (re.compile(r"\bcrs=\.\.\. to read_zones\b"), "a CRS in the zones file"),
)

#: Messages are cut to this many characters.
MAX_MESSAGE = 1200


def cli_message(text: str) -> str:
    """A library message in the words of the command line, cut to a readable length."""
    for pattern, repl in _CLI_WORDS:
        text = pattern.sub(repl, text)
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 20].rstrip() + " ... (cut)"
    return text


def add_store_args(g) -> None:
    """--store PATH and --as-of-import N (read the history store)."""
    g.add_argument(
        "--store",
        metavar="PATH",
        help="read the history store built by 'pondstats ingest' instead of "
        "--visits/--deposits",
    )
    g.add_argument(
        "--as-of-import",
        metavar="N",
        type=int,
        dest="as_of_import",
        help="with --store: read the store as it was after import N (reproduces "
        "an earlier report)",
    )
    g.add_argument(
        "--memory-limit",
        metavar="SIZE",
        type=_memory_size,
        dest="memory_limit",
        help="with --store: the most memory the store's queries may use, e.g. 4GB "
        "(beyond it they spill to disk; default: 80%% of the machine's memory)",
    )


def _memory_size(text: str) -> str:
    """``--memory-limit``'s value: a size such as 4GB or 512MB."""
    if not re.fullmatch(r"\d+(\.\d+)?[KMGT]i?B", text.strip(), re.I):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a size; give one like 4GB or 512MB"
        )
    return text.strip()


@contextlib.contextmanager
def store_view(args: argparse.Namespace):
    """``(view, note)``: the store of ``--store`` as of ``--as-of-import``, open."""
    from pondstats.store import Store
    from pondstats.vocab import WORDS, both

    given = [o for o in ("visits", "deposits") if getattr(args, o, None)]
    if given:
        raise PondstatsError(
            f"give --store or --{given[0]}, not both: the store already holds the "
            "imported exports (add new ones with 'pondstats ingest FILE --kind ...')"
        )
    with Store(
        args.store,
        read_only=True,
        memory_limit=getattr(args, "memory_limit", None),
    ) as store:
        n = args.as_of_import
        if n is None:
            view = store
        else:
            try:
                view = store.snapshot(n)
            except InputError as exc:
                raise PondstatsError(
                    str(exc).replace("no import", "--as-of-import: no import")
                ) from None
        note = (
            f"{both(WORDS['store'])} {Path(args.store).name}, "
            f"{both(WORDS['store_snapshot'])} {view.snapshot_id}"
        )
        yield view, note


def load_store(args: argparse.Namespace, *, spend: bool = False):
    """(visits, deposits, spend or None, note) from ``--store`` [``--as-of-import``]."""
    with store_view(args) as (view, note):
        visits, deposits = view.visits(), view.deposits()
        money = view.spend() if spend else None
    log.info("%s: %d visits, %d deposits", note, len(visits), len(deposits))
    return visits, deposits, money, note


def load_store_zones(args: argparse.Namespace):
    """The zones the store held (``--store`` [``--as-of-import``]); None if none."""
    with store_view(args) as (view, _):
        zones = view.zones()
    if zones is not None:
        log.info("%s: %d zones (import %s)", args.store, len(zones),
                 zones.attrs["pondstats"]["import_id"])  # fmt: skip
    return zones


def load_data(args: argparse.Namespace):
    """Return cleaned (visits, deposits) from files, the store, or the sample."""
    from pondstats.clean import clean_deposits, clean_visits
    from pondstats.datasets import load_sample
    from pondstats.io import read_deposits, read_visits

    if getattr(args, "store", None):
        return load_store(args)[:2]
    if getattr(args, "as_of_import", None) is not None:
        raise PondstatsError("--as-of-import needs --store PATH")
    if (args.visits is None) != (args.deposits is None):
        raise PondstatsError(
            "give both --visits and --deposits, or neither to use the bundled sample"
        )
    if args.visits is None:
        return load_sample()
    cmap = getattr(args, "column_map", None)
    visits = clean_visits(
        read_visits(args.visits, column_map=read_column_map(cmap, "visits"))
    )
    deposits = clean_deposits(
        read_deposits(args.deposits, column_map=read_column_map(cmap, "deposits"))
    )
    for kind, res in (("visits", visits), ("deposits", deposits)):
        log.info("%s: %s", kind, res.summary)
    return visits.data, deposits.data


def display_options(*, width: int = 120, max_rows: int | None = None):
    """pandas options for a readable table in a terminal."""
    import pandas as pd

    rows = () if max_rows is None else ("display.max_rows", max_rows)
    return pd.option_context(
        "display.width", width, "display.unicode.east_asian_width", True, *rows
    )


def month_arg(text: str):
    """argparse ``type=`` for ``--month``: the one month parser of :mod:`pondstats.dates`."""
    try:
        return parse_month(text, name=None)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def day_arg(text: str):
    """argparse ``type=`` for ``--as-of`` / ``--today``: :func:`pondstats.dates.parse_day`."""
    try:
        return parse_day(text, name=None)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
