"""Methods a class split keeps in the class: those whose mixin would import the class back
(pure). A mixin's module is imported by the class's module (the class inherits from it); a
method reading the class, or a top-level name that reads it, would make the mixin's module
import the class's module in turn: a cycle.
"""

from __future__ import annotations

import libcst as cst

from modularize.agents.engine.doctests import example_names
from modularize.agents.engine.members import Member, names_in, statement_binds
from modularize.agents.engine.mixinwrite import super_to_mixin


def tied_to(module: cst.Module, name: str) -> frozenset[str]:
    """``name`` and every top-level name whose definition reads it, directly or through
    another such name, at any time (calls, annotations, bases): a mixin method reading one of
    them would make the mixin's module import the class's module, which imports the mixin."""
    readers: dict[str, set[str]] = {}
    for stmt in module.body:
        read = names_in(stmt)
        for bound in statement_binds(stmt):
            for target in read:
                readers.setdefault(target, set()).add(bound)
    tied, todo = {name}, [name]
    while todo:
        for reader in readers.get(todo.pop(), ()):
            if reader not in tied:
                tied.add(reader)
                todo.append(reader)
    return frozenset(tied)


def pin_tied(members: list[Member], name: str, tied: frozenset[str], once: bool) -> list[Member]:
    """Keep in the class the methods that read it, or what reads it, by name, in code or in
    doctest examples (see ``tied_to``): moving one would put an import cycle between the
    class and its mixin. Returns the members so kept."""
    kept = []
    for member in members:
        if not member.is_method or member.pinned:
            continue
        moved = super_to_mixin(member.node, "_Mixin", name if once else "", member.super_param)
        code = (names_in(moved) - set(member.binds)) & tied
        examples = example_names(member.node) & tied  # they run in the mixin's module too
        if code or examples:
            first = name if name in (code or examples) else min(code or examples)
            via = "" if first == name else f" (through `{first}`)"
            what = "reads" if code else "has doctest examples reading"
            member.pinned = f"{what} `{name}`{via}; in a mixin it would import the class back"
            kept.append(member)
    return kept
