"""Names of generated modules: say what is inside, never collide with names of the original."""

from __future__ import annotations

import keyword
import re

import libcst as cst

from modularize.agents.engine.context import SourceContext
from modularize.agents.engine.model import EngineConfig
from modularize.agents.engine.units import Unit

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
RESERVED = frozenset({"__init__", "__main__"})


def taken_names(ctx: SourceContext, config: EngineConfig) -> set[str]:
    """Names a new module may not take: top-level names of the original, existing modules."""
    taken = set(RESERVED)
    taken.update(n for s in ctx.stmts for n in s.binds)
    taken.update(ctx.import_names)
    taken.update(ctx.typing_names)
    taken.update(config.existing_names)
    return taken


def snake(name: str) -> str:
    """``PricingStrategy`` -> ``pricing_strategy``; leading underscores dropped."""
    words = _CAMEL.sub("_", name.strip("_")).lower()
    words = re.sub(r"[^a-z0-9_]+", "_", words).strip("_")
    return words or "part"


def unique(stem: str, taken: set[str]) -> str:
    """``stem`` or ``stem_2``, ``stem_3``... whichever is free; the result is then taken."""
    stem = stem if stem.isidentifier() and not keyword.iskeyword(stem) else f"{stem}_"
    candidate = stem
    n = 2
    while candidate in taken or keyword.iskeyword(candidate):
        candidate = f"{stem}_{n}"
        n += 1
    taken.add(candidate)
    return candidate


def own_module_name(unit: Unit) -> str:
    """The module of a single definition over the limit: ``environment_class`` style."""
    node = unit.stmts[-1].node
    kind = (
        "class"
        if isinstance(node, cst.ClassDef)
        else ("function" if isinstance(node, cst.FunctionDef) else "defs")
    )
    return f"{snake(unit.id) if not unit.id.startswith('stmt@') else 'statements'}_{kind}"


def topic(units: list[Unit]) -> str:
    """What a chunk is about: its largest named unit."""
    named = [u for u in units if not u.id.startswith("stmt@")] or units
    biggest = max(named, key=lambda u: (u.lines, -u.first))
    return snake(biggest.id) if not biggest.id.startswith("stmt@") else "statements"


def overhead(units: list[Unit]) -> int:
    """Lines a module needs besides its units: docstring, imports (an upper estimate)."""
    names = {n for u in units for n in u.name_refs}
    return 6 + min(len(names), 12 + len(names) // 3)
