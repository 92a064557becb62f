"""What ``scan`` says about a file over the limit: its top-level counts and its warnings.

Parsed with ``ast`` (fast, and enough for counts and the hazards a person should know about
before a split); only the table, JSON and Markdown formats come here, never the gate.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from modularize.agents.core.errors import SourceError
from modularize.agents.core.syntax import is_main_block

_Function = ast.FunctionDef | ast.AsyncFunctionDef  # the scope a `global` statement is in

# Prefilters that decide whether a file needs the statement walk at all. Each starts with a
# literal so `re` can skip ahead fast; a false positive only costs the (exact) walk.
_STAR_IMPORT = re.compile(r"import[ \t]*\*")
_GLOBAL_STMT = re.compile(r"global[ \t]+[A-Za-z_]")
_FILE_NAME = re.compile(r"__file__")
_BLOCK_FIELDS = frozenset({"body", "orelse", "finalbody", "handlers", "cases"})


def parse_source(source: str) -> ast.Module:
    """The ``ast`` of a module, or SourceError with the line and the reason."""
    try:
        return ast.parse(source)
    except SyntaxError as exc:
        raise SourceError(f"line {exc.lineno}: syntax error: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SourceError(f"cannot parse: {exc or type(exc).__name__}") from None


def _definition_start(node: ast.stmt) -> int:
    decorators: list[ast.expr] = getattr(node, "decorator_list", [])
    return min([node.lineno, *(d.lineno for d in decorators)])


def _long_definitions(tree: ast.Module, threshold: int) -> Iterator[tuple[int, str]]:
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            start = _definition_start(node)
            size = (node.end_lineno or node.lineno) - start + 1
            if size > threshold:
                yield (
                    start,
                    (
                        f"`{node.name}` is {size} lines, over the limit by itself: "
                        "it needs a class split"
                    ),
                )


def _main_blocks(tree: ast.Module) -> Iterator[tuple[int, str]]:
    for node in tree.body:
        if is_main_block(node):
            yield node.lineno, 'has an `if __name__ == "__main__":` block (moves to __main__.py)'


def _statements(
    body: list[ast.stmt], func: _Function | None = None
) -> Iterator[tuple[ast.stmt, _Function | None]]:
    """Every statement with the function it belongs to (None at module or class level).

    Walks statement blocks only, never expressions: a tenth of the nodes of ``ast.walk``.
    """
    for node in body:
        yield node, func
        inner = node if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) else func
        if isinstance(node, ast.ClassDef):
            inner = None
        for field in ("body", "orelse", "finalbody"):
            yield from _statements(getattr(node, field, None) or [], inner)
        for block in (*getattr(node, "handlers", ()), *getattr(node, "cases", ())):
            yield from _statements(block.body, inner)


def _star_imports(statements: list[tuple[ast.stmt, _Function | None]]) -> Iterator[tuple[int, str]]:
    for node, _ in statements:
        if isinstance(node, ast.ImportFrom) and node.names[0].name == "*":
            target = "." * node.level + (node.module or "")
            yield node.lineno, f"star import `from {target} import *`"


def _own_expressions(stmt: ast.stmt) -> Iterator[ast.AST]:
    """Expression nodes of one statement (a header, for compound ones), not its nested blocks."""
    for name, value in ast.iter_fields(stmt):
        if name in _BLOCK_FIELDS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                yield from ast.walk(item)


def _match_lines(pattern: re.Pattern[str], source: str) -> set[int]:
    """Line numbers of the matches, counting newlines once through the source."""
    lines, line, offset = set(), 1, 0
    for match in pattern.finditer(source):
        line += source.count("\n", offset, match.start())
        offset = match.start()
        lines.add(line)
    return lines


def _file_uses(
    statements: list[tuple[ast.stmt, _Function | None]], source: str
) -> Iterator[tuple[int, str]]:
    candidates = _match_lines(_FILE_NAME, source)
    if not candidates:
        return
    lines = sorted(
        node.lineno
        for stmt, _ in statements
        if any(stmt.lineno <= c <= (stmt.end_lineno or stmt.lineno) for c in candidates)
        for node in _own_expressions(stmt)
        if isinstance(node, ast.Name) and node.id == "__file__"
    )
    if lines:
        yield lines[0], f"uses `__file__` ({len(lines)} place(s)): paths must stay valid"


def _own_scope(func: ast.AST) -> Iterator[ast.AST]:
    """Nodes of a function body, not entering nested functions, lambdas or classes."""
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            stack.extend(ast.iter_child_nodes(node))


def _global_rebinds(
    statements: list[tuple[ast.stmt, _Function | None]],
) -> Iterator[tuple[int, str]]:
    declared: dict[_Function, set[str]] = {}
    for node, func in statements:
        if isinstance(node, ast.Global) and func is not None:
            declared.setdefault(func, set()).update(node.names)
    seen: set[str] = set()
    for func, names in declared.items():  # only the few functions that declare a global
        for sub in _own_scope(func):
            if not isinstance(sub, ast.Name) or isinstance(sub.ctx, ast.Load):
                continue
            if sub.id in names and sub.id not in seen:
                seen.add(sub.id)
                yield sub.lineno, f"`{sub.id}` is rebound with `global` in `{func.name}()`"


def analyse(source: str, threshold: int) -> tuple[int, int, tuple[str, ...]]:
    """(top-level classes, top-level functions, warnings) of a module; SourceError if bad."""
    tree = parse_source(source)
    classes = sum(isinstance(n, ast.ClassDef) for n in tree.body)
    functions = sum(isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) for n in tree.body)
    found = [*_long_definitions(tree, threshold), *_main_blocks(tree)]
    # These need a walk of the statements; the regexes skip it for most files.
    if any(p.search(source) for p in (_STAR_IMPORT, _GLOBAL_STMT, _FILE_NAME)):
        statements = list(_statements(tree.body))
        found += [
            *_star_imports(statements),
            *_global_rebinds(statements),
            *_file_uses(statements, source),
        ]
    return classes, functions, tuple(f"line {line}: {text}" for line, text in sorted(found))
