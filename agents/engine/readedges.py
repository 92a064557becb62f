"""Edges from the reads of a module's walk: which module-level name each read finds (pure).

A read finds a module-level name when it resolves to a binding of the module's scope
(scopes.py); an attribute chain is read as the longest dotted name bound where it is read
(``os.path`` after ``import os.path``). A string annotation that resolves to nothing names
what its text names at module level; an annotation naming a class defined further down (a
forward reference) still names it.
"""

from __future__ import annotations

import ast
import functools
import io
import tokenize

from modularize.agents.engine import scopes
from modularize.agents.engine.astnames import dotted_names
from modularize.agents.engine.kinds import Edge, stronger
from modularize.agents.engine.reads import Walk
from modularize.agents.engine.scopes import Read


def edges(walk: Walk, source: str, future: bool, count: int) -> list[dict[str, Edge]]:
    """Per top-level statement: each module-level name it reads, with its strongest edge."""
    refs: list[dict[str, Edge]] = [{} for _ in range(count)]
    module = walk.module
    texts = functools.cache(lambda text: _text_names(text, module))
    concatenated = functools.cache(lambda node: _concatenated(source, node))
    for read in walk.reads:
        name, bare = _dotted(read)
        simple = read.string is not None and not concatenated(read.string)
        kind = _kind(read, simple, future)
        if kind is Edge.IMPORT and read.called and bare and read.string is None:
            kind = Edge.IMPORT_CALL  # called at import time: what it calls runs then too
        found = scopes.reads_global(read.scope, name, read.index, module)
        names = {name.partition(".")[0]} if found else set()
        if not names and simple:
            assert read.string is not None
            names = texts(read.string.value)
        if not names and read.annotation and bare and read.string is None and read.node:
            # a forward reference: the class is defined further down
            names = {read.name} if read.name in module.names else set()
        for found_name in names:
            refs[read.stmt][found_name] = stronger(refs[read.stmt].get(found_name), kind)
    return refs


def _dotted(read: Read) -> tuple[str, bool]:
    """The name a read stands for (dotted if bound so), and whether it is the bare name."""
    if read.attribute is not None:
        for dotted, bare in dotted_names(read.attribute):
            if scopes.contains(read.scope, dotted):
                return dotted, bare
    return read.name, True


def _kind(read: Read, simple_string: bool, future: bool) -> Edge:
    # a string annotation is never evaluated, in a function's nested defs neither (jinja2's
    # ``optimizeconst`` annotating ``self: "CodeGenerator"`` does not need the class)
    if simple_string:
        return Edge.ANNOTATION
    if scopes.in_function(read.scope):
        return Edge.CALL
    # Without `from __future__ import annotations`, class-body and signature annotations
    # (``items: List[LineItem]`` in a dataclass) are evaluated when the module runs.
    if read.annotation and future:
        return Edge.ANNOTATION
    return Edge.IMPORT


def _text_names(text: str, module: scopes.Scope) -> set[str]:
    """Module-level (or builtin) names a string annotation's expression names."""
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError):
        return set()
    names = {
        n.id if isinstance(n, ast.Name) else repr(n.value)  # LibCST's names ``None``, ``True``...
        for n in ast.walk(tree)
        if isinstance(n, ast.Name) or (isinstance(n, ast.Constant) and _is_named(n.value))
    }
    return {n for n in names if scopes.contains(module, n)}


def _concatenated(source: str, node: ast.Constant) -> bool:
    """Whether a string is written as several literals (``"a" "b"``): LibCST reads those
    as one string but not as a simple string annotation."""
    code = ast.get_source_segment(source, node) or ""
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    try:
        return sum(t.type == tokenize.STRING for t in tokens) > 1
    except (tokenize.TokenError, SyntaxError):
        return False


def _is_named(value: object) -> bool:
    return value is None or isinstance(value, bool)
