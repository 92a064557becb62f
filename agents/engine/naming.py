"""Names of generated modules: say what is inside, never collide with names of the original."""

from __future__ import annotations

import keyword
import re
from collections.abc import Set

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


def is_reserved_word(name: str) -> bool:
    """A keyword or soft keyword (``match``, ``case``, ``type``, ``_``): no module takes one."""
    return keyword.iskeyword(name) or keyword.issoftkeyword(name)


def module_name_problem(name: str, taken: Set[str]) -> str | None:
    """Why ``name`` cannot name a new module (a plan from a person or a model), or None."""
    if any(sep in name for sep in ("/", "\\", ".", "\0")):
        return f"module name `{name}` contains a path separator or dot"
    if not name.isidentifier() or not name.isascii():
        return f"module name `{name}` is not an ASCII Python identifier"
    if is_reserved_word(name):
        return f"module name `{name}` is a Python keyword"
    if name.startswith("__") and name.endswith("__"):
        return f"module name `{name}` is a dunder name"
    if name in taken:
        return (
            f"module `{name}` would hide the name `{name}` of the original (it is already bound"
            " there, or an existing module); rename it"
        )
    return None


def snake(name: str) -> str:
    """``PricingStrategy`` -> ``pricing_strategy``; leading underscores dropped."""
    words = _CAMEL.sub("_", name.strip("_")).lower()
    words = re.sub(r"[^a-z0-9_]+", "_", words).strip("_")
    return words or "part"


def unique(stem: str, taken: set[str]) -> str:
    """``stem`` or ``stem_2``, ``stem_3``... whichever is free; the result is then taken."""
    stem = stem if stem.isidentifier() and not is_reserved_word(stem) else f"{stem}_"
    candidate = stem
    n = 2
    while candidate in taken or is_reserved_word(candidate):
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
