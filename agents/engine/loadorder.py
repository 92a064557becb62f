"""Import order of the generated modules, checked by simulating Python's import system.

Each generated module imports its siblings with ``from .x import name`` at the top (names
read only inside functions that would close a cycle are handed over by ``__init__`` instead).
``__init__`` imports the modules in ``order``. ``simulate`` replays exactly what the import
system will do and reports the first ``from .x import`` that would meet a module still
running its top imports (the "partially initialized module" ImportError).
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

T = TypeVar("T", bound="SupportsRichComparison")  # nodes sort: ties break by name


@dataclasses.dataclass(frozen=True)
class Arrangement:
    """A load order that works, and for each module the siblings it may import at the top."""

    order: tuple[str, ...]
    ready: Mapping[str, frozenset[str]]  # module -> siblings fully defined when it starts


@dataclasses.dataclass(frozen=True)
class Conflict:
    """``requester`` would import from ``target`` while ``target`` is still importing."""

    requester: str
    target: str
    # the imports being run when it happened: (importer, imported, "top")
    path: tuple[tuple[str, str, str], ...] = ()


def ordered_by_needs(needs: Mapping[T, set[T]], rank: Mapping[T, Any]) -> list[T]:
    """Nodes after everything they need, ties by ``rank`` (Kahn's algorithm with a heap).

    Nodes on a cycle never become ready and are left out: the caller decides what that means.
    """
    waiting = {node: set(deps) for node, deps in needs.items()}
    users: dict[T, set[T]] = {node: set() for node in waiting}
    for node, deps in waiting.items():
        for dep in deps:
            users[dep].add(node)
    heap = [(rank[node], node) for node, deps in waiting.items() if not deps]
    heapq.heapify(heap)
    order: list[T] = []
    while heap:
        _, node = heapq.heappop(heap)
        order.append(node)
        for user in sorted(users[node]):
            waiting[user].discard(node)
            if not waiting[user]:
                heapq.heappush(heap, (rank[user], user))
    return order


def topological(
    modules: Sequence[str], rank: Mapping[str, int], import_deps: Mapping[str, set[str]]
) -> list[str] | Conflict:
    """Modules with their import-time dependencies first; ties by original position."""
    waiting = {mod: set(import_deps.get(mod, ())) - {mod} for mod in modules}
    order = ordered_by_needs(waiting, rank)
    if len(order) < len(modules):
        stuck = min((m for m in modules if m not in order), key=lambda m: rank[m])
        return Conflict(stuck, min(waiting[stuck], key=lambda m: rank[m]))
    return order


def simulate(order: Sequence[str], top: Mapping[str, Sequence[str]]) -> Arrangement | Conflict:
    """Replay the imports; ``top`` lists each module's sibling imports in order."""
    state: dict[str, str] = {}
    ready: dict[str, frozenset[str]] = {}
    path: list[tuple[str, str, str]] = []

    def request(requester: str, target: str) -> Conflict | None:
        phase = state.get(target)
        path.append((requester, target, state[requester]))
        if phase is None:
            found = load(target)
        else:
            found = Conflict(requester, target, tuple(path)) if phase == "top" else None
        if found is None:
            path.pop()
        return found

    def load(mod: str) -> Conflict | None:
        ready[mod] = frozenset(m for m, phase in state.items() if phase != "top")
        state[mod] = "top"
        for dep in top.get(mod, ()):
            if (conflict := request(mod, dep)) is not None:
                return conflict
        state[mod] = "done"  # its own definitions have run: its names exist
        return None

    for mod in order:
        if mod not in state and (conflict := load(mod)) is not None:
            return conflict
    return Arrangement(tuple(order), ready)
