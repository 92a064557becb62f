"""Property: on any valid module the engine never crashes, never loses a statement, and the
package exposes the same top-level names (hypothesmith generates the modules)."""

from __future__ import annotations

import hypothesmith
import libcst as cst
from hypothesis import HealthCheck, given, settings

from modularize.agents.engine import EngineConfig, Refusal, plan_split, split
from modularize.agents.engine.statements import bindings, is_import_line

CONFIG = EngineConfig(
    module="pkg.big",
    threshold=5,
    budgets={"base": 20, "manager": 20, "strategies": 20, "handlers": 20, "utils": 20},
)


def _statements(source: str) -> list[str]:
    module = cst.parse_module(source)
    return [module.code_for_node(s).strip() for s in module.body if not is_import_line(s)]


def _names(source: str) -> set[str]:
    found: set[str] = set()
    for stmt in cst.parse_module(source).body:
        found.update(bindings(stmt)[0])
    return found


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(hypothesmith.from_grammar())
def test_never_crashes_never_loses_a_statement(source):
    try:
        cst.parse_module(source)
        compile(source, "<big>", "exec")
    except Exception:  # noqa: BLE001 - only valid modules are of interest
        return
    try:
        plan = plan_split(source, CONFIG)
        files = split(source, plan, CONFIG)
    except Refusal as exc:
        assert exc.reason  # a refusal always says why
        return
    if not plan.modules:
        assert files == {}
        return
    out = {}
    for path, text in files.items():
        compile(text, str(path), "exec")  # every output parses
        out[path.stem] = text
    moved = [s for name, text in out.items() if name != "__init__" for s in _statements(text)]
    for stmt in _statements(source):
        if stmt.startswith(('"', "'", "from __future__", "__all__")):
            continue
        if "__name__" in stmt or "__file__" in stmt or "from ." in stmt:
            continue  # rewritten on purpose (see agents/engine/rewrite.py)
        assert stmt in moved or stmt in out["__init__"], stmt
    exported: set[str] = set()
    for text in out.values():
        exported |= _names(text)
    assert _names(source) <= exported  # same import surface: every name is still bound
    assert _names(source) - {"__all__"} <= _names(out["__init__"]) | _served(out["__init__"])


def _served(init: str) -> set[str]:
    """Names the package serves through its PEP 562 ``__getattr__``."""
    module = cst.parse_module(init)
    return {n.evaluated_value for n in _strings(module)} if "def __getattr__" in init else set()


def _strings(node: cst.CSTNode) -> list[cst.SimpleString]:
    found: list[cst.SimpleString] = []

    class Collect(cst.CSTVisitor):
        def visit_SimpleString(self, string: cst.SimpleString) -> None:
            found.append(string)

    node.visit(Collect())
    return found
