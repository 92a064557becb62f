"""Which modules ``__init__`` must import in the original's order (pure): those that run code
at import time, and those defining subclasses a base class may see being defined."""

from __future__ import annotations

import libcst as cst

from modularize.agents.engine import naming
from modularize.agents.engine.context import SourceContext
from modularize.agents.engine.model import SplitPlan
from modularize.agents.engine.units import Unit


def order_sensitive(ctx: SourceContext, plan: SplitPlan) -> frozenset[str]:
    """Modules whose bodies must keep their relative order: they run code at import time
    beyond binding names, or define a subclass of a class of the original (a base class may
    register its subclasses as they are defined). What only binds names imports what it
    needs itself: its place in ``__init__`` does not matter."""
    units = {u.id: u for u in ctx.units}
    counted = any("__subclasses__" in s.code for s in ctx.analysis.stmts)
    return frozenset(
        m.name
        for m in plan.modules
        if any(
            u.side_effect or _seen_by_a_base(ctx, u, counted)
            for u in (units[i] for i in m.units if i in units)
        )
    )


def _seen_by_a_base(ctx: SourceContext, unit: Unit, counted: bool) -> bool:
    """A class whose definition one of the original's classes it derives from may see: an
    ancestor with ``__init_subclass__`` or a metaclass, one bound otherwise than by a class
    statement (imported: who knows), or any when the module asks for ``__subclasses__()``."""
    seen: set[str] = set()
    todo = [b for b in naming.class_bases(unit) if b in ctx.owner]
    if todo and counted:
        return True
    while todo:
        name = todo.pop()
        if name in seen or name not in ctx.owner:
            continue
        seen.add(name)
        node = ctx.owner[name].stmts[-1].node
        if not isinstance(node, cst.ClassDef):
            return True
        hooks = any(
            isinstance(s, cst.FunctionDef) and s.name.value == "__init_subclass__"
            for s in node.body.body
        )
        if hooks or any(k.keyword is not None for k in node.keywords):
            return True
        todo += naming.class_bases(ctx.owner[name])
    return False
