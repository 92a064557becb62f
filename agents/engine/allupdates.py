"""Literal updates of ``__all__`` after it is built (``__all__ += [...]``, ``.extend``, ``.append``).

They are kept exactly when they only add string literals, at module level (possibly inside
``if``/``try`` blocks):
  - a line, or an ``if``/``try`` block, holding nothing but such updates stays in the package's
    ``__init__`` verbatim, after ``__all__`` (stdlib-style ``if sys.platform == ...:``);
  - an update inside a block that also runs other code (opcode.py's ``try: from _opcode import
    stack_effect; __all__.append('stack_effect')``, poplib.py's ``if HAVE_SSL: class POP3_SSL
    ...; __all__.append("POP3_SSL")``) is "guarded": it must add the one name that the statement
    right before it binds, as its last action. Then it ran if and only if that name exists once
    the module has imported, so ``__init__`` adds the name when it exists; the update itself is
    removed from the moved code (there is no ``__all__`` there).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import libcst as cst

from modularize.agents.engine.kinds import Kind
from modularize.agents.engine.model import Refusal

if TYPE_CHECKING:  # statements.py imports this module
    from modularize.agents.engine.statements import Stmt


def update_names(small: cst.CSTNode) -> list[str] | None:
    """The names a small statement adds to ``__all__``, if it is a literal update of it."""
    if isinstance(small, cst.AugAssign):
        if _is_all(small.target) and isinstance(small.operator, cst.AddAssign):
            return _literal_strings(small.value)
        return None
    if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
        return None
    call = small.value
    func = call.func
    if (
        not (isinstance(func, cst.Attribute) and _is_all(func.value))
        or len(call.args) != 1
        or call.args[0].keyword is not None
        or call.args[0].star
    ):
        return None
    arg = call.args[0].value
    if func.attr.value == "append":
        value = _string_value(arg)
        return None if value is None else [value]
    if func.attr.value == "extend":
        return _literal_strings(arg)
    return None


def literal_updates(node: cst.BaseStatement) -> list[bool]:
    """For each small statement of a top-level statement's lines (at its level, also inside
    if/try blocks, in order): whether it is a literal update of ``__all__``."""
    return [update_names(small) is not None for line in _lines([node]) for small in line.body]


def is_update_only(node: cst.CSTNode) -> bool:
    """A top-level line or ``if``/``try`` block doing nothing but literal ``__all__`` updates."""
    if isinstance(node, cst.SimpleStatementLine):
        return all(update_names(s) is not None for s in node.body)
    if not isinstance(node, (cst.If, cst.Try)):
        return False
    lines = list(_lines([node]))
    if _nested_other(node) or not lines:
        return False
    smalls = [s for line in lines for s in line.body]
    updates = [s for s in smalls if update_names(s) is not None]
    return bool(updates) and all(
        update_names(s) is not None or isinstance(s, cst.Pass) for s in smalls
    )


def strip_guarded(node: cst.BaseStatement) -> tuple[cst.BaseStatement, tuple[str, ...]]:
    """``node`` without its guarded updates, and the names they add, in order.

    Raise Refusal when an update cannot be guarded exactly (see the module docstring).
    """
    if not isinstance(node, (cst.If, cst.Try)) or not any(
        update_names(s) is not None for line in _lines([node]) for s in line.body
    ):
        return node, ()
    stripper = _Stripper()
    new = node.visit(stripper)
    assert isinstance(new, (cst.If, cst.Try)), "the stripper only edits the block's lines"
    if any(update_names(s) is not None for line in _lines([new]) for s in line.body):
        raise Refusal(
            "`__all__` is updated on one line with other code of a block; keep it a single literal"
        )
    return new, tuple(stripper.names)


class _Stripper(cst.CSTTransformer):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_For(self, node: cst.For) -> bool:
        return False

    def visit_While(self, node: cst.While) -> bool:
        return False

    def visit_With(self, node: cst.With) -> bool:
        return False

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        body = list(updated_node.body)
        kept: list[cst.BaseStatement] = []
        for index, stmt in enumerate(body):
            names = _line_update(stmt)
            if names is None:
                kept.append(stmt)
                continue
            before = body[index - 1] if index else None
            if len(names) != 1 or before is None or _binds_last(before) != names[0]:
                raise Refusal(
                    f"`__all__.append/extend` or `+=` of {names!r} inside a block that "
                    "also runs other code, not right after the statement binding "
                    "that one name; keep `__all__` a single literal"
                )
            self.names.append(names[0])
        return updated_node.with_changes(body=kept)


def _line_update(stmt: cst.BaseStatement) -> list[str] | None:
    if not isinstance(stmt, cst.SimpleStatementLine):
        return None
    if all(update_names(s) is None for s in stmt.body):
        return None
    if len(stmt.body) != 1:
        raise Refusal(
            "`__all__` is updated on a line with other statements; keep it a single literal"
        )
    return update_names(stmt.body[0])


def _binds_last(stmt: cst.BaseStatement) -> str | None:
    """The one name a statement binds as its very last action (class/def/import/assign)."""
    if isinstance(stmt, (cst.ClassDef, cst.FunctionDef)):
        return stmt.name.value
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return None
    small = stmt.body[0]
    if (
        isinstance(small, (cst.Import, cst.ImportFrom))
        and not isinstance(small.names, cst.ImportStar)
        and len(small.names) == 1
    ):
        alias = small.names[0]
        if alias.asname is not None:
            return getattr(alias.asname.name, "value", None)
        return alias.name.value if isinstance(alias.name, cst.Name) else None
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
    ):
        return small.targets[0].target.value
    return None


def _lines(
    body: Sequence[cst.CSTNode],
) -> list[cst.SimpleStatementLine | cst.SimpleStatementSuite]:
    """Simple lines (and one-line suites) at module level, also inside if/try blocks."""
    found: list[cst.SimpleStatementLine | cst.SimpleStatementSuite] = []
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            found.append(stmt)
        elif isinstance(stmt, (cst.If, cst.Try)):
            for block in _suites(stmt):
                if isinstance(block, cst.SimpleStatementSuite):
                    found.append(block)  # ``if x: __all__ += [...]`` on one line
                else:
                    found += _lines(block.body)
    return found


def _suites(node: cst.CSTNode) -> list[cst.BaseSuite]:
    """The blocks of an if/try statement: body, elif/else, handlers, finally."""
    if isinstance(node, cst.If):
        return [node.body] + (_suites(node.orelse) if node.orelse is not None else [])
    if isinstance(node, (cst.Else, cst.Finally, cst.ExceptHandler)):
        return [node.body]
    if isinstance(node, cst.Try):
        parts = [node.body] + [h.body for h in node.handlers]
        return parts + [extra.body for extra in (node.orelse, node.finalbody) if extra is not None]
    return []


def _nested_other(node: cst.CSTNode) -> bool:
    """True when an if/try block holds a statement other than simple lines and if/try."""
    for block in _suites(node):
        if isinstance(block, cst.SimpleStatementSuite):
            continue
        for stmt in block.body:
            if isinstance(stmt, (cst.If, cst.Try)):
                if _nested_other(stmt):
                    return True
            elif not isinstance(stmt, cst.SimpleStatementLine):
                return True
    return False


def _is_all(node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Name) and node.value == "__all__"


def _string_value(node: cst.CSTNode) -> str | None:
    value = node.evaluated_value if isinstance(node, cst.SimpleString) else None
    return value if isinstance(value, str) else None


def _literal_strings(node: cst.CSTNode) -> list[str] | None:
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    values = [_string_value(e.value) if isinstance(e, cst.Element) else None for e in node.elements]
    strings = [v for v in values if v is not None]
    return strings if len(strings) == len(values) else None


def render_updates(stmts: list[Stmt], all_index: int, served: frozenset[str]) -> str:
    """The updates of ``__all__``, in original order, for the package's ``__init__``.

    ``stmts`` are the original's statements after ``__all__ = [...]`` (index ``all_index``);
    a guarded name not bound on every path is served live, and ``__dir__`` lists it exactly
    when it exists.
    """
    text: list[str] = []
    for stmt in stmts:
        if stmt.index <= all_index:
            continue
        if stmt.kind is Kind.ALL_UPDATE:
            text.append(stmt.code)
        for name in stmt.all_updates:
            if name in served:
                text.append(f"if {name!r} in __dir__():\n    __all__.append({name!r})\n")
            else:
                text.append(f"__all__.append({name!r})\n")
    if not text:
        return ""
    return (
        "\n\n# The original added these to `__all__` after building it (the guarded ones\n"
        "# where the name they export was bound, which is exactly when it exists now).\n"
        + "".join(text)
    )
