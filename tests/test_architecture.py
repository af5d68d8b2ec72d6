"""The structure of the package, checked: stage order of imports, no import cycles, module and
function sizes, one definition per shared constant.

The rules are those of ``docs/architecture.md``; this test is what keeps them true.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "planmon"

#: The pipeline's stages in order: a module may import only from its own stage or an earlier one.
STAGES = (
    "core",
    "io",
    "measures",
    "plan",
    "sample",
    "content",
    "collect",
    "execution",
    "publish",
    "build",
    "dashboard",
    "cli",
)
#: Outside the stages: the analyst's façade and the version.
FACADE = ("__init__", "_version")

MAX_MODULE_CODE_LINES = 600
MAX_FUNCTION_LINES = 80


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _stage(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) == 1 or parts[1] in FACADE:
        return None
    return parts[1]


def _imports(module: str, tree: ast.AST) -> set[str]:
    """Every planmon module this module imports, at the top or inside a function."""
    out: set[str] = set()
    is_package = MODULES[module].name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("planmon"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("planmon"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                out.add(sub if sub in MODULES else target)
    return {m for m in out if m != module}


IMPORTS = {name: _imports(name, tree) for name, tree in TREES.items()}


def test_every_package_is_a_known_stage():
    stages = {_stage(m) for m in MODULES} - {None}
    assert stages <= set(STAGES), f"unknown stage packages: {sorted(stages - set(STAGES))}"


def test_imports_follow_the_stage_order():
    wrong = []
    for module, targets in IMPORTS.items():
        stage = _stage(module)
        if stage is None:
            continue
        for target in targets:
            other = _stage(target)
            if other is None:
                if target.split(".")[-1] != "_version":
                    wrong.append(f"{module} imports the façade {target}")
            elif STAGES.index(other) > STAGES.index(stage):
                wrong.append(f"{module} ({stage}) imports {target} ({other}), a later stage")
    assert not wrong, "\n".join(sorted(wrong))


def test_no_import_cycles():
    graph = {m: {t for t in targets if t in MODULES} for m, targets in IMPORTS.items()}
    # a package's __init__ re-exporting its modules is not a cycle with them
    for m in graph:
        graph[m] = {t for t in graph[m] if not t.startswith(m + ".")}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "\n".join(" → ".join(c) for c in cycles)


def _code_lines(path: Path) -> int:
    return sum(
        1
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.strip().startswith("#")
    )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size(module):
    lines = _code_lines(MODULES[module])
    assert lines <= MAX_MODULE_CODE_LINES, f"{module}: {lines} lines of code"


def test_function_sizes():
    long = []
    for module, tree in TREES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{module}.{node.name}: {length} lines")
    assert not long, "\n".join(sorted(long))


def test_one_definition_per_public_constant():
    """A public module-level constant (UPPER_CASE) is defined in one module only; others import it."""
    homes: dict[str, list[str]] = defaultdict(list)
    for module, tree in TREES.items():
        for node in tree.body:
            targets = []
            if isinstance(node, ast.Assign):
                targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                targets = [node.target.id]
            for name in targets:
                if name.isupper() and not name.startswith("_"):
                    homes[name].append(module)
    twice = {name: mods for name, mods in homes.items() if len(mods) > 1}
    assert not twice, "\n".join(f"{n}: {', '.join(m)}" for n, m in sorted(twice.items()))
