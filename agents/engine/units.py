"""Units: groups of top-level statements that must move together.

A unit is a definition with its leading comments and decorators (LibCST keeps both on the
statement), or a group: every statement binding the same name (redefinitions, ``@overload``,
``try/except ImportError`` and ``if sys.version_info`` alternatives bind the same names), a
top-level ``del`` with what it deletes, and statements that act on another unit's object at
import time (``X.attr = ...``, ``X[k] = ...``, ``X.method(...)``, ``register(X)``) follow it.
Import lines are not units: each module gets recomputed imports, unless an import binds a name
that code also binds (then it is an ordinary statement of that unit).
"""

from __future__ import annotations

import dataclasses
import functools
import re

import libcst as cst

from modularize.agents.engine.analysis import Analysis
from modularize.agents.engine.kinds import Edge, Kind
from modularize.agents.engine.statements import Stmt, is_docstring


@dataclasses.dataclass
class Unit:
    """Statements moving together; ``id`` is the first name bound, else ``stmt@L<line>``."""

    id: str
    stmts: list[Stmt]
    names: tuple[str, ...]  # top-level names bound and still bound at the end of the module
    refs: dict[str, Edge] = dataclasses.field(default_factory=dict)  # unit id -> edge kind
    name_refs: dict[str, Edge] = dataclasses.field(default_factory=dict)  # any top-level name
    role: str = ""
    maybe: tuple[str, ...] = ()
    # units that must have run before this one although it reads none of their names
    after: set[str] = dataclasses.field(
        default_factory=set
    )  # names not bound on every path (platform/version branches)

    @functools.cached_property
    def lines(self) -> int:
        """Source lines of the unit, comments included (its statements are set once made)."""
        return sum(s.lines for s in self.stmts)

    @property
    def first(self) -> int:
        """Index of the unit's first statement in the original."""
        return self.stmts[0].index

    @property
    def kind(self) -> str:
        """What the unit is, for a person: class, function, assignment or statement."""
        node = self.stmts[-1].node
        if isinstance(node, cst.ClassDef):
            return "class"
        if isinstance(node, cst.FunctionDef):
            return "function"
        return "assignment" if self.names else "statement"

    @property
    def side_effect(self) -> bool:
        """True when the unit runs code at import time beyond binding definitions."""
        return any(
            isinstance(s.node, cst.SimpleStatementLine)
            and any(isinstance(b, cst.Expr) for b in s.node.body)
            or not s.binds
            for s in self.stmts
        )


def base_names(unit: Unit) -> list[str]:
    """The names of the classes a class unit derives from, as written (``t.Generic[T]`` ->
    ``Generic``); ``[]`` for anything else."""
    node = unit.stmts[-1].node
    if not isinstance(node, cst.ClassDef):
        return []
    found = []
    for arg in node.bases:
        expr = arg.value.value if isinstance(arg.value, cst.Subscript) else arg.value
        if isinstance(expr, cst.Attribute):
            found.append(expr.attr.value)
        elif isinstance(expr, cst.Name):
            found.append(expr.value)
    return found


def ancestors(units: list[Unit]) -> dict[str, set[str]]:
    """Each class unit -> the classes among ``units`` it derives from, directly or not."""
    parents = {u.id: base_names(u) for u in units if isinstance(u.stmts[-1].node, cst.ClassDef)}
    found: dict[str, set[str]] = {}
    for cls in parents:
        seen: set[str] = set()
        todo = list(parents[cls])
        while todo:
            base = todo.pop()
            if base in parents and base not in seen:
                seen.add(base)
                todo += parents[base]
        found[cls] = seen
    return found


def group_role(units: list[Unit]) -> str:
    """The role of a module of ``units``: the role of most of their lines (of the largest
    unit on a tie)."""
    lines: dict[str, int] = {}
    for unit in units:
        lines[unit.role] = lines.get(unit.role, 0) + unit.lines
    largest = max(units, key=lambda u: (u.lines, -u.first)).role
    return max(lines, key=lambda r: (lines[r], r == largest))


