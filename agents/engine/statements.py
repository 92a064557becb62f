"""Top-level statements of a module: what each one is, and which module-level names it binds."""

from __future__ import annotations

import dataclasses
import functools

import libcst as cst

from modularize.agents.core.syntax import is_main_test_code
from modularize.agents.engine.allupdates import is_update_only
from modularize.agents.engine.cstwalk import closed, nodes
from modularize.agents.engine.kinds import Kind


@dataclasses.dataclass
class Stmt:
    """One top-level statement with its source text (leading comments included)."""

    index: int
    node: cst.BaseStatement
    code: str
    line: int  # first line of the statement itself (1-based)
    kind: Kind = Kind.CODE
    binds: tuple[str, ...] = ()  # module-level names bound, in order
    first_line: int = 0  # where the statement's code starts: its first decorator, if any
    certain: frozenset[str] = frozenset()  # the names bound on every path (see certain_binds)
    unbinds: tuple[str, ...] = ()  # names removed with a top-level ``del``
    all_updates: tuple[str, ...] = ()  # names its guarded ``__all__`` updates add (allupdates)

    @property
    def lines(self) -> int:
        """Lines this statement occupies, leading comments included."""
        return self.code.count("\n") or 1


_CODE = cst.Module([])  # renders a node's code
# Plain isinstance checks, not libcst.matchers: importing the matchers costs about 0.3 s of CPU
# in every process (the CLI, each pool worker), more than most files take to plan.


def _is_name(node: cst.CSTNode | None, value: str) -> bool:
    return isinstance(node, cst.Name) and node.value == value


def _is_type_checking_if(node: cst.CSTNode) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:`` (an ``else`` allowed)."""
    if not isinstance(node, cst.If):
        return False
    test = node.test
    return _is_name(test, "TYPE_CHECKING") or (
        isinstance(test, cst.Attribute) and _is_name(test.attr, "TYPE_CHECKING")
    )


def _single(node: cst.CSTNode, kind: type[cst.CSTNode]) -> cst.CSTNode | None:
    """The one small statement of a simple line when it is a ``kind``, else None."""
    if isinstance(node, cst.SimpleStatementLine) and len(node.body) == 1:
        inner = node.body[0]
        return inner if isinstance(inner, kind) else None
    return None


def is_import_line(node: cst.CSTNode) -> bool:
    """A simple line holding only imports (no star import)."""
    if not isinstance(node, cst.SimpleStatementLine):
        return False
    return all(
        isinstance(s, (cst.Import, cst.ImportFrom))
        and not isinstance(getattr(s, "names", None), cst.ImportStar)
        for s in node.body
    )


def is_future_line(node: cst.CSTNode) -> bool:
    """``from __future__ import ...``."""
    return isinstance(node, cst.SimpleStatementLine) and all(
        isinstance(s, cst.ImportFrom) and _is_name(s.module, "__future__") for s in node.body
    )


def is_docstring(node: cst.CSTNode) -> bool:
    """A string expression statement (the module docstring when it comes first)."""
    expr = _single(node, cst.Expr)
    return isinstance(expr, cst.Expr) and isinstance(
        expr.value, (cst.SimpleString, cst.ConcatenatedString)
    )


def is_main_block(node: cst.CSTNode) -> bool:
    """``if __name__ == "__main__":`` without an else branch (core.syntax decides the test)."""
    if not isinstance(node, cst.If) or node.orelse is not None:
        return False
    return isinstance(node.test, cst.Comparison) and is_main_test_code(
        _CODE.code_for_node(node.test)
    )


def is_typing_if(node: cst.CSTNode) -> bool:
    """``if TYPE_CHECKING:`` without an ``else``: its body never runs."""
    return _is_type_checking_if(node) and cst.ensure_type(node, cst.If).orelse is None


def is_typing_block(node: cst.CSTNode) -> bool:
    """``if TYPE_CHECKING:`` holding only import lines."""
    if not is_typing_if(node):
        return False
    return all(is_import_line(s) for s in cst.ensure_type(node, cst.If).body.body)


def alias_binding(alias: cst.ImportAlias) -> str:
    """The name an import alias binds: ``import a.b`` binds ``a``, ``as c`` binds ``c``."""
    if alias.asname is not None:
        return cst.ensure_type(alias.asname.name, cst.Name).value
    name: cst.BaseExpression = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value
    return cst.ensure_type(name, cst.Name).value


class _Binder(cst.CSTVisitor):
    """Collect names bound in module scope by one top-level statement (bodies not entered)."""

    def __init__(self) -> None:
        self.binds: list[str] = []
        self.unbinds: list[str] = []

    def _add(self, name: str) -> None:
        if name not in self.binds:
            self.binds.append(name)

    def _targets(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self._add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for el in node.elements:
                self._targets(el.value)
        elif isinstance(node, cst.StarredElement):
            self._targets(node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self._add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self._add(node.name.value)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._targets(target.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._targets(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._targets(node.asname.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._targets(node.target)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._add(alias_binding(alias))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                self._add(alias_binding(alias))

    def visit_Del(self, node: cst.Del) -> None:
        names: list[str] = []
        keep = self.binds
        self.binds = names
        self._targets(node.target)
        self.binds = keep
        self.unbinds.extend(n for n in names if n not in self.unbinds)

    def visit_CompFor(self, node: cst.CompFor) -> bool:
        return False  # comprehension variables are local to the comprehension


@functools.lru_cache(maxsize=8)  # the analysis asks, then ``certain_binds`` for the same node
def bindings(node: cst.BaseStatement) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(names bound, names deleted) at module level by one top-level statement."""
    binder = _Binder()
    node.visit(binder)
    return tuple(binder.binds), tuple(binder.unbinds)


