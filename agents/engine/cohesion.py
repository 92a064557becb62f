"""Cohesive grouping: which clusters of units share a module (pure).

The clusters (units that must share a module) form a graph: an edge wherever one reads the
other, at import time, inside functions or in annotations, or must run after it. Groups are
only ever merged when the merge leaves the graph between groups without a new cycle, so the
new modules import each other in one direction and every import can stay at the top.

Merging goes from the strongest reason to the weakest, each within the budget of a module:
1. units that depend on each other (annotations included) share a module;
2. sync/async pairs (``do_slice`` and ``sync_do_slice``), and the TypeVars together;
3. groups about one topic (``topics.py``: text, numbers, sorting...);
4. what only one group uses goes with it: a helper with its only caller, a TypeVar, sentinel
   or constant with its only user, a class with the instance made of it;
5. groups of one role whose names share a rare word (``do_text_upper``, ``do_text_lower``);
6. linked groups (calls, base classes, annotations), the most linked first, half as
   strongly across roles, twice as strongly within a topic, never across two topics;
   a group about a topic takes in only small pieces about none;
7. small leftovers go with a group of their topic, else what they are linked to, else the
   group of their role they fit in, in original order; what has no topic goes first with
   groups that have none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from modularize.agents.engine import naming, topics
from modularize.agents.engine.cycles import strongly_connected
from modularize.agents.engine.links import is_table, links_of, merge_linked
from modularize.agents.engine.units import Unit, ancestors, group_role

_PAIR_PREFIXES = ("sync_", "async_")
_CHECKS = {topics.HELPERS, topics.PREDICATES}  # predicates are helpers of a kind
_HEIRS, _ROOT = 4, 40  # subclasses and lines of a family's base class with a module of its own
_SMALL = 30  # lines (imports included) of a group too small to be a module of its own


class Groups:
    """Clusters merged into groups; the graph between groups is kept up to date."""

    def __init__(self, clusters: list[list[Unit]], limit: Callable[[str], int]) -> None:
        self.limit = limit
        self.members: dict[int, list[Unit]] = dict(enumerate(clusters))
        self.gid = {u.id: g for g, units in self.members.items() for u in units}
        self.edges = {
            u.id: {
                **{t: k for t, k in u.refs.items() if t in self.gid},
                **dict.fromkeys(u.after, "I"),
            }
            for units in clusters
            for u in units
        }
        self.readers: dict[str, list[Unit]] = {uid: [] for uid in self.gid}
        for units in clusters:
            for unit in units:
                for target in self.edges[unit.id]:
                    self.readers[target].append(unit)
        self.out: dict[int, set[int]] = {g: set() for g in self.members}
        for g, units in self.members.items():
            for unit in units:
                self.out[g].update(self.gid[t] for t in self.edges[unit.id])
            self.out[g].discard(g)
        self.next_id = len(clusters)
        self.tables = {u.id for units in clusters for u in units if is_table(u)}
        self.heirs = _family_roots([u for units in clusters for u in units])
        # each group's role and first line, asked again and again: found once a group
        self._role: dict[int, str] = {}
        self._first: dict[int, int] = {}
        self.topics = topics.unit_topics([u for units in clusters for u in units])
        self._topic: dict[int, topics.Topic | None] = {}  # a merge makes a new group id

    def topic(self, g: int) -> topics.Topic | None:
        """What most of the group is about, if the words tell."""
        if g not in self._topic:
            self._topic[g] = topics.dominant(self.members[g], self.topics)
        return self._topic[g]

    def themed(self, g: int) -> topics.Topic | None:
        """The group's topic when two or more definitions share it: one alone may mislead."""
        return self.topic(g) if len(naming.named_units(self.members[g])) >= 2 else None

    def registry(self, g: int) -> bool:
        """The group is the module's table of its definitions (``FILTERS``), of a module's
        size: it imports from most of the others, and none imports it."""
        big = sum(u.lines for u in self.members[g]) >= _SMALL // 2
        return big and self.topic(g) is topics.REGISTRY

    def role(self, g: int) -> str:
        """The role of most of the group's lines (of its largest unit on a tie)."""
        if g not in self._role:
            self._role[g] = group_role(self.members[g])
        return self._role[g]

    def size(self, units: list[Unit]) -> int:
        """Lines of ``units`` plus the imports and docstring a module of them needs."""
        return sum(u.lines for u in units) + naming.overhead(units)

    def small(self, g: int) -> bool:
        """Too small to be a module of its own (see ``_fill``); a topic makes a module of
        two definitions sooner."""
        size = self.size(self.members[g])
        if self.themed(g) is not None:
            return size <= _SMALL * 3 // 2
        return size <= _SMALL or size * 3 <= self.limit(self.role(g)) // 2

    def first(self, g: int) -> int:
        if g not in self._first:
            self._first[g] = min(u.first for u in self.members[g])
        return self._first[g]

    def fits(self, a: int, b: int) -> bool:
        """Whether a and b together stay within the budget of the merged group's role; a
        group about one topic has the largest budget of its units' roles (``_merge_by_topic``)."""
        units = self.members[a] + self.members[b]
        size = self.size(units)
        if size <= self.limit(group_role(units)):
            return True
        about = topics.dominant(units, self.topics)
        return about is not None and size <= max(self.limit(u.role) for u in units)

    def _reaches(self, starts: Iterable[int], goal: int) -> bool:
        seen: set[int] = set()
        stack = list(starts)
        while stack:
            node = stack.pop()
            if node == goal:
                return True
            if node not in seen:
                seen.add(node)
                stack.extend(self.out[node])
        return False

    def acyclic_merge(self, a: int, b: int) -> bool:
        """Merging a and b makes no new cycle: neither reaches the other through a third."""
        a_b = self._reaches((s for s in self.out[a] if s != b), b)
        b_a = self._reaches((s for s in self.out[b] if s != a), a)
        if not a_b and not b_a:
            return True
        return self._reaches([a], b) and self._reaches([b], a)  # already on one cycle

    def can_merge(self, a: int, b: int) -> bool:
        """Both fit in one module, are not about two topics, and the merge keeps the graph as
        acyclic as it was."""
        if a == b or not self.fits(a, b):
            return False
        topic_a, topic_b = (self.themed(g) or self.topic(g) for g in (a, b))
        if {topic_a, topic_b} <= _CHECKS:  # ``is_iterable`` shared, ``is_scalar`` using it
            return self.acyclic_merge(a, b)
        if topic_a is not None and topic_b is not None and topic_a != topic_b:
            return False
        helpers_a, helpers_b = (self.topic(g) is topics.HELPERS for g in (a, b))
        if helpers_a != helpers_b:  # shared helpers stay apart, even one alone
            return False
        if self.registry(a) != self.registry(b):  # and so does the table of them all
            return False
        if self._parts_of_family(a, b) or self._parts_of_family(b, a):
            return False
        return self.acyclic_merge(a, b)

    def _parts_of_family(self, a: int, b: int) -> bool:
        """``a`` holds the class most of the module's classes derive from, ``b`` some of
        them: the base class of a family keeps a module of its own (``BlockProcessor``)."""
        roots = [u.id for u in self.members[a] if u.id in self.heirs]
        return any(u.id in self.heirs[r] for r in roots for u in self.members[b])

    def merge(self, a: int, b: int) -> int:
        """Merge groups a and b into a new group; return its id."""
        new = self.next_id
        self.next_id += 1
        units = sorted(self.members.pop(a) + self.members.pop(b), key=lambda u: u.first)
        for cache in (self._role, self._first):
            cache.pop(a, None)
            cache.pop(b, None)
        self.members[new] = units
        for unit in units:
            self.gid[unit.id] = new
        self.out[new] = (self.out.pop(a) | self.out.pop(b)) - {a, b}
        for targets in self.out.values():
            if a in targets or b in targets:
                targets.difference_update((a, b))
                targets.add(new)
        self.out[new].discard(new)
        return new

    def ordered(self) -> list[int]:
        """Group ids in original order of their first unit."""
        return sorted(self.members, key=self.first)

    def users(self, g: int) -> set[int]:
        """Groups reading ``g``, leaving out tables (a statement listing many units)."""
        found: set[int] = set()
        for unit in self.members[g]:
            found.update(self.gid[r.id] for r in self.readers[unit.id] if r.id not in self.tables)
        found.discard(g)
        return found


