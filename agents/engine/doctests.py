"""Names the doctest examples of a module use: a moved docstring's examples run in the
globals of the module that now holds it, so those names must be there too."""

from __future__ import annotations

import ast
import doctest

import libcst as cst

from modularize.agents.engine.cstwalk import nodes
from modularize.agents.engine.kinds import Edge, Kind, stronger
from modularize.agents.engine.statements import Stmt

_PARSER = doctest.DocTestParser()


def doctest_refs(stmts: list[Stmt], refs: list[dict[str, Edge]]) -> list[frozenset[str]]:
    """Per statement: the module's own names (bound by its code or imports) that the examples
    of its functions and classes use and its code does not read. Every name the examples
    read is a call-time read in ``refs`` at least (the examples run after the module has
    imported; code reading it only in annotations would not import it for real)."""
    own = {n for s in stmts if s.kind in (Kind.CODE, Kind.IMPORT) for n in s.binds}
    found: list[frozenset[str]] = []
    for stmt in stmts:
        # no ``>>>`` in its text, no examples: skip walking the statement's tree
        has_examples = stmt.kind is Kind.CODE and ">>>" in stmt.code
        names = example_names(stmt.node) & own if has_examples else set()
        names -= set(stmt.binds)
        found.append(frozenset(names - set(refs[stmt.index])))
        for name in names:  # read at run time, whatever else reads it only in annotations
            refs[stmt.index][name] = stronger(refs[stmt.index].get(name), Edge.CALL)
    return found


def example_names(node: cst.CSTNode) -> set[str]:
    """Names the doctest examples in the docstrings of ``node`` (a def or class) read."""
    names: set[str] = set()
    for doc in _docstrings(node):
        try:
            examples = _PARSER.get_examples(doc)
        except ValueError:  # a malformed example: doctest itself would report it
            continue
        bound: set[str] = set()  # what the docstring's own examples import or assign
        for example in examples:
            try:
                tree = ast.parse(example.source)
            except SyntaxError:
                continue
            bound |= _bound(tree)
            names.update(
                n.id
                for n in ast.walk(tree)
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load) and n.id not in bound
            )
    return names


def _bound(tree: ast.AST) -> set[str]:
    """Names an example binds: ``>>> from functools import partial`` needs no import."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update((a.asname or a.name).partition(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found.add(node.name)
    return found


def _docstrings(node: cst.CSTNode) -> list[str]:
    """The docstrings with examples of ``node`` and of every function and class inside it
    (in no particular order)."""
    if not isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return []
    found: list[str] = []
    for child in nodes(node):
        if isinstance(child, (cst.FunctionDef, cst.ClassDef)):
            doc = child.get_docstring(clean=False)
            if doc and ">>>" in doc:
                found.append(doc)
    return found
