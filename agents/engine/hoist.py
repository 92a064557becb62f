"""Import blocks above the code of a generated module (pure).

A module of the original may import in the middle of its code (``try: import ssl`` ... ``except
ImportError:``, between constants). Written in original order, such a block would sit below
code in its new module (E402, an import a reader does not see at the top). ``hoisted`` puts
each import-only block above all the code, in original order, when moving it past every
statement above it cannot change what runs:

- no statement above may act on the world at import time: an expression statement
  (``matplotlib.use("Agg")``), an assignment to an attribute or item (``os.environ["X"] =
  "1"``), a loop, a ``with``, a ``del``, or a statement with an import-time effect on a shared
  object or ordered after another (``effects.py``, ``units.order_shared_effects``);
- none may bind a name the block reads, or read or bind a name it binds
  (``HAVE_READLINE = True`` stays above ``try: import readline ... HAVE_READLINE = False``,
  and that block below it; the independent import blocks after it still go up);
- a string documenting an assignment stays right below it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Collection, Mapping, Sequence

import libcst as cst

from modularize.agents.engine.statements import Stmt

_BLOCKS = (ast.If, ast.Try)
_IMPORTS = (ast.Import, ast.ImportFrom)


def hoisted(
    stmts: Sequence[Stmt], reads: Mapping[int, Collection[str]], fixed: Collection[int]
) -> list[Stmt]:
    """``stmts`` (one module's, in original order) with import-only blocks moved up.

    ``reads``: statement index -> top-level names it reads; ``fixed``: indexes of statements
    with import-time effects on shared objects, which nothing passes.
    """
    top: list[list[Stmt]] = []
    rest: list[list[Stmt]] = []
    for block in _glued(list(stmts)):
        hoist = _imports_only(_tree(block[0])) and all(
            _may_pass(block, above, reads, fixed) for above in rest
        )
        (top if hoist else rest).append(block)
    return [s for block in top + rest for s in block]


def _glued(stmts: list[Stmt]) -> list[list[Stmt]]:
    """Statements with the strings documenting them (a string right below an assignment)."""
    blocks: list[list[Stmt]] = []
    for stmt in stmts:
        node = _tree(stmt)
        doc = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if doc and blocks and isinstance(_tree(blocks[-1][-1]), (ast.Assign, ast.AnnAssign)):
            blocks[-1].append(stmt)
        else:
            blocks.append([stmt])
    return blocks


def _tree(stmt: Stmt) -> ast.stmt | None:
    """The statement as ``ast`` reads it (None when it is not one statement)."""
    return _parsed(stmt.code)


@functools.lru_cache(maxsize=512)  # each module is written again for every packing measured
def _parsed(code: str) -> ast.stmt | None:
    try:
        body = ast.parse(code.strip()).body
    except SyntaxError:
        return None
    return body[0] if len(body) == 1 else None


def _inner(node: ast.stmt) -> list[ast.stmt]:
    """The statements of an if/try block, nested blocks opened (``node`` itself otherwise)."""
    if not isinstance(node, _BLOCKS):
        return [node]
    parts = [*node.body, *node.orelse]
    if isinstance(node, ast.Try):
        parts += [s for h in node.handlers for s in h.body] + node.finalbody
    return [s for part in parts for s in _inner(part)]


def _imports_only(node: ast.stmt | None) -> bool:
    """An import, or an if/try block of imports with ``pass`` or assignments as fallbacks."""
    if node is None:
        return False
    inner = _inner(node)
    allowed = (*_IMPORTS, ast.Pass, ast.Assign, ast.AnnAssign)
    return any(isinstance(s, _IMPORTS) for s in inner) and all(
        isinstance(s, allowed) and _plain_targets(s) for s in inner
    )


def _plain_targets(node: ast.stmt) -> bool:
    """An assignment binds names only (an import or ``pass``: nothing to check)."""
    if isinstance(node, ast.Assign):
        return all(_names_only(t) for t in node.targets)
    if isinstance(node, ast.AnnAssign):
        return _names_only(node.target)
    return True


def _names_only(target: ast.expr) -> bool:
    if isinstance(target, ast.Name):
        return True
    return isinstance(target, (ast.Tuple, ast.List)) and all(_names_only(e) for e in target.elts)


def _definitions(node: ast.stmt | None) -> bool:
    """Only binds names: defs, classes, imports, ``pass``, assignments to names, and if/try
    blocks of those (their calls make values, not effects on the world)."""
    if node is None:
        return False
    kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Pass, *_IMPORTS)
    assigns = (ast.Assign, ast.AnnAssign)
    return all(
        isinstance(s, kinds) or (isinstance(s, assigns) and _plain_targets(s)) for s in _inner(node)
    )


def _may_pass(
    block: list[Stmt],
    above: list[Stmt],
    reads: Mapping[int, Collection[str]],
    fixed: Collection[int],
) -> bool:
    """Whether the import block may run before the statements ``above`` it."""
    if any(s.index in fixed for s in (*block, *above)):
        return False
    if not all(_definitions(_tree(s)) for s in above):
        return False
    binds = {n for s in block for n in s.binds}
    read = {n for s in block for n in reads.get(s.index, ())}
    above_binds = {n for s in above for n in s.binds}
    above_reads = {n for s in above for n in reads.get(s.index, ())}
    return not (read & above_binds or binds & (above_binds | above_reads))


def spaced(stmts: Sequence[Stmt], codes: Sequence[str]) -> str:
    """The statements' code in order, two blank lines before and after each function and
    class (PEP 8, E302/E305): a statement that followed a sibling with one blank line in the
    original may now follow a function."""
    out: list[str] = []
    for i, code in enumerate(codes):
        if i and (_is_def(stmts[i - 1]) or _is_def(stmts[i])):
            blank = len(code) - len(code.lstrip("\n"))
            code = "\n" * max(0, 2 - blank) + code
        out.append(code)
    return "".join(out)


def _is_def(stmt: Stmt) -> bool:
    return isinstance(stmt.node, (cst.FunctionDef, cst.ClassDef))
