"""What the package ``__init__.py`` must keep of the old module, and why (pure).

By default (``Compat.MINIMAL``) the layer is plain re-exports of every name the original
defined. Names it only imported (``os``, typing names) stay only when something uses them
through the module: the repository's code or docs (found by the agent's scan, ``RepoUses``),
the original's ``__all__``, its own ``__getattr__``, or, for a package's ``__init__.py``,
always (those imports are the package's API). Machinery is added only for a finding:

- names rebound with ``global`` are served live (PEP 562 ``__getattr__``);
- assignments on the package are forwarded to the modules that read the name, only for
  names the repository assigns or patches on the package.

``Compat.FULL`` keeps every piece for every name, as before this layer was made minimal.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

import libcst as cst

from modularize.agents.core.config import Compat
from modularize.agents.engine.context import SourceContext, all_literal
from modularize.agents.engine.model import InitLayer, Refusal, RepoUses
from modularize.agents.engine.strings import module_strings
from modularize.agents.engine.units import Unit


def named_in_strings(ctx: SourceContext) -> frozenset[str]:
    """Strings of the original's string lists that are exactly a top-level name: export
    lists other than ``__all__`` (jinja2's ``runtime.exported``, which generated templates
    import from)."""
    names = {*ctx.import_names, *ctx.owner}
    return module_strings(ctx.analysis.source).listed & names


def explicit_reexports(ctx: SourceContext) -> frozenset[str]:
    """Names the original imports as ``X as X``: the PEP 484 way to say "re-exported"."""
    found: set[str] = set()
    for stmt in ctx.stmts:
        if stmt.kind == "import":
            for node in ast.walk(ast.parse(stmt.code.strip())):
                if isinstance(node, ast.alias) and node.asname == node.name.split(".")[-1]:
                    found.add(node.asname)
    return frozenset(found)


def _refuse_shown(
    ctx: SourceContext, module: str, uses: RepoUses, homes: Mapping[str, str]
) -> None:
    """A class or function whose old dotted path the repository shows in a string (a repr a
    test matches) now names its new module: refuse rather than break that test."""
    for name, where in sorted(uses.shown.items()):
        unit = ctx.owner.get(name)
        if unit is not None and unit.id in homes and _defines_object(unit, name):
            raise Refusal(
                f"{where} shows `{module}.{name}` (a repr or message); after the split it "
                f"would read `{module}.{homes[unit.id]}.{name}`: left unchanged "
                "(`--compat full` keeps the old module names)"
            )


def _defines_object(unit: Unit, name: str) -> bool:
    return any(
        isinstance(s.node, (cst.ClassDef, cst.FunctionDef)) and s.node.name.value == name
        for s in unit.stmts
    )


def imported_only(ctx: SourceContext) -> frozenset[str]:
    """Names the original binds only by importing them (never by its own code), the
    ``annotations`` of ``from __future__ import annotations`` included."""
    future = {n for s in ctx.stmts if s.kind == "future" for n in s.binds}
    return frozenset(n for n in {*ctx.import_names, *future} if n not in ctx.owner)


def decide_layer(
    ctx: SourceContext,
    module: str,
    compat: Compat,
    uses: RepoUses,
    is_package_init: bool,
    homes: Mapping[str, str],
    readers: Mapping[str, list[str]],
) -> InitLayer:
    """Which imports ``__init__`` keeps and which names it forwards. ``homes`` maps a unit id
    to its generated module, ``readers`` a top-level name to the generated modules that bind
    or read it (``initgen.readers``)."""
    imported = imported_only(ctx)
    future = {n for s in ctx.stmts if s.kind == "future" for n in s.binds}
    if compat is Compat.FULL:
        kept = imported
    elif is_package_init:  # its imports are the package's API
        kept = imported - future
    else:
        # what stays in __init__ reads its names there: hooks, ``__all__`` updates
        hooks = {n for u in ctx.init_units for n in u.name_refs}
        hooks.update(
            n
            for s in ctx.stmts
            if s.kind == "allupdate" or s.all_updates or s is ctx.all_stmt
            for n in ctx.analysis.refs[s.index]
        )
        touched = set(uses.assigned) | set(uses.patched)
        listed = all_literal(ctx) | named_in_strings(ctx) | explicit_reexports(ctx)
        kept = imported & (uses.read | touched | listed | hooks)
    if compat is Compat.FULL:
        return InitLayer(frozenset(kept), frozenset(), frozenset(readers))
    _refuse_shown(ctx, module, uses, homes)
    found = {**uses.patched, **uses.assigned}
    forwarded = frozenset(n for n in found if _needs_forwarding(ctx, uses, n, homes, readers))
    notes = [_forward_note(n, found[n], readers[n]) for n in sorted(forwarded)]
    live = sorted(ctx.analysis.live)
    if live:
        notes.append(
            f"`__getattr__` serves {', '.join(live)} live: rebound with `global` at run time"
        )
    if uses.package_read and "." in module and not is_package_init:
        notes.append(
            f"`__package__` is set back to the parent package and the new modules are kept "
            f"out of the namespace (served by `__getattr__`): {uses.package_read} reads "
            "modules' `__package__` (a loader mirroring modules, like toolz's tlz)"
        )
    dropped = frozenset(imported - kept) | ctx.unneeded
    return InitLayer(frozenset(kept), dropped, forwarded, tuple(notes))


def _needs_forwarding(
    ctx: SourceContext,
    uses: RepoUses,
    name: str,
    homes: Mapping[str, str],
    readers: Mapping[str, list[str]],
) -> bool:
    """Some function reads ``name`` at call time, and setting it on the package cannot be
    retargeted to the one module that reads it (a plain assignment, or several readers)."""
    calls = {homes.get(u.id) for u in ctx.units if u.name_refs.get(name) == "C"}
    if not calls or not readers.get(name):
        return False
    return name in uses.assigned or len(calls) > 1


def _forward_note(name: str, where: str, modules: list[str]) -> str:
    return (
        f"assignments of `{name}` on the package are forwarded to {', '.join(modules)}: "
        f"{where} sets it there"
    )


def dropped_note(layer: InitLayer) -> str | None:
    """The report line for imports the package no longer re-exports (None: none dropped)."""
    names = sorted(layer.dropped - layer.private_dropped)
    if not names:
        return None
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    return (
        f"no longer re-exported (the original only imported them and nothing in the "
        f"repository reads them through it; gone from `import *` too): {shown}"
    )
