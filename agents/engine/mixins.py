"""Group the movable methods of a big class into cohesive mixins (pure).

Methods belong together when they share a prefix (``visit_*``, ``_parse_*``, ``to_*``), call
each other, or touch the same attributes; rare attributes count more than ones every method
uses. Each group stays under ``cap`` lines (cut in original order when over); the most
cohesive groups come first, so the class split moves those before loose single methods.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter

from modularize.agents.engine.members import Member

_WORD = re.compile(r"[A-Za-z][a-z0-9]*|[A-Z]+(?![a-z])")
# A prefix -> how a mixin of such methods is named (``_CodeGeneratorVisitors``).
_CONCERNS = {
    "visit": "Visitors",
    "parse": "Parsing",
    "to": "Conversions",
    "as": "Conversions",
    "format": "Formatting",
    "write": "Writing",
    "read": "Reading",
    "get": "Getters",
    "set": "Setters",
    "is": "Predicates",
    "has": "Predicates",
    "handle": "Handlers",
    "on": "Handlers",
    "make": "Builders",
    "build": "Builders",
    "create": "Builders",
    "check": "Checks",
    "validate": "Checks",
    "render": "Rendering",
    "emit": "Emitting",
    "load": "Loading",
    "dump": "Dumping",
    "save": "Saving",
    "add": "Adding",
    "remove": "Removal",
    "iter": "Iteration",
    "find": "Lookup",
    "lookup": "Lookup",
}


@dataclasses.dataclass
class Atom:
    """Methods that must move together: one name's definitions (property setters, overloads,
    ``singledispatchmethod`` registrations) and definitions whose decorators read them."""

    members: list[Member]

    @property
    def names(self) -> tuple[str, ...]:
        """Names the atom binds in the class, in order."""
        return tuple(dict.fromkeys(n for m in self.members for n in m.binds))

    @property
    def lines(self) -> int:
        """Source lines, comments included."""
        return sum(m.lines for m in self.members)

    @property
    def first(self) -> int:
        """Position of its first statement in the class body."""
        return min(m.index for m in self.members)

    @property
    def reads(self) -> frozenset[str]:
        """Names and ``self`` attributes its bodies read."""
        return frozenset(n for m in self.members for n in m.calls)

    @property
    def prefix(self) -> str:
        """``visit`` for ``visit_Name``, ``parse`` for ``_parse_expr``; "" for one word."""
        words = self.names[0].lstrip("_").split("_")
        return words[0].lower() if len(words) > 1 and words[0] else ""


def group_atoms(atoms: list[Atom], cap: int) -> list[list[Atom]]:
    """Cohesive groups of ``atoms``, each under ``cap`` lines, most cohesive first."""
    by_prefix: dict[str, list[Atom]] = {}
    for atom in atoms:
        by_prefix.setdefault(atom.prefix, []).append(atom)
    groups = [g for p, g in by_prefix.items() if p and len(g) > 1]
    grouped = {id(a) for g in groups for a in g}
    loose = [a for a in atoms if id(a) not in grouped]
    weight = _weights(atoms)
    rest: list[list[Atom]] = []
    for atom in loose:
        best = max(groups, key=lambda g: _affinity(atom, g, weight), default=None)
        if best is not None and _affinity(atom, best, weight) >= 1.0:
            best.append(atom)
        else:
            rest.append([atom])
    cohesive = [c for g in groups for c in _cut(sorted(g, key=lambda a: a.first), cap)]
    others = [c for g in _join_callers(rest, weight) for c in _cut(g, cap)]
    cohesive.sort(key=lambda g: -sum(a.lines for a in g))
    others.sort(key=lambda g: -sum(a.lines for a in g))
    return cohesive + others


def _weights(atoms: list[Atom]) -> dict[str, float]:
    """A name read by few methods ties them more than one every method reads."""
    counts = Counter(n for a in atoms for n in a.reads)
    return {n: 1.0 / c for n, c in counts.items() if c > 1}


def _affinity(atom: Atom, group: list[Atom], weight: dict[str, float]) -> float:
    score = 0.0
    for other in group:
        if set(atom.names) & other.reads or set(other.names) & atom.reads:
            score += 2.0
        score += sum(weight.get(n, 0.0) for n in atom.reads & other.reads)
    return score


def _join_callers(groups: list[list[Atom]], weight: dict[str, float]) -> list[list[Atom]]:
    """Loose methods that call each other become one group (connected components)."""
    merged = True
    while merged:
        merged = False
        for i, first in enumerate(groups):
            for second in groups[i + 1 :]:
                if _calls(first, second):
                    first.extend(second)
                    groups.remove(second)
                    merged = True
                    break
            if merged:
                break
    return [sorted(g, key=lambda a: a.first) for g in groups]


def _calls(first: list[Atom], second: list[Atom]) -> bool:
    names_a = {n for a in first for n in a.names}
    names_b = {n for a in second for n in a.names}
    return any(names_b & a.reads for a in first) or any(names_a & a.reads for a in second)


def _cut(group: list[Atom], cap: int) -> list[list[Atom]]:
    """``group`` in original order, cut into runs under ``cap`` lines."""
    chunks: list[list[Atom]] = [[]]
    for atom in sorted(group, key=lambda a: a.first):
        if chunks[-1] and sum(a.lines for a in chunks[-1]) + atom.lines > cap:
            chunks.append([])
        chunks[-1].append(atom)
    return [c for c in chunks if c]


def concern(group: list[Atom]) -> str:
    """What a group is about, as the tail of a class name: ``Visitors``, ``ParseCall``."""
    prefixes = Counter(a.prefix for a in group if a.prefix)
    if prefixes:
        top, count = prefixes.most_common(1)[0]
        if count * 2 > len(group) or count > 1:
            return _CONCERNS.get(top, camel(top))
    biggest = max(group, key=lambda a: (a.lines, -a.first))
    return camel(biggest.names[0])


def camel(name: str) -> str:
    """``visit_Template`` -> ``VisitTemplate``."""
    return "".join(w[:1].upper() + w[1:] for w in _WORD.findall(name)) or "Methods"
