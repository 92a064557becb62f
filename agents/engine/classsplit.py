"""The class split (pure): a class over its budget becomes a main class and private mixins.

``expand_classes(source, config)`` rewrites the source before it is planned: each big class
that can be split gets mixin classes right above it, holding cohesive groups of its methods
(``mixins.py``), and inherits from them first: ``class Big(_BigVisitors, Base, metaclass=M)``.
The planner then places the mixins like any other class. What stays in the class: its
docstring, class attributes and other statements, ``__init__`` and every dunder, methods using
zero-argument ``super()``/``__class__`` (their class cell would change), abstract methods, and
whatever the class body reads while it runs (``x = property(get_x)``, ``@x.setter``).
Name-mangled ``__x`` names in moved methods are written as Python reads them, ``_Big__x``.

A class is left whole, with a reason, when moving methods out of its body could change what
it is: metaclasses other than ``ABCMeta``, class decorators (dataclass, attrs and registries
read the namespace), Enum/NamedTuple/TypedDict/Protocol bases, a base of this module with
``__init_subclass__``, and code reading the class's own ``__dict__``.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import re

import libcst as cst

from modularize.agents.core.source import count_lines, source_tree
from modularize.agents.engine.members import Member, class_members, reads, statement_binds
from modularize.agents.engine.mixins import Atom, group_atoms
from modularize.agents.engine.mixinwrite import MixinPlan, rewrite_class
from modularize.agents.engine.model import EngineConfig
from modularize.agents.engine.ties import pin_tied, tied_to
from modularize.agents.engine.trees import parse_module

_SAFE_DECORATORS = frozenset({"total_ordering", "final"})
_SAFE_METACLASSES = frozenset({"ABCMeta", "type"})
_SPECIAL_BASES = {
    "Enum": "an Enum (its members are its class body)",
    "IntEnum": "an Enum (its members are its class body)",
    "StrEnum": "an Enum (its members are its class body)",
    "Flag": "an Enum (its members are its class body)",
    "IntFlag": "an Enum (its members are its class body)",
    "NamedTuple": "a NamedTuple (its fields are its class body)",
    "TypedDict": "a TypedDict (its keys are its class body)",
    "Protocol": "a Protocol (its members are read from its own namespace)",
    "BaseModel": "a pydantic model (its metaclass reads the class body)",
    "Structure": "a ctypes Structure",
    "Struct": "a msgspec Struct (its metaclass reads the class body)",
}


@dataclasses.dataclass(frozen=True)
class ClassSplit:
    """How one class was split."""

    name: str
    lines_before: int
    lines_after: int
    mixins: tuple[MixinPlan, ...]


@dataclasses.dataclass(frozen=True)
class ClassRefusal:
    """A class over the limit left whole, and why."""

    name: str
    lines: int
    reason: str


@dataclasses.dataclass(frozen=True)
class Expansion:
    """The source with its big classes split, and what was done or refused."""

    source: str
    splits: tuple[ClassSplit, ...] = ()
    refusals: tuple[ClassRefusal, ...] = ()

    def warnings(self) -> tuple[str, ...]:
        """One line per class split or refused, for the plan and the report."""
        lines = []
        for split in self.splits:
            parts = ", ".join(
                f"{m.name} ({len(m.methods)} methods, {m.lines} lines)" for m in split.mixins
            )
            lines.append(
                f"class split: `{split.name}` {split.lines_before} -> {split.lines_after} "
                f"lines; mixins {parts}; moved methods name their mixin in __qualname__"
            )
        for refusal in self.refusals:
            lines.append(
                f"class `{refusal.name}` ({refusal.lines} lines) not split: {refusal.reason}"
            )
        return tuple(lines)


def expand_classes(source: str, config: EngineConfig) -> Expansion:
    """Split every class over the budget that can be split; the rest are refused with a
    reason. Returns the source unchanged when no class needs it."""
    budgets = tuple(sorted((k, int(v)) for k, v in config.budgets.items()))
    return _expand(source, config.threshold, budgets)


@functools.lru_cache(maxsize=8)
def _expand(source: str, threshold: int, budgets: tuple[tuple[str, int], ...]) -> Expansion:
    limits = _Limits(threshold, dict(budgets))
    if count_lines(source) <= threshold or not _may_be_over(source, threshold - limits.margin):
        return Expansion(source)
    try:
        module = parse_module(source)
    except (cst.ParserSyntaxError, SyntaxError):
        return Expansion(source)  # the analysis reports it
    taken: set[str] | None = None  # read only when a class is over the budget
    body: list[cst.BaseStatement] = []
    splits, refusals = [], []
    for stmt in module.body:
        size = count_lines(module.code_for_node(stmt)) if isinstance(stmt, cst.ClassDef) else 0
        if not isinstance(stmt, cst.ClassDef) or size + limits.margin <= threshold:
            body.append(stmt)
            continue
        taken = _top_level_names(module) if taken is None else taken
        outcome = _split_class(module, stmt, size, limits, taken)
        if outcome is None or isinstance(outcome, ClassRefusal):
            refusals.extend([outcome] if outcome else [])
            body.append(stmt)
            continue
        split, new_nodes = outcome
        splits.append(split)
        body.extend(new_nodes)
    if not splits:
        return Expansion(source, (), tuple(refusals))
    return Expansion(module.with_changes(body=body).code, tuple(splits), tuple(refusals))


def _may_be_over(source: str, lines: int) -> bool:
    """Whether a top-level class may have over ``lines`` lines, from the ``ast`` (cheap):
    a class, with the comments above and below it, holds at most the lines between the
    statements before and after it."""
    try:
        body = source_tree(source).body
    except (SyntaxError, ValueError):
        return True  # LibCST says what it makes of it
    if not body:
        return False
    starts = [_first_line(node) for node in body[1:]] + [count_lines(source) + 1]
    ends = [0] + [node.end_lineno or node.lineno for node in body[:-1]]
    return any(
        isinstance(node, ast.ClassDef) and start - end - 1 > lines
        for node, start, end in zip(body, starts, ends, strict=True)
    )


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno


@dataclasses.dataclass(frozen=True)
class _Limits:
    threshold: int
    budgets: dict[str, int]

    @property
    def margin(self) -> int:
        """Lines a module needs besides one class: header, docstring and imports (a dozen
        at least, whatever the threshold)."""
        return min(30, max(12, self.threshold // 8))

    @property
    def mixin_cap(self) -> int:
        """Largest mixin: fits the strategies budget with room for its imports."""
        budget = min(self.threshold, self.budgets.get("strategies", self.threshold))
        return max(10, budget - min(40, budget // 3))

    @property
    def class_target(self) -> int:
        """Largest class left after the split: fits the manager budget with its imports."""
        budget = min(self.threshold, self.budgets.get("manager", self.threshold))
        return max(10, budget - min(60, budget // 3))


def _split_class(
    module: cst.Module, cls: cst.ClassDef, size: int, limits: _Limits, taken: set[str]
) -> ClassRefusal | tuple[ClassSplit, list[cst.BaseStatement]] | None:
    name = cls.name.value
    reason = _class_blocker(module, cls)
    if reason:
        return ClassRefusal(name, size, reason)
    members = class_members(module, cls)
    blocked = next((m for m in members if _reads_class_dict(m)), None)
    if blocked is not None:
        return ClassRefusal(
            name,
            size,
            f"`{blocked.binds[0] if blocked.binds else 'a statement'}` reads a "
            "class `__dict__` or `vars()`, which would no longer hold the moved methods",
        )
    _settle_super(module, name, members)
    once = _bound_once(module, name)
    tied = pin_tied(members, name, tied_to(module, name), once)
    atoms, pinned = _atoms(members, limits)
    moved, remaining = _choose(atoms, size, limits)
    if remaining > limits.class_target and tied:
        # the class cannot fit without them: they move, and as their mixin's module cannot
        # import the class's module, the package __init__ hands the class over to it
        for member in tied:
            member.pinned = ""
        atoms, pinned = _atoms(members, limits)
        moved, remaining = _choose(atoms, size, limits)
    if remaining > limits.class_target:
        return ClassRefusal(name, size, _kept_reason(name, remaining, pinned, limits))
    if not moved:
        return None  # it fits as it is
    moved = _merge_small(moved, limits.mixin_cap)
    split, nodes = rewrite_class(cls, moved, members, taken, bound_once=once)
    return ClassSplit(name, size, remaining, split), nodes


def _settle_super(module: cst.Module, name: str, members: list[Member]) -> None:
    """Free methods whose ``super()`` can be written ``super(Mixin, self)`` (the class name is
    bound once); pin methods the class reaches past with super(): in a mixin, super() from
    the class would find them instead of the base's version."""
    if _bound_once(module, name):
        for member in members:
            if member.super_param and member.pinned == "uses zero-argument super()":
                member.pinned = ""
    via_super = {n for m in members for n in reads(m.node).super_attrs}
    for member in members:
        if not member.pinned and via_super.intersection(member.binds):
            member.pinned = "the class reaches past it with super()"


