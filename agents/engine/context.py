"""Everything both the planner and the writer derive from the original source, in one place."""

from __future__ import annotations

import ast
import dataclasses
import functools
import keyword
import re

import libcst as cst

from modularize.agents.core.config import Compat
from modularize.agents.engine.analysis import Analysis, analyse
from modularize.agents.engine.classsplit import expand_classes
from modularize.agents.engine.effects import effect_keys
from modularize.agents.engine.hints import hint_names
from modularize.agents.engine.kinds import Edge, Kind, stronger
from modularize.agents.engine.model import EngineConfig, Refusal, RepoUses
from modularize.agents.engine.namespace import namespace_readers
from modularize.agents.engine.starimports import expand_star_imports
from modularize.agents.engine.statements import Stmt, is_typing_if
from modularize.agents.engine.strings import module_strings
from modularize.agents.engine.units import (
    Unit,
    build_units,
    deleted_helpers,
    order_reads_after_effects,
    order_shared_effects,
)

_DUNDER = re.compile(r"^__\w+__$")


@dataclasses.dataclass
class SourceContext:
    """The analysed original: its units, where each name is bound, what stays in __init__."""

    analysis: Analysis
    units: list[Unit]  # moved code, in original order
    init_units: list[Unit]  # stay in __init__: module __getattr__/__dir__, metadata dunders
    owner: dict[str, Unit]  # top-level name -> the unit binding it (code and init units)
    by_id: dict[str, Unit]
    import_names: dict[str, list[Stmt]]  # name bound by an import line -> the lines binding it
    typing_names: dict[str, list[Stmt]]  # name bound under ``if TYPE_CHECKING:``
    main: Stmt | None
    all_stmt: Stmt | None
    # among init_units: code reading the module namespace (``globals()``), run last in __init__
    kept: list[Unit] = dataclasses.field(default_factory=list)

    @property
    def kept_names(self) -> frozenset[str]:
        """Names bound by the code that stays at the end of __init__ (see ``kept``)."""
        return frozenset(n for u in self.kept for n in u.names)

    # mixins made by the class split: private to the package, never re-exported by __init__
    mixins: frozenset[str] = frozenset()
    # imported by a compound statement (``try: from .x import y``) and read by nobody through
    # the module: the package neither serves nor re-exports them (``unneeded_imports``)
    unneeded: frozenset[str] = frozenset()

    @property
    def served_names(self) -> frozenset[str]:
        """Names __init__ serves live (PEP 562) instead of copying: rebound with ``global``,
        or bound only on some paths (``if os.name == "nt": import ctypes``)."""
        maybe = {n for u in self.units for n in u.maybe} - self.phantom_names - self.unneeded
        return self.analysis.live | maybe

    @property
    def phantom_names(self) -> frozenset[str]:
        """Names bound only under ``if TYPE_CHECKING:`` (with code besides imports): they never
        exist at run time, so nothing serves or re-exports them; readers import them for
        type checkers only."""
        return frozenset(
            n for u in self.units if all(is_typing_if(s.node) for s in u.stmts) for n in u.names
        )

    def late_imports(self, package_root: str) -> list[Stmt]:
        """Import lines placed after code that import from this package itself (toolz's
        ``from . import _signatures`` at the end of functoolz.py): they are circular, so they
        run last, from __init__, and are handed to the modules that use them."""
        # (``__lazy_modules__ = {...}`` and other dunder settings above the imports are no code)
        first_code = min(
            (s.index for s in self.stmts if s.kind is Kind.CODE and not _dunder_setting(s)),
            default=0,
        )
        late = []
        for stmt in self.stmts:
            if stmt.kind is not Kind.IMPORT or stmt.index < first_code:
                continue
            for small in cst.ensure_type(stmt.node, cst.SimpleStatementLine).body:
                relative = isinstance(small, cst.ImportFrom) and bool(small.relative)
                if relative or stmt.code.split()[1].split(".")[0] == package_root:
                    late.append(stmt)
                    break
        return late

    @functools.cached_property
    def effects(self) -> dict[str, set[str]]:
        """Unit id -> the shared objects its import-time code acts on (``effect_keys``):
        found once, as the units do not change after ``prepare``. Read-only."""
        return effect_keys(self.units)

    @property
    def maybe_names(self) -> frozenset[str]:
        """Names bound only on some paths (never, for ``if TYPE_CHECKING:`` code)."""
        return frozenset(n for u in self.units for n in u.maybe)

    @property
    def stmts(self) -> list[Stmt]:
        """All top-level statements of the original."""
        return self.analysis.stmts

    def top_level_names(self) -> list[str]:
        """Every name bound at the top of the original when it finishes importing, in order."""
        names: list[str] = []
        for stmt in self.stmts:
            if stmt.kind in (Kind.TYPING, Kind.MAIN):
                continue
            for name in stmt.binds:
                if name not in names:
                    names.append(name)
        gone = {n for s in self.stmts for n in s.unbinds}
        kept = {n for u in self.units for n in u.names}
        return [n for n in names if n not in gone or n in kept]


