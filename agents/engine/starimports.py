"""``from x import *`` in the file being split, made explicit before the analysis (pure).

The names a star import binds are known only in the project's interpreter: the agent asks it
(the source module's ``__all__``, else its public names) and passes them in
``EngineConfig.star_names``. Each resolved star import is rewritten on its own line to
``from x import a, b, ...``, so that the analysis tracks those names like any other import
and each new module imports exactly the ones it reads; ``__init__`` re-imports them all.
"""

from __future__ import annotations

import ast
import re
from collections import deque
from collections.abc import Iterator, Mapping

from modularize.agents.core.source import source_tree

# ``import *``, with spaces or a line continuation between: without one, nothing to parse
_STAR_IMPORT = re.compile(r"\bimport[\s\\]*\*")
_LINES = re.compile(r"(\r\n|\r|\n)")
# nodes that are or may hold statements: a statement's other children are expressions
_HOLDS_STATEMENTS = (ast.stmt, ast.excepthandler, ast.match_case)


def star_targets(source: str) -> list[str]:
    """The modules star-imported by the file, as written (``.consts``, ``os.path``); read
    with ``ast``: most files have none, and a LibCST parse would cost more than the rest."""
    return list(dict.fromkeys(_written(node) for node in _star_imports(source)))


def _star_imports(source: str) -> list[ast.ImportFrom]:
    if not _STAR_IMPORT.search(source):
        return []
    return [
        node
        for node in _statements(source_tree(source))
        if isinstance(node, ast.ImportFrom) and node.names[0].name == "*"
    ]


def _statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """The statements of ``tree`` in ``ast.walk`` order (breadth first), without walking the
    expressions: no statement is inside one."""
    todo: deque[ast.AST] = deque([tree])
    while todo:
        node = todo.popleft()
        todo.extend(c for c in ast.iter_child_nodes(node) if isinstance(c, _HOLDS_STATEMENTS))
        if isinstance(node, ast.stmt):
            yield node


def _written(node: ast.ImportFrom) -> str:
    return "." * node.level + (node.module or "")


def expand_star_imports(source: str, names: Mapping[str, tuple[str, ...]]) -> str:
    """``source`` with every star import listed in ``names`` rewritten to name what it binds
    (on the same line: line numbers stay those of the original). Only the ``*`` changes, to
    ``a, b, c``: the text around it stays as written."""
    if not names:
        return source
    stars = [(node, names.get(_written(node), ())) for node in _star_imports(source)]
    stars = [(node, bound) for node, bound in stars if bound]
    if not stars:
        return source
    lines = _LINES.split(source)  # lines and the line ends between them, as ``ast`` counts
    for node, bound in sorted(stars, key=lambda s: (s[0].lineno, s[0].col_offset), reverse=True):
        star = node.names[0]
        at = 2 * (star.lineno - 1)
        line = lines[at].encode("utf-8")  # ``ast`` gives offsets in UTF-8 bytes
        start = len(line[: star.col_offset].decode("utf-8"))
        end = len(line[: star.end_col_offset].decode("utf-8"))
        space = " " if start and not lines[at][start - 1].isspace() else ""  # ``import*``
        lines[at] = lines[at][:start] + space + ", ".join(bound) + lines[at][end:]
    return "".join(lines)
