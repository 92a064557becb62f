"""The planner: source + config -> SplitPlan (pure).

1. Units (``units.py``) get roles (``roles.py``).
2. Units that must share a module are clustered: a name rebound with ``global`` lives with every
   unit that reads or rebinds it (a ``from .x import name`` copy would go stale), units that
   need each other at import time stay together, and so do interleaved import-time effects on
   shared state (``units.order_shared_effects``).
3. Clusters are merged into cohesive groups (``cohesion.py``) only while the graph between the
   groups stays acyclic: the new modules import each other one way, all at the top.
4. The import order is checked by simulation (``graph.arrange``). Modules that need each other
   at import time are re-packed, moved or merged (merge rather than break); modules that read
   each other inside functions are re-packed into a chain by the units that read each other
   (``cycles.split_module_cycles``), unless such units are too many for one module: then
   ``__init__`` hands the names over once every module is imported (click's core.py). Likewise
   when import-time effects on a shared object (a registry, ``atexit``, logging) would run in
   another order (``effects.py``): the two modules are merged, or the file is refused when the
   merged module would be over the threshold.
5. Modules are named and described by what they hold (``naming.py``); a cluster over the
   threshold gets a module of its own and a "needs a class split" warning.
"""

from __future__ import annotations

import dataclasses
import keyword
import re
from collections.abc import Mapping
from pathlib import PurePosixPath

from modularize.agents.core.source import count_lines
from modularize.agents.engine import docstrings, naming, topics
from modularize.agents.engine.classplan import class_roles, with_class_splits, within_limit
from modularize.agents.engine.cohesion import group_units
from modularize.agents.engine.context import SourceContext, prepare
from modularize.agents.engine.cycles import (
    Group,
    import_time_graph,
    runtime_graph,
    split_module_cycles,
    strongly_connected,
)
from modularize.agents.engine.effects import out_of_order
from modularize.agents.engine.graph import AFTER, Edges, arrange, module_edges, runtime_deps
from modularize.agents.engine.kinds import Edge
from modularize.agents.engine.loadorder import Conflict
from modularize.agents.engine.model import EngineConfig, ModulePlan, Refusal, SplitPlan
from modularize.agents.engine.modnames import name_modules
from modularize.agents.engine.roles import assign_roles
from modularize.agents.engine.units import Unit, deleted_helpers, group_role


def plan_split(source: str, config: EngineConfig) -> SplitPlan:
    """Plan how to split ``source``; raise Refusal when behaviour could not be preserved."""
    if count_lines(source) <= config.threshold:
        return SplitPlan(module=config.module, modules=())
    ctx = prepare(source, config)
    assign_roles(ctx.units)
    class_roles(ctx, source, config)
    from modularize.agents.engine.writer import write_files  # the writer imports the planner

    budgets = dict(config.budgets)
    for _ in range(6):  # imports are estimated while packing: measure, tighten, re-plan
        plan = _plan(ctx, dataclasses.replace(config, budgets=budgets))
        files = write_files(ctx, plan, config)
        over = _overflow(files, plan, config, {u.id: u.role for u in ctx.units})
        if not over:
            break
        for role, budget in over.items():
            budgets[role] = max(20, min(budgets.get(role, config.threshold), budget))
    return within_limit(with_class_splits(plan, source, config), ctx, config, files, source)


def _overflow(
    files: Mapping[PurePosixPath, str],
    plan: SplitPlan,
    config: EngineConfig,
    roles: Mapping[str, str],
) -> dict[str, int]:
    """Roles whose packed modules (written: ``files``) came out over the threshold, with the
    budget that would have kept them within it: the module's role and those of its units (a
    module about one topic packs within the largest budget of its units' roles). The budget
    is the module's estimated size less what the estimate missed."""
    over: dict[str, int] = {}
    for mod in plan.modules:
        lines = files[PurePosixPath(f"{mod.name}.py")].count("\n")
        if lines > config.threshold and len(mod.units) > 1 and mod.lines < config.threshold:
            budget = min(mod.lines, config.threshold) - (lines - config.threshold)
            for role in {mod.role, *(roles[u] for u in mod.units if u in roles)}:
                over[role] = min(over.get(role, budget), budget)
    return over


def _plan(ctx: SourceContext, config: EngineConfig) -> SplitPlan:
    taken = naming.taken_names(ctx, config)
    grouped = group_units(_clusters(ctx), lambda role: _limit(role, config))
    groups = [(f"part_{i}", group_role(units), units) for i, units in enumerate(grouped)]
    taken_now = taken | {g[0] for g in groups}
    groups = _make_importable(groups, ctx, config, taken_now)
    groups, warnings = name_modules(groups, config, taken, ctx.units)
    modules = _module_plans(ctx, groups, config.module.rpartition(".")[2])
    if ctx.main is not None:
        modules.append(ModulePlan("__main__", "main", (_main_id(ctx),), ctx.main.lines))
    bindings = {u.id: u.names for u in ctx.units if u.names != (u.id,)}
    return SplitPlan(
        module=config.module,
        modules=tuple(modules),
        init_units=tuple(u.id for u in ctx.init_units),
        warnings=tuple(warnings),
        bindings=bindings,
    )


