"""Scope analysis of one module: statements, what each reads (and when), and refusals.

Edges between statements come from the reads of module-level names (reads.py, on the stdlib
``ast``). An edge (``kinds.Edge``) is
  IMPORT: the name is read while the module executes (base classes, decorators, default
     values, class bodies, module-level expressions and comprehensions); IMPORT_CALL when
     it is also called then;
  CALL: the name is read inside a function or lambda body;
  ANNOTATION: the name is read only in an annotation that is never evaluated at import time
     (``from __future__ import annotations``, or a string annotation).
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re
from collections.abc import Iterator

import libcst as cst

from modularize.agents.core.source import source_tree
from modularize.agents.engine.allupdates import literal_updates, strip_guarded
from modularize.agents.engine.doctests import doctest_refs
from modularize.agents.engine.kinds import Edge, Kind
from modularize.agents.engine.model import Refusal
from modularize.agents.engine.namechecks import Checks
from modularize.agents.engine.readedges import edges
from modularize.agents.engine.reads import Walk
from modularize.agents.engine.statements import (
    Stmt,
    bindings,
    certain_binds,
    classify,
    is_future_line,
)
from modularize.agents.engine.trees import parse_module

_COMPOUND = (
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.If,
    ast.With,
    ast.AsyncWith,
    ast.Match,
    ast.Try,
    ast.TryStar,
)


@dataclasses.dataclass
class Analysis:
    """Everything later stages need to know about the original module."""

    module: cst.Module
    stmts: list[Stmt]
    future_annotations: bool
    refs: list[dict[str, Edge]]  # per statement: top-level name -> strongest edge kind
    live: frozenset[str]  # names rebound inside functions with ``global``
    specials: list[frozenset[str]]  # per statement: which of __name__/__file__/__doc__ it reads
    declared: list[frozenset[str]]  # per statement: names its functions declare ``global``
    # statements reading the module namespace (``globals()``, module-level ``vars()``...):
    # while the module imports, or inside a function they define
    namespace: frozenset[int] = frozenset()
    namespace_functions: frozenset[int] = frozenset()
    # per statement: names of the module its doctest examples use and its code does not
    # (counted as call-time reads, so that the examples still find them after the split)
    doc_refs: list[frozenset[str]] = dataclasses.field(default_factory=list)
    source: str = ""  # the text analysed (``module.code``, without generating it again)


@functools.lru_cache(maxsize=4)
def analyse(source: str) -> Analysis:
    """Parse ``source`` and analyse it; raise Refusal when names cannot be tracked.

    Cached: planning and writing the same source analyse it once. Callers must treat the
    result as read-only.
    """
    try:
        module = parse_module(source)
        tree = source_tree(source)
    except cst.ParserSyntaxError as exc:
        raise Refusal(f"line {exc.raw_line}: the file does not parse: {exc.message}") from None
    except SyntaxError as exc:
        raise Refusal(f"line {exc.lineno}: the file does not parse: {exc.msg}") from None
    groups = _ast_statements(module, tree)
    stmts = _statements(module, groups, source)
    checks = Checks(source, functools.cache(lambda i: _literal_updates(module.body[i], groups[i])))
    walk = Walk(checks)
    for index, group in enumerate(groups):
        for node in group:
            walk.statement(index, node)
    refusal = checks.message()
    if refusal is not None:
        raise Refusal(refusal)
    _strip_all_updates(module, stmts)
    future = any(is_future_line(s.node) and "annotations" in s.code for s in stmts)
    refs = edges(walk, source, future, len(stmts))
    doc_refs = doctest_refs(stmts, refs)
    specials: list[set[str]] = [set() for _ in stmts]
    for index, name in checks.special_reads:
        specials[index].add(name)
    declared: list[set[str]] = [set() for _ in stmts]
    for index, name in checks.declared:
        declared[index].add(name)
    return Analysis(
        module,
        stmts,
        future,
        refs,
        frozenset(checks.live),
        [frozenset(s) for s in specials],
        [frozenset(d) for d in declared],
        frozenset(checks.namespace),
        frozenset(checks.namespace_functions),
        doc_refs,
        source,
    )


def _ast_statements(module: cst.Module, tree: ast.Module) -> list[list[ast.stmt]]:
    """The ``ast`` statements of each LibCST top-level statement (``a = 1; b = 2`` is one)."""
    groups = []
    at = 0
    for node in module.body:
        size = len(node.body) if isinstance(node, cst.SimpleStatementLine) else 1
        groups.append(tree.body[at : at + size])
        at += size
    assert at == len(tree.body), "LibCST and ast see the same statements"
    return groups


def _statements(module: cst.Module, groups: list[list[ast.stmt]], source: str) -> list[Stmt]:
    stmts = []
    codes = _statement_codes(module, groups, source)
    for index, (node, group) in enumerate(zip(module.body, groups, strict=True)):
        line = group[0].lineno
        stmt = Stmt(index, node, codes[index], line)
        decorators = getattr(group[0], "decorator_list", ())
        stmt.first_line = decorators[0].lineno if decorators else line
        stmt.binds, stmt.unbinds = bindings(node)
        stmt.certain = frozenset(certain_binds(node))
        stmts.append(stmt)
    for stmt in stmts:
        stmt.kind = classify(stmt, stmt.index == 0)
    return stmts


_NEWLINE = re.compile(r"\r\n|\r|\n")


def _statement_codes(module: cst.Module, groups: list[list[ast.stmt]], source: str) -> list[str]:
    """``module.code_for_node`` of each top-level statement, cut from ``source`` (the text
    parsed) instead of generated again: a statement's code runs from its leading lines to
    the next statement's. Generated where the lines do not say where it starts."""
    starts = [0, *(m.end() for m in _NEWLINE.finditer(source))]  # offset of each line
    cuts: list[int | None] = []
    for node, group in zip(module.body, groups, strict=True):
        leading = len(node.leading_lines)
        decorators = getattr(node, "decorators", ())
        first = group[0].lineno
        if decorators:
            leading += len(decorators[0].leading_lines)
            first = group[0].decorator_list[0].lineno  # type: ignore[attr-defined]
            if not source[starts[first - 1] :].startswith("@"):
                cuts.append(None)  # ``@(`` with the decorator on the next line
                continue
        cuts.append(starts[first - 1 - leading])
    footer = "".join(module.code_for_node(line) for line in module.footer)
    cuts.append(len(source) - len(footer) if module.has_trailing_newline else None)
    return [
        source[cut:end]
        if cut is not None and end is not None and cut <= end
        else module.code_for_node(node)
        for node, cut, end in zip(module.body, cuts[:-1], cuts[1:], strict=True)
    ]