def _family_roots(units: list[Unit]) -> dict[str, set[str]]:
    """Classes of 40 lines or more that four or more of the module's classes derive from ->
    those classes."""
    heirs: dict[str, set[str]] = {}
    for cls, above in ancestors(units).items():
        for base in above:
            heirs.setdefault(base, set()).add(cls)
    # (a main class keeps its own ways: the manager role already places it)
    eligible = {u.id for u in units if u.lines >= _ROOT and u.role != "manager"}
    return {c: found for c, found in heirs.items() if len(found) >= _HEIRS and c in eligible}


def group_units(clusters: list[list[Unit]], limit: Callable[[str], int]) -> list[list[Unit]]:
    """The clusters merged into cohesive groups (see the module docstring), in original order."""
    groups = Groups(clusters, limit)
    _join_cycles(groups)
    _join_pairs(groups)
    _join_type_vars(groups)
    _merge_by_topic(groups)
    _attach_exclusive(groups)
    _merge_by_words(groups)
    merge_linked(groups)
    _fill(groups)
    return [groups.members[g] for g in groups.ordered()]


def _join_cycles(groups: Groups) -> None:
    """Groups on one cycle share a module when they fit: first through every kind of edge,
    then through run-time edges only (annotations can go under ``TYPE_CHECKING``)."""
    for kinds in (("I", "C", "A"), ("I", "C")):
        graph: dict[int, list[int]] = {}
        for g, units in groups.members.items():
            targets = {
                groups.gid[t] for u in units for t, k in groups.edges[u.id].items() if k in kinds
            }
            graph[g] = sorted(targets - {g})
        for component in strongly_connected(graph):
            units = [u for g in component for u in groups.members[g]]
            if groups.size(units) <= groups.limit(group_role(units)):
                merged = component[0]
                for g in component[1:]:
                    merged = groups.merge(merged, g)