def _main_id(ctx: SourceContext) -> str:
    assert ctx.main is not None
    return f"stmt@L{ctx.main.line}"


def _module_plans(ctx: SourceContext, groups: list[Group], tail: str) -> list[ModulePlan]:
    """One ModulePlan per group: units in original order, lines, docstring, sibling imports."""
    about = topics.unit_topics(ctx.units)
    placement = {u.id: name for name, _, units in groups for u in units}
    edges = module_edges(placement, ctx.units, ctx.owner, ctx.maybe_names, ctx.phantom_names)
    modules = []
    for name, role, units in groups:
        units = sorted(units, key=lambda u: u.first)
        imports = tuple(
            (target, tuple(sorted((n for n in names if n != AFTER), key=str.lower)))
            for target, names in sorted(edges.get(name, {}).items())
        )
        modules.append(
            ModulePlan(
                name,
                role,
                tuple(u.id for u in units),
                sum(u.lines for u in units),
                doc=_describe(units, about, tail),
                imports=imports,
            )
        )
    return modules


def _describe(units: list[Unit], about: dict[str, topics.Topic], tail: str) -> str:
    topic = topics.dominant(units, about)
    on_topic = {u.id for u in units if about.get(u.id) is topic}
    return docstrings.describe(units, units[0].stmts[0].line, topic, tail, on_topic)


def _clusters(ctx: SourceContext, graph: dict[str, list[str]] | None = None) -> list[list[Unit]]:
    """Units that must share a module, in original order; with ``graph``, also the units
    that reach each other in it."""
    parent = {u.id: u.id for u in ctx.units}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb, key=order.__getitem__)] = min(ra, rb, key=order.__getitem__)

    order = {u.id: u.first for u in ctx.units}
    for names in _rebound_together(ctx):
        users = [u for u in ctx.units if any(_uses(u, n, ctx) for n in names)]
        for user in users[1:]:
            join(users[0].id, user.id)
    for component in strongly_connected(graph or import_time_graph(ctx.units)):
        for uid in component[1:]:
            join(component[0], uid)
    for name, holder in deleted_helpers(ctx.units).items():  # no sibling can import it
        for user in ctx.units:
            if user.name_refs.get(name) is Edge.IMPORT:
                join(holder.id, user.id)
    groups: dict[str, list[Unit]] = {}
    for unit in ctx.units:
        groups.setdefault(find(unit.id), []).append(unit)
    return sorted(groups.values(), key=lambda g: g[0].first)


def _rebound_together(ctx: SourceContext) -> list[set[str]]:
    """Served names, each alone, and the names each ``global a, b`` function rebinds: all of
    them live with that function (a module importing one of them would keep a stale copy)."""
    groups = [{name} for name in sorted(ctx.served_names)]
    for unit in ctx.units:
        declared = set().union(*(ctx.analysis.declared[s.index] for s in unit.stmts))
        if declared:
            groups.append(declared)
    return groups


def _uses(unit: Unit, name: str, ctx: SourceContext) -> bool:
    """The unit binds, reads (not only in an annotation) or declares ``global`` the name."""
    return (
        name in unit.names
        or unit.name_refs.get(name, Edge.ANNOTATION) is not Edge.ANNOTATION
        or any(name in ctx.analysis.declared[s.index] for s in unit.stmts)
    )


def _limit(role: str, config: EngineConfig) -> int:
    budget = int(config.budgets.get(role, config.threshold))
    return max(min(budget - 1, config.threshold), 20)


def _make_importable(
    groups: list[tuple[str, str, list[Unit]]],
    ctx: SourceContext,
    config: EngineConfig,
    taken: set[str],
) -> list[tuple[str, str, list[Unit]]]:
    """Re-pack cycles, else move units, else merge modules, until an import order works for
    every sibling import, at the top. Modules that would read each other inside functions
    are re-packed too, unless units reading each other that way are too many for one module:
    then ``__init__`` hands those names over (``graph.arrange``)."""
    seen: set[frozenset[frozenset[str]]] = set()  # partitions tried (names change, sets do not)
    clusters = _clusters(ctx)
    runtime_clusters = _clusters(ctx, runtime_graph(ctx.units))
    effects = ctx.effects
    while True:
        placement = {u.id: name for name, _, units in groups for u in units}
        rank = {name: min(u.first for u in units) for name, _, units in groups}
        edges = module_edges(placement, ctx.units, ctx.owner, ctx.maybe_names, ctx.phantom_names)
        result = arrange([g[0] for g in groups], rank, edges)
        seen.add(_key(groups))
        if not isinstance(result, Conflict):
            deps = runtime_deps(list(rank), edges)
            split = (
                _repack(groups, deps, runtime_clusters, config, taken)
                if result.handed_pairs
                else None
            )
            if split is not None and _key(split) not in seen:
                groups = split
                continue
            clash = out_of_order(ctx.units, effects, placement, result)
            if clash is None:
                return groups
            groups = _keep_effect_order(groups, clash, config)
            continue
        deps = {
            m: {t for t, names in edges.get(m, {}).items() if Edge.IMPORT in names.values()}
            for m in rank
        }
        split = split_module_cycles(
            groups, deps, clusters, lambda role: _limit(role, config), taken
        )
        if split is not None and _key(split) not in seen:
            groups = split
            continue
        moved = _move(groups, result, edges, ctx, config, seen)
        groups = moved if moved is not None else _merge(groups, result.requester, result.target)
        groups = [g for g in groups if g[2]]