def _choose(atoms: list[Atom], size: int, limits: _Limits) -> tuple[list[list[Atom]], int]:
    """The groups to move, most cohesive first, until the class fits; and what is left."""
    remaining, moved = size, []
    for group in group_atoms(atoms, limits.mixin_cap):
        if remaining <= limits.class_target:
            break
        moved.append(group)
        remaining -= sum(a.lines for a in group)
    return moved, remaining


def _class_blocker(module: cst.Module, cls: cst.ClassDef) -> str:
    """Why moving methods out of this class's body could change what it is ("" if nothing)."""
    if not isinstance(cls.body, cst.IndentedBlock):
        return "its body is on one line"
    for decorator in cls.decorators:
        text = module.code_for_node(decorator.decorator)
        if _last_name(text) not in _SAFE_DECORATORS:
            return (
                f"it is decorated with @{text}, which may read the class's own namespace "
                "(dataclass and attrs fields, registries); split it by hand"
            )
    for keyword in cls.keywords:
        arg = keyword.keyword.value if keyword.keyword else "**"
        text = module.code_for_node(keyword.value)
        if arg != "metaclass" or _last_name(text) not in _SAFE_METACLASSES:
            return (
                f"its class keyword `{arg}={text}` hands the class body to a metaclass, "
                "which would not see methods moved to mixins"
            )
    return _base_blocker(module, cls, set())


