"""Import statements of generated modules, recomputed from the original's import lines."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

import libcst as cst

from modularize.agents.engine.statements import Stmt, alias_binding

_EMPTY = cst.Module([])
_KEEP_COMMENTS = ("type: ignore", "noqa", "pragma", "pyright:", "mypy:")
MAX_LINE = 79  # within any line-length rule a project may have


def _code(node: cst.CSTNode) -> str:
    return _EMPTY.code_for_node(node)


def alias_text(alias: cst.ImportAlias, reexport: bool = False) -> str:
    """``a.b as c``; with ``reexport`` a plain name is written ``x as x`` (an explicit re-export)."""
    text = _code(alias.name)
    if alias.asname is not None:
        return f"{text} as {alias_binding(alias)}"
    if reexport and isinstance(alias.name, cst.Name):
        return f"{text} as {text}"
    return text


def _from_module(node: cst.ImportFrom, shift: int) -> str:
    dots = "." * (len(node.relative) + (shift if node.relative else 0))
    return dots + (_code(node.module) if node.module is not None else "")


def from_import(module: str, names: list[str], suffix: str = "") -> str:
    """``from module import a, b`` wrapped in parentheses when it would be too long."""
    line = f"from {module} import {', '.join(names)}{suffix}"
    if len(line) <= MAX_LINE or len(names) == 1:
        return line + "\n"
    body = "".join(f"    {n},\n" for n in names)
    return (
        f"from {module} import (  {suffix.strip()}\n{body})\n"
        if suffix
        else f"from {module} import (\n{body})\n"
    )


def render_imports(
    stmts: list[Stmt],
    wanted: set[str] | None,
    *,
    shift: int,
    reexport: bool = False,
    listed: frozenset[str] = frozenset(),
) -> list[str]:
    """Import statements binding the ``wanted`` names (all when None), in original order;
    with ``reexport``, names not ``listed`` in ``__all__`` are written ``x as x``."""
    out: list[str] = []
    for stmt in stmts:
        node = stmt.node
        assert isinstance(node, cst.SimpleStatementLine)
        comment = node.trailing_whitespace.comment
        keep = comment.value if comment and any(k in comment.value for k in _KEEP_COMMENTS) else ""
        lines = [
            line
            for small in node.body
            for line in _one(small, wanted, shift, reexport, keep, listed)
        ]
        if lines:  # the comments written above the import line come with it
            lines[0] = "".join(_leading_comments(node)) + lines[0]
        out.extend(lines)
    return out


def _leading_comments(node: cst.SimpleStatementLine) -> list[str]:
    return [f"{line.comment.value}\n" for line in node.leading_lines if line.comment is not None]


def _one(
    small: cst.BaseSmallStatement,
    wanted: set[str] | None,
    shift: int,
    reexport: bool,
    comment: str,
    listed: frozenset[str],
) -> list[str]:
    suffix = f"  {comment}" if comment else ""
    if isinstance(small, cst.Import):
        aliases = [a for a in small.names if wanted is None or alias_binding(a) in wanted]
        lines = []
        for alias in aliases:
            unlisted = reexport and alias_binding(alias) not in listed
            text = alias_text(alias, unlisted)
            plain_reexport = unlisted and (alias.asname is not None or "." in _code(alias.name))
            note = suffix or ("  # noqa: F401" if plain_reexport else "")
            lines.append(f"import {text}{note}\n")
        return lines
    if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
        aliases = [a for a in small.names if wanted is None or alias_binding(a) in wanted]
        if not aliases:
            return []
        module = _from_module(small, shift)
        if not reexport:
            return [from_import(module, [alias_text(a) for a in aliases], suffix)]
        renamed = [a for a in aliases if a.asname is not None and alias_binding(a) != _code(a.name)]
        plain = [
            alias_text(a, alias_binding(a) not in listed)
            for a in aliases
            if all(a is not r for r in renamed)
        ]
        lines = [from_import(module, plain, suffix)] if plain else []
        # ``a as b`` cannot be written as an explicit re-export: tell ruff it is one.
        lines += [
            f"from {module} import {alias_text(a)}{_unlisted_note(a, listed)}\n" for a in renamed
        ]
        return lines
    return []


def _unlisted_note(alias: cst.ImportAlias, listed: frozenset[str]) -> str:
    return "" if alias_binding(alias) in listed else "  # noqa: F401"


_STRING_START = re.compile(r"""[=(\[{,:]\s*(["'])""")


def quote_style(code: str) -> str:
    """The quote ``code`` writes its strings with: ``"`` where black or ruff formats it."""
    found = Counter(m.group(1) for m in _STRING_START.finditer(code))
    return '"' if found['"'] > found["'"] else "'"


def quoted(names: Iterable[str], quote: str) -> list[str]:
    """Identifiers as string literals in ``quote`` (no escaping: they are identifiers)."""
    return [f"{quote}{name}{quote}" for name in names]


def wrapped(names: list[str], indent: int = 4) -> str:
    """``    a, b, c,`` lines of at most 79 characters (any project's line-length rule)."""
    lines: list[str] = []
    line = " " * (indent - 1)
    for name in names:
        if len(line) + len(name) + 2 > MAX_LINE and line.strip():
            lines.append(line + "\n")
            line = " " * (indent - 1)
        line += f" {name},"
    return "".join(lines) + line + "\n"


def example_imports(stmts: list[Stmt], names: set[str], *, shift: int = 0) -> list[str]:
    """The imports of ``names`` that only doctest examples read, one a line: ruff reads a
    ``noqa`` on the line of the name it reports, and its fix would drop them otherwise."""
    if not names:
        return []
    lines = ["# Used by the examples in the docstrings below.\n"]
    for name in sorted(names):
        rendered = render_imports(stmts, {name}, shift=shift)
        lines += [f"{line.rstrip()}  # noqa: F401\n" for line in rendered]
    return lines
