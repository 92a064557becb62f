"""LibCST's parse of a big module, a few thousand lines at a time (pure).

``libcst.parse_module`` of a 50,000-line file holds about 800 MB of parser memory at once
(the tree itself is a tenth of that), and the C allocator keeps it: a process's peak. Parsed
in pieces cut between top-level statements, the peak is a piece's, and the tree is the same:
each piece's leading lines, which LibCST gives the piece's ``header``, go back to its first
statement, and the module's settings are the ones a whole parse infers (the first newline, the
first block's indentation: where pieces disagree on it, the whole text is parsed).
"""

from __future__ import annotations

import ast
import itertools

import libcst as cst

CHUNK_LINES = 2000  # lines a piece holds, about (a statement is never cut)
_BLOCKS = ("body", "cases")  # the fields holding a compound statement's block


def parse_module(source: str, tree: ast.Module | None = None) -> cst.Module:
    """``cst.parse_module(source)``; in pieces when ``source`` is over ``CHUNK_LINES`` lines
    (``tree``: its ``ast``, when the caller has it)."""
    if not chunked(source):
        return cst.parse_module(source)
    lines = source.split("\n")
    tree = tree or ast.parse(source)
    cuts = _cuts(lines, tree.body)
    if not cuts:
        return cst.parse_module(source)
    starts = [0, *cuts]
    ends = [*cuts, len(lines)]
    texts = ["\n".join(lines[a:b]) + "\n" for a, b in zip(starts[:-1], ends[:-1], strict=True)]
    texts.append("\n".join(lines[starts[-1] :]))
    joined = _joined([cst.parse_module(text) for text in texts])
    return joined if joined is not None else cst.parse_module(source)


def chunked(source: str) -> bool:
    """Whether ``parse_module`` parses ``source`` in pieces: a big one, whose lines ``ast``
    and ``str.split`` count alike (a lone CR is a newline to ``ast``)."""
    return source.count("\n") >= CHUNK_LINES and source.count("\r") == source.count("\r\n")


def _cuts(lines: list[str], body: list[ast.stmt]) -> list[int]:
    """Line indexes where a piece may start, about ``CHUNK_LINES`` apart: after a statement
    whose block owns nothing below it (a comment indented under a block is the block's)."""
    cuts: list[int] = []
    last = 0
    for before, stmt in itertools.pairwise(body):
        end = before.end_lineno or before.lineno
        start = min([stmt.lineno, *(d.lineno for d in _decorators(stmt))]) - 1
        if start < end or end - last < CHUNK_LINES:
            continue  # (``a = 1; b = 2``: one line, one LibCST statement)
        gap = lines[end:start]
        if _has_block(before) and any(line.lstrip().startswith("#") for line in gap):
            continue
        cuts.append(end)
        last = end
    return cuts


def _decorators(stmt: ast.stmt) -> list[ast.expr]:
    return list(getattr(stmt, "decorator_list", ()))


def _has_block(stmt: ast.stmt) -> bool:
    return any(getattr(stmt, field, None) for field in _BLOCKS)


def _joined(pieces: list[cst.Module]) -> cst.Module | None:
    """One module of the pieces' statements, set up as a parse of the whole text would be
    (None: the pieces infer different indentations, which only the whole text can settle)."""
    if len({p.default_indent for p in pieces}) > 1:
        return None
    body: list[cst.BaseStatement] = list(pieces[0].body)
    for piece in pieces[1:]:
        first, *rest = piece.body
        lines = [*piece.header, *first.leading_lines]
        body += [first.with_changes(leading_lines=lines), *rest]
    return pieces[0].with_changes(
        body=body, footer=pieces[-1].footer, has_trailing_newline=pieces[-1].has_trailing_newline
    )
