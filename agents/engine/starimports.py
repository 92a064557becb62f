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
from collections.abc import Mapping

import libcst as cst

from modularize.agents.engine.trees import parse_module

# ``import *``, with spaces or a line continuation between: without one, nothing to parse
_STAR_IMPORT = re.compile(r"\bimport[\s\\]*\*")


def star_targets(source: str) -> list[str]:
    """The modules star-imported by the file, as written (``.consts``, ``os.path``); read
    with ``ast``: most files have none, and a LibCST parse would cost more than the rest."""
    if not _STAR_IMPORT.search(source):
        return []
    found = [
        "." * node.level + (node.module or "")
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.names[0].name == "*"
    ]
    return list(dict.fromkeys(found))


def written_name(node: cst.ImportFrom) -> str:
    """``..pkg.mod`` for ``from ..pkg.mod import ...`` (spaces dropped, as ``ast`` has it)."""
    dots = "." * len(node.relative)
    name = cst.Module([]).code_for_node(node.module) if node.module else ""
    return dots + "".join(name.split())


def expand_star_imports(source: str, names: Mapping[str, tuple[str, ...]]) -> str:
    """``source`` with every star import listed in ``names`` rewritten to name what it binds
    (on the same line: line numbers stay those of the original)."""
    if not names or not any(target in names for target in star_targets(source)):
        return source
    module = parse_module(source)

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