def prepare(source: str, config: EngineConfig) -> SourceContext:
    """Analyse ``source``; raise Refusal when behaviour could not be preserved.

    Classes over the budget are split into mixins first (``classsplit.py``): the planner and
    the writer both see the expanded source."""
    expansion = expand_classes(expand_star_imports(source, config.star_names), config)
    analysis = analyse(expansion.source)
    units = build_units(analysis)
    init_units = [Unit(s.binds[0], [s], s.binds) for s in analysis.stmts if s.kind is Kind.INIT]
    stmts = analysis.stmts
    _link(units + init_units, analysis)
    order_shared_effects(units, analysis)
    order_reads_after_effects(units, analysis)
    dunders = [u for u in units if _is_metadata(u, units)]
    kept = namespace_readers(units, analysis, config)
    units = [u for u in units if u not in dunders and u not in kept]
    init_units = sorted(init_units + dunders + kept, key=lambda u: u.first)
    owner = {n: u for u in units + init_units for n in u.names}
    ctx = SourceContext(
        analysis,
        units,
        init_units,
        owner,
        {u.id: u for u in units + init_units},
        _names_of(stmts, Kind.IMPORT),
        _names_of(stmts, Kind.TYPING),
        next((s for s in stmts if s.kind is Kind.MAIN), None),
        next((s for s in stmts if s.kind is Kind.ALL), None),
        kept,
        frozenset(m.name for c in expansion.splits for m in c.mixins),
    )
    if config.compat is Compat.MINIMAL and not config.is_package_init:
        ctx.unneeded = unneeded_imports(ctx, config.uses)
    _check(ctx, config)
    return ctx


def all_literal(ctx: SourceContext) -> frozenset[str]:
    """The names of the original's ``__all__`` when it is one literal list or tuple."""
    if ctx.all_stmt is None:
        return frozenset()
    found: set[str] = set()
    for node in ast.walk(ast.parse(ctx.all_stmt.code.strip())):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
    return frozenset(found)


def unneeded_imports(ctx: SourceContext, uses: RepoUses) -> frozenset[str]:
    """Names a compound statement binds only by importing them (``try: from collections.abc
    import Mapping`` / ``except ImportError: from collections import Mapping``) that nothing
    in the repository reads through the module, ``__all__`` does not list and the code kept in
    ``__init__`` does not read: re-exporting (or, bound on some paths only, serving) them
    would be layer nobody needs; the report lists them as no longer re-exported. A name
    bound on some paths only also stays when a sibling reads it (it imports it by name)."""
    wanted = {*uses.read, *uses.assigned, *uses.patched, *all_literal(ctx)}
    wanted.update(n for u in ctx.init_units for n in u.name_refs)
    candidates = {n for u in ctx.units if _has_imports(u) for n in u.names} - wanted
    if not candidates:
        return frozenset()
    # a string naming it (``__all__.append("stack_effect")``, an export list) keeps it
    wanted |= module_strings(ctx.analysis.source).constants & candidates
    found: set[str] = set()
    for unit in ctx.units:
        mine = set(unit.names) & candidates - wanted
        if not mine:
            continue
        imported, assigned = _bindings("".join(s.code for s in unit.stmts))
        for name in mine:
            if name not in imported or name in assigned:
                continue
            readers = (u for u in ctx.units if u is not unit)
            if name in unit.maybe and any(name in u.name_refs for u in readers):
                continue
            found.add(name)
    return frozenset(found - ctx.analysis.live)


