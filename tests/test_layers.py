"""The import graph of src/pressroom holds the design's layers (docs/architecture.md): no
reader imports `ingest`, siblings do not reach into each other's modules, and no module
imports itself round a circle. Read from the source with `ast`, every import counted
(those inside functions too: a circle through a late import is still a circle)."""

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "pressroom"

# Apps that read the record for others: they must not import the importer.
READ_SIDE = ("website", "api", "search", "ops", "counters")
# Project modules any app may use.
SHARED = {"pressroom", "pressroom.settings", "pressroom.health", "pressroom.utils", "pressroom.urlcache",
          "pressroom.dbrouter", "pressroom.testing"}
# App -> the other apps whose modules it may import, and only those modules: `releases` is
# the record everyone reads; anything else is a sibling's internals. A new app, or a new
# use of a sibling's public module, adds its entry here (and to docs/architecture.md).
ALLOWED = {
    "releases": {},
    # After a bulk import the search planner's word statistics are refreshed (engine.analyze).
    "ingest": {"releases": "*"},
    "counters": {"releases": "*"},
    # website.pagecache: search pages are kept per state of the record, as listings are.
    "search": {"releases": "*", "website": {"pagecache"}},
    "website": {"releases": "*", "counters": {"counting", "buffer", "opendata"},
                "search": {"engine"}},
    # website.media: the URLs and sizes of a version's photo files, for the API and the preview;
    # website.pagecache: the API's release answers are kept with the pages they mirror.
    "api": {"releases": "*", "counters": {"opendata"}, "search": {"api"}, "trust": {"api"},
            "website": {"media", "pagecache"}},
    "newsroom": {"releases": "*", "website": {"media"}},
    "ops": {"releases": "*"},
    "trust": {"releases": "*"},
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports() -> dict[str, set[str]]:
    """{module: modules of pressroom it imports}, tests and migrations left out."""
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        if {"tests", "migrations"} & set(path.parts):
            continue
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                    target = f"{base}.{node.module}" if node.module else base
                else:
                    target = node.module
                found.add(target)
                # `from . import engine` names a module, not a name in a module.
                found |= {f"{target}.{a.name}" for a in node.names}
        graph[name] = {m for m in found if m.startswith("pressroom")}
    known = set(graph)
    return {m: {t for t in targets if t in known and t != m} for m, targets in graph.items()}


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else None


def test_the_read_side_never_imports_ingest():
    wrong = sorted(f"{m} -> {t}" for m, targets in imports().items() if app_of(m) in READ_SIDE
                   for t in targets if app_of(t) == "ingest")
    assert wrong == []


def test_apps_use_only_what_their_siblings_offer():
    wrong = []
    for m, targets in imports().items():
        app = app_of(m)
        if app not in ALLOWED:
            continue
        for t in targets:
            other = app_of(t)
            if other in (None, app) or t in SHARED:
                continue
            offered = ALLOWED[app].get(other, set())
            offered = offered if offered == "*" else set(offered)
            module = t.split(".")[2] if t.count(".") >= 2 else "__init__"
            if offered != "*" and module not in offered | {"__init__"}:
                wrong.append(f"{m} -> {t}")
    assert sorted(wrong) == [], "add the use to ALLOWED if the sibling's module is public"


def test_no_import_circles():
    graph = imports()
    cycles, state = [], {}

    def visit(m, path):
        state[m] = "open"
        for t in sorted(graph.get(m, ())):
            if state.get(t) == "open":
                cycles.append(" -> ".join(path[path.index(t):] + [t]))
            elif t not in state:
                visit(t, path + [t])
        state[m] = "done"

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    # A package's __init__ importing its own modules is not a circle worth the name.
    cycles = [c for c in cycles if not c.startswith(tuple(f"{p} -> " for p in SHARED))]
    assert cycles == []
