"""The import graph between generated modules, and an import order that works for it."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

from agents.engine.loadorder import Arrangement, Conflict, simulate, topological
from agents.engine.units import Unit

_RANK = {"A": 0, "C": 1, "I": 2}

AFTER = "<after>"  # pseudo name: the sibling must be imported first, for its side effects

# module -> sibling module -> name -> strongest edge kind ("I", "C" or "A")
Edges = dict[str, dict[str, dict[str, str]]]


@dataclasses.dataclass(frozen=True)
class Layout:
    """A checked arrangement plus the sibling imports that go under ``if TYPE_CHECKING:``."""

    arrangement: Arrangement
    typing_pairs: frozenset[tuple[str, str]]
    edges: Edges

    def top_imports(self, mod: str) -> list[tuple[str, list[str]]]:
        """(sibling, names) imported at the top of ``mod``, in load order."""
        return self._imports(mod, top=True)

    def bottom_imports(self, mod: str) -> list[tuple[str, list[str]]]:
        """(sibling, names) imported at the bottom of ``mod`` (used only inside functions)."""
        return self._imports(mod, top=False)

    def typing_imports(self, mod: str) -> list[tuple[str, list[str]]]:
        """(sibling, names) used only in annotations, imported under ``TYPE_CHECKING``."""
        return [(t, sorted(names)) for t, names in sorted(self.edges.get(mod, {}).items())
                if (mod, t) in self.typing_pairs]

    def _imports(self, mod: str, *, top: bool) -> list[tuple[str, list[str]]]:
        found = []
        ready = self.arrangement.ready.get(mod, frozenset())
        for target in self.arrangement.order:
            names = self.edges.get(mod, {}).get(target)
            if not names or (mod, target) in self.typing_pairs:
                continue
            at_top = "I" in names.values() or target in ready
            if at_top == top:
                found.append((target, sorted(names, key=lambda n: (n != AFTER, n.lower()))))
        return found


def module_edges(placement: Mapping[str, str], units: Sequence[Unit],
                 owner: Mapping[str, Unit]) -> Edges:
    """Names each module reads from each sibling, with the strongest edge kind."""
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
            old = names.get(name)
            if old is None or _RANK[kind] > _RANK[old]:
                names[name] = kind
        for uid in unit.after:  # ordering only: the module is imported, no name is
            target = placement.get(uid)
            if target is not None and target != mod:
                edges.setdefault(mod, {}).setdefault(target, {})[AFTER] = "I"
    return edges


def arrange(modules: Sequence[str], rank: Mapping[str, int],
            edges: Edges) -> Layout | Conflict:
    """An order in which every module imports; annotation-only edges may go under TYPE_CHECKING."""
    typing_pairs: set[tuple[str, str]] = set()
    while True:
        import_deps = {m: {t for t, names in edges.get(m, {}).items() if "I" in names.values()}
                       for m in modules}
        order = topological(modules, rank, import_deps)
        if isinstance(order, Conflict):
            return order
        top = {m: [t for t in order if t in import_deps[m]] for m in modules}
        bottom = {m: [t for t in order if t in edges.get(m, {}) and t not in import_deps[m]
                      and (m, t) not in typing_pairs] for m in modules}
        result = simulate(order, top, bottom)
        if isinstance(result, Arrangement):
            return Layout(result, frozenset(typing_pairs), edges)
        pair = (result.requester, result.target)
        names = edges.get(pair[0], {}).get(pair[1], {})
        if names and set(names.values()) == {"A"} and pair not in typing_pairs:
            typing_pairs.add(pair)  # only annotations need it: TYPE_CHECKING breaks the cycle
            continue
        return result