def _has_imports(unit: Unit) -> bool:
    return any("import" in s.code for s in unit.stmts)


def _bindings(code: str) -> tuple[set[str], set[str]]:
    """(names the imports of top-level code bind, names its other statements bind), leaving
    out what its functions and classes bind inside."""
    imported: set[str] = set()
    other: set[str] = set()
    todo: list[ast.AST] = list(ast.parse(code.strip()).body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            other.add(node.name)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            imported.update((a.asname or a.name).partition(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            other.add(node.id)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            other.add(node.name)
        if not isinstance(node, ast.Lambda):
            todo.extend(ast.iter_child_nodes(node))
    return imported, other


def _dunder_setting(stmt: Stmt) -> bool:
    """``__version__ = "1.0"``, ``__lazy_modules__ = {...}``: a simple assignment of dunders."""
    node = stmt.node
    return (
        isinstance(node, cst.SimpleStatementLine)
        and all(isinstance(small, (cst.Assign, cst.AnnAssign)) for small in node.body)
        and bool(stmt.binds)
        and all(_DUNDER.match(n) for n in stmt.binds)
    )


def _names_of(stmts: list[Stmt], kind: Kind) -> dict[str, list[Stmt]]:
    found: dict[str, list[Stmt]] = {}
    for stmt in stmts:
        if stmt.kind == kind:
            for name in stmt.binds:
                found.setdefault(name, []).append(stmt)
    return found


def _link(units: list[Unit], analysis: Analysis) -> None:
    """Fill each unit's name references and unit-to-unit edges."""
    # a helper deleted at the end is still an edge: its callers run its code at import time
    owner = {**deleted_helpers(units), **{n: u for u in units for n in u.names}}
    for unit in units:
        for stmt in unit.stmts:
            for name, kind in analysis.refs[stmt.index].items():
                unit.name_refs[name] = stronger(unit.name_refs.get(name), kind)
        _read_by_hints(unit, owner)
        for name, kind in unit.name_refs.items():
            target = owner.get(name)
            if target is not None and target is not unit:
                unit.refs[target.id] = stronger(unit.refs.get(target.id), kind)
    _run_at_import(units)


def _read_by_hints(unit: Unit, owner: dict[str, Unit]) -> None:
    """Annotations ``typing.get_type_hints`` reads (``hints.py``) are read at call time: the
    module imports those names for real (names that may not exist at run time excepted)."""
    for stmt in unit.stmts:
        for name in hint_names(stmt.node):
            holder = owner.get(name)
            if holder is None or name in holder.maybe:
                continue
            if all(is_typing_if(s.node) for s in holder.stmts):  # bound for checkers only
                continue
            if unit.name_refs.get(name) is Edge.ANNOTATION:
                unit.name_refs[name] = Edge.CALL


def _run_at_import(units: list[Unit]) -> None:
    """Code called at import time runs at import time: what it reads is an import-time edge.

    A module-level ``DEFAULT = parse_url("")`` needs everything ``parse_url`` calls to be
    imported before that line runs, not at the bottom of its module.
    """
    by_id = {u.id: u for u in units}
    todo = [t for u in units for t, k in u.refs.items() if k is Edge.IMPORT_CALL]
    executed: set[str] = set()
    while todo:
        uid = todo.pop()
        if uid in executed or uid not in by_id:
            continue
        executed.add(uid)
        todo.extend(t for t, k in by_id[uid].refs.items() if k is not Edge.ANNOTATION)
    for unit in units:
        upgrade = unit.id in executed
        for table in (unit.name_refs, unit.refs):
            for key, kind in table.items():
                if kind is Edge.IMPORT_CALL or (upgrade and kind is Edge.CALL):
                    table[key] = Edge.IMPORT


def _is_metadata(unit: Unit, units: list[Unit]) -> bool:
    """``__version__ = "1.0"`` and friends stay in __init__ when no code reads them."""
    if not unit.names or not all(_DUNDER.match(n) for n in unit.names) or unit.refs:
        return False
    if not all(isinstance(s.node, cst.SimpleStatementLine) for s in unit.stmts):
        return False
    return not any(n in other.name_refs for other in units if other is not unit for n in unit.names)


def _check(ctx: SourceContext, config: EngineConfig) -> None:
    live = ctx.served_names
    if live and any(u.id == "__getattr__" for u in ctx.init_units):
        raise Refusal(
            "the module defines `__getattr__` and also rebinds globals "
            f"({', '.join(sorted(live))}) with `global`; both need the package's "
            "`__getattr__`"
        )
    main_names = set(ctx.main.binds) if ctx.main else set()
    for unit in ctx.units:
        used = main_names.intersection(unit.name_refs) - set(ctx.owner) - set(ctx.import_names)
        if used:
            raise Refusal(
                f"line {unit.stmts[0].line}: `{unit.id}` reads "
                f"{', '.join(sorted(used))}, which only the `if __name__ == "
                '"__main__":` block binds'
            )
    for unit in ctx.units:
        hooks = [i.id for i in ctx.init_units if i.id in unit.refs and i not in ctx.kept]
        if hooks:
            raise Refusal(
                f"line {unit.stmts[0].line}: `{unit.id}` calls the module's "
                f"`{hooks[0]}`, which must stay in the package's __init__"
            )
    _check_all_updates(ctx)
    for name in config.module.split("."):
        if keyword.iskeyword(name) or not name.isidentifier():
            raise Refusal(f"`{config.module}` is not an importable module name")


def _check_all_updates(ctx: SourceContext) -> None:
    """Literal ``__all__`` updates are made by __init__ after ``__all__`` (allupdates.py): what
    they read must be there, and a guarded name must exist exactly when the update ran."""
    served = ctx.served_names
    for stmt in ctx.stmts:
        if stmt.kind is not Kind.ALL_UPDATE and not stmt.all_updates:
            continue
        if ctx.all_stmt is None or ctx.all_stmt.index > stmt.index:
            raise Refusal(
                f"line {stmt.line}: `__all__` is updated but not built by one "
                "`__all__ = [...]` before; keep it a single literal"
            )
        if stmt.kind is Kind.ALL_UPDATE:
            _check_condition(ctx, stmt, served)
        for name in stmt.all_updates:
            others = [s for s in ctx.stmts if s is not stmt and name in (*s.binds, *s.unbinds)]
            hooked = name in served and any(u.id == "__dir__" for u in ctx.init_units)
            if others or name in ctx.analysis.live or hooked:
                raise Refusal(
                    f"line {stmt.line}: `__all__` gets {name!r} where it is bound, "
                    "but it is also bound or removed elsewhere; keep `__all__` a "
                    "single literal"
                )


def _check_condition(ctx: SourceContext, stmt: Stmt, served: frozenset[str]) -> None:
    """An update-only block runs in __init__ after everything: what its condition reads must
    have its value of that point (not rebound later, not a call of the module's own code)."""
    later = {n for s in ctx.stmts[stmt.index + 1 :] for n in (*s.binds, *s.unbinds)}
    refs = ctx.analysis.refs[stmt.index]
    bad = sorted(
        n
        for n, kind in refs.items()
        if n != "__all__"
        and (n in served or n in later or (kind is Edge.IMPORT_CALL and n in ctx.owner))
    )
    if bad:
        raise Refusal(
            f"line {stmt.line}: the `__all__` update depends on {', '.join(bad)}, "
            "which has another value (or none) where __init__ would run it; keep "
            "`__all__` a single literal"
        )
