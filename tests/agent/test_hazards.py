"""Hazard case folders: real-shaped modules whose split went wrong quietly before.

Each folder of ``hazards/`` holds ``big.py`` (written as ``pkg/big.py``, with PADDING), optional sibling
modules of ``pkg`` under ``siblings/``, a ``probe.py`` run against the original and the
result, and ``case.json``: ``{"expect": "split"}`` (optionally with role ``budgets``) (the split is kept and the probe prints the
same) or ``{"expect": "refused", "reason": "..."}`` (the file is left byte for byte as it was
and the reason says which check failed on which name).
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from modularize.agents.base import Status
from modularize.agents.core.config import Config
from modularize.agents.libcst_agent import LibCSTAgent
from tests.agent.helpers import make_task, snapshot_tree

HAZARDS = Path(__file__).parent / "hazards"
CONFIG = Config(
    threshold=120,
    budgets={"base": 40, "manager": 40, "strategies": 40, "handlers": 40, "utils": 40},
)


# Appended to every case's big.py: one long function puts the file over the threshold while
# the generated __init__ (which grows with the number of names) stays under it.
PADDING = (
    '\n\ndef render_cell(value, kind=0):\n    """A table cell of the given kind."""\n'
    + "".join(f"    if kind == {i}:\n        return str(value).rjust({i + 4})\n" for i in range(40))
    + "    return str(value)\n"
)


def _probe(root: Path, probe: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"},
        timeout=60,
    )
    return done.stdout + done.stderr[-1500:] + f"rc={done.returncode}"


def _project(root: Path, folder: Path) -> None:
    (root / "pkg").mkdir()
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "big.py").write_text((folder / "big.py").read_text() + PADDING)
    for sibling in sorted((folder / "siblings").glob("*.py")):
        (root / "pkg" / sibling.name).write_text(sibling.read_text())
    # the probe is code of the repository: the compatibility layer keeps what it uses
    (root / "use_big.py").write_text((folder / "probe.py").read_text())


@pytest.mark.parametrize(
    "folder", sorted(p for p in HAZARDS.iterdir() if p.is_dir()), ids=lambda p: p.name
)
def test_hazard(folder: Path, tmp_path: Path) -> None:
    case = json.loads((folder / "case.json").read_text())
    probe = (folder / "probe.py").read_text()
    _project(tmp_path, folder)
    before, tree = _probe(tmp_path, probe), snapshot_tree(tmp_path)
    assert before.endswith("rc=0"), before
    task = make_task(tmp_path, "pkg/big.py", "pkg.big", python=sys.executable)
    result = LibCSTAgent().run(task, CONFIG.with_overrides(budgets=case.get("budgets")))
    if case["expect"] == "split":
        assert result.status is Status.SPLIT, result.reason or result.traceback
        assert len(result.modules) > 2, "a real split, not one module in a package"
        assert _probe(tmp_path, probe) == before
        assert _structure_problems(tmp_path / "pkg" / "big") == []
    else:
        assert result.status is Status.SKIPPED, result.modules
        assert case["reason"] in result.reason
        assert snapshot_tree(tmp_path) == tree  # restored byte for byte


def _structure_problems(package: Path) -> list[str]:
    """Imports below code (a try/if block of imports with assignments as fallbacks counts),
    and run-time import cycles between the new modules (imports under ``if TYPE_CHECKING:``
    make none)."""
    problems, graph = [], {}
    for path in sorted(package.glob("*.py")):
        if path.name == "__init__.py":
            continue
        tree = ast.parse(path.read_text())
        body = tree.body[1:] if ast.get_docstring(tree) is not None else tree.body
        code = False
        for node in body:
            inner = _inner(node)
            imports = any(isinstance(n, (ast.Import, ast.ImportFrom)) for n in inner) and all(
                isinstance(n, (ast.Import, ast.ImportFrom, ast.Pass, ast.Assign)) for n in inner
            )
            if code and imports:
                problems.append(f"{path.name}:{node.lineno}: import below code")
            code = code or not imports
        typing = {id(n) for i in tree.body if _typing_if(i) for n in ast.walk(i)}
        graph[path.stem] = {
            (n.module or a.name).split(".")[0]
            for n in ast.walk(tree)
            if isinstance(n, ast.ImportFrom) and n.level == 1 and id(n) not in typing
            for a in n.names
        }
    for mod in graph:
        seen, todo = set(), list(graph[mod])
        while todo:
            target = todo.pop()
            if target == mod:
                problems.append(f"{mod}: on an import cycle")
                break
            if target not in seen:
                seen.add(target)
                todo += graph.get(target, ())
    return problems


def _inner(node: ast.stmt) -> list[ast.stmt]:
    """A try/if block's statements (blocks opened), or the statement itself."""
    if not isinstance(node, (ast.Try, ast.If)):
        return [node]
    parts = [*node.body, *node.orelse, *getattr(node, "finalbody", [])]
    parts += [s for h in getattr(node, "handlers", []) for s in h.body]
    return [s for part in parts for s in _inner(part)]


def _typing_if(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
