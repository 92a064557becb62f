"""Checks of a class split, independent of how it was made (pure).

``mixin_problems``: statement for statement, each split class of the original is its new class
plus the mixins it now inherits first: the same body statements (moved methods found in a
mixin, name-mangled ``__x`` read as Python reads it), the same other bases, keywords and
decorators. ``member_problems``: for every name in ``dir(Class)``, ``getattr(Class, name)``
resolves to the same thing in fresh interpreters before and after (a function by name and
signature, a value, or the kind of descriptor), from the snapshots ``snapshot_script`` takes.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from modularize.agents.core.source import source_tree
from modularize.agents.engine.stmtkeys import class_key

MAX_LISTED = 5
# Attributes that say where a class is defined, not what it does (the report lists them).
_LOCATION = frozenset({"__module__"})


def mixin_problems(
    original: str,
    outputs: Mapping[PurePosixPath, str],
    trees: Mapping[PurePosixPath, ast.Module] | None = None,
) -> list[str]:
    """Problems where a split class is not its original body spread over class and mixins
    (``trees``: the outputs parsed already, ``verify.output_trees``)."""
    old = {s.name: s for s in source_tree(original).body if isinstance(s, ast.ClassDef)}
    new: dict[str, ast.ClassDef] = {}
    for rel, text in outputs.items():
        tree = trees[PurePosixPath(rel)] if trees is not None else ast.parse(text)
        new.update((s.name, s) for s in tree.body if isinstance(s, ast.ClassDef))
    problems = []
    for name, before in old.items():
        after = new.get(name)
        mixins = _mixins(after, old, new) if after else []
        if after is None or not mixins:
            continue
        problems += _class_problems(before, after, [new[m] for m in mixins])
    return problems[:MAX_LISTED]


def _mixins(cls: ast.ClassDef, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Leading bases that are classes the split made (not in the original)."""
    found = []
    for base in cls.bases:
        if not (isinstance(base, ast.Name) and base.id in new and base.id not in old):
            break
        found.append(base.id)
    return found


def _class_problems(
    before: ast.ClassDef, after: ast.ClassDef, mixins: list[ast.ClassDef]
) -> list[str]:
    name = before.name
    problems = []
    shape = (_dump_all(before.bases), _dump_all(before.keywords), _dump_all(before.decorator_list))
    rest = after.bases[len(mixins) :]
    if shape != (_dump_all(rest), _dump_all(after.keywords), _dump_all(after.decorator_list)):
        problems.append(f"class {name}: its bases, keywords or decorators changed in the split")
    folded = list(after.body)
    for mixin in mixins:
        folded += _moved_part(mixin)
    supers = frozenset({name, *(m.name for m in mixins)})
    before_keys = [class_key(s, name, supers) for s in before.body]  # each written once
    folded_keys = [class_key(s, name, supers) for s in folded]
    wanted, found = Counter(before_keys), Counter(folded_keys)
    for stmt, key in zip(before.body, before_keys, strict=True):
        if found[key] < wanted[key]:
            problems.append(f"class {name}, line {stmt.lineno}: `{_summary(stmt)}` lost")
            found[key] = wanted[key]
    for stmt, key in zip(folded, folded_keys, strict=True):
        if found[key] > wanted[key]:
            problems.append(f"class {name}: `{_summary(stmt)}` was not in the class")
            found[key] = wanted[key]
    return problems


def _moved_part(mixin: ast.ClassDef) -> list[ast.stmt]:
    """A mixin's body without what the split wrote itself: its docstring, ``__slots__ = ()``."""
    body = list(mixin.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if body and ast.dump(body[0]) == ast.dump(ast.parse("__slots__ = ()").body[0]):
        body = body[1:]
    return body


def _dump_all(nodes: list[Any]) -> list[str]:
    return [ast.dump(n, include_attributes=False) for n in nodes]


def _summary(stmt: ast.stmt) -> str:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return f"{'class' if isinstance(stmt, ast.ClassDef) else 'def'} {stmt.name}"
    first = ast.unparse(stmt).splitlines()[0]
    return first if len(first) <= 50 else first[:47] + "..."


def member_problems(module: str, before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Problems where ``getattr(Class, name)`` differs after the split, for every class of
    the module and every name in ``dir(Class)``."""
    old, new = before.get("members") or {}, after.get("members") or {}
    unstable = set(before.get("unstable", ()))
    problems = []
    for cls in sorted(set(old) & set(new)):
        if cls in unstable:
            continue
        for name in sorted(set(old[cls]) | set(new[cls])):
            if name in _LOCATION:
                continue
            was, now = old[cls].get(name), new[cls].get(name)
            if was == now:
                continue
            if now is None:
                problems.append(f"{module}.{cls}.{name} is missing after the split")
            elif was is None:
                problems.append(f"{module}.{cls}.{name} is new after the split")
            else:
                problems.append(f"{module}.{cls}.{name} was {was}, is {now}")
    if len(problems) > MAX_LISTED:
        return [*problems[:MAX_LISTED], f"... and {len(problems) - MAX_LISTED} more"]
    return problems
