"""The LibCST half of retargeting (``retarget.py``): rewriting the patch calls of a file that
may reach an old module, loaded only when the cheap ``ast`` pass says one may."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.helpers import get_full_name_for_node
from libcst.metadata import MetadataWrapper, PositionProvider

from modularize.agents.core.errors import SourceError
from modularize.agents.engine.retarget import Lookups, RetargetNote, _absolute_name

# keyword arguments of patch.multiple that are options, not attributes to patch
_MULTIPLE_OPTIONS = frozenset({"spec", "spec_set", "create", "autospec", "new_callable"})


def rewrite(source: str, lookups: Lookups, package: str | None) -> tuple[str, list[RetargetNote]]:
    """``retarget_source`` past its cheap checks; SourceError for a file LibCST cannot parse."""
    try:
        tree = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise SourceError(str(exc).splitlines()[0]) from None
    wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
    retargeter = _Retargeter(lookups, _aliases(tree, package))
    new = wrapper.visit(retargeter)
    return new.code, sorted(retargeter.notes, key=lambda n: n.line)


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
