"""How strongly groups of units are linked, for ``cohesion.py`` (pure).

Linked groups (calls, base classes, annotations) merge, the most linked first, half as
strongly across roles, twice as strongly within a topic, never across two; what three or more groups use is shared vocabulary and links to
nothing in particular. The weights of every pair are kept up to date merge after merge: a
merge changes the pairs of the merged groups and of the groups they read (their users
changed), no others, so a module of thousands of definitions is not walked again per merge.
"""

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
Pair = tuple[int, int]
# a pair's weight, and where a walk of every group (in id order) first meets it: ties rank so
Link = tuple[float, tuple[int, int, int]]


def is_table(unit: Unit) -> bool:
    """A plain statement reading several units: ``FILTERS = {...}``, ``__all__``-like lists."""
    return not isinstance(unit.stmts[-1].node, (cst.FunctionDef, cst.ClassDef)) and (
        len(unit.refs) >= 3
    )


def links(groups: Groups, shared: dict[int, bool] | None = None) -> dict[Pair, Link]:
    """Every pair of linked groups (the smaller id first) -> its ``Link`` (``shared``: which
    groups are shared vocabulary, as far as known)."""
    edges = _LinkEdges(groups, shared)
    for g, units in groups.members.items():
        for position, unit in enumerate(units):
            edges.add(g, position, unit)
    return edges.links()


def _pairs_of(groups: Groups, g: int, shared: dict[int, bool] | None = None) -> dict[Pair, Link]:
    """``links`` of the pairs holding ``g``, from its own edges, out and in."""
    edges = _LinkEdges(groups, shared)
    for position, unit in enumerate(groups.members[g]):
        edges.add(g, position, unit)
    readers = {id(r): r for u in groups.members[g] for r in groups.readers[u.id]}
    for reader in readers.values():
        h = groups.gid[reader.id]
        if h != g:
            position = next(i for i, u in enumerate(groups.members[h]) if u is reader)
            edges.add(h, position, reader, only=g)
    return edges.links()


def links_of(groups: Groups, g: int) -> dict[int, float]:
    """The groups linked to ``g`` -> how strongly."""
    return {a if b == g else b: w for (a, b), (w, _) in _pairs_of(groups, g).items()}


def merge_linked(groups: Groups) -> None:
    """Merge the most strongly linked pair of one role while one fits, repeatedly (pairs
    that could not merge are not tried again)."""
    rejected: set[Pair] = set()
    shared: dict[int, bool] = {}
    found = links(groups, shared)
    while True:
        ranked = sorted(
            (p for p in found if p not in rejected),
            key=lambda p: (-found[p][0], groups.first(p[0]) + groups.first(p[1]), found[p][1]),
        )
        for pair in ranked:
            if groups.can_merge(*pair):
                _merge(groups, found, shared, pair)
                break
            rejected.add(pair)
        else:
            return


def _merge(groups: Groups, found: dict[Pair, Link], shared: dict[int, bool], pair: Pair) -> None:
    """Merge ``pair``; then forget its pairs, find the new group's, and those of the groups
    it reads whose users' count crossed three (only that changes their pairs)."""
    touched = (groups.out[pair[0]] | groups.out[pair[1]]) - set(pair)
    before = {g: _is_shared(groups, shared, g) for g in touched}
    new = groups.merge(*pair)
    for g in [*touched, *pair]:
        shared.pop(g, None)
    changed = {g for g in touched if _is_shared(groups, shared, g) != before[g]}
    gone = {*pair, *changed}
    for old in [p for p in found if p[0] in gone or p[1] in gone]:
        del found[old]
    for g in [new, *sorted(changed)]:
        found.update(_pairs_of(groups, g, shared))


def _is_shared(groups: Groups, shared: dict[int, bool], g: int) -> bool:
    """What three or more groups use (``shared`` remembers it)."""
    if g not in shared:
        shared[g] = len(groups.users(g)) >= 3
    return shared[g]


class _LinkEdges:
    """The weighted edges the links sum, with each group's role, size and users asked once."""

    def __init__(self, groups: Groups, shared: dict[int, bool] | None = None) -> None:
        self.groups = groups
        self.found: dict[Pair, float] = {}
        self.met: dict[Pair, tuple[int, int, int]] = {}
        self._role: dict[int, str] = {}
        self._small: dict[int, bool] = {}
        self._shared: dict[int, bool] = {} if shared is None else shared

    def role(self, g: int) -> str:
        if g not in self._role:
            self._role[g] = self.groups.role(g)
        return self._role[g]

    def small(self, g: int) -> bool:
        if g not in self._small:
            self._small[g] = self.groups.small(g)
        return self._small[g]

    def shared(self, g: int) -> bool:
        return _is_shared(self.groups, self._shared, g)

    def add(self, g: int, position: int, unit: Unit, only: int | None = None) -> None:
        """The edges of ``unit`` (the ``position``-th of group ``g``); ``only``: those into
        that group."""
        if unit.id in self.groups.tables:
            return
        bases = set(naming.class_bases(unit))
        for index, (target, kind) in enumerate(self.groups.edges[unit.id].items()):
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
            factor = topic_factor(self.groups, g, h)
            if not factor:
                continue  # two topics, or a topic and more than a small piece about none
            weight = _SUBCLASS if subclass else _WEIGHT.get(kind, 1)
            self.found[pair] = self.found.get(pair, 0) + weight * (1 if same else 0.5) * factor
            self.met[pair] = min(self.met.get(pair, (g, position, index)), (g, position, index))

    def links(self) -> dict[Pair, Link]:
        members = self.groups.members
        return {
            pair: (w / math.sqrt(len(members[pair[0]]) * len(members[pair[1]])), self.met[pair])
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
