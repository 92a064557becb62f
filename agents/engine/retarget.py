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
from collections.abc import Iterator, Mapping, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

# old module -> name -> the modules of the new package that look the name up at call time
Lookups = Mapping[str, Mapping[str, frozenset[str]]]
# keyword arguments of patch.multiple that are options, not attributes to patch
_MULTIPLE_OPTIONS = frozenset({"spec", "spec_set", "create", "autospec", "new_callable"})


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


def _joined(modules: Sequence[str]) -> str:
    return modules[0] if len(modules) == 1 else f"{', '.join(modules[:-1])} and {modules[-1]}"


class _Retargeter(cst.CSTTransformer):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, lookups: Lookups, aliases: Mapping[str, str]) -> None:
        super().__init__()
        self.lookups, self.aliases = lookups, aliases
        self.notes: list[RetargetNote] = []

    def _target(self, node: cst.CSTNode, old: str, names: Sequence[str]) -> str | None:
        """The module to patch ``old.NAME`` in, or None to leave the call alone."""
        found: set[str] = set()
        for name in names:
            readers = sorted(self.lookups[old].get(name, frozenset()))
            if len(readers) > 1:
                line = self.get_metadata(PositionProvider, node).start.line
                self.notes.append(
                    RetargetNote(
                        line, f"cannot retarget patch of {old}.{name}: read in {_joined(readers)}"
                    )
                )
                return None
            found.update(readers or [old])
        if len(found) > 1:
            line = self.get_metadata(PositionProvider, node).start.line
            self.notes.append(
                RetargetNote(
                    line,
                    f"cannot retarget patch.multiple of {old}: "
                    f"names are read in {_joined(sorted(found))}",
                )
            )
            return None
        target = found.pop() if found else old
        return None if target == old else target

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        tail = _attr_tail(updated.func)
        args = list(updated.args)
        positional = [a for a in args if a.keyword is None and not a.star]
        if tail[-2:] == ["patch", "object"] or (
            tail[-1:] in (["setattr"], ["delattr"])
            and len(tail) > 1
            and len(positional) > 1
            and _string(positional[0].value) is None
        ):
            return self._object_form(original, updated, positional)
        if tail[-2:] == ["patch", "multiple"] and positional:
            return self._multiple_form(original, updated, positional[0], args)
        if tail[-1:] == ["patch"] or (tail[-1:] in (["setattr"], ["delattr"]) and len(tail) > 1):
            arg = positional[0] if positional else _keyword(args, "target")
            if arg is not None:
                return self._string_form(original, updated, arg)
        return updated

    def _string_form(self, original: cst.Call, updated: cst.Call, arg: cst.Arg) -> cst.Call:
        value = _string(arg.value)
        old, _, name = (value or "").rpartition(".")
        if old not in self.lookups or not name.isidentifier():
            return updated
        target = self._target(original, old, [name])
        if target is None:
            return updated
        return _replace_arg(updated, arg, _restring(arg.value, f"{target}.{name}"))

    def _object_form(
        self, original: cst.Call, updated: cst.Call, positional: list[cst.Arg]
    ) -> cst.Call:
        old, name = self._module_of(positional[0].value), _string(positional[1].value)
        if old is None or name is None or not name.isidentifier():
            return updated
        target = self._target(original, old, [name])
        if target is None:
            return updated
        return _replace_arg(
            updated, positional[0], _submodule_expr(positional[0].value, target[len(old) + 1 :])
        )

    def _multiple_form(
        self, original: cst.Call, updated: cst.Call, first: cst.Arg, args: list[cst.Arg]
    ) -> cst.Call:
        text = _string(first.value)
        old = text if text is not None else self._module_of(first.value)
        names = [
            a.keyword.value
            for a in args
            if a.keyword is not None and a.keyword.value not in _MULTIPLE_OPTIONS
        ]
        if old is None or old not in self.lookups or not names:
            return updated
        target = self._target(original, old, names)
        if target is None:
            return updated
        new = (
            _restring(first.value, target)
            if text is not None
            else _submodule_expr(first.value, target[len(old) + 1 :])
        )
        return _replace_arg(updated, first, new)

    def _module_of(self, expr: cst.BaseExpression) -> str | None:
        parts = _dotted(expr)
        if not parts or parts[0] not in self.aliases:
            return None
        dotted = ".".join([self.aliases[parts[0]], *parts[1:]])
        return dotted if dotted in self.lookups else None


