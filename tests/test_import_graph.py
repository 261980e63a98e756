"""The import graph of Saksflyt's packages has no loop, and data flows one way (issue 19).

Pure `ast`, nothing is imported: every `import` and `from … import` counts wherever it sits (inside a
function, under `if TYPE_CHECKING`), as does a literal module name in a module that calls
`importlib.import_module`. A loop hidden inside a function still ties the modules together: neither can
be read, tested or moved without the other.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("extractors", "mining", "automation_scoring", "app", "sample_logs", "saksflyt")
# extractors ← mining ← automation_scoring ← app: a package imports only those at or before it.
LAYERS = {"extractors": 0, "mining": 1, "automation_scoring": 2, "app": 3}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    if parts[0] == "saksflyt":
        parts.pop(0)
    return ".".join(["saksflyt", *parts])


def _sources() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _resolve_from(node: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute name of `from <node.module> import …`, relative levels resolved against `module`."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imported(module: str, path: Path, known: set[str]) -> set[str]:
    """The modules among `known` that `module` imports anywhere in its text."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    dynamic = False
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(node, module, is_package)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                names.add(sub if sub in known else base)  # `from pkg import submodule` imports the submodule
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            dynamic = dynamic or called == "import_module"
    if dynamic:  # the names handed to import_module, whether written at the call or in a table beside it
        names.update(n.value for n in ast.walk(tree)
                     if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in known)
    resolved = set()
    for name in names:
        while name and name not in known:  # `import saksflyt.x.y.Z`-style names end at the module
            name = name.rpartition(".")[0]
        if name and name != module:
            resolved.add(name)
    return resolved


@functools.cache
def import_graph() -> dict[str, frozenset[str]]:
    """Module → the modules of the packages it imports (read once for the tests here)."""
    sources = _sources()
    known = set(sources)
    return {name: frozenset(_imported(name, path, known)) for name, path in sources.items()}


def _cycles(graph: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each as one loop's members."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(start: str) -> None:
        nonlocal counter
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    members = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        members.append(member)
                        if member == node:
                            break
                    if len(members) > 1:
                        found.append(sorted(members))

    for name in sorted(graph):
        if name not in index:
            visit(name)
    return found


def _one_loop(graph: dict[str, frozenset[str]], members: list[str]) -> list[str]:
    """One concrete loop through the first member, staying inside the component (for the message)."""
    inside = set(members)
    start = members[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & inside):
            if child == start:
                return paths[node] + [start]
            if child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    return members


def _package(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in PACKAGES else "saksflyt"


def test_the_graph_sees_imports_inside_functions_and_import_module_strings():
    graph = import_graph()
    assert "saksflyt.mining.run" in graph and "saksflyt.app.app_pages.overview" in graph
    assert "saksflyt.extractors.xes" in graph["saksflyt.extractors.ingest"]  # importlib.import_module
    assert "saksflyt.app.cli_mine" in graph["saksflyt.app.cli"]  # a table of names for import_module
    assert "saksflyt.app.cli" in graph["saksflyt.__main__"]


def test_no_import_loop():
    graph = import_graph()
    loops = [" → ".join(_one_loop(graph, members)) + f"  (component: {', '.join(members)})"
             for members in _cycles(graph)]
    assert not loops, "import loops:\n" + "\n".join(loops)


def test_data_flows_one_way():
    wrong = []
    for module, targets in sorted(import_graph().items()):
        src = _package(module)
        for target in sorted(targets):
            dst = _package(target)
            if src == dst:
                continue
            if src in LAYERS and dst in LAYERS and LAYERS[dst] > LAYERS[src]:
                wrong.append(f"{module} imports {target} (downstream)")
            elif src == "sample_logs" and dst != "extractors":
                wrong.append(f"{module} imports {target} (sample_logs may import only extractors)")
            elif dst == "app" and src not in ("app", "saksflyt"):
                wrong.append(f"{module} imports {target} (only app and saksflyt import app)")
    assert not wrong, "\n".join(wrong)
