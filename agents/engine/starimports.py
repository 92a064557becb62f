"""``from x import *`` in the file being split, made explicit before the analysis (pure).

The names a star import binds are known only in the project's interpreter: the agent asks it
(the source module's ``__all__``, else its public names) and passes them in
``EngineConfig.star_names``. Each resolved star import is rewritten on its own line to
``from x import a, b, ...``, so that the analysis tracks those names like any other import
and each new module imports exactly the ones it reads; ``__init__`` re-imports them all.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst


def star_targets(module: cst.Module) -> list[str]:
    """The modules star-imported by the file, as written (``.consts``, ``os.path``)."""
    found: list[str] = []

    class Find(cst.CSTVisitor):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if isinstance(node.names, cst.ImportStar):
                found.append(written_name(node))

    module.visit(Find())
    return list(dict.fromkeys(found))


def written_name(node: cst.ImportFrom) -> str:
    """``..pkg.mod`` for ``from ..pkg.mod import ...``."""
    dots = "." * len(node.relative)
    return dots + (cst.Module([]).code_for_node(node.module) if node.module else "")


def expand_star_imports(source: str, names: Mapping[str, tuple[str, ...]]) -> str:
    """``source`` with every star import listed in ``names`` rewritten to name what it binds
    (on the same line: line numbers stay those of the original)."""
    if not names or "*" not in source:
        return source
    module = cst.parse_module(source)
    if not any(target in names for target in star_targets(module)):
        return source

    class Expand(cst.CSTTransformer):
        def leave_ImportFrom(
            self, original_node: cst.ImportFrom, updated_node: cst.ImportFrom
        ) -> cst.ImportFrom:
            bound = names.get(written_name(original_node), ())
            if not isinstance(original_node.names, cst.ImportStar) or not bound:
                return updated_node
            aliases = [cst.ImportAlias(name=cst.Name(n)) for n in bound]
            return updated_node.with_changes(names=aliases, lpar=None, rpar=None)

    return module.visit(Expand()).code