class _Union:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def build_units(analysis: Analysis) -> list[Unit]:
    """Group the ``code`` statements of the module into units, in original order."""
    stmts = analysis.stmts
    _demote_shadowed_imports(stmts)
    code = [s for s in stmts if s.kind is Kind.CODE]
    union = _Union(len(stmts))
    binder: dict[str, int] = {}
    after: dict[int, set[int]] = {}
    for stmt in code:
        for name in (*stmt.binds, *stmt.unbinds):
            if name in binder:
                union.join(binder[name], stmt.index)
            binder[name] = stmt.index
    for stmt in code:  # a string right after an assignment documents it (Sphinx, IDEs)
        before = stmts[stmt.index - 1] if stmt.index else None
        if (
            before is not None
            and before.kind is Kind.CODE
            and before.binds
            and is_docstring(stmt.node)
        ):
            union.join(before.index, stmt.index)
    for stmt in code:
        owner = _acted_on(stmt, binder, analysis)
        if owner is None:
            continue
        users = _users_between(owner, stmt.index, stmts, analysis)
        if users:  # e.g. jinja2's final ``NodeType.__new__ = ...``: it must run after them
            after[stmt.index] = users | {owner}
        else:
            union.join(owner, stmt.index)
    groups: dict[int, list[Stmt]] = {}
    for stmt in code:
        groups.setdefault(union.find(stmt.index), []).append(stmt)
    units = [_make_unit(members) for _, members in sorted(groups.items())]
    unit_of = {s.index: u for u in units for s in u.stmts}
    for index, targets in after.items():
        unit = unit_of[index]
        unit.after = {unit_of[t].id for t in targets if t in unit_of} - {unit.id}
    return units


def order_shared_effects(units: list[Unit], analysis: Analysis) -> None:
    """Import-time calls of a function that works on shared state (``register`` appending to
    ``REGISTRY``), and import-time reads of that state, keep their original order: each call
    after what came before it, each read after the call before it (``_chain_calls``).
    Interleaved units so need each other (one module)."""
    owner = {n: u for u in units for n in u.names}
    # name -> the statements reading it at import time (I) or calling it (X), by unit
    readers: dict[str, list[tuple[int, str, Unit]]] = {}
    for unit in units:
        for stmt in unit.stmts:
            for name, kind in analysis.refs[stmt.index].items():
                if kind in ("I", "X"):
                    readers.setdefault(name, []).append((stmt.index, kind, unit))
    for callee in units:
        state = _state_read(callee, owner)
        funcs = {n for s in callee.stmts if isinstance(s.node, cst.FunctionDef) for n in s.binds}
        if not funcs or not state:  # (a helper deleted at the end is still called)
            continue
        events: dict[int, tuple[bool, Unit]] = {}
        for name in funcs | state:
            for index, edge, unit in readers.get(name, ()):
                calls = edge == "X" and name in funcs
                if calls or name in state:
                    events[index] = (calls or events.get(index, (False,))[0], unit)
        _chain_calls([events[index] for index in sorted(events)])


def order_reads_after_effects(units: list[Unit], analysis: Analysis) -> None:
    """An import-time read of an object the module defines runs after the statements before
    it that act on that object without binding a name (markdown's ``_HTMLParser =
    htmlparser.HTMLParser`` after ``spec.loader.exec_module(htmlparser)`` and the
    ``htmlparser.x = ...`` patches): what it reads is what they made."""
    owned = {n for u in units for n in u.names}
    acting: dict[str, list[tuple[int, Unit]]] = {}
    for unit in units:
        for stmt in unit.stmts:
            if stmt.binds or isinstance(stmt.node, (cst.FunctionDef, cst.ClassDef)):
                continue
            for name, kind in analysis.refs[stmt.index].items():
                if kind in ("I", "X") and name in owned:
                    acting.setdefault(name, []).append((stmt.index, unit))
    for unit in units:
        for stmt in unit.stmts:
            for name, kind in analysis.refs[stmt.index].items():
                for index, actor in acting.get(name, ()) if kind == "I" else ():
                    if index < stmt.index and actor is not unit:
                        unit.after.add(actor.id)


def _chain_calls(events: list[tuple[bool, Unit]]) -> None:
    """Each call (True) runs after the call and the reads before it, each read after the
    call before it; two reads with no call between them see the same state in either order
    (jinja2's ``GETTEXT_FUNCTIONS`` read by two defaults), so they keep none."""
    last_call: Unit | None = None
    reads: list[Unit] = []
    for call, unit in events:
        earlier = [*reads, last_call] if call else [last_call]
        unit.after.update(e.id for e in earlier if e is not None and e is not unit)
        if call:
            last_call, reads = unit, []
        else:
            reads.append(unit)


