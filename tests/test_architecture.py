"""The package's shape: imports point down, no loops, a light face and CLI.

The import graph is read from the source with ``ast`` (nothing is imported),
so a new upward import or loop fails here before it confuses anyone.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "pondstats"
#: modules that stand above the face (they may import it)
ABOVE_FACE = {"pondstats.cli", "pondstats.__main__"}
HEAVY = ("sklearn", "matplotlib", "geopandas", "scipy.stats")

#: DESIGN.md's order, ``files -> io -> clean -> store -> rates ->
#: zones/leads/budget -> plotting -> report/cli``: a module may import its own
#: stage, the ground floor and the stages before it, never one after it.
#: Stages of one rank (zones, leads, budget) may use each other (no loops).
LAYERS: tuple[tuple[str, ...], ...] = (
    # the ground floor every stage may use
    ("_version", "errors", "schema", "vocab", "dates", "fonts", "privacy", "_checks"),
    ("io",),
    ("clean",),
    ("store",),
    ("rates", "stats"),  # pondstats.stats: the old name of pondstats.rates.stats
    ("zones", "leads", "budget"),
    ("plotting",),
    ("report",),
    ("cli", "__main__"),
)
#: the sample dealer is built from the stages it uses (io, clean, the store)
#: and used only above them all (the CLI, notebooks, tests): no stage's
#: numbers may depend on the sample.
SAMPLE = "datasets"
SAMPLE_USES = {"_version", "errors", "schema", "vocab", "dates", "io", "clean", "store"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PKG.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PKG.rglob("*.py"))}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """pondstats modules imported by a file, at any depth of its code."""
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "pondstats"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import
                base = name.split(".") if is_pkg else name.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                mod = ".".join([*base, node.module] if node.module else base)
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "pondstats":
                continue
            # `from pondstats.x import y` imports pondstats.x.y when y is a module
            subs = {f"{mod}.{a.name}" for a in node.names} & known
            out |= subs or {mod}
            if subs and mod != "pondstats":
                out.add(mod)
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {n: _imports(p, n, known) & known for n, p in mods.items()}


def _is_above_face(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in ABOVE_FACE)


def _stage(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


def _rank() -> dict[str, int]:
    return {stage: i for i, layer in enumerate(LAYERS) for stage in layer}


def _upward_imports(graph: dict[str, set[str]]) -> dict[str, list[str]]:
    """module -> the modules it imports from a later stage (or a stray stage)."""
    rank = _rank()
    out: dict[str, list[str]] = {}
    for name, imps in graph.items():
        me = _stage(name)
        if not me:  # the face
            continue
        bad = []
        for imp in imps:
            them = _stage(imp)
            if not them or them == me:
                continue
            if me == SAMPLE:
                ok = them in SAMPLE_USES
            elif them == SAMPLE:
                ok = rank[me] == len(LAYERS) - 1  # only the CLI uses the sample
            else:
                ok = rank[them] <= rank[me]
            if not ok:
                bad.append(imp)
        if bad:
            out[name] = sorted(bad)
    return out


def test_every_stage_is_placed_in_the_layer_order():
    stages = {_stage(n) for n in _modules()} - {""}
    assert stages - set(_rank()) - {SAMPLE} == set(), (
        "a new stage: give it its place in LAYERS (as in DESIGN.md)"
    )


def test_imports_follow_the_layer_order():
    assert _upward_imports(_graph()) == {}, (
        "these modules import a later stage (io -> clean -> store -> rates -> "
        "zones/leads/budget -> plotting -> report/cli): move the helper they need "
        "down to the stage that owns it"
    )


def test_the_store_does_not_import_the_sample_dealer():
    graph = _graph()
    store = {n: i for n, i in graph.items() if _stage(n) == "store"}
    assert store, "no pondstats.store modules found"
    assert {
        n: sorted(i) for n, i in store.items() if any(_stage(m) == SAMPLE for m in i)
    } == {}


def test_the_layer_check_finds_an_upward_import():
    graph = {
        "pondstats.store._x": {"pondstats.datasets._load", "pondstats.clean"},
        "pondstats.io._y": {"pondstats.zones._files"},
        "pondstats.zones._z": {"pondstats.budget", "pondstats.rates"},
        "pondstats.datasets._w": {"pondstats.store", "pondstats.rates"},
        "pondstats.rates._v": {"pondstats.datasets"},
        "pondstats.cli._u": {"pondstats.datasets", "pondstats.report"},
    }
    assert _upward_imports(graph) == {
        "pondstats.store._x": ["pondstats.datasets._load"],
        "pondstats.io._y": ["pondstats.zones._files"],
        "pondstats.datasets._w": ["pondstats.rates"],
        "pondstats.rates._v": ["pondstats.datasets"],
    }


def test_no_module_below_the_face_imports_it():
    offenders = {
        n: sorted(i)
        for n, i in _graph().items()
        if n != "pondstats" and not _is_above_face(n) and "pondstats" in i
    }
    assert offenders == {}, (
        "these modules import the package face; import the module you need instead"
    )


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _without_parent_packages(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """Drop the edge a module has to its own package (Python runs a package's
    ``__init__`` before its modules, which is not a dependency of the module)."""
    return {
        n: {i for i in imps if not n.startswith(i + ".")} for n, imps in graph.items()
    }


def test_no_import_loops():
    graph = _without_parent_packages(_graph())
    graph.pop("pondstats", None)  # the face imports lazily; nothing below imports it
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_loop():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [
        ["a", "b", "c"]
    ]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_import_reader_sees_every_kind_of_import(tmp_path):
    f = tmp_path / "m.py"
    f.write_text(
        "import pondstats\nfrom pondstats import schema\n"
        "def g():\n    from pondstats.rates import stats\n",
        encoding="utf-8",
    )
    known = {
        "pondstats",
        "pondstats.schema",
        "pondstats.rates",
        "pondstats.rates.stats",
    }
    assert _imports(f, "pondstats.x", known) == {
        "pondstats",
        "pondstats.schema",
        "pondstats.rates",
        "pondstats.rates.stats",
    }


def test_top_level_stays_small():
    top = [p.name for p in PKG.iterdir() if p.suffix == ".py"]
    assert len(top) <= 12, sorted(top)


@pytest.mark.parametrize("module", ["pondstats", "pondstats.cli"])
def test_importing_loads_no_heavy_library(module):
    code = (
        f"import sys, {module}\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_the_face_lists_only_names_it_can_give():
    import pondstats as ps

    for name in ps.__all__:
        assert getattr(ps, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        ps.nope  # noqa: B018


def test_pondstats_stats_is_still_importable():
    from pondstats.rates import stats as rates_stats
    from pondstats.stats import shrink

    assert shrink is rates_stats.shrink
