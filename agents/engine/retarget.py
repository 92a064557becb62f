"""Keep tests that patch through an old module path working after a split.

Before a split, ``mock.patch("pkg.big.helper")`` replaced the one binding every function of
``pkg.big`` looked up. After it, a function in ``pkg/big/manager.py`` looks ``helper`` up in
``manager``'s own namespace. The engine's ``__init__`` forwards assignments of the names the
original bound to the modules that read them, so those patches keep working untouched (and
keep patching ``pkg.big.helper`` itself). What forwarding cannot reach -- a name the original
never bound, e.g. ``mock.patch("pkg.big.open", create=True)`` shadowing a builtin, or a package
written without forwarding -- is rewritten to the one module that looks the name up at call
time; when several modules do, no single patch reaches them all: reported, not guessed.
"""

from __future__ import annotations

import ast
import dataclasses
import symtable
from collections.abc import Iterator, Mapping

from modularize.agents.core.syntax import walk

# old module -> name -> the modules of the new package that look the name up at call time
Lookups = Mapping[str, Mapping[str, frozenset[str]]]


@dataclasses.dataclass(frozen=True)
class RetargetNote:
    line: int
    message: str


def call_time_globals(source: str) -> set[str]:
    """Names that code inside functions of ``source`` looks up in the module's namespace
    (globals, or builtins a patch could shadow): the lookups a later patch can reach.

    Read from the compiler's own symbol tables: a name counts when a function, a lambda or a
    scope nested in one (a class body, a comprehension) reads it as a global. Module-level
    code does not count, comprehensions at module level included. Annotations under
    ``from __future__ import annotations`` are no lookups (a local variable's annotation,
    never evaluated either, is in the table all the same); nor are ``True``, ``False``,
    ``None``, or names a function binds after reading them (LibCST's scopes took those for
    globals). Empty for a source that does not compile (no module of a verified split)."""
    try:
        top = symtable.symtable(source, "<module>", "exec")
    except (SyntaxError, ValueError):
        return set()
    return {
        symbol.get_name()
        for table in _function_tables(top, inside=False)
        for symbol in table.get_symbols()
        if symbol.is_referenced() and _is_global(symbol)
    }


def _is_global(symbol: symtable.Symbol) -> bool:
    # not ``is_global()`` alone: before 3.12 it also says so of a function's locals when the
    # function is named ``top`` (the module's own table's name)
    return symbol.is_declared_global() or (symbol.is_global() and not symbol.is_local())


def _function_tables(table: symtable.SymbolTable, inside: bool) -> Iterator[symtable.SymbolTable]:
    """The tables below ``table`` whose code runs when a function is called."""
    for child in table.get_children():
        nested = inside or (child.get_type() == "function" and not _is_comprehension(child))
        if nested:
            yield child
        yield from _function_tables(child, nested)


def _is_comprehension(table: symtable.SymbolTable) -> bool:
    # a comprehension's table is a function's taking one argument no def can name
    return ".0" in table.get_identifiers()


def _absolute_name(named: str, level: int, package: str | None) -> str | None:
    """The module ``from <level dots><named> import ...`` reads, in ``package``."""
    if level == 0:
        return named
    if not package:
        return None
    parts = package.split(".")
    if level - 1 > len(parts) - 1:
        return None
    base = ".".join(parts[: len(parts) - (level - 1)])
    return f"{base}.{named}" if named else base


def _may_retarget(source: str, lookups: Lookups, package: str | None) -> bool:
    """Whether some call of ``source`` may patch through an old module: a cheap ``ast`` pass
    that lets through every call the LibCST rewrite would touch or report (and a few more)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return True  # LibCST decides
    calls: list[ast.Call] = []
    imports: list[ast.Import | ast.ImportFrom] = []
    for node in walk(tree):
        if isinstance(node, ast.Call):
            if _last_name(node.func) in ("patch", "object", "multiple", "setattr", "delattr"):
                calls.append(node)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
    if not calls:
        return False
    aliases = _import_targets(imports, package)
    for call in calls:
        for value in [*call.args, *(k.value for k in call.keywords)]:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                if value.value in lookups or value.value.rpartition(".")[0] in lookups:
                    return True
            elif (parts := _ast_dotted(value)) is not None:
                tail = "".join(f".{p}" for p in parts[1:])
                if any(f"{t}{tail}" in lookups for t in aliases.get(parts[0], ())):
                    return True
    return False


def _last_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Attribute):
        return func.attr
    return func.id if isinstance(func, ast.Name) else None


def _ast_dotted(expr: ast.expr) -> list[str] | None:
    parts: list[str] = []
    while isinstance(expr, ast.Attribute):
        parts.insert(0, expr.attr)
        expr = expr.value
    return [expr.id, *parts] if isinstance(expr, ast.Name) else None


def _import_targets(
    imports: list[ast.Import | ast.ImportFrom], package: str | None
) -> dict[str, set[str]]:
    """Local name -> every dotted module or attribute an import anywhere binds it to (the
    LibCST pass keeps the last import of a name: this keeps them all)."""
    targets: dict[str, set[str]] = {}
    for node in imports:
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                bound = (alias.asname, alias.name) if alias.asname else (top, top)
                targets.setdefault(bound[0], set()).add(bound[1])
        elif isinstance(node, ast.ImportFrom):
            base = _absolute_name(node.module or "", node.level, package)
            for alias in node.names if base is not None else ():
                if alias.name != "*":
                    full = f"{base}.{alias.name}" if base else alias.name
                    targets.setdefault(alias.asname or alias.name, set()).add(full)
    return targets


def retarget_source(
    source: str, lookups: Lookups, package: str | None = None
) -> tuple[str, list[RetargetNote]]:
    """Rewrite the patch targets of ``source`` that reach an old module; pure.

    ``package`` is the file's own package, for its relative imports. Returns the new text
    (unchanged when nothing applies) and the targets that could not be rewritten.
    """
    if not any(old.rpartition(".")[2] in source for old in lookups):
        return source, []
    if not _may_retarget(source, lookups, package):
        return source, []  # the common case: parsing with LibCST costs ten times more
    from modularize.agents.engine.retargetcst import rewrite  # LibCST: only when needed

    return rewrite(source, lookups, package)
