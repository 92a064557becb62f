"""Names ``typing.get_type_hints`` resolves for a top-level definition (pure).

``get_type_hints(f)`` reads the annotations of a module-level function's signature, and
``get_type_hints(C)`` those of a class body (``owner: Tree | None = None``), in the globals of
the module that defines them; verification checks both on every top-level class and function.
Such names are read at run time even when the annotations are not evaluated at import: the
module imports them for real, not under TYPE_CHECKING, and the modules so import each other
one way. Method annotations stay soft: imported for real where that makes no cycle, under
TYPE_CHECKING where it would (``graph.arrange``). Made hard, they would put a class and every
class its methods name in one module (click's core.py: all of it).
"""

from __future__ import annotations

import ast

import libcst as cst

_CODE = cst.Module([])


def hint_names(node: cst.CSTNode) -> set[str]:
    """Names the annotations of a top-level ``def`` signature or class body read."""
    found: set[str] = set()
    for annotation in _annotations(node):
        found |= _names(_CODE.code_for_node(annotation.annotation))
    return found


def _annotations(node: cst.CSTNode) -> list[cst.Annotation]:
    if isinstance(node, cst.FunctionDef):
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        found = [p.annotation for p in every if p.annotation is not None]
        return found + ([node.returns] if node.returns is not None else [])
    if isinstance(node, cst.ClassDef) and isinstance(node.body, cst.IndentedBlock):
        found = []
        for line in node.body.body:
            if isinstance(line, cst.SimpleStatementLine):
                found += [s.annotation for s in line.body if isinstance(s, cst.AnnAssign)]
        return found
    return []


def _names(code: str) -> set[str]:
    """Names an annotation reads, inside string (forward) annotations too."""
    try:
        tree = ast.parse(code.strip(), mode="eval")
    except SyntaxError:
        return set()
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found |= _names(node.value)
    return found
