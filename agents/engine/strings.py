"""The strings of a module's code, read in one walk of its ``ast`` (pure).

Which imports still need re-exporting (``context.unneeded_imports``) and which names export
lists hold (``compat.named_in_strings``) both read the module's string constants; the
planner and the writer ask about one text several times, and a walk of a whole module's
``ast`` costs more than the questions.
"""

from __future__ import annotations

import ast
import dataclasses
import functools

from modularize.agents.core.source import source_tree


@dataclasses.dataclass(frozen=True)
class Strings:
    """A module's string constants (f-string parts included)."""

    constants: frozenset[str]
    # those of the list, tuple and set displays made of strings only (export lists)
    listed: frozenset[str]


@functools.lru_cache(maxsize=4)  # a file, its star imports expanded, its classes split
def module_strings(source: str) -> Strings:
    """The string constants of ``source``, which parses. Shared: read-only."""
    constants: set[str] = set()
    listed: set[str] = set()
    for node in ast.walk(source_tree(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            constants.add(node.value)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)) and node.elts:
            items = [
                e.value
                for e in node.elts
                if isinstance(e, ast.Constant) and isinstance(e.value, str)
            ]
            if len(items) == len(node.elts):
                listed.update(items)
    return Strings(frozenset(constants), frozenset(listed))