def _join_pairs(groups: Groups) -> None:
    """``sync_do_slice`` with ``do_slice``, ``async_x`` with ``x``, ``x_async`` with ``x``."""
    for unit_id in sorted(groups.gid):
        partners = [p + unit_id for p in _PAIR_PREFIXES] + [f"{unit_id}_async"]
        for partner in partners:
            if partner in groups.gid:
                a, b = groups.gid[unit_id], groups.gid[partner]
                if groups.can_merge(a, b):
                    groups.merge(a, b)


def _type_vars(groups: Groups, g: int) -> bool:
    return all(map(naming.is_type_var, groups.members[g]))


def _join_type_vars(groups: Groups) -> None:
    """The module's TypeVars and ParamSpecs go together (a ``type_vars`` module), not each
    with its first user: a reader finds them in one place."""
    found = [g for g in groups.ordered() if all(map(naming.is_type_var, groups.members[g]))]
    if len(found) < 2:
        return
    merged = found[0]
    for g in found[1:]:
        if groups.can_merge(merged, g):
            merged = groups.merge(merged, g)


def _attach_exclusive(groups: Groups) -> None:
    """What only one group uses joins that group, repeated until nothing moves."""
    changed = True
    while changed:
        changed = False
        for g in groups.ordered():
            if g not in groups.members:
                continue
            users = groups.users(g)
            if len(users) == 1 and _attachable(groups.members[g]):
                (user,) = users
                if groups.can_merge(g, user):
                    groups.merge(g, user)
                    changed = True


def _attachable(units: list[Unit]) -> bool:
    """A helper, constant or TypeVar goes with its only user; a public class or function of
    its own weight (a ``CircuitBreaker`` only the manager uses) is a concept of its own."""
    public = [u for u in units if not u.id.startswith("_") and naming.kind(u) != "value"]
    return sum(u.lines for u in public) <= _SMALL


