"""How strongly groups of units are linked: calls, base classes and annotations between
them, weighed by role and topic (pure; ``cohesion.py`` merges the most linked first)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import libcst as cst

from modularize.agents.engine import naming
from modularize.agents.engine.units import Unit

if TYPE_CHECKING:
    from modularize.agents.engine.cohesion import Groups

_WEIGHT = {"I": 3, "C": 2, "A": 1}
_SUBCLASS = 4


def is_table(unit: Unit) -> bool:
    """A plain statement reading several units: ``FILTERS = {...}``, ``__all__``-like lists."""
    return not isinstance(unit.stmts[-1].node, (cst.FunctionDef, cst.ClassDef)) and (
        len(unit.refs) >= 3
    )


def links(groups: Groups) -> dict[tuple[int, int], float]:
    """Pairs of linked groups -> how strongly (half as much across roles); what three or
    more groups use is shared vocabulary and links to nothing in particular."""
    edges = _LinkEdges(groups)
    for g, units in groups.members.items():
        for unit in units:
            edges.add(g, unit)
    return edges.weights()


def links_of(groups: Groups, g: int) -> dict[int, float]:
    """``_links`` of the pairs holding ``g``: other group -> how strongly (its edges, out and
    in, without walking every other group's)."""
    edges = _LinkEdges(groups)
    for unit in groups.members[g]:
        edges.add(g, unit)
    readers = {id(r): r for u in groups.members[g] for r in groups.readers[u.id]}
    for reader in readers.values():
        h = groups.gid[reader.id]
        if h != g:
            edges.add(h, reader, only=g)
    return {a if b == g else b: w for (a, b), w in edges.weights().items()}


class _LinkEdges:
    """The weighted edges ``_links`` sums, with each group's role, size and users asked once."""

    def __init__(self, groups: Groups) -> None:
        self.groups = groups
        self.found: dict[tuple[int, int], float] = {}
        self._role: dict[int, str] = {}
        self._small: dict[int, bool] = {}
        self._shared: dict[int, bool] = {}

    def role(self, g: int) -> str:
        if g not in self._role:
            self._role[g] = self.groups.role(g)
        return self._role[g]

    def small(self, g: int) -> bool:
        if g not in self._small:
            self._small[g] = self.groups.small(g)
        return self._small[g]

    def shared(self, g: int) -> bool:
        if g not in self._shared:
            self._shared[g] = len(self.groups.users(g)) >= 3
        return self._shared[g]

    def add(self, g: int, unit: Unit, only: int | None = None) -> None:
        """The edges of ``unit`` (in group ``g``); ``only``: those into that group."""
        if is_table(unit):
            return
        bases = set(naming.class_bases(unit))
        for target, kind in self.groups.edges[unit.id].items():
            h = self.groups.gid[target]
            if only is not None and h != only:
                continue
            subclass = target in bases  # a class with its subclasses, whatever else
            if h == g or (not subclass and (self.shared(g) or self.shared(h))):
                continue
            pair = (min(g, h), max(g, h))
            same = subclass or self.role(g) == self.role(h)
            if not same and not self.small(g) and not self.small(h):
                continue  # roles meet only through their small pieces
            weight = float(_SUBCLASS if subclass else _WEIGHT.get(kind, 1))
            weight *= (1 if same else 0.5) * topic_factor(self.groups, g, h)
            self.found[pair] = self.found.get(pair, 0) + weight

    def weights(self) -> dict[tuple[int, int], float]:
        members = self.groups.members
        return {
            pair: w / math.sqrt(len(members[pair[0]]) * len(members[pair[1]]))
            for pair, w in self.found.items()
        }


def topic_factor(groups: Groups, g: int, h: int) -> float:
    """Links within a topic count twice, across two topics not at all; a group about a topic
    takes in only small pieces about none."""
    a, b = groups.themed(g), groups.themed(h)
    if a is None and b is None:
        return 1.0
    if a is None or b is None:
        return 1.0 if groups.small(g if a is None else h) else 0.0
    return 2.0 if a == b else 0.0
