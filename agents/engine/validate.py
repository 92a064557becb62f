"""Checks on a plan (possibly edited by a person) before anything is written."""

from __future__ import annotations

from collections import Counter
from collections.abc import Set as AbstractSet

from modularize.agents.engine.context import SourceContext
from modularize.agents.engine.graph import Layout, arrange, module_edges
from modularize.agents.engine.kinds import Edge
from modularize.agents.engine.loadorder import Conflict
from modularize.agents.engine.model import EngineConfig, Refusal, SplitPlan
from modularize.agents.engine.naming import is_reserved_word, taken_names


def check_plan(plan: SplitPlan, ctx: SourceContext, config: EngineConfig) -> Layout:
    """The import layout of a valid plan; Refusal naming the first problem otherwise."""
    if plan.module != config.module:
        raise Refusal(f"the plan is for `{plan.module}`, not `{config.module}`")
    _check_names(plan, ctx, config)
    _check_units(plan, ctx)
    placement = {u: m.name for m in plan.modules if m.role != "main" for u in m.units}
    _check_live(ctx, placement)
    modules = [m.name for m in plan.modules if m.role != "main"]
    rank = {
        m: min(ctx.by_id[u].first for u in mod.units) if mod.units else 0
        for m, mod in ((p.name, p) for p in plan.modules if p.role != "main")
    }
    layout = arrange(
        modules,
        rank,
        module_edges(placement, ctx.units, ctx.owner, ctx.maybe_names, ctx.phantom_names),
    )
    if isinstance(layout, Conflict):
        raise Refusal(
            f"modules `{layout.requester}` and `{layout.target}` need each other while "
            "they import; put their units in one module"
        )
    return layout


def _check_names(plan: SplitPlan, ctx: SourceContext, config: EngineConfig) -> None:
    taken = taken_names(ctx, config)
    seen: dict[str, str] = {}  # case-folded: case-insensitive file systems would merge them
    for mod in plan.modules:
        if mod.role == "main":
            if mod.name != "__main__":
                raise Refusal(f"the main block goes to `__main__`, not `{mod.name}`")
            continue
        problem = module_name_problem(mod.name, taken)
        if problem:
            raise Refusal(problem)
        if mod.name in seen.values():
            raise Refusal(f"module `{mod.name}` appears twice in the plan")
        if mod.name.lower() in seen:
            raise Refusal(f"module names `{seen[mod.name.lower()]}` and `{mod.name}` collide")
        if not mod.units:
            raise Refusal(f"module `{mod.name}` has no units")
        seen[mod.name.lower()] = mod.name


def _check_units(plan: SplitPlan, ctx: SourceContext) -> None:
    counts = Counter(u for m in plan.modules if m.role != "main" for u in m.units)
    expected = {u.id for u in ctx.units}
    for unit, count in sorted(counts.items()):
        if unit not in expected:
            raise Refusal(f"the plan names unit `{unit}`, which the file does not have")
        if count > 1:
            raise Refusal(f"unit `{unit}` is in {count} modules; put it in exactly one")
    missing = sorted(expected - set(counts), key=lambda u: ctx.by_id[u].first)
    if missing:
        raise Refusal(f"unit `{missing[0]}` is in no module; every unit must be placed once")
    if set(plan.init_units) != {u.id for u in ctx.init_units}:
        raise Refusal(
            "`init_units` must list exactly the module's __getattr__/__dir__ and "
            f"metadata: {', '.join(u.id for u in ctx.init_units) or 'none'}"
        )
    mains = [m for m in plan.modules if m.role == "main"]
    if (ctx.main is None) != (not mains) or len(mains) > 1:
        raise Refusal("the plan's `__main__` module does not match the file's main block")


def _check_live(ctx: SourceContext, placement: dict[str, str]) -> None:
    for name in sorted(ctx.served_names):
        homes = {
            placement[u.id]
            for u in ctx.units
            if name in u.names or u.name_refs.get(name, Edge.ANNOTATION) is not Edge.ANNOTATION
        }
        if len(homes) > 1:
            raise Refusal(
                f"`{name}` is rebound with `global` or bound only on some paths; every"
                f" unit using it must be in one module (now: {', '.join(sorted(homes))})"
            )


def module_name_problem(name: str, taken: AbstractSet[str]) -> str | None:
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
