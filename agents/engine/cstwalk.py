"""Reading a LibCST tree without LibCST's visitor (pure).

``node.visit(visitor)`` builds every node it passes again, read-only visitors too: for the
checks that only collect what they meet, in whatever order, ``nodes`` reads the fields of
the frozen nodes instead: several times faster.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import functools
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import libcst as cst

# Nodes that hold no code, only layout: nothing below them is worth a look.
_LAYOUT = (
    cst.BaseParenthesizableWhitespace,
    cst.EmptyLine,
    cst.TrailingWhitespace,
    cst.Newline,
    cst.Comment,
    cst.LeftParen,
    cst.RightParen,
    cst.Comma,
    cst.Semicolon,
)


@functools.cache
def _fields(kind: type[cst.CSTNode]) -> tuple[str, ...]:
    """The fields of ``kind`` that may hold code: those whose declared type is all layout
    (``lpar``, ``whitespace_after``, ``comma``...), a string or a flag are never read (most
    fields of most nodes); a type that cannot be told keeps its field."""
    try:
        hints = typing.get_type_hints(kind)
    except Exception:  # an annotation that does not resolve: read every field
        return tuple(f.name for f in dataclasses.fields(kind))
    return tuple(f.name for f in dataclasses.fields(kind) if _may_hold_code(hints.get(f.name)))


def _may_hold_code(hint: object) -> bool:
    """Whether a value of the declared type ``hint`` may be (or hold) a node ``children``
    walks; True when unsure."""
    origin = typing.get_origin(hint)
    if origin is typing.Union:
        return any(_may_hold_code(arg) for arg in typing.get_args(hint))
    if origin in (collections.abc.Sequence, list, tuple):
        return any(_may_hold_code(arg) for arg in typing.get_args(hint) if arg is not Ellipsis)
    if origin is typing.Literal or hint in (str, bool, type(None), cst.MaybeSentinel):
        return False
    if isinstance(hint, type) and issubclass(hint, cst.CSTNode):
        return _walked(hint)
    return True


@functools.cache
def _layout(kind: type[cst.CSTNode]) -> bool:
    return issubclass(kind, _LAYOUT)


Below = Mapping[type[cst.CSTNode], Callable[[Any], Iterable[cst.CSTNode]]]


def _nothing(node: cst.CSTNode) -> tuple[cst.CSTNode, ...]:
    return ()


def closed(*kinds: type[cst.CSTNode]) -> Below:
    """For ``nodes``: walk nothing below nodes of these types (they are still met)."""
    return {kind: _nothing for kind in kinds}


_WALKED: dict[type, bool] = {}


def _walked(kind: type) -> bool:
    """A node that may hold code (an ``issubclass`` per type, found once: ``isinstance`` of
    LibCST's abstract node class goes through ``abc`` for every value)."""
    known = _WALKED.get(kind)
    if known is None:
        known = _WALKED[kind] = issubclass(kind, cst.CSTNode) and not _layout(kind)
    return known


def children(node: cst.CSTNode) -> list[cst.CSTNode]:
    """The node's children that may hold code, in no particular order."""
    found: list[cst.CSTNode] = []
    for name in _fields(type(node)):
        value = getattr(node, name)
        kind = type(value)
        if kind is tuple or kind is list:
            found.extend(v for v in value if _walked(type(v)))
        elif _walked(kind):
            found.append(value)
    return found


def nodes(root: cst.CSTNode, below: Below | None = None) -> Iterator[cst.CSTNode]:
    """``root`` and the nodes below it that may hold code, in no particular order. ``below``
    says, for some types of node, which of their children to walk instead of all."""
    chosen = below or {}
    todo = [root]
    while todo:
        node = todo.pop()
        yield node
        walk = chosen.get(type(node))
        todo.extend(children(node) if walk is None else walk(node))
