"""Scope analysis of one module: statements, what each reads (and when), and refusals.

Edges between statements come from LibCST's ScopeProvider. An edge (``kinds.Edge``) is
  IMPORT: the name is read while the module executes (base classes, decorators, default
     values, class bodies, module-level expressions and comprehensions); IMPORT_CALL when
     it is also called then;
  CALL: the name is read inside a function or lambda body;
  ANNOTATION: the name is read only in an annotation that is never evaluated at import time
     (``from __future__ import annotations``, or a string annotation).
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
from collections.abc import Mapping

import libcst as cst
from libcst.metadata import (
    Access,
    CodeRange,
    FunctionScope,
    GlobalScope,
    MetadataWrapper,
    PositionProvider,
    Scope,
    ScopeProvider,
)

from modularize.agents.engine.allupdates import allowed_nodes, strip_guarded
from modularize.agents.engine.doctests import doctest_refs
from modularize.agents.engine.kinds import Edge, Kind, stronger
from modularize.agents.engine.model import Refusal
from modularize.agents.engine.statements import (
    Stmt,
    bindings,
    certain_binds,
    classify,
    is_future_line,
)

SPECIAL_NAMES = ("__name__", "__file__", "__doc__")
_Positions = Mapping[cst.CSTNode, CodeRange]
_Scopes = Mapping[cst.CSTNode, Scope | None]


@dataclasses.dataclass
class Analysis:
    """Everything later stages need to know about the original module."""

    module: cst.Module
    stmts: list[Stmt]
    future_annotations: bool
    refs: list[dict[str, Edge]]  # per statement: top-level name -> strongest edge kind
    live: frozenset[str]  # names rebound inside functions with ``global``
    specials: list[frozenset[str]]  # per statement: which of __name__/__file__/__doc__ it reads
    declared: list[frozenset[str]]  # per statement: names its functions declare ``global``
    # statements reading the module namespace (``globals()``, module-level ``vars()``...):
    # while the module imports, or inside a function they define
    namespace: frozenset[int] = frozenset()
    namespace_functions: frozenset[int] = frozenset()
    # per statement: names of the module its doctest examples use and its code does not
    # (counted as call-time reads, so that the examples still find them after the split)
    doc_refs: list[frozenset[str]] = dataclasses.field(default_factory=list)


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
    refs: list[dict[str, Edge]] = [{} for _ in stmts]
    gscope = scopes[module]
    assert isinstance(gscope, GlobalScope), "ScopeProvider gives every module its global scope"
    for scope in {s for s in scopes.values() if s is not None}:
        for access in scope.accesses:
            kind = _edge_kind(access, scope, future)
            if kind is Edge.IMPORT and id(access.node) in checker.called:
                # called at import time: what it calls runs at import time too
                kind = Edge.IMPORT_CALL
            index = bisect.bisect_right(starts, positions[access.node].start.line) - 1
            for name in _global_names(access, gscope):
                refs[index][name] = stronger(refs[index].get(name), kind)
    doc_refs = doctest_refs(stmts, refs)
    specials: list[set[str]] = [set() for _ in stmts]
    for line, name in checker.special_reads:
        specials[bisect.bisect_right(starts, line) - 1].add(name)
    declared: list[set[str]] = [set() for _ in stmts]
    for line, name in checker.declared:
        declared[bisect.bisect_right(starts, line) - 1].add(name)
    return Analysis(
        module,
        stmts,
        future,
        refs,
        frozenset(checker.live),
        [frozenset(s) for s in specials],
        [frozenset(d) for d in declared],
        frozenset(bisect.bisect_right(starts, line) - 1 for line in checker.namespace),
        frozenset(bisect.bisect_right(starts, line) - 1 for line in checker.namespace_functions),
        doc_refs,
    )


def _statements(module: cst.Module, positions: _Positions) -> list[Stmt]:
    stmts = []
    for index, node in enumerate(module.body):
        pos = positions[node]
        stmt = Stmt(index, node, module.code_for_node(node), pos.start.line, pos.end.line)
        decorators = getattr(node, "decorators", ())
        stmt.first_line = positions[decorators[0]].start.line if decorators else pos.start.line
        stmt.binds, stmt.unbinds = bindings(node)
        stmt.certain = frozenset(certain_binds(node))
        stmts.append(stmt)
    for stmt in stmts:
        stmt.kind = classify(stmt, stmt.index == 0)
    return stmts


def _strip_all_updates(module: cst.Module, stmts: list[Stmt]) -> None:
    """Moved code loses its guarded ``__all__`` updates; __init__ makes them (allupdates.py)."""
    for stmt in stmts:
        if stmt.kind is not Kind.CODE:
            continue
        node, names = strip_guarded(stmt.node)
        if not names:
            continue
        stmt.node, stmt.all_updates = node, names
        # the leading comments and blank lines are part of the statement node: code stays whole
        stmt.code = module.code_for_node(node)
        stmt.binds, stmt.unbinds = bindings(node)
        stmt.certain = frozenset(certain_binds(node))


def _edge_kind(access: Access, scope: Scope, future: bool) -> Edge:
    # a string annotation is never evaluated, in a function's nested defs neither (jinja2's
    # ``optimizeconst`` annotating ``self: "CodeGenerator"`` does not need the class)
    if isinstance(access.node, cst.SimpleString):
        return Edge.ANNOTATION
    chain = scope
    while not isinstance(chain, GlobalScope):
        if isinstance(chain, FunctionScope):
            return Edge.CALL
        chain = chain.parent
    # Without `from __future__ import annotations`, class-body and signature annotations
    # (``items: List[LineItem]`` in a dataclass) are evaluated when the module runs.
    if access.is_annotation and future:
        return Edge.ANNOTATION
    return Edge.IMPORT


def _global_names(access: Access, gscope: Scope) -> set[str]:
    """Top-level names an access resolves to (string annotations are parsed here)."""
    node = access.node
    found = {r.name.partition(".")[0] for r in access.referents if r.scope is gscope}
    text = node.evaluated_value if isinstance(node, cst.SimpleString) else None
    if isinstance(text, str) and not found:
        try:
            expr = cst.parse_expression(text)
        except Exception:  # noqa: BLE001 - any unparsable string annotation names nothing
            return found
        names = _NameCollector()
        expr.visit(names)
        found = {n for n in names.names if n in gscope}
    if not found and getattr(access, "is_annotation", False) and isinstance(node, cst.Name):
        # LibCST leaves an annotation naming a class defined further down without referents
        # (a forward reference, fine under ``from __future__ import annotations``)
        bound = gscope.assignments[node.value]
        found = {node.value} if any(a.scope is gscope for a in bound) else set()
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

    def __init__(self, positions: _Positions, scopes: _Scopes, allowed: set[int]) -> None:
        self.allowed = allowed  # literal ``__all__`` updates kept exactly (allupdates.py)
        self.positions = positions
        self.scopes = scopes
        self.refusals: list[str] = []
        self.live: set[str] = set()
        self.declared: set[tuple[int, str]] = set()  # (line, name) of ``global`` declarations
        self.namespace: set[int] = set()  # lines reading the namespace at import time
        self.namespace_functions: set[int] = set()  # lines of functions reading it
        self.special_reads: set[tuple[int, str]] = set()  # (line, name)
        self._attr_names: set[int] = set()
        self.called: set[int] = (
            set()
        )  # names called (or used as decorators) where they appear  # ``x.__name__`` is an attribute, not the global
        self._hooks = 0  # depth inside the module's ``__getattr__``/``__dir__`` (stay in __init__)
        self._lookups: set[int] = set()  # ``globals()`` calls only looked up in (``[k]``, ``.get``)
        self._writes: set[int] = set()  # ``globals()[k] = ...`` / ``del globals()[k]``

    def _line(self, node: cst.CSTNode) -> int:
        return self.positions[node].start.line

    def _refuse(self, node: cst.CSTNode, why: str) -> None:
        if not any(r.endswith(why) for r in self.refusals):  # one line per kind of problem
            self.refusals.append(f"line {self._line(node)}: {why}")

    def visit_Global(self, node: cst.Global) -> None:
        self.live.update(n.name.value for n in node.names)
        self.declared.update((self._line(node), n.name.value) for n in node.names)

    def visit_ImportStar(self, node: cst.ImportStar) -> None:
        self._refuse(
            node,
            "`from ... import *` inside the file, and the names it binds could not be "
            "resolved in the project's interpreter (does that module import?); "
            "import the names it needs by name",
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
        scope = self.scopes.get(node)
        at_module = isinstance(scope, GlobalScope)
        if func.value == "globals":
            # the package __init__ re-exports every top-level name, so a hook left there can
            # look a name up in its globals(); other code reading the namespace stays in
            # __init__ too, after the re-exports (context.py), where it finds the same names
            if self._hooks and id(node) in self._lookups and id(node) not in self._writes:
                return
            if not _in_function(scope):
                self.namespace.add(self._line(node))
            elif id(node) in self._writes:
                self._refuse(
                    node,
                    "a function writes to the module namespace through `globals()`; the "
                    "names it binds cannot be tracked",
                )
            else:
                self.namespace_functions.add(self._line(node))
        elif func.value in ("locals", "vars", "dir") and not node.args and at_module:
            self.namespace.add(self._line(node))
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
        if node.value == "__path__" and isinstance(self.scopes.get(node), GlobalScope):
            self._refuse(node, "the module sets or reads `__path__` (it poses as a package)")
        if node.value in SPECIAL_NAMES and id(node) not in self._attr_names:
            self.special_reads.add((self._line(node), node.value))


def _in_function(scope: object) -> bool:
    while scope is not None and not isinstance(scope, GlobalScope):
        if isinstance(scope, FunctionScope):
            return True
        scope = scope.parent  # type: ignore[attr-defined]
    return False


def _is_globals_call(node: cst.CSTNode) -> bool:
    return (
        isinstance(node, cst.Call)
        and not node.args
        and isinstance(node.func, cst.Name)
        and node.func.value == "globals"
    )


def _is_hook(node: cst.FunctionDef, scopes: _Scopes) -> bool:
    """A module-level ``__getattr__``/``__dir__``: it stays in the package's __init__."""
    return node.name.value in ("__getattr__", "__dir__") and isinstance(
        scopes.get(node), GlobalScope
    )