def _base_blocker(module: cst.Module, cls: cst.ClassDef, seen: set[str]) -> str:
    local = {s.name.value: s for s in module.body if isinstance(s, cst.ClassDef)}
    for base in cls.bases:
        text = _last_name(module.code_for_node(base.value))
        if text in _SPECIAL_BASES:
            return f"it is {_SPECIAL_BASES[text]}"
        parent = local.get(text)
        if parent is None or text in seen or parent is cls:
            continue
        seen.add(text)
        body = parent.body.body if isinstance(parent.body, cst.IndentedBlock) else ()
        if any(
            isinstance(s, cst.FunctionDef) and s.name.value == "__init_subclass__" for s in body
        ):
            return (
                f"its base `{text}` defines `__init_subclass__`, which runs for this class "
                "and may read its namespace"
            )
        if any(k.keyword and k.keyword.value == "metaclass" for k in parent.keywords):
            meta = next(module.code_for_node(k.value) for k in parent.keywords if k.keyword)
            if _last_name(meta) not in _SAFE_METACLASSES:
                return f"its base `{text}` has metaclass={meta}, which reads the class body"
        inherited = _base_blocker(module, parent, seen)
        if inherited:
            return inherited
    return ""


def _last_name(text: str) -> str:
    """``abc.ABCMeta`` -> ``ABCMeta``; ``dataclass(frozen=True)`` -> ``dataclass``."""
    return re.split(r"[\[(]", text, maxsplit=1)[0].strip().rpartition(".")[2]


def _bound_once(module: cst.Module, name: str) -> bool:
    return sum(name in statement_binds(s) for s in module.body) == 1


def _reads_class_dict(member: Member) -> bool:
    found = reads(member.node)
    return found.class_dict or (found.locals and not member.is_method)


def _atoms(members: list[Member], limits: _Limits) -> tuple[list[Atom], list[Atom]]:
    """Movable atoms and pinned atoms: members joined when they share a name or one reads
    the other while the class body runs."""
    parent = list(range(len(members)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    binder: dict[str, int] = {}
    for member in members:
        for bound in member.binds:
            if bound in binder:
                parent[find(member.index)] = find(binder[bound])
            binder[bound] = member.index
    for member in members:
        for read in member.deftime:
            if read in binder and binder[read] != member.index:
                parent[find(member.index)] = find(binder[read])
    groups: dict[int, list[Member]] = {}
    for member in members:
        groups.setdefault(find(member.index), []).append(member)
    movable, pinned = [], []
    for group in groups.values():
        atom = Atom(group)
        if any(m.pinned for m in group):
            pinned.append(atom)
        elif atom.lines + limits.margin > limits.threshold:
            group[0].pinned = f"{atom.lines} lines on its own"
            pinned.append(atom)
        else:
            movable.append(atom)
    return movable, pinned


def _kept_reason(name: str, remaining: int, pinned: list[Atom], limits: _Limits) -> str:
    biggest = sorted(pinned, key=lambda a: -a.lines)[:3]
    what = ", ".join(
        f"`{a.names[0] if a.names else 'statements'}` ({a.lines} lines: "
        f"{next(m.pinned for m in a.members if m.pinned)})"
        for a in biggest
    )
    return (
        f"{remaining} lines of `{name}` must stay in the class (over {limits.class_target}); "
        f"the largest: {what}"
    )


def _merge_small(groups: list[list[Atom]], cap: int, small: int = 40) -> list[list[Atom]]:
    """Fold mixins under ``small`` lines into the smallest other mixin they fit in."""
    groups = [list(g) for g in groups]
    for group in sorted(groups, key=lambda g: sum(a.lines for a in g)):
        size = sum(a.lines for a in group)
        if size >= small or group not in groups:
            continue
        others = [g for g in groups if g is not group and sum(a.lines for a in g) + size <= cap]
        if others:
            target = min(others, key=lambda g: sum(a.lines for a in g))
            target.extend(group)
            groups.remove(group)
    return [sorted(g, key=lambda a: a.first) for g in groups]


def _top_level_names(module: cst.Module) -> set[str]:
    names: set[str] = set()
    for stmt in module.body:
        for node in _flat(stmt):
            if isinstance(node, (cst.ClassDef, cst.FunctionDef)):
                names.add(node.name.value)
            elif isinstance(node, cst.Name):
                names.add(node.value)
    return names


def _flat(node: cst.CSTNode) -> list[cst.CSTNode]:
    found = [node]
    if not isinstance(node, (cst.ClassDef, cst.FunctionDef)):
        for child in node.children:
            found.extend(_flat(child))
    return found
