"""Keys of statements for the static checks (pure): a moved statement keys like its original.

A key is the statement's whole tree as text, like ``ast.dump`` without positions, read with the
writer's exact rewrites undone (``rewrite.py``): ``__package__`` reads were ``__name__``, the
original-path constant was ``__file__``, and relative imports inside moved code gained a level.
``class_key`` also reads a method moved to a mixin as its class had it (``classcheck.py``).
Keys are written straight from the tree: copying each statement to edit it cost more than all
the rest of the checks.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from modularize.agents.engine.members import is_mangled
from modularize.agents.engine.rewrite import ORIGINAL_FILE

_RENAMED = {"__package__": "__name__", ORIGINAL_FILE: "__file__"}

# A node's fields read otherwise than written (None: as written).
_Edit = Callable[[ast.AST], dict[str, object] | None]


def statement_key(stmt: ast.stmt) -> str:
    """The statement as the original wrote it."""
    out: list[str] = []
    _write_node(stmt, _undo_rewrites, out)
    return "".join(out)


def class_key(stmt: ast.stmt, cls: str, supers: frozenset[str]) -> str:
    """The statement as the original wrote it in class ``cls``, whichever class (``supers``:
    the class and its mixins) now holds it: name-mangled ``__x`` read as Python reads it in
    ``cls`` (``_Cls__x``), and ``super(Mixin, self)`` as the ``super()`` it was."""
    prefix = f"_{cls.lstrip('_')}" if cls.strip("_") else ""

    def mangled(name: str) -> str:
        return f"{prefix}{name}" if prefix and is_mangled(name) else name

    def edit(node: ast.AST) -> dict[str, object] | None:
        if isinstance(node, ast.Name):
            return {"id": mangled(_RENAMED.get(node.id, node.id))}
        if isinstance(node, ast.Attribute):
            return {"attr": mangled(node.attr)}
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return {"name": mangled(node.name)}
        if isinstance(node, ast.arg):
            return {"arg": mangled(node.arg)}
        if isinstance(node, ast.Call):
            return {"args": []} if _super_of(node, supers) else None
        return _undo_rewrites(node)

    out: list[str] = []
    _write_node(stmt, edit, out)
    return "".join(out)


def _super_of(node: ast.Call, supers: frozenset[str]) -> bool:
    """``super(Mixin, self)``: how the split writes a moved method's ``super()``."""
    first = node.args[0] if len(node.args) == 2 else None
    if getattr(node.func, "id", "") != "super" or not isinstance(first, ast.Name):
        return False
    return _RENAMED.get(first.id, first.id) in supers


def _undo_rewrites(node: ast.AST) -> dict[str, object] | None:
    if isinstance(node, ast.Name) and node.id in _RENAMED:
        return {"id": _RENAMED[node.id]}
    if isinstance(node, ast.ImportFrom):
        return {"level": 0}
    return None


def _write_node(node: ast.AST, edit: _Edit, out: list[str]) -> None:
    """``Kind(field, field, )`` of a node, as edited. Plain values and field-less nodes are
    written in place, not by a call each: a module has hundreds of thousands of them."""
    fields = node._fields
    if not fields:  # ``Load()``, ``Add()``: nothing an edit could change
        out.append(f"{type(node).__name__}()")
        return
    changed = edit(node)
    out.append(type(node).__name__)
    out.append("(")
    for field in fields:
        if changed is not None and field in changed:
            value = changed[field]
        else:
            value = getattr(node, field, None)
        if isinstance(value, ast.AST):
            _write_node(value, edit, out)
        elif isinstance(value, list):
            _write_list(value, edit, out)
        else:
            out.append(repr(value))
        out.append(", ")
    out.append(")")


def _write_list(values: list[object], edit: _Edit, out: list[str]) -> None:
    out.append("[")
    for item in values:
        if isinstance(item, ast.AST):
            _write_node(item, edit, out)
        elif isinstance(item, list):
            _write_list(item, edit, out)
        else:
            out.append(repr(item))
        out.append(", ")
    out.append("]")