def _attr_tail(func: cst.BaseExpression) -> list[str]:
    """Trailing names of a call's function: ``mock.patch.object`` -> [mock, patch, object]."""
    tail: list[str] = []
    while isinstance(func, cst.Attribute):
        tail.insert(0, func.attr.value)
        func = func.value
    if isinstance(func, cst.Name):
        tail.insert(0, func.value)
    return tail


def _dotted(expr: cst.BaseExpression) -> list[str] | None:
    """``pkg.big`` -> [pkg, big]; None for anything but a chain of plain names."""
    parts: list[str] = []
    while isinstance(expr, cst.Attribute):
        parts.insert(0, expr.attr.value)
        expr = expr.value
    return [expr.value, *parts] if isinstance(expr, cst.Name) else None


def _string(expr: cst.BaseExpression) -> str | None:
    if isinstance(expr, cst.SimpleString):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _restring(node: cst.BaseExpression, text: str) -> cst.SimpleString:
    assert isinstance(node, cst.SimpleString)  # only called after _string() accepted it
    return node.with_changes(value=f"{node.prefix}{node.quote}{text}{node.quote}")


def _keyword(args: list[cst.Arg], name: str) -> cst.Arg | None:
    return next((a for a in args if a.keyword is not None and a.keyword.value == name), None)


def _replace_arg(call: cst.Call, arg: cst.Arg, value: cst.BaseExpression) -> cst.Call:
    return call.with_changes(
        args=[a.with_changes(value=value) if a is arg else a for a in call.args]
    )


def _submodule_expr(expr: cst.BaseExpression, suffix: str) -> cst.BaseExpression:
    """``big`` + ``strategies`` -> ``big.strategies``: the package imported its submodules."""
    for part in suffix.split("."):
        expr = cst.Attribute(value=expr, attr=cst.Name(part))
    return expr


def _aliases(module: cst.Module, package: str | None) -> dict[str, str]:
    """Local name -> dotted module or attribute, from every import in the file."""
    aliases: dict[str, str] = {}

    class Collector(cst.CSTVisitor):
        def visit_Import(self, node: cst.Import) -> None:
            for alias in node.names:
                full = get_full_name_for_node(alias.name) or ""
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    aliases[alias.asname.name.value] = full
                else:
                    top = full.split(".")[0]
                    aliases[top] = top

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            base = _absolute(node, package)
            if base is None or isinstance(node.names, cst.ImportStar):
                return
            for alias in node.names:
                name = get_full_name_for_node(alias.name) or ""
                local = alias.asname.name if alias.asname is not None else alias.name
                if isinstance(local, cst.Name):
                    aliases[local.value] = f"{base}.{name}" if base else name

    module.visit(Collector())
    return aliases


def _absolute(node: cst.ImportFrom, package: str | None) -> str | None:
    named = get_full_name_for_node(node.module) if node.module else ""
    return _absolute_name(named or "", len(node.relative), package)


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
    calls = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and _last_name(node.func) in ("patch", "object", "multiple", "setattr", "delattr")
    ]
    if not calls:
        return False
    aliases = _import_targets(tree, package)
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


def _import_targets(tree: ast.Module, package: str | None) -> dict[str, set[str]]:
    """Local name -> every dotted module or attribute an import anywhere binds it to (the
    LibCST pass keeps the last import of a name: this keeps them all)."""
    targets: dict[str, set[str]] = {}
    for node in ast.walk(tree):
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
    tree = cst.parse_module(source)
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    retargeter = _Retargeter(lookups, _aliases(tree, package))
    new = wrapper.visit(retargeter)
    return new.code, sorted(retargeter.notes, key=lambda n: n.line)
