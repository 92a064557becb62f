"""What makes a module's names untrackable, and its reads of the module namespace (pure).

Fed by the ``ast`` walk of reads.py, node by node, with the scope each node is evaluated in:
refusals (``exec``/``eval`` without a namespace, ``from x import *``, writes through
``globals()`` in functions, ``sys.modules[__name__]``, a computed ``__all__``, ``__path__``),
``global`` declarations, reads of ``__name__``/``__file__``/``__doc__``, and statements that
read the namespace (``globals()``, module-level ``vars()``...).
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from modularize.agents.engine import scopes
from modularize.agents.engine.scopes import Scope

SPECIAL_NAMES = ("__name__", "__file__", "__doc__")
_MUTATORS = ("append", "extend", "insert", "remove", "pop", "clear")


class Checks:
    """The facts about names that the analysis keeps, per top-level statement."""

    def __init__(self, source: str, allowed: Callable[[int], set[int]]) -> None:
        self.source = source
        self.allowed = allowed  # ids of a statement's literal ``__all__`` updates (allupdates)
        self.stmt = 0
        self.off = 0  # inside a string annotation: not code of the module
        self.hooks = 0  # depth inside the module's ``__getattr__``/``__dir__`` (stay in __init__)
        self.refusals: list[tuple[int, int, int, str]] = []  # (line, column, order, why)
        self.live: set[str] = set()  # names rebound inside functions with ``global``
        self.declared: set[tuple[int, str]] = set()  # (statement, name) of ``global``
        self.namespace: set[int] = set()  # statements reading the namespace at import time
        self.namespace_functions: set[int] = set()  # statements whose functions read it
        self.special_reads: set[tuple[int, str]] = set()  # (statement, name)
        self.called: set[int] = set()  # names called (or used as decorators) where they appear
        self._lookups: set[int] = set()  # ``globals()`` calls only looked up in
        self._writes: set[int] = set()  # ``globals()[k] = ...`` / ``del globals()[k]``

    def message(self) -> str | None:
        """Every reason at once (fixing the first would only reveal the next), or None."""
        reasons: list[str] = []
        for line, _, _, why in sorted(self.refusals):
            if not any(r.endswith(why) for r in reasons):  # one line per kind of problem
                reasons.append(f"line {line}: {why}")
        if not reasons:
            return None
        more = len(reasons) - 3
        return "; ".join(reasons[:3]) + (f"; and {more} more" if more > 0 else "")

    def _refuse(self, node: ast.expr | ast.stmt | ast.alias, why: str) -> None:
        self.refusals.append((node.lineno, node.col_offset, len(self.refusals), why))

    def identifier(self, name: str) -> None:
        """A name written as an identifier (a parameter, an import, a keyword argument...)."""
        if name in SPECIAL_NAMES and not self.off:
            self.special_reads.add((self.stmt, name))

    def name(self, node: ast.Name, scope: Scope | None) -> None:
        if self.off:
            return
        self.identifier(node.id)
        if node.id == "__path__" and scope is not None and scope.kind == scopes.GLOBAL:
            self._refuse(node, "the module sets or reads `__path__` (it poses as a package)")

    def definition(self, name: str, node: ast.stmt, scope: Scope | None) -> None:
        """A ``def`` or ``class`` named ``name``, defined in ``scope``."""
        self.identifier(name)
        if (
            name == "__path__"
            and not self.off
            and scope is not None
            and scope.kind == scopes.GLOBAL
        ):
            self._refuse(node, "the module sets or reads `__path__` (it poses as a package)")

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: Scope | None) -> int:
        """1 for a module-level ``__getattr__``/``__dir__`` (it stays in the package's __init__)."""
        self.definition(node.name, node, scope)
        at_module = scope is not None and scope.kind == scopes.GLOBAL
        return int(node.name in ("__getattr__", "__dir__") and at_module)

    def alias(self, node: ast.alias) -> None:
        if self.off:
            return
        if node.name == "*":
            self._refuse(
                node,
                "`from ... import *` inside the file, and the names it binds could not be "
                "resolved in the project's interpreter (does that module import?); "
                "import the names it needs by name",
            )
            return
        self.identifier(node.name.partition(".")[0])
        if node.asname is not None:
            self.identifier(node.asname)

    def declaration(self, node: ast.Global | ast.Nonlocal) -> None:
        if self.off:
            return
        for name in node.names:
            self.identifier(name)
        if isinstance(node, ast.Global):
            self.live.update(node.names)
            self.declared.update((self.stmt, name) for name in node.names)

    def decorator(self, node: ast.expr) -> None:
        self._mark_called(node)

    def _mark_called(self, node: ast.expr) -> None:
        if self.off:
            return
        while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        if isinstance(node, ast.Name):
            self.called.add(id(node))

    def call(self, node: ast.Call, scope: Scope | None) -> None:
        self._mark_called(node.func)
        func = node.func
        if self.off:
            return
        if (
            isinstance(func, ast.Attribute)
            and func.attr in ("update", "setdefault")
            and _is_globals_call(func.value)
        ):
            # plistlib: ``globals().update(PlistFormat.__members__)``, then ``fmt=FMT_XML``
            self._refuse(
                node,
                f"`globals().{func.attr}()` binds names the code never spells out; names cannot"
                " be tracked (bind each one by name)",
            )
            return
        if not isinstance(func, ast.Name):
            return
        count = len(node.args) + len(node.keywords)
        if func.id == "globals":
            self._globals(node, scope)
        elif func.id in ("locals", "vars", "dir") and not count:
            if scope is not None and scope.kind == scopes.GLOBAL:
                self.namespace.add(self.stmt)
        elif func.id in ("exec", "eval") and count == 1:
            self._refuse(
                node,
                f"`{func.id}()` without a namespace runs in the module's globals;"
                " names cannot be tracked",
            )

    def _globals(self, node: ast.Call, scope: Scope | None) -> None:
        # the package __init__ re-exports every top-level name, so a hook left there can
        # look a name up in its globals(); other code reading the namespace stays in
        # __init__ too, after the re-exports (context.py), where it finds the same names
        if self.hooks and id(node) in self._lookups and id(node) not in self._writes:
            return
        if not scopes.in_function(scope):
            self.namespace.add(self.stmt)
        elif id(node) in self._writes:
            self._refuse(
                node,
                "a function writes to the module namespace through `globals()`; the "
                "names it binds cannot be tracked",
            )
        else:
            self.namespace_functions.add(self.stmt)

    def assign(self, targets: list[ast.expr]) -> None:
        """Targets of an assignment or ``del``: writes through ``globals()``."""
        if self.off:
            return
        for target in targets:
            self._note_write(target)

    def _note_write(self, target: ast.expr) -> None:
        elements = target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]
        for value in elements:
            value = value.value if isinstance(value, ast.Starred) else value
            if isinstance(value, ast.Subscript) and _is_globals_call(value.value):
                self._writes.add(id(value.value))

    def subscript(self, node: ast.Subscript) -> None:
        if self.off:
            return
        if _is_globals_call(node.value):
            self._lookups.add(id(node.value))
        value = node.value
        if not (isinstance(value, ast.Attribute) and value.attr == "modules"):
            return
        code = ast.get_source_segment(self.source, node) or ""
        if code.replace(" ", "").startswith("sys.modules[") and "__name__" in code:
            self._refuse(node, "`sys.modules[__name__]` refers to the module object itself")

    def augassign(self, node: ast.AugAssign) -> None:
        if self.off:
            return
        self._note_write(node.target)
        target = node.target
        if isinstance(target, ast.Name) and target.id == "__all__":
            if id(target) not in self.allowed(self.stmt):
                self._refuse(
                    node, "`__all__` is computed (`+=`); keep it a single literal assignment"
                )

    def attribute(self, node: ast.Attribute) -> None:
        if self.off:
            return
        if _is_globals_call(node.value) and node.attr == "get":
            self._lookups.add(id(node.value))
        if (
            isinstance(node.value, ast.Name)
            and node.value.id == "__all__"
            and node.attr in _MUTATORS
            and id(node) not in self.allowed(self.stmt)
        ):
            self._refuse(node, "`__all__` is changed after it is built; keep it a single literal")


def _is_globals_call(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Call)
        and not node.args
        and not node.keywords
        and isinstance(node.func, ast.Name)
        and node.func.id == "globals"
    )
