"""The import graph between generated modules, and an import order that works for it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from modularize.agents.engine.cycles import strongly_connected
from modularize.agents.engine.kinds import Edge, stronger
from modularize.agents.engine.loadorder import (
    Arrangement,
    Conflict,
    ordered_by_needs,
    simulate,
    topological,
)
from modularize.agents.engine.units import Unit

_TYPING_ONLY = {Edge.ANNOTATION, Edge.TYPING}  # edges a TYPE_CHECKING import serves

AFTER = "<after>"  # pseudo name: the sibling must be imported first, for its side effects

# module -> sibling module -> name -> strongest edge kind (IMPORT_CALL is IMPORT by now)
Edges = dict[str, dict[str, dict[str, Edge]]]


@dataclasses.dataclass(frozen=True)
class Layout:
    """A checked arrangement plus the sibling imports that go under ``if TYPE_CHECKING:``."""

    arrangement: Arrangement
    typing_pairs: frozenset[tuple[str, str]]
    edges: Edges
    # (module, sibling): call-time names the package __init__ hands over after every import
    handed_pairs: frozenset[tuple[str, str]] = frozenset()

    def top_imports(self, mod: str) -> list[tuple[str, list[str]]]:
        """(sibling, names) imported at the top of ``mod``, in load order: every sibling that
        ``arrange`` put before it."""
        found = []
        for target in import_sequence(self.edges.get(mod, {})):
            read = self.edges.get(mod, {}).get(target, {})
            names = [n for n, k in read.items() if k is not Edge.TYPING]
            if names and (mod, target) not in self.typing_pairs | self.handed_pairs:
                found.append((target, sorted(names, key=lambda n: (n != AFTER, n.lower()))))
        return found

    def typing_imports(self, mod: str) -> list[tuple[str, list[str]]]:
        """(sibling, names) used only in annotations, imported under ``TYPE_CHECKING``."""
        found = []
        for target, names in sorted(self.edges.get(mod, {}).items()):
            chosen = [
                n
                for n, k in names.items()
                if k is Edge.TYPING or ((mod, target) in self.typing_pairs and n != AFTER)
            ]
            if chosen:
                found.append((target, sorted(chosen)))
        return found

    def handed_imports(self, mod: str) -> list[tuple[str, list[str]]]:
        """(sibling, names) that ``mod`` reads only inside functions and that __init__ sets
        on it once everything is imported: importing them in ``mod`` would be circular."""
        return [
            (target, sorted(n for n, k in names.items() if k is not Edge.TYPING and n != AFTER))
            for target, names in sorted(self.edges.get(mod, {}).items())
            if (mod, target) in self.handed_pairs
        ]


def import_sequence(targets: Mapping[str, Mapping[str, Edge]]) -> list[str]:
    """The order sibling imports are written in: isort's (``from . import x`` first, then by
    module name), so that ``ruff --fix`` with isort rules never changes the load order that
    ``arrange`` checked."""
    return sorted(targets, key=lambda t: (AFTER not in targets[t] or len(targets[t]) > 1, t))


def module_edges(
    placement: Mapping[str, str],
    units: Sequence[Unit],
    owner: Mapping[str, Unit],
    maybe: frozenset[str] = frozenset(),
    phantom: frozenset[str] = frozenset(),
) -> Edges:
    """Names each module reads from each sibling, with the strongest edge kind.

    TYPING: a name that may not exist at run time, read only in annotations (TYPE_CHECKING).
    """
    edges: Edges = {}
    for unit in units:
        mod = placement.get(unit.id)
        if mod is None:
            continue
        for name, kind in unit.name_refs.items():
            target_unit = owner.get(name)
            if target_unit is None or name not in target_unit.names:
                continue
            target = placement.get(target_unit.id)
            if target is None or target == mod:
                continue
            names = edges.setdefault(mod, {}).setdefault(target, {})
            if (kind is Edge.ANNOTATION and name in maybe) or name in phantom:
                kind = Edge.TYPING  # never bound at run time (phantom: only under TYPE_CHECKING)
            names[name] = stronger(names.get(name), kind)
        for uid in unit.after:  # ordering only: the module is imported, no name is
            target = placement.get(uid)
            if target is not None and target != mod:
                edges.setdefault(mod, {}).setdefault(target, {})[AFTER] = Edge.IMPORT
    return edges


def runtime_deps(modules: Sequence[str], edges: Edges) -> dict[str, set[str]]:
    """Module -> siblings it reads at run time: while importing, inside functions, or for
    their import-time effects (annotation-only reads can go under TYPE_CHECKING)."""
    return {
        m: {
            t
            for t, names in edges.get(m, {}).items()
            if t != m and not set(names.values()) <= _TYPING_ONLY
        }
        for m in modules
    }


def _order(modules: Sequence[str], rank: Mapping[str, int], edges: Edges) -> list[str] | Conflict:
    """Every module after every sibling it reads, where that makes no cycle: in a cycle,
    annotation-only reads give way first, then reads inside functions; a Conflict when
    modules still need each other while they import."""
    runtime = runtime_deps(modules, edges)
    imports = {
        m: {t for t, names in edges.get(m, {}).items() if t != m and Edge.IMPORT in names.values()}
        for m in modules
    }
    deps = {
        m: {
            t
            for t, names in edges.get(m, {}).items()
            if t != m and any(k is not Edge.TYPING for k in names.values())
        }
        for m in modules
    }
    for kept in (runtime, imports):
        while len(order := ordered_by_needs(deps, rank)) < len(modules):
            cycle_of = {
                m: i
                for i, comp in enumerate(
                    strongly_connected({m: sorted(d) for m, d in deps.items()})
                )
                for m in comp
            }
            relaxed = {
                m: {t for t in d if t in kept[m] or cycle_of.get(t, -1) != cycle_of.get(m, -2)}
                for m, d in deps.items()
            }
            if relaxed == deps:
                break
            deps = relaxed
        else:
            return order
    return topological(modules, rank, imports)


def arrange(modules: Sequence[str], rank: Mapping[str, int], edges: Edges) -> Layout | Conflict:
    """An order in which every module imports, each importing its siblings at the top: a
    module comes after every sibling it reads, so the modules import each other one way.
    Where modules read each other (a cycle the planner could not break), an annotation-only
    read of a sibling that comes later goes under TYPE_CHECKING, and one inside functions is
    handed over by ``__init__`` once every module is imported (``handed_pairs``). Modules
    that need each other while they import are a Conflict."""
    order = _order(modules, rank, edges)
    if isinstance(order, Conflict):
        return order
    position = {m: i for i, m in enumerate(order)}
    runtime = runtime_deps(modules, edges)
    later = {(m, t) for m in modules for t in edges.get(m, {}) if position[t] > position[m]}
    typing_pairs = frozenset(p for p in later if p[1] not in runtime[p[0]])
    handed = frozenset(p for p in later if p[1] in runtime[p[0]])
    top = {
        m: [
            t
            for t in import_sequence(edges.get(m, {}))
            if (m, t) not in later and any(k is not Edge.TYPING for k in edges[m][t].values())
        ]
        for m in modules
    }
    result = simulate(order, top)
    if isinstance(result, Conflict):
        return result
    return Layout(result, typing_pairs, edges, handed)