def classify(stmt: Stmt, first: bool) -> Kind:
    """The kind of one top-level statement (see ``kinds.Kind``)."""
    node = stmt.node
    if first and is_docstring(node):
        return Kind.DOC
    if is_future_line(node):
        return Kind.FUTURE
    if is_import_line(node):
        return Kind.IMPORT
    if is_typing_block(node):
        return Kind.TYPING
    if is_main_block(node):
        return Kind.MAIN
    assign = _single(node, cst.Assign)
    if (
        stmt.binds == ("__all__",)
        and isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
    ):
        return Kind.ALL
    if is_update_only(node):
        return Kind.ALL_UPDATE
    if isinstance(node, cst.FunctionDef) and node.name.value in ("__getattr__", "__dir__"):
        return Kind.INIT
    return Kind.CODE


def certain_binds(node: cst.CSTNode) -> set[str]:
    """Names a top-level statement binds on every path that finishes the import.

    ``if`` without ``else``, loops, and ``try`` handlers that do not bind a name make it
    "maybe bound" (``if os.name == "nt": import ctypes``): such names are served live.
    """
    if isinstance(node, (cst.SimpleStatementLine, cst.FunctionDef, cst.ClassDef)):
        return set(bindings(node)[0])
    if isinstance(node, cst.If):
        other = certain_block(node.orelse) if node.orelse is not None else set()
        return certain_block(node.body) & other
    if isinstance(node, cst.Else):
        return certain_block(node.body)
    if isinstance(node, cst.With):
        return certain_block(node.body)
    if isinstance(node, cst.Try):
        done = certain_block(node.body) | (
            certain_block(node.orelse.body) if node.orelse is not None else set()
        )
        for handler in node.handlers:
            if not _reraises(handler.body):
                done &= certain_block(handler.body)
        if node.finalbody is not None:
            done |= certain_block(node.finalbody.body)
        return done
    return set()


def certain_block(block: cst.CSTNode) -> set[str]:
    """``certain_binds`` over the statements of an indented block (or an ``else``)."""
    if isinstance(block, (cst.If, cst.Else)):
        return certain_binds(block)
    found: set[str] = set()
    for stmt in getattr(block, "body", ()):
        found |= certain_binds(stmt)
    return found


def _reraises(block: cst.BaseSuite) -> bool:
    body = getattr(block, "body", ())
    last = body[-1] if body else None
    return isinstance(last, cst.SimpleStatementLine) and any(
        isinstance(s, cst.Raise) for s in last.body
    )


# imports in functions and classes bind names there, not in the module's namespace
_OWN_NAMESPACE = closed(cst.FunctionDef, cst.ClassDef)


def imported_names(node: cst.CSTNode) -> set[str]:
    """Module-level names a statement binds with ``import`` (``try: import x``, ``if ...:``)."""
    names: set[str] = set()
    for child in nodes(node, _OWN_NAMESPACE):
        if isinstance(child, (cst.Import, cst.ImportFrom)):
            aliases = child.names
            if not isinstance(aliases, cst.ImportStar):
                names.update(alias_binding(a) for a in aliases)
    return names