def _merge_by_topic(groups: Groups) -> None:
    """Groups about one topic share a module, the first of that topic they fit in, whatever
    their roles (``IntRange`` with the number base class it derives from): within the
    largest budget of their roles, since the module is named for its topic, not a role."""
    merged = True
    while merged:  # a group refused for a cycle through a third may join once the third has
        merged = False
        formed: dict[topics.Topic, list[int]] = {}
        for g in groups.ordered():
            topic = groups.topic(g)
            if topic is None:
                continue
            for i, other in enumerate(formed.get(topic, [])):
                if groups.fits(other, g) and groups.acyclic_merge(other, g):
                    formed[topic][i] = groups.merge(other, g)
                    merged = True
                    break
            else:
                formed.setdefault(topic, []).append(g)


def _merge_by_words(groups: Groups) -> None:
    """Groups of one role whose names share a word few others have (``do_text_upper``,
    ``do_text_lower``) join, the rarest word first."""
    units = [u for us in groups.members.values() for u in us]
    words = {u.id: set(naming.name_words(u)) for u in units}
    holders: dict[str, list[str]] = {}
    for uid, found in words.items():
        for word in found:
            holders.setdefault(word, []).append(uid)
    common = max(4, len(units) / 4)  # ``iter`` in iterutils: a suffix, not a topic
    for word in sorted(holders, key=lambda w: (len(holders[w]), w)):
        if not 2 <= len(holders[word]) <= common:
            continue
        for uid in holders[word][1:]:
            a, b = groups.gid[holders[word][0]], groups.gid[uid]
            if a != b and groups.role(a) == groups.role(b) and groups.can_merge(a, b):
                groups.merge(a, b)


def _fill(groups: Groups) -> None:
    """Small groups join the first group of their role they fit in, in original order."""
    for g in sorted(groups.members, key=lambda g: (groups.size(groups.members[g]), g)):
        if g not in groups.members:
            continue
        role = groups.role(g)
        size = groups.size(groups.members[g])
        if (
            groups.small(g)
            if groups.themed(g)
            else size * 3 <= groups.limit(role) or (size <= _SMALL)
        ):
            pass
        else:
            continue
        links = links_of(groups, g)
        linked = sorted((o for o in groups.ordered() if o in links), key=lambda o: -links[o])
        same_role = [o for o in groups.ordered() if groups.role(o) == role]
        topic = groups.themed(g)
        if topic is not None:  # its topic, its links, its role
            kin = _CHECKS if topic in _CHECKS else {topic}
            order = [o for o in groups.ordered() if groups.topic(o) in kin] + linked + same_role
        else:  # a module about a topic stays about it: what has none goes with the rest
            plain = [o for o in linked + same_role if groups.themed(o) is None]
            order = plain + linked + same_role
        if _type_vars(groups, g) and len(groups.members[g]) > 1 or groups.registry(g):
            continue  # the TypeVars keep a module of their own (a single one may go with a user)
        if any(naming.kind(u) != "value" for u in groups.members[g]):
            # and it holds TypeVars (and typing imports), not the classes that use them
            order = [o for o in order if not _type_vars(groups, o)]
        for other in order:
            if other != g and groups.can_merge(other, g):
                groups.merge(other, g)
                break
        else:  # a crumb about a topic no other group has: with what has none, else anything
            crumb = sum(u.lines for u in groups.members[g]) <= min(_SMALL, groups.limit(role) // 6)
            if crumb and groups.topic(g) is not topics.HELPERS:
                rest = order + groups.ordered()
                plain = [
                    o
                    for o in rest
                    if groups.themed(o) is None
                    and not groups.registry(o)
                    and groups.role(o) != "base"  # constants, types: not a crumb's home
                    and not _type_vars(groups, o)
                ]
                for other in plain + rest:
                    if other != g and groups.fits(other, g) and groups.acyclic_merge(other, g):
                        groups.merge(other, g)
                        break