def _repack(
    groups: list[Group],
    deps: dict[str, set[str]],
    clusters: list[list[Unit]],
    config: EngineConfig,
    taken: set[str],
) -> list[Group] | None:
    """The modules on run-time cycles re-packed into a chain (``split_module_cycles``); None
    when a cluster of units reading each other would be over a module's budget on its own."""
    on_cycle = {
        m for comp in strongly_connected({m: sorted(d) for m, d in deps.items()}) for m in comp
    }
    ids = {u.id for name, _, units in groups if name in on_cycle for u in units}
    for cluster in clusters:
        inside = [u for u in cluster if u.id in ids]
        role = group_role(inside) if inside else ""
        if len(inside) > 1 and sum(u.lines for u in inside) + naming.overhead(inside) > _limit(
            role, config
        ):
            return None
    return split_module_cycles(groups, deps, clusters, lambda role: _limit(role, config), taken)


def _keep_effect_order(
    groups: list[tuple[str, str, list[Unit]]],
    clash: tuple[str, Unit, Unit],
    config: EngineConfig,
) -> list[tuple[str, str, list[Unit]]]:
    """Put two units acting on one shared object at import time in one module, where they
    run in their original order; refuse when that module would be over the threshold."""
    key, first, second = clash
    home = {u.id: name for name, _, units in groups for u in units}
    merged = _merge(groups, home[first.id], home[second.id])
    lines = next(sum(u.lines for u in us) for n, _, us in merged if first in us)
    if lines > config.threshold:
        raise Refusal(
            f"line {first.stmts[0].line} `{first.id}` and line {second.stmts[0].line} "
            f"`{second.id}` act on `{key}` while the module imports; after the split they "
            "would run in the other order, and one module holding both would be over "
            f"{config.threshold} lines"
        )
    return merged


def _key(groups: list[tuple[str, str, list[Unit]]]) -> frozenset[frozenset[str]]:
    return frozenset(frozenset(u.id for u in units) for _, _, units in groups if units)


def _move(
    groups: list[tuple[str, str, list[Unit]]],
    conflict: Conflict,
    edges: Edges,
    ctx: SourceContext,
    config: EngineConfig,
    seen: set[frozenset[frozenset[str]]],
) -> list[tuple[str, str, list[Unit]]] | None:
    """Resolve a conflict by moving the few units involved into the other module, if they fit:
    first the target's units the requester reads, then the requester's units that read them."""
    src, dst = conflict.requester, conflict.target
    names = set(edges.get(src, {}).get(dst, {}))
    by_name = {g[0]: g for g in groups}
    bound = {u.id for c in _clusters(ctx) if len(c) > 1 for u in c}  # clusters move whole
    wanted = [u for u in by_name[dst][2] if names & set(u.names)]
    readers = [u for u in by_name[src][2] if names & set(u.name_refs)]
    if any(u.id in bound for u in wanted + readers):
        return None
    for units, into in ((wanted, src), (readers, dst)):
        if not units or len(units) == len(by_name[into if into == dst else dst][2]):
            continue
        target = by_name[into]
        lines = sum(u.lines for u in target[2] + units)
        if lines + naming.overhead(target[2] + units) > _limit(target[1], config):
            continue
        ids = {u.id for u in units}
        moved = [
            (n, r, [u for u in us if u.id not in ids] + (units if n == into else []))
            for n, r, us in groups
        ]
        moved = [(n, r, sorted(us, key=lambda u: u.first)) for n, r, us in moved]
        if _key(moved) not in seen:
            return moved
    return None


def _merge(
    groups: list[tuple[str, str, list[Unit]]], a: str, b: str
) -> list[tuple[str, str, list[Unit]]]:
    first = next(g for g in groups if g[0] == a)
    second = next(g for g in groups if g[0] == b)
    keep = max(first, second, key=lambda g: sum(u.lines for u in g[2]))
    merged = (keep[0], keep[1], sorted(first[2] + second[2], key=lambda u: u.first))
    return [
        merged if g is keep else g
        for g in groups
        if g is keep or (g is not first and g is not second)
    ]


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def valid_module_name(name: str) -> bool:
    """A module file name the writer can create and import."""
    return bool(_IDENT.match(name)) and not keyword.iskeyword(name)
