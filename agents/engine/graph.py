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
        """(sibling, names) imported at the top of ``mod``, in load order."""
        return self._imports(mod, top=True)

    def bottom_imports(self, mod: str) -> list[tuple[str, list[str]]]:
        """(sibling, names) imported at the bottom of ``mod`` (used only inside functions)."""
        return self._imports(mod, top=False)

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

    def _imports(self, mod: str, *, top: bool) -> list[tuple[str, list[str]]]:
        found = []
        ready = self.arrangement.ready.get(mod, frozenset())
        for target in import_sequence(self.edges.get(mod, {})):
            read = self.edges.get(mod, {}).get(target, {})
            names = {n: k for n, k in read.items() if k is not Edge.TYPING}
            skip = self.typing_pairs | self.handed_pairs
            if not names or (mod, target) in skip:
                continue
            at_top = Edge.IMPORT in names.values() or target in ready
            if at_top == top:
                found.append((target, sorted(names, key=lambda n: (n != AFTER, n.lower()))))
        return found


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


def _full_order(
    modules: Sequence[str],
    rank: Mapping[str, int],
    edges: Edges,
    skip: set[tuple[str, str]],
    import_deps: Mapping[str, set[str]],
) -> list[str] | None:
    """An order where every module comes after every sibling it reads, at any time, so all
    its sibling imports can go at the top; modules that read each other (a cycle too big for
    one module) are ordered by their import-time needs only. None on an import-time cycle."""
    deps = {
        m: {
            t
            for t, names in edges.get(m, {}).items()
            if (m, t) not in skip and t != m and any(k != "T" for k in names.values())
        }
        for m in modules
    }
    while True:
        order = ordered_by_needs(deps, rank)
        if len(order) == len(modules):
            return order
        cycle_of = {
            m: i
            for i, comp in enumerate(strongly_connected({m: sorted(d) for m, d in deps.items()}))
            for m in comp
        }
        relaxed = {
            m: {
                t
                for t in d
                if m not in cycle_of or cycle_of.get(t) != cycle_of[m] or t in import_deps[m]
            }
            for m, d in deps.items()
        }
        if relaxed == deps:
            return None
        deps = relaxed


def arrange(modules: Sequence[str], rank: Mapping[str, int], edges: Edges) -> Layout | Conflict:
    """An order in which every module imports; annotation-only edges may go under
    TYPE_CHECKING, and call-time-only edges that would be circular are handed over by
    __init__ once every module is imported."""
    typing_pairs: set[tuple[str, str]] = set()
    handed: set[tuple[str, str]] = set()
    while True:
        import_deps = {
            m: {t for t, names in edges.get(m, {}).items() if Edge.IMPORT in names.values()}
            for m in modules
        }
        full = _full_order(modules, rank, edges, typing_pairs | handed, import_deps)
        order = full if full is not None else topological(modules, rank, import_deps)
        if isinstance(order, Conflict):
            return order
        seq = {m: import_sequence(edges.get(m, {})) for m in modules}
        top = {m: [t for t in seq[m] if t in import_deps[m]] for m in modules}
        skip = typing_pairs | handed
        bottom = {
            m: [
                t
                for t in seq[m]
                if t not in import_deps[m]
                and (m, t) not in skip
                and any(k is not Edge.TYPING for k in edges.get(m, {}).get(t, {}).values())
            ]
            for m in modules
        }
        result = simulate(order, top, bottom)
        if isinstance(result, Arrangement):
            return Layout(result, frozenset(typing_pairs), edges, frozenset(handed))
        pair = (result.requester, result.target)
        names = edges.get(pair[0], {}).get(pair[1], {})
        if names and set(names.values()) <= _TYPING_ONLY and pair not in typing_pairs:
            typing_pairs.add(pair)  # only annotations need it: TYPE_CHECKING breaks the cycle
            continue
        bottoms = [
            (a, b)
            for a, b, phase in reversed(result.path)
            if phase == "bottom"
            and (a, b) not in handed
            and Edge.IMPORT not in edges.get(a, {}).get(b, {}).values()
        ]
        if bottoms:  # only functions read them: __init__ sets them after the imports
            handed.add(bottoms[0])
            continue
        return result
