"""Small readings of ``ast`` nodes the way LibCST reads the same code (pure; for reads.py)."""

from __future__ import annotations

import ast
from collections.abc import Iterator


def arguments(node: ast.Call) -> list[ast.expr]:
    """A call's argument values in source order (keywords may come before ``*args``)."""
    values = [a.value if isinstance(a, ast.Starred) else a for a in node.args]
    if not node.keywords:
        return values
    everything = [(a.lineno, a.col_offset, v) for a, v in zip(node.args, values, strict=True)]
    everything += [(k.lineno, k.col_offset, k.value) for k in node.keywords]
    return [v for _, _, v in sorted(everything, key=lambda t: (t[0], t[1]))]


def parameters(args: ast.arguments) -> Iterator[tuple[ast.arg, ast.expr | None]]:
    """Parameters with their defaults, in LibCST's order (positional-only first)."""
    positional = args.posonlyargs + args.args
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
    yield from zip(positional, defaults + list(args.defaults), strict=True)
    if args.vararg is not None:
        yield args.vararg, None
    yield from zip(args.kwonlyargs, args.kw_defaults, strict=True)
    if args.kwarg is not None:
        yield args.kwarg, None


def full_name(node: ast.expr) -> str | None:
    """LibCST's dotted name of a call's function (``a.b`` for ``a.b(...)``)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{full_name(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return full_name(node.func)
    if isinstance(node, ast.Subscript):
        return full_name(node.value)
    return None


def dotted_prefixes(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:size]) for size in range(len(parts), 0, -1)]


def dotted_names(node: ast.expr) -> Iterator[tuple[str, bool]]:
    """The dotted names an attribute chain can be read as, longest first, each with whether
    it is the bare name at the chain's root (LibCST's ``_gen_dotted_names``)."""
    if isinstance(node, ast.Name):
        yield node.id, True
        return
    if not isinstance(node, ast.Attribute):
        return
    value = node.value
    if isinstance(value, ast.Call):
        if isinstance(value.func, (ast.Attribute, ast.Name)):
            yield from dotted_names(value.func)
        return
    if isinstance(value, (ast.Attribute, ast.Name)):
        inner = list(dotted_names(value))
        if inner:
            yield f"{inner[0][0]}.{node.attr}", False
            yield from inner