def _state_read(func: Unit, owner: dict[str, Unit]) -> set[str]:
    """Top-level names bound by plain statements (a registry, a counter) that the function
    reads: calling it may change what the next reader sees."""
    found = set()
    for name in func.name_refs:
        holder = owner.get(name)
        if holder is not None and holder is not func:
            if not isinstance(holder.stmts[-1].node, (cst.FunctionDef, cst.ClassDef)):
                found.add(name)
    return found


def deleted_helpers(units: list[Unit]) -> dict[str, Unit]:
    """Names a unit binds and its final ``del`` removes (opcode.py's ``def_op``) -> that unit.

    Nothing can import such a name from a sibling after the ``del`` ran, so whatever reads it
    at import time must share the unit's module (planner) and runs after it (context._link).
    """
    found: dict[str, Unit] = {}
    for unit in units:
        for stmt in unit.stmts:
            found.update((n, unit) for n in stmt.unbinds if n not in unit.names)
    return found


def _users_between(owner: int, index: int, stmts: list[Stmt], analysis: Analysis) -> set[int]:
    """Statements between ``owner`` and ``index`` that need the owner's object at import time
    (directly or through one another, e.g. subclasses of subclasses)."""
    names = set(stmts[owner].binds)
    users: set[int] = set()
    for stmt in stmts[owner + 1 : index]:
        if stmt.kind is not Kind.CODE:
            continue
        if any(k.at_import and n in names for n, k in analysis.refs[stmt.index].items()):
            users.add(stmt.index)
            names.update(stmt.binds)
    return users


def _demote_shadowed_imports(stmts: list[Stmt]) -> None:
    """An import line whose name code rebinds is part of that code, not a recomputed import."""
    code_names = {n for s in stmts if s.kind is Kind.CODE for n in (*s.binds, *s.unbinds)}
    for stmt in stmts:
        if stmt.kind is Kind.IMPORT and code_names.intersection(stmt.binds):
            stmt.kind = Kind.CODE


def _make_unit(members: list[Stmt]) -> Unit:
    deleted = {n for s in members for n in s.unbinds}
    bound: list[str] = []
    for stmt in members:
        bound.extend(n for n in stmt.binds if n not in bound)
    names = tuple(n for n in bound if n not in deleted or _rebound_after_del(members, n))
    uid = names[0] if names else f"stmt@L{members[0].line}"
    certain = {n for s in members for n in s.certain}
    return Unit(uid, members, names, maybe=tuple(n for n in names if n not in certain))


def _rebound_after_del(members: list[Stmt], name: str) -> bool:
    state = False
    for stmt in members:
        if name in stmt.binds:
            state = True
        if name in stmt.unbinds:
            state = False
    return state


def _acted_on(stmt: Stmt, binder: dict[str, int], analysis: Analysis) -> int | None:
    """The statement owning the object this statement acts on at import time, if any."""
    node = stmt.node
    if stmt.binds or not isinstance(node, cst.SimpleStatementLine):
        return _latest_owner(stmt, binder, analysis) if not stmt.binds else None
    for small in node.body:
        if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
            targets = (
                [t.target for t in small.targets]
                if isinstance(small, cst.Assign)
                else [small.target]
            )
            for target in targets:
                base = _base_name(target)
                if base in binder and binder[base] < stmt.index:
                    return binder[base]
        elif isinstance(small, cst.Expr) and isinstance(small.value, cst.Call):
            base = _base_name(small.value.func)
            if (
                isinstance(small.value.func, cst.Attribute)
                and base in binder
                and binder[base] < stmt.index
            ):
                return binder[base]
    return _latest_owner(stmt, binder, analysis)


def _latest_owner(stmt: Stmt, binder: dict[str, int], analysis: Analysis) -> int | None:
    """Follow the latest earlier-defined code object a bare statement reads at import time."""
    owners = [
        binder[n]
        for n, kind in analysis.refs[stmt.index].items()
        if kind.at_import and n in binder and binder[n] < stmt.index
    ]
    return max(owners) if owners else None


def _base_name(node: cst.BaseExpression) -> str | None:
    while isinstance(node, (cst.Attribute, cst.Subscript, cst.Call)):
        node = node.value if not isinstance(node, cst.Call) else node.func
    return node.value if isinstance(node, cst.Name) else None


def declares_global(unit: Unit, name: str) -> bool:
    """A function of ``unit`` rebinds the top-level ``name`` (``global name``)."""
    pattern = rf"^[ \t]*global\b[^\n]*\b{re.escape(name)}\b"
    return any(re.search(pattern, s.code, re.MULTILINE) for s in unit.stmts)
