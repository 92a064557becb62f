"""Reading a LibCST tree without LibCST's visitor (pure).

``node.visit(visitor)`` builds every node it passes again, read-only visitors too: for the
checks that only collect what they meet, in whatever order, ``nodes`` reads the fields of
the frozen nodes instead: several times faster.
"""

from __future__ import annotations

import dataclasses
import functools
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
    return tuple(f.name for f in dataclasses.fields(kind))


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
