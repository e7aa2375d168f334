"""The import rules of README's Architecture section, read from the source with `ast`:

- no circle of module-level imports among our packages (an import inside a function does not
  count: that is how a model reaches a service when nothing else fits);
- dependencies point one way: models never import services or selectors, and services and
  selectors never import views or API modules.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("courses", "certificates", "lms")


def module_names(root: Path, packages=PACKAGES) -> dict[str, Path]:
    """Dotted module name → file, for every module of the packages (a package is its __init__)."""
    modules = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _module_level_imports(tree: ast.Module):
    """The import statements that run when the module is imported: those at the top, in classes,
    and under if/try/with, but not in functions nor under ``if TYPE_CHECKING:``."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if "TYPE_CHECKING" not in ast.unparse(node.test):
                pending.extend(node.body)
            pending.extend(node.orelse)
        elif isinstance(node, ast.Try):
            pending.extend([*node.body, *node.orelse, *node.finalbody])
            for handler in node.handlers:
                pending.extend(handler.body)
        elif isinstance(node, ast.ClassDef | ast.With):
            pending.extend(node.body)


def import_graph(root: Path, packages=PACKAGES) -> dict[str, set[str]]:
    """Module → the modules of our packages that it imports at module level. ``from a.b import c``
    points at ``a.b.c`` when that is a module, else at ``a.b``."""
    modules = module_names(root, packages)
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in _module_level_imports(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in modules)
                continue
            if node.level:
                parts = package.split(".")
                source = ".".join(
                    parts[: len(parts) - node.level + 1] + ([node.module] if node.module else [])
                )
            else:
                source = node.module or ""
            for alias in node.names:
                if f"{source}.{alias.name}" in modules:
                    targets.add(f"{source}.{alias.name}")
                elif source in modules:
                    targets.add(source)
        targets.discard(name)
        graph[name] = targets
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other in a circle (Tarjan's strongly connected
    components of more than one module), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return cycles


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    return import_graph(ROOT)


def test_the_graph_covers_the_apps(graph):
    assert {"courses.models", "courses.services", "certificates.services", "lms.urls"} <= set(graph)
    assert "courses.models" in graph["courses.views"]


def test_no_module_level_import_circles_among_our_packages(graph):
    assert import_cycles(graph) == []


def _layer(module: str) -> str | None:
    for layer in ("models", "services", "selectors", "views", "api"):
        if module.endswith(f".{layer}") or f".{layer}." in module:
            return layer
    return None


# What each layer must not import. Services may enqueue tasks; tasks and views call services.
FORBIDDEN = {
    "models": {"services", "selectors", "views", "api"},
    "services": {"views", "api"},
    "selectors": {"views", "api"},
}


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    return sorted(
        f"{module} imports {target}"
        for module, targets in graph.items()
        for target in targets
        if _layer(target) in FORBIDDEN.get(_layer(module), ())
    )


def test_dependencies_point_from_views_to_services_and_selectors_to_models(graph):
    assert layer_violations(graph) == []


def test_the_checks_find_a_circle_and_a_model_importing_a_service(tmp_path):
    app = tmp_path / "app"
    (app / "models").mkdir(parents=True)
    (app / "__init__.py").write_text("")
    (app / "models" / "__init__.py").write_text("from app.models.pages import Page\n")
    (app / "models" / "pages.py").write_text("from app.services import publish\n\nclass Page: ...\n")
    (app / "services.py").write_text("from app.models import Page\n\ndef publish(): ...\n")
    (app / "selectors.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from app import views\n"
        "def page_list():\n    from app import views\n"
    )
    (app / "views.py").write_text("from . import selectors\n")
    graph = import_graph(tmp_path, packages=("app",))
    assert import_cycles(graph) == [["app.models", "app.models.pages", "app.services"]]
    assert graph["app.selectors"] == set()  # in a function or for type checkers only
    assert graph["app.views"] == {"app.selectors"}
    assert layer_violations(graph) == ["app.models.pages imports app.services"]
