"""The package ``__init__.py``: the compatibility layer.

It keeps the shebang, encoding cookie, licence header and docstring, re-exports every name the
original defined from its new module (``from .base import Item as Item``), in load order, and
keeps ``__all__`` verbatim, or writes one equal to the old public names it defined (so
``from big import *`` does not start exporting the new module names). Names the original only
imported, and any machinery, are there only when ``compat.decide_layer`` found a need;
``Compat.FULL`` writes the whole layer (``machinery.py``) for every name.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import libcst as cst

from modularize import templates
from modularize.agents.core.config import Compat
from modularize.agents.core.source import count_lines
from modularize.agents.engine import machinery
from modularize.agents.engine.allupdates import render_updates
from modularize.agents.engine.context import SourceContext, all_literal
from modularize.agents.engine.effects import execution_order
from modularize.agents.engine.graph import Layout
from modularize.agents.engine.headers import file_header
from modularize.agents.engine.importgen import (
    MAX_LINE,
    from_import,
    quote_style,
    quoted,
    render_imports,
    wrapped,
)
from modularize.agents.engine.initorder import order_sensitive
from modularize.agents.engine.kinds import Kind
from modularize.agents.engine.model import EngineConfig, InitLayer, SplitPlan
from modularize.agents.engine.namespace import render_namespace_readers
from modularize.agents.engine.rewrite import rewrite_statement
from modularize.agents.engine.starinit import (
    STAR_IMPORT,
    StarExports,
    package_all,
    star_exports,
    star_layer,
)
from modularize.agents.engine.statements import Stmt
from modularize.agents.engine.units import Unit


def names_by_module(
    ctx: SourceContext, placement: dict[str, str], used: set[str] | None
) -> list[tuple[str, list[str]]]:
    """(module, names) for every moved name (or only ``used`` ones); "" is the package itself."""
    found: dict[str, list[str]] = {}
    for unit in ctx.units + ctx.init_units:
        home = placement.get(unit.id)
        if home is None:
            continue
        for name in unit.names:
            if used is None or name in used:
                found.setdefault(home, []).append(name)
    return sorted(found.items(), key=lambda kv: min(ctx.owner[n].first for n in kv[1]))


def render_init(
    ctx: SourceContext,
    config: EngineConfig,
    plan: SplitPlan,
    layout: Layout,
    layer: InitLayer,
    star: StarExports | None = None,
) -> str:
    """The new ``__init__.py`` (``star``: in the star form, see ``starinit.py``)."""
    full = config.compat is Compat.FULL
    order = written_order(layout, order_sensitive(ctx, plan))
    module = ctx.analysis.module
    parts = [file_header(ctx, shebang=True)]
    parts += [s.code for s in ctx.stmts if s.kind is Kind.DOC]
    if full or ctx.init_units:
        parts += render_imports([s for s in ctx.stmts if s.kind is Kind.FUTURE], None, shift=0)
    parts.append(_maybe_blank(parts))
    if full:
        parts.append(templates.render("init.py.tmpl", original=_original(config)))
    elif order != sorted(order):
        parts.append(templates.render("init_order.tmpl", original=_original(config)))
    shift = 0 if config.is_package_init else 1
    late = ctx.late_imports(config.module.split(".")[0])
    kept = [s for s in ctx.stmts if s.kind is Kind.IMPORT and s not in late]
    # names ``__all__`` lists are re-exported plainly; the others as ``X as X`` (PEP 484)
    listed = exported_names(ctx, None if full else layer.kept_imports)
    parts += render_imports(
        kept, set(layer.kept_imports), shift=shift, reexport=True, listed=listed
    )
    if star is None:
        parts += _sibling_imports(ctx, plan, order, full, listed)
    else:
        parts += _star_imports(order, reexported_names(ctx, plan, order), star, listed)
    parts.append(_handed(layout))
    parts.append(_late(ctx, config, plan, late, shift))
    if star is None or ctx.all_stmt is not None:
        parts.append(_all(ctx, None if full else layer.kept_imports))
    else:
        parts.append(package_all(star.extra_all))
    hooks = _hooks(ctx, shift)
    parts += hooks
    # code that mirrors modules through their namespace and ``__package__`` (toolz's tlz)
    # must not see the new modules there, as in the full layer
    mirrored = full or bool(config.uses.package_read)
    parts.append(machinery.live_hooks(ctx, plan, with_modules=mirrored))
    parts.append(_maybe_all(ctx))
    if full:
        parts.append(machinery.module_names(ctx, plan))
    parts.append(machinery.forwarding(ctx, plan, layout, layer.forwarded))
    # code kept here because it reads the module's namespace (``globals()``, ``vars()``) runs
    # last, when the namespace holds the defined names again and not the new modules
    readers = render_namespace_readers(ctx, plan, shift)
    if mirrored or readers:
        parts.append(machinery.drop_module_names(ctx, plan))
    parts.append(readers)
    if mirrored:
        parts.append(_package_name(ctx, config, hooks))
    parts.append(cst.Module([], footer=module.footer).code if module.footer else "")
    return "".join(p for p in parts if p)


def render_fitting_init(
    ctx: SourceContext, config: EngineConfig, plan: SplitPlan, layout: Layout, layer: InitLayer
) -> tuple[str, InitLayer, StarExports | None]:
    """The ``__init__.py`` (with the layer it implies): explicit, or in the star form where
    only that one is within the line limit (``starinit.py``)."""
    init = render_init(ctx, config, plan, layout, layer)
    star = star_form(ctx, config, plan, layout, layer, init)
    if star is None:
        return init, layer, None
    starred_layer = star_layer(layer, star)
    starred = render_init(ctx, config, plan, layout, starred_layer, star)
    if count_lines(starred) > config.threshold:
        return init, layer, None
    return starred, starred_layer, star


def star_form(
    ctx: SourceContext,
    config: EngineConfig,
    plan: SplitPlan,
    layout: Layout,
    layer: InitLayer,
    init: str,
) -> StarExports | None:
    """The star form's decisions (``starinit.py``) when ``init``, the explicit form, is over
    the line limit; None: the explicit form stays."""
    if config.compat is Compat.FULL or count_lines(init) <= config.threshold:
        return None
    names = reexported_names(ctx, plan, written_order(layout, order_sensitive(ctx, plan)))
    generated = None if ctx.all_stmt is not None else generated_all(ctx, layer.kept_imports)
    return star_exports(ctx, config, plan, layer, names, generated)


def _hooks(ctx: SourceContext, shift: int) -> list[str]:
    """The original's ``__getattr__``/``__dir__`` and metadata; a hook's function-local
    relative imports now run one package deeper, like moved code."""
    return [
        rewrite_statement(
            _code_block(u),
            shift=shift,
            keep_logger_names=True,
            rename_file=False,
            rename_name=False,
        )
        for u in ctx.init_units
        if u not in ctx.kept
    ]


def _package_name(ctx: SourceContext, config: EngineConfig, hooks: list[str]) -> str:
    shifted = hooks != [_code_block(u) for u in ctx.init_units if u not in ctx.kept]
    if config.is_package_init or "." not in config.module or shifted:
        # (with shifted hooks __package__ must stay: their imports resolve against it, and
        # Python warns when it differs from __spec__.parent)
        return ""
    return (
        "\n# As a module, the original's __package__ was its parent package; the relative\n"
        "# imports above are done, so it can say so again.\n"
        f"__package__ = {config.module.rpartition('.')[0]!r}\n"
    )


def _late(
    ctx: SourceContext, config: EngineConfig, plan: SplitPlan, late: list[Stmt], shift: int
) -> str:
    """Late (circular) imports of the original run last and are handed to their readers."""
    if not late:
        return ""
    from modularize.agents.engine.writer import injected

    text = [
        "\n# Imported last, as in the original (it imports this package back); the modules"
        "\n# that use it get it here.\n"
    ]
    text += render_imports(late, None, shift=shift, reexport=True)
    handed = {
        mod.name: names
        for mod in plan.modules
        if mod.role != "main"
        and (names := sorted(injected(ctx, config, [ctx.by_id[u] for u in mod.units])))
    }
    if handed:  # one import line above every assignment: no E402
        text.append(f"from . import {', '.join(handed)}\n")
    text += [f"{mod}.{name} = {name}\n" for mod, names in handed.items() for name in names]
    return "".join(text)


def _handed(layout: Layout) -> str:
    """Call-time names whose import would be circular, set on their readers now."""
    text, modules = [], {}  # one import line above every assignment: no E402
    for mod in layout.arrangement.order:
        for target, names in layout.handed_imports(mod):
            modules.update(dict.fromkeys((mod, target)))
            text += [_handover(mod, target, name) for name in names]
    if not text:
        return ""
    line = f"from . import {', '.join(modules)}\n"
    if len(line) > MAX_LINE:
        line = "from . import (\n" + "".join(f"    {m},\n" for m in modules) + ")\n"
    return (
        "\n# Names that functions of these modules use but could not import (that import\n"
        "# would be circular): every module is imported now, so they are handed over.\n"
        + line
        + "".join(text)
    )


def _handover(mod: str, target: str, name: str) -> str:
    line = f"{mod}.{name} = {target}.{name}\n"
    return line if len(line) <= MAX_LINE else f"{mod}.{name} = (\n    {target}.{name}\n)\n"


def _original(config: EngineConfig) -> str:
    tail = config.module.rpartition(".")[2]
    return f"{tail}/__init__.py" if config.is_package_init else f"{tail}.py"


def written_order(layout: Layout, sensitive: AbstractSet[str] | None = None) -> list[str]:
    """The order ``__init__`` imports the modules in: isort's (by name) when nothing is handed
    over and the ``sensitive`` modules' bodies (None: all) then run in the same sequence as in
    load order (each imports what it needs itself), so a project's import sorting leaves it
    alone; else load order."""
    by_name = sorted(layout.arrangement.order)
    late = any(layout.handed_imports(m) for m in by_name)

    def ran(order: list[str] | None) -> list[str]:
        return [m for m in execution_order(layout, order) if sensitive is None or m in sensitive]

    if not late and ran(by_name) == ran(None):
        return by_name
    return list(layout.arrangement.order)


def _maybe_blank(parts: list[str]) -> str:
    return "\n" if any(parts) else ""


def reexported_names(ctx: SourceContext, plan: SplitPlan, order: list[str]) -> dict[str, list[str]]:
    """Each module (in ``order``) -> the names ``__init__`` re-exports from it, in load order."""
    # phantom names do not exist at run time; mixins are the class's business, not the API
    live = ctx.served_names | ctx.phantom_names | ctx.mixins | ctx.unneeded
    homes = {u: m.name for m in plan.modules if m.role != "main" for u in m.units}
    found: dict[str, list[str]] = {mod: [] for mod in order}
    for unit in ctx.units:
        mod = homes.get(unit.id)
        if mod in found:
            found[mod] += [n for n in unit.names if n not in live]
    for names in found.values():
        names.sort(key=lambda n: ctx.owner[n].first)
    return found


def _sibling_imports(
    ctx: SourceContext, plan: SplitPlan, order: list[str], full: bool, listed: frozenset[str]
) -> list[str]:
    homes = {u: m.name for m in plan.modules if m.role != "main" for u in m.units}
    out: list[str] = []
    for mod, names in reexported_names(ctx, plan, order).items():
        if not names or (full and _serves_live(ctx, homes, mod)):
            # the module is needed as an attribute (live names) or only for its side effects
            # ``as`` itself: an explicit re-export, so F401 does not call it unused
            out.append(f"from . import {mod} as {mod}\n")
        if names:
            out.append(_reexport(mod, names, listed))
    return out


def _star_imports(
    order: list[str], names: dict[str, list[str]], star: StarExports, listed: frozenset[str]
) -> list[str]:
    """``from .mod import *`` per module, and the names its ``__all__`` leaves out."""
    out: list[str] = []
    for mod in order:
        if not names[mod]:  # only its side effects are needed: ``as`` itself, as above
            out.append(f"from . import {mod} as {mod}\n")
        if star.exported.get(mod):
            out.append(STAR_IMPORT.format(mod=mod))
        if star.by_name.get(mod):
            out.append(_reexport(mod, list(star.by_name[mod]), listed))
    return out


def _reexport(mod: str, names: list[str], listed: frozenset[str]) -> str:
    """``from .mod import a, b as b, ...``: names ``__all__`` lists plainly, the others as
    explicit re-exports; several names a line once they do not fit on one."""
    aliases = [n if n in listed else f"{n} as {n}" for n in names]
    line = from_import(f".{mod}", aliases)
    fits = line.count("\n") == 1 and len(line) <= MAX_LINE + 1
    return line if fits else f"from .{mod} import (\n{wrapped(aliases)})\n"


def _serves_live(ctx: SourceContext, homes: dict[str, str], mod: str) -> bool:
    return any(homes.get(u.id) == mod and set(u.names) & ctx.served_names for u in ctx.units)


def exported_names(ctx: SourceContext, kept: frozenset[str] | None) -> frozenset[str]:
    """The names the new ``__all__`` lists: the original's literal ones, or those
    ``generated_all`` writes."""
    if ctx.all_stmt is not None:
        return all_literal(ctx)
    return frozenset(generated_all(ctx, kept))


def generated_all(ctx: SourceContext, kept: frozenset[str] | None) -> list[str]:
    """The original's public names (``kept``: of the names it imported, only these; None: all
    of them, as ``Compat.FULL`` does), in load order."""
    served = ctx.served_names | ctx.phantom_names | ctx.unneeded
    public = [
        n
        for n in ctx.top_level_names()
        if not n.startswith("_")
        and n not in served
        and (kept is None or n in ctx.owner or n in kept)
    ]
    public += sorted(
        n
        for n in ctx.analysis.live
        if not n.startswith("_") and n not in public and n in ctx.owner and n not in _maybe(ctx)
    )
    return public


def _all(ctx: SourceContext, kept: frozenset[str] | None) -> str:
    """The original ``__all__``, or one naming its public names (see ``generated_all``)."""
    if ctx.all_stmt is not None:
        return "\n" + ctx.all_stmt.code.lstrip("\n")
    public = generated_all(ctx, kept)
    body = wrapped(quoted(public, quote_style(ctx.analysis.source))) if public else ""
    note = "# The public names of the original: `from ... import *` exports exactly these.\n"
    return f"\n{note if kept is None else ''}__all__ = [\n{body}]\n"


def _maybe(ctx: SourceContext) -> set[str]:
    """Names that may or may not exist once the module has run: bound only on some paths, or
    only by a function that declares them ``global`` (they exist once it has been called)."""
    only_global = {n for n in ctx.analysis.live if n not in ctx.owner}
    return (
        ({n for u in ctx.units for n in u.maybe} | only_global) - ctx.phantom_names - ctx.unneeded
    )


def _maybe_all(ctx: SourceContext) -> str:
    """Names bound only on some paths join the generated ``__all__`` when they exist."""
    if ctx.all_stmt is not None:
        return render_updates(ctx.stmts, ctx.all_stmt.index, ctx.served_names)
    maybe = sorted(n for n in _maybe(ctx) if not n.startswith("_"))
    if not maybe:
        return ""
    return (
        "\n# Bound only on some platforms or versions: exported when they exist, as\n# before.\n"
        f"__all__ += [_n for _n in {tuple(maybe)!r} if _n in __dir__()]\n"
    )


def _code_block(unit: Unit) -> str:
    return "".join(s.code for s in unit.stmts)
