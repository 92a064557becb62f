"""Breaking cycles between generated modules without growing a module past its budget.

Units that read each other at run time (at import time or inside functions) are clustered,
so the run-time graph between clusters is acyclic. Packing clusters by role can still make
two *modules* read each other: ``base`` holds ``V = TypeVar("V")`` used by every filter, and
also the ``FILTERS = {...}`` table that reads every filter (jinja2's filters.py).

Merging such modules makes one module of everything. Instead the modules of each strongly
connected group are re-packed: their clusters are laid out in a run-time topological order
(ties by original position) and cut into consecutive chunks under the budget. A chunk only reads
chunks before it, so the group becomes acyclic; no cycle through an outside module can appear,
since such a module would have been part of the group.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import TypeVar

from modularize.agents.engine import naming
from modularize.agents.engine.kinds import Edge
from modularize.agents.engine.loadorder import ordered_by_needs
from modularize.agents.engine.units import Unit, group_role

N = TypeVar("N", bound=Hashable)  # a node of a graph

Group = tuple[str, str, list[Unit]]  # module name, role, units

_ANNOTATIONS = (Edge.ANNOTATION, Edge.TYPING)  # a TYPE_CHECKING import serves them


def strongly_connected(graph: Mapping[N, Iterable[N]]) -> list[list[N]]:
    """Components with more than one node of ``graph`` (iterative Tarjan; unknown nodes ignored)."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    stack: list[N] = []
    on_stack: set[N] = set()
    found: list[list[N]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(graph[root]))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next((c for c in children if c in graph), None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph[child])))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    top = stack.pop()
                    on_stack.discard(top)
                    comp.append(top)
                    if top == node:
                        break
                if len(comp) > 1:
                    found.append(comp)
    return found


def import_time_graph(units: Iterable[Unit]) -> dict[str, list[str]]:
    """Unit id -> unit ids it needs at import time (names read, and ``after`` ordering)."""
    return {
        u.id: [t for t, k in u.refs.items() if k is Edge.IMPORT] + sorted(u.after) for u in units
    }


def runtime_graph(units: Iterable[Unit]) -> dict[str, list[str]]:
    """Unit id -> unit ids it reads at run time: at import time, inside functions, or for
    their import-time effects (``after``); annotation-only reads left out."""
    return {
        u.id: [t for t, k in u.refs.items() if k not in _ANNOTATIONS] + sorted(u.after)
        for u in units
    }


def split_module_cycles(
    groups: list[Group],
    module_deps: Mapping[str, set[str]],
    clusters: list[list[Unit]],
    limit: Callable[[str], int],
    taken: set[str],
) -> list[Group] | None:
    """Re-pack every cycle of modules into an acyclic chain of modules.

    ``module_deps``: module -> modules it reads at run time. ``clusters``: units that read
    each other at run time (``runtime_graph``), so the graph between them is acyclic.
    ``limit(role)`` is the line budget of a role. None when no module is part of a cycle.
    """
    cycles = strongly_connected({g[0]: sorted(module_deps.get(g[0], ())) for g in groups})
    if not cycles:
        return None
    cluster_of = {u.id: i for i, c in enumerate(clusters) for u in c}
    by_name = {g[0]: g for g in groups}
    result = [g for g in groups if not any(g[0] in c for c in cycles)]
    for cycle in cycles:
        members = [by_name[name] for name in cycle]
        budget = max(limit(role) for _, role, _ in members)
        ids = {u.id for _, _, units in members for u in units}
        inside = [
            [u for u in clusters[i] if u.id in ids]
            for i in sorted({cluster_of[uid] for uid in ids})
        ]
        taken.difference_update(cycle)
        for chunk in pack_in_order(_topological(inside), budget):
            units = sorted((u for c in chunk for u in c), key=lambda u: u.first)
            role = group_role(units)
            # a provisional name: the planner names every module by its content at the end
            result.append((naming.unique(f"{role}_part", taken), role, units))
    return result


def _size(units: list[Unit]) -> int:
    return sum(u.lines for u in units) + naming.overhead(units)


def _topological(clusters: list[list[Unit]]) -> list[list[Unit]]:
    """Clusters with what they read at run time first; ties by original position."""
    cid = {u.id: i for i, c in enumerate(clusters) for u in c}
    needs: dict[int, set[int]] = {i: set() for i in range(len(clusters))}
    for i, cluster in enumerate(clusters):
        for unit in cluster:
            for target in runtime_graph([unit])[unit.id]:
                if target in cid and cid[target] != i:
                    needs[i].add(cid[target])
    first = {i: min(u.first for u in c) for i, c in enumerate(clusters)}
    order = ordered_by_needs(needs, first)
    order += [i for i in sorted(needs, key=first.__getitem__) if i not in order]  # never: a DAG
    return [clusters[i] for i in order]


def pack_in_order(clusters: list[list[Unit]], limit: int) -> list[list[list[Unit]]]:
    """Consecutive clusters packed into chunks whose lines plus imports stay under ``limit``."""
    chunks: list[list[list[Unit]]] = []
    current: list[list[Unit]] = []
    for cluster in clusters:
        trial = current + [cluster]
        if current and _size([u for c in trial for u in c]) > limit:
            chunks.append(current)
            trial = [cluster]
        current = trial
    if current:
        chunks.append(current)
    return chunks
