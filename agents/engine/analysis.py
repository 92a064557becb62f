"""Scope analysis of one module: statements, what each reads (and when), and refusals.

Edges between statements come from LibCST's ScopeProvider. An edge is
  "I" import time: the name is read while the module executes (base classes, decorators,
     default values, class bodies, module-level expressions and comprehensions);
  "C" call time: the name is read inside a function or lambda body;
  "A" annotation: the name is read only in an annotation that is never evaluated at import
     time (``from __future__ import annotations``, or a string annotation).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools

import libcst as cst
from libcst.metadata import (
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    PositionProvider,
    ScopeProvider,
)

from modularize.agents.engine.allupdates import allowed_nodes, strip_guarded
from modularize.agents.engine.model import Refusal
from modularize.agents.engine.statements import (
    Stmt,
    bindings,
    certain_binds,
    classify,
    is_future_line,
)

_RANK = {"A": 0, "C": 1, "I": 2, "X": 3}
SPECIAL_NAMES = ("__name__", "__file__", "__doc__")


@dataclasses.dataclass
class Analysis:
    """Everything later stages need to know about the original module."""

    module: cst.Module
    stmts: list[Stmt]
    future_annotations: bool
    refs: list[dict[str, str]]  # per statement: top-level name -> strongest edge kind
    live: frozenset[str]  # names rebound inside functions with ``global``
    specials: list[frozenset[str]]  # per statement: which of __name__/__file__/__doc__ it reads


@functools.lru_cache(maxsize=4)
def analyse(source: str) -> Analysis:
    """Parse ``source`` and analyse it; raise Refusal when names cannot be tracked.

    Cached: planning and writing the same source analyse it once (scope analysis is most of
    the engine's time). Callers must treat the result as read-only.
    """
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise Refusal(f"line {exc.raw_line}: the file does not parse: {exc.message}") from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    scopes = wrapper.resolve(ScopeProvider)
    positions = wrapper.resolve(PositionProvider)
    stmts = _statements(module, positions)
    checker = _Checker(positions, scopes, allowed_nodes(module))
    wrapper.module.visit(checker)
    if checker.refusals:
        # every reason at once: fixing the first would only reveal the next
        more = len(checker.refusals) - 3
        raise Refusal("; ".join(checker.refusals[:3]) + (f"; and {more} more" if more > 0 else ""))
    _strip_all_updates(module, stmts)
    future = any(is_future_line(s.node) and "annotations" in s.code for s in stmts)
    starts = [s.first_line for s in stmts]
    refs: list[dict[str, str]] = [{} for _ in stmts]
    gscope = scopes[module]
    for scope in {s for s in scopes.values() if s is not None}:
        for access in scope.accesses:
            kind = _edge_kind(access, scope, future)
            if kind == "I" and id(access.node) in checker.called:
                kind = "X"  # called at import time: what it calls runs at import time too
            index = bisect.bisect_right(starts, positions[access.node].start.line) - 1
            for name in _global_names(access, gscope):
                _add(refs[index], name, kind)
    specials: list[set[str]] = [set() for _ in stmts]
    for line, name in checker.special_reads:
        specials[bisect.bisect_right(starts, line) - 1].add(name)
    return Analysis(
        module, stmts, future, refs, frozenset(checker.live), [frozenset(s) for s in specials]
    )


def _add(refs: dict[str, str], name: str, kind: str) -> None:
    old = refs.get(name)
    if old is None or _RANK[kind] > _RANK[old]:
        refs[name] = kind


def _statements(module: cst.Module, positions: object) -> list[Stmt]:
    stmts = []
    for index, node in enumerate(module.body):
        pos = positions[node]  # type: ignore[index]
        stmt = Stmt(index, node, module.code_for_node(node), pos.start.line, pos.end.line)
        decorators = getattr(node, "decorators", ())
        stmt.first_line = positions[decorators[0]].start.line if decorators else pos.start.line  # type: ignore[index]
        stmt.binds, stmt.unbinds = bindings(node)
        stmt.certain = frozenset(certain_binds(node))
        stmts.append(stmt)
    for stmt in stmts:
        stmt.kind = classify(stmt, stmt.index == 0)
    return stmts


def _strip_all_updates(module: cst.Module, stmts: list[Stmt]) -> None:
    """Moved code loses its guarded ``__all__`` updates; __init__ makes them (allupdates.py)."""
    for stmt in stmts:
        if stmt.kind != "code":
            continue
        node, names = strip_guarded(stmt.node)
        if not names:
            continue
        stmt.node, stmt.all_updates = node, names
        # the leading comments and blank lines are part of the statement node: code stays whole
        stmt.code = module.code_for_node(node)
        stmt.binds, stmt.unbinds = bindings(node)
        stmt.certain = frozenset(certain_binds(node))


def _edge_kind(access: object, scope: object, future: bool) -> str:
    # a string annotation is never evaluated, in a function's nested defs neither (jinja2's
    # ``optimizeconst`` annotating ``self: "CodeGenerator"`` does not need the class)
    if isinstance(access.node, cst.SimpleString):  # type: ignore[attr-defined]
        return "A"
    chain = scope
    while chain is not None and not isinstance(chain, GlobalScope):
        if isinstance(chain, FunctionScope):
            return "C"
        chain = chain.parent  # type: ignore[attr-defined]
    # Without `from __future__ import annotations`, class-body and signature annotations
    # (``items: List[LineItem]`` in a dataclass) are evaluated when the module runs.
    if getattr(access, "is_annotation", False) and future:
        return "A"
    return "I"


def _global_names(access: object, gscope: object) -> set[str]:
    """Top-level names an access resolves to (string annotations are parsed here)."""
    node = access.node  # type: ignore[attr-defined]
    found = {
        r.name.partition(".")[0]
        for r in access.referents  # type: ignore[attr-defined]
        if r.scope is gscope
    }
    if isinstance(node, cst.SimpleString) and not found:
        try:
            expr = cst.parse_expression(node.evaluated_value)  # type: ignore[arg-type]
        except Exception:  # noqa: BLE001 - any unparsable string annotation names nothing
            return found
        names = _NameCollector()
        expr.visit(names)
        found = {n for n in names.names if n in gscope}  # type: ignore[operator]
    return found


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_Name(self, node: cst.Name) -> None:
        self.names.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)
        return False


class _Checker(cst.CSTVisitor):
    """Find what makes names untrackable, ``global`` declarations, and reads of __name__ etc."""

    def __init__(self, positions: object, scopes: object, allowed: set[int]) -> None:
        self.allowed = allowed  # literal ``__all__`` updates kept exactly (allupdates.py)
        self.positions = positions
        self.scopes = scopes
        self.refusals: list[str] = []
        self.live: set[str] = set()
        self.special_reads: set[tuple[int, str]] = set()  # (line, name)
        self._attr_names: set[int] = set()
        self.called: set[int] = (
            set()
        )  # names called (or used as decorators) where they appear  # ``x.__name__`` is an attribute, not the global
        self._hooks = 0  # depth inside the module's ``__getattr__``/``__dir__`` (stay in __init__)
        self._lookups: set[int] = set()  # ``globals()`` calls only looked up in (``[k]``, ``.get``)
        self._writes: set[int] = set()  # ``globals()[k] = ...`` / ``del globals()[k]``

    def _line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line  # type: ignore[index]

    def _refuse(self, node: cst.CSTNode, why: str) -> None:
        if not any(r.endswith(why) for r in self.refusals):  # one line per kind of problem
            self.refusals.append(f"line {self._line(node)}: {why}")

    def visit_Global(self, node: cst.Global) -> None:
        self.live.update(n.name.value for n in node.names)

    def visit_ImportStar(self, node: cst.ImportStar) -> None:
        self._refuse(
            node, "`from ... import *` inside the file; the names it binds cannot be tracked"
        )

    def _mark_called(self, node: cst.BaseExpression) -> None:
        while isinstance(node, (cst.Attribute, cst.Call, cst.Subscript)):
            node = node.func if isinstance(node, cst.Call) else node.value
        if isinstance(node, cst.Name):
            self.called.add(id(node))

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self._mark_called(node.decorator)

    def visit_Call(self, node: cst.Call) -> None:
        self._mark_called(node.func)
        func = node.func
        if not isinstance(func, cst.Name):
            return
        scope = self.scopes.get(node)  # type: ignore[attr-defined]
        at_module = isinstance(scope, GlobalScope)
        if func.value == "globals":
            # the package __init__ re-exports every top-level name, so a hook left there can
            # look a name up in its globals(); anything else would see a different namespace
            if not (self._hooks and id(node) in self._lookups and id(node) not in self._writes):
                self._refuse(
                    node,
                    "`globals()` reads the module namespace; names cannot be "
                    "tracked (only `globals()[name]` lookups inside the module's "
                    "`__getattr__` can be kept)",
                )
        elif func.value in ("locals", "vars") and not node.args and at_module:
            self._refuse(node, f"`{func.value}()` of module globals; names cannot be tracked")
        elif func.value in ("exec", "eval") and len(node.args) == 1:
            self._refuse(
                node,
                f"`{func.value}()` without a namespace runs in the module's globals;"
                " names cannot be tracked",
            )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if _is_hook(node, self.scopes):
            self._hooks += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        if _is_hook(original_node, self.scopes):
            self._hooks -= 1

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._note_write(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._note_write(node.target)

    def _note_write(self, target: cst.BaseExpression) -> None:
        elements = (
            [e.value for e in target.elements]
            if isinstance(target, (cst.Tuple, cst.List))
            else [target]
        )
        for value in elements:
            if isinstance(value, cst.Subscript) and _is_globals_call(value.value):
                self._writes.add(id(value.value))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if _is_globals_call(node.value):
            self._lookups.add(id(node.value))
        code = cst.Module([]).code_for_node(node)
        if code.replace(" ", "").startswith("sys.modules[") and "__name__" in code:
            self._refuse(node, "`sys.modules[__name__]` refers to the module object itself")

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._note_write(node.target)
        if (
            isinstance(node.target, cst.Name)
            and node.target.value == "__all__"
            and id(node.target) not in self.allowed
        ):
            self._refuse(node, "`__all__` is computed (`+=`); keep it a single literal assignment")

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._attr_names.add(id(node.attr))
        if _is_globals_call(node.value) and node.attr.value == "get":
            self._lookups.add(id(node.value))
        if (
            isinstance(node.value, cst.Name)
            and node.value.value == "__all__"
            and id(node) not in self.allowed
            and node.attr.value in ("append", "extend", "insert", "remove", "pop", "clear")
        ):
            self._refuse(node, "`__all__` is changed after it is built; keep it a single literal")

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "__path__" and isinstance(self.scopes.get(node), GlobalScope):  # type: ignore[attr-defined]
            self._refuse(node, "the module sets or reads `__path__` (it poses as a package)")
        if node.value in SPECIAL_NAMES and id(node) not in self._attr_names:
            self.special_reads.add((self._line(node), node.value))


def _is_globals_call(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.Call)
        and not node.args
        and isinstance(node.func, cst.Name)
        and node.func.value == "globals"
    )


def _is_hook(node: cst.FunctionDef, scopes: object) -> bool:
    """A module-level ``__getattr__``/``__dir__``: it stays in the package's __init__."""
    return node.name.value in ("__getattr__", "__dir__") and isinstance(
        scopes.get(node), GlobalScope
    )  # type: ignore[attr-defined]
