"""Scopes of one module and how a read resolves in them (pure; used by reads.py).

The rules are LibCST's ScopeProvider's, which the analysis used before (and whose results it
keeps): a scope records its bindings in order (an index that grows after each statement or
clause that binds); a read in the scope where the name is bound sees only the bindings made
before it, and otherwise falls back to the enclosing scope; class scopes are invisible to the
scopes nested in them; ``global``/``nonlocal`` send a name to another scope. Computing them on
the stdlib ``ast`` costs a fraction of resolving LibCST metadata for the whole module.
"""

from __future__ import annotations

import ast
import builtins
import dataclasses

GLOBAL, FUNCTION, CLASS, COMPREHENSION, BUILTIN = "global", "function", "class", "comp", "builtin"


@dataclasses.dataclass(frozen=True)
class Import:
    """What an import statement binds from: ``from <module> import <aliases>``."""

    module: str  # "" for ``import x``; leading dots for relative imports
    aliases: tuple[tuple[str, str | None], ...]  # (dotted name, ``as`` name)


@dataclasses.dataclass(frozen=True)
class Binding:
    index: int  # the scope's binding count when it was made
    source: Import | None = None


class Scope:
    """One scope: its bindings by name, in order, and its ``global``/``nonlocal`` names."""

    __slots__ = ("count", "kind", "names", "overwrites", "parent", "prefix")

    def __init__(self, kind: str, parent: Scope | None, name: str | None = None) -> None:
        self.kind = kind
        self.parent: Scope = parent if parent is not None else self
        self.names: dict[str, list[Binding]] = {}
        self.count = 0  # grows after each binding statement or clause, as LibCST counts
        self.overwrites: dict[str, Scope] = {}
        self.prefix: str
        base = parent.prefix if parent is not None else ""
        parts = [base, name, "<locals>" if kind == FUNCTION else ""]
        parts[2] = "<comprehension>" if kind == COMPREHENSION else parts[2]
        self.prefix = ".".join(p for p in parts if p)

    def bind(self, name: str, source: Import | None = None) -> None:
        """Record a binding of ``name`` where it lands (``global x`` sends x to the module)."""
        target = _target(self, name)
        target.names.setdefault(name, []).append(Binding(target.count, source))


@dataclasses.dataclass
class Read:
    """One read of a name, as the walk saw it."""

    stmt: int  # index of the top-level statement
    scope: Scope
    name: str
    index: int  # the scope's binding count at the read
    node: ast.AST | None  # the Name (None: a ``match`` capture)
    attribute: ast.Attribute | None  # the outermost attribute around it, if any
    string: ast.Constant | None  # the string annotation it is in, if any
    annotation: bool
    called: bool


def new_module_scope() -> Scope:
    """The module's global scope, with the builtins as its parent."""
    return Scope(GLOBAL, Scope(BUILTIN, None))


def _visible(scope: Scope) -> Scope:
    while scope.kind == CLASS:  # a class body's names are not seen from nested scopes
        scope = scope.parent
    return scope


def _target(scope: Scope, name: str) -> Scope:
    while scope.kind not in (GLOBAL, BUILTIN) and name in scope.overwrites:
        scope = _visible(scope.overwrites[name])
    return scope


def contains(scope: Scope, name: str) -> bool:
    """Whether ``name`` is bound in ``scope`` or a scope it sees (builtins included)."""
    while True:
        if scope.kind == BUILTIN:
            return hasattr(builtins, name)
        if scope.kind != GLOBAL and name in scope.overwrites:
            scope = scope.overwrites[name]
            continue
        if name in scope.names:
            return True
        scope = _visible(scope.parent) if scope.kind != GLOBAL else scope.parent


def resolve(scope: Scope, name: str) -> tuple[Scope | None, list[Binding]]:
    """The scope whose bindings a read of ``name`` in ``scope`` finds, and those bindings."""
    while True:
        if scope.kind == BUILTIN:
            return (scope, [Binding(-1)]) if hasattr(builtins, name) else (None, [])
        if scope.kind != GLOBAL and name in scope.overwrites:
            scope = _visible(scope.overwrites[name])
            continue
        if name in scope.names:
            return scope, scope.names[name]
        scope = _visible(scope.parent) if scope.kind != GLOBAL else scope.parent


def reads_global(scope: Scope, name: str, index: int, module: Scope) -> bool:
    """Whether a read of ``name`` made at binding count ``index`` of ``scope`` finds a
    module-level binding (in its own scope only the bindings made before the read count)."""
    found, bindings = resolve(scope, name)
    before = [b for b in bindings if b.index < index] if found is scope else bindings
    if not before and bindings:
        found, before = resolve(scope.parent, name)
    return found is module and bool(before)


def qualified_names(scope: Scope, full_name: str) -> set[str]:
    """Dotted names ``full_name`` stands for where it is read (``typing.cast`` for ``cast``
    after ``from typing import cast``), with the bindings made so far."""
    prefix = full_name
    while not contains(scope, prefix):
        dot = prefix.rfind(".")
        if dot == -1:
            return set()
        prefix = prefix[:dot]
    found, bindings = resolve(scope, prefix)
    results: set[str] = set()
    for binding in bindings:
        if found is not None and found.kind == BUILTIN:
            results.add(f"builtins.{prefix}")
        elif binding.source is not None:
            results |= _import_names(binding.source, full_name)
        elif found is not None:
            results.add(f"{found.prefix}.{full_name}" if found.prefix else full_name)
    return results


def _import_names(source: Import, full_name: str) -> set[str]:
    results = set()
    module = source.module
    for real, alias in source.aliases:
        parts = real.split(".")
        for size in range(len(parts), 0, -1):
            as_name = name = ".".join(parts[:size])
            if module:
                name = f"{module}{name}" if module.endswith(".") else f"{module}.{name}"
            as_name = alias if alias is not None else as_name
            if not full_name.startswith(as_name):
                continue
            rest = full_name.split(as_name, 1)[1]
            if rest and not rest.startswith("."):
                continue
            rest = rest.lstrip(".")
            results.add(f"{name}.{rest}" if rest else name)
            break
    return results


def in_function(scope: Scope | None) -> bool:
    """Whether ``scope`` is (inside) a function or lambda body."""
    while scope is not None and scope.kind not in (GLOBAL, BUILTIN):
        if scope.kind == FUNCTION:
            return True
        scope = scope.parent
    return False