def _literal_updates(node: cst.BaseStatement, group: list[ast.stmt]) -> set[int]:
    """ids of the ``ast`` nodes of the statement's literal ``__all__`` updates (allupdates.py
    decides which small statements those are; ``ast`` lists the same ones in the same order)."""
    smalls = list(_simple_statements(group))
    found: set[int] = set()
    for small, literal in zip(smalls, literal_updates(node), strict=True):
        if literal and isinstance(small, ast.AugAssign):
            found.add(id(small.target))
        elif literal and isinstance(small, ast.Expr) and isinstance(small.value, ast.Call):
            found.add(id(small.value.func))
    return found


def _simple_statements(body: list[ast.stmt]) -> Iterator[ast.stmt]:
    """Simple statements at this level, also inside if/try blocks (allupdates' ``_lines``)."""
    for node in body:
        if isinstance(node, ast.If):
            yield from _simple_statements(node.body + node.orelse)
        elif isinstance(node, ast.Try):
            blocks = [node.body, *(h.body for h in node.handlers), node.orelse, node.finalbody]
            yield from _simple_statements([s for block in blocks for s in block])
        elif not isinstance(node, _COMPOUND):
            yield node


def _strip_all_updates(module: cst.Module, stmts: list[Stmt]) -> None:
    """Moved code loses its guarded ``__all__`` updates; __init__ makes them (allupdates.py)."""
    for stmt in stmts:
        if stmt.kind is not Kind.CODE:
            continue
        node, names = strip_guarded(stmt.node)
        if not names:
            continue
        stmt.node, stmt.all_updates = node, names
        # the leading comments and blank lines are part of the statement node: code stays whole
        stmt.code = module.code_for_node(node)
        stmt.binds, stmt.unbinds = bindings(node)
        stmt.certain = frozenset(certain_binds(node))
