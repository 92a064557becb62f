"""What every layer reads of Python's syntax the same way: one definition of the main guard,
read with ``ast`` (the engine hands LibCST nodes over as their code), and a faster walk."""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator


def walk(tree: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk``, in the same order (breadth first), without a generator per node: about
    twice as fast on a whole module. A node's children are read after it is yielded: for
    readers, not for code that changes the tree as it walks."""
    queue = deque([tree])
    while queue:
        node = queue.popleft()
        yield node
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                queue.append(value)
            elif isinstance(value, list):
                queue.extend(item for item in value if isinstance(item, ast.AST))


def is_main_test(test: ast.expr) -> bool:
    """``__name__ == "__main__"`` (either side first)."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    sides = [test.left, *test.comparators]
    name = any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides)
    main = any(isinstance(s, ast.Constant) and s.value == "__main__" for s in sides)
    return isinstance(test.ops[0], ast.Eq) and name and main


def is_main_block(stmt: ast.stmt) -> bool:
    """``if __name__ == "__main__":`` without ``elif``/``else``: the block only ``python -m`` or
    ``python file.py`` runs, which a split moves whole to ``__main__.py``."""
    return isinstance(stmt, ast.If) and not stmt.orelse and is_main_test(stmt.test)


def is_main_test_code(code: str) -> bool:
    """:func:`is_main_test` for the source text of an ``if`` statement's test."""
    try:
        return is_main_test(ast.parse(f"(\n{code}\n)", mode="eval").body)
    except SyntaxError:
        return False
