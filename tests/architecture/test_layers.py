"""One dependency direction, at every depth: CLI -> orchestrator -> agents -> engine -> core.

Every import statement of the project counts, at module level, inside functions and under
``if TYPE_CHECKING:``: a lazy import hides a cycle, it does not remove it. ``templates`` is data
that any layer may read, and imports nothing of ours.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
FOLDERS = ("orchestrator", "agents", "templates")
# Higher rank may import lower or equal rank, never higher.
RANKS = {"core": 0, "engine": 1, "agents": 2, "orchestrator": 3, "cli": 4}
CLI_MODULES = frozenset({"modularize.orchestrator.cli", "modularize.orchestrator.__main__"})


def layer_of(module: str) -> str | None:
    """The layer of a dotted module of ours (None: templates, or not ours)."""
    if module in CLI_MODULES:
        return "cli"
    for prefix, layer in (
        ("modularize.agents.core", "core"),
        ("modularize.agents.engine", "engine"),
        ("modularize.agents", "agents"),
        ("modularize.orchestrator", "orchestrator"),
    ):
        if module == prefix or module.startswith(prefix + "."):
            return layer
    return None


def module_of(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["modularize", *parts])


def imported_modules(source: str, module: str, is_package: bool) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything ``source`` imports, at any depth; ``from a import b``
    yields ``a.b`` too, since ``b`` may be a submodule."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def violations(source: str, module: str, is_package: bool = False) -> list[str]:
    """Every import in ``source`` (the text of ``module``) that goes against the direction."""
    found = []
    own = layer_of(module)
    for line, target in imported_modules(source, module, is_package):
        top = target.split(".")[0]
        if top in FOLDERS:
            found.append(f"{module}:{line}: imports {target!r} outside the modularize namespace")
            continue
        if module.startswith("modularize.templates") and target.startswith("modularize."):
            if not target.startswith("modularize.templates"):
                found.append(f"{module}:{line}: templates is data and imports {target}")
            continue
        theirs = layer_of(target)
        if own is not None and theirs is not None and RANKS[theirs] > RANKS[own]:
            found.append(f"{module}:{line}: {own} imports {target} ({theirs}, a higher layer)")
    return found


def project_files() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (REPO / folder).rglob("*.py"))


def test_every_import_goes_down_the_layers() -> None:
    problems = [
        problem
        for path in project_files()
        for problem in violations(
            path.read_text(encoding="utf-8"), module_of(path), path.name == "__init__.py"
        )
    ]
    assert problems == []


def test_the_project_has_every_layer() -> None:
    layers = {layer_of(module_of(p)) for p in project_files()}
    assert layers >= set(RANKS)


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        pytest.param(
            "modularize.agents.engine.planner",
            "def f():\n    from modularize.orchestrator.cli import main\n",
            "engine imports modularize.orchestrator.cli (cli, a higher layer)",
            id="engine-imports-cli-inside-a-function",
        ),
        pytest.param(
            "modularize.agents.core.config",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from modularize.agents.engine import SplitPlan\n",
            "core imports modularize.agents.engine (engine, a higher layer)",
            id="core-imports-engine-for-typing",
        ),
        pytest.param(
            "modularize.agents.libcst_agent",
            "from modularize.orchestrator import state\n",
            "agents imports modularize.orchestrator (orchestrator, a higher layer)",
            id="agent-imports-orchestrator",
        ),
        pytest.param(
            "modularize.agents.engine.writer",
            "from .. import claude_agent\n",
            "engine imports modularize.agents.claude_agent (agents, a higher layer)",
            id="relative-import-upwards",
        ),
        pytest.param(
            "modularize.orchestrator.pipeline",
            "import agents.engine\n",
            "imports 'agents.engine' outside the modularize namespace",
            id="generic-top-level-name",
        ),
    ],
)
def test_a_back_import_is_caught(module: str, source: str, expected: str) -> None:
    assert any(expected in problem for problem in violations(source, module))


@pytest.mark.parametrize(
    ("module", "source"),
    [
        pytest.param("modularize.orchestrator.cli", "from modularize.agents import engine\n"),
        pytest.param("modularize.agents.engine.writer", "from modularize import templates\n"),
        pytest.param("modularize.agents.engine.writer", "from ..core import source\n"),
    ],
)
def test_downward_imports_pass(module: str, source: str) -> None:
    assert violations(source, module) == []
