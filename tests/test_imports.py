"""The package's modules import one way: no import cycle, not even behind an import inside a function, and the
form endpoint never loads the build, Pelican, Markdown or Pillow."""

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "hasselthelpt"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def ancestors(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def import_graph() -> dict[str, set[str]]:
    """Module -> the package's modules it imports, from every import statement (module level or not). Importing
    a.b.c runs a/b/__init__.py first, so it counts as importing that package too (unless the importer is inside
    it: then the package is being imported already)."""
    files = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        edges = graph.setdefault(name, set())
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges |= {a.name for a in node.names if a.name in files}
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    parts = package.split(".")
                    base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
                else:
                    base = node.module or ""
                for alias in node.names:  # `from . import x` imports the module x; `from .m import x`, m
                    target = f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                    if target in files and target != name:
                        edges.add(target)
        inside = set(ancestors(name)) | {name}
        edges |= {p for t in list(edges) for p in ancestors(t) if p in files and p not in inside}
    return graph


def cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_graph_sees_the_package():
    graph = import_graph()
    assert "hasselthelpt.content.publication" in graph["hasselthelpt.outputs.pages"]
    assert "hasselthelpt.outputs.feeds" in graph["hasselthelpt.build"]


def test_importing_a_module_imports_its_packages():
    graph = import_graph()
    assert "hasselthelpt.endpoint" in graph["hasselthelpt.jinja"]  # jinja.py imports endpoint.forms
    assert "hasselthelpt.endpoint" not in graph["hasselthelpt.endpoint.app"]


def test_cycle_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": set()}) is None


def test_no_import_cycle():
    found = cycle(import_graph())
    assert found is None, "import cycle: " + " -> ".join(found)


def test_every_module_imports_on_its_own():
    """Each module alone, in order, in one fresh interpreter per test run: a module that only works when another
    was imported first fails here."""
    names = sorted(import_graph())
    script = ("import importlib, sys\nfor name in sys.argv[1:]:\n    for m in [m for m in sys.modules if "
              "m.startswith('hasselthelpt')]:\n        del sys.modules[m]\n    importlib.import_module(name)\n")
    result = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


LIGHT_ENDPOINT = """
import sys
from pathlib import Path
import hasselthelpt.endpoint.app, hasselthelpt.endpoint.wsgi
from hasselthelpt.endpoint.app import index_content
vacancies, organisations = index_content(Path(sys.argv[1]))
assert vacancies and organisations, "the sample project has vacancies and organisations"
heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("pelican", "markdown", "PIL")
               or m in ("hasselthelpt.build", "hasselthelpt.cli", "hasselthelpt.outputs.pages", "hasselthelpt.content.loading"))
print(" ".join(heavy))
"""


def test_the_endpoint_reads_a_light_index_and_never_loads_the_build():
    result = subprocess.run([sys.executable, "-c", LIGHT_ENDPOINT, str(PACKAGE.parent)], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the endpoint loaded {result.stdout.strip()}"
