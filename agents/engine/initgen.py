"""The package ``__init__.py``: the compatibility layer.

It keeps the shebang, encoding cookie, licence header and docstring; re-imports the original's
import lines (so ``big.os`` still works) and every moved name from its new module, in load
order; keeps ``__all__`` verbatim, or writes one equal to the old public names (so
``from big import *`` exports what it did, and not the new module names); keeps a module
``__getattr__``/``__dir__``; serves names rebound with ``global`` live through PEP 562.

Decision on ``__module__``: moved classes and functions get ``__module__`` set back to the
package's name (``pkg.big``), as before the split, so reprs, pickles by reference, doctest
collection and Sphinx ``automodule`` see them where they were. Only objects bound by a
``class``/``def`` statement that is undecorated or decorated by a decorator known to return
the same kind of object are touched. The cost: on Python < 3.13, ``inspect.getsource(cls)``
looks for the class in ``__init__.py`` and fails; functions are unaffected.
"""

from __future__ import annotations

import re

import libcst as cst

from modularize import templates
from modularize.agents.engine.allupdates import render_updates
from modularize.agents.engine.context import SourceContext
from modularize.agents.engine.graph import AFTER, Layout
from modularize.agents.engine.importgen import from_import, render_imports
from modularize.agents.engine.model import EngineConfig, SplitPlan
from modularize.agents.engine.rewrite import rewrite_statement
from modularize.agents.engine.units import Unit

_SAME_OBJECT_DECORATORS = frozenset(
    {
        "dataclass",
        "dataclasses.dataclass",
        "total_ordering",
        "functools.total_ordering",
        "unique",
        "enum.unique",
        "runtime_checkable",
        "typing.runtime_checkable",
        "final",
        "typing.final",
        "contextmanager",
        "contextlib.contextmanager",
        "lru_cache",
        "functools.lru_cache",
        "cache",
        "functools.cache",
        "abstractmethod",
        "abc.abstractmethod",
    }
)


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


def render_init(ctx: SourceContext, config: EngineConfig, plan: SplitPlan, layout: Layout) -> str:
    """The new ``__init__.py``."""
    module = ctx.analysis.module
    parts = [module.header and cst.Module([], header=module.header).code]
    parts += [s.code for s in ctx.stmts if s.kind == "doc"]
    parts += render_imports([s for s in ctx.stmts if s.kind == "future"], None, shift=0)
    parts.append(_maybe_blank(parts))
    parts.append(templates.render("init.py.tmpl", original=_original(config)))
    shift = 0 if config.is_package_init else 1
    late = ctx.late_imports(config.module.split(".")[0])
    parts += render_imports(
        [s for s in ctx.stmts if s.kind == "import" and s not in late],
        None,
        shift=shift,
        reexport=True,
    )
    parts += _sibling_imports(ctx, plan, layout)
    parts.append(_handed(layout))
    parts.append(_late(ctx, config, plan, late, shift))
    parts.append(_all(ctx))
    # a hook's function-local relative imports now run one package deeper, like moved code
    hooks = [
        rewrite_statement(
            _code_block(u),
            shift=shift,
            keep_logger_names=True,
            rename_file=False,
            rename_name=False,
        )
        for u in ctx.init_units
    ]
    parts += hooks
    parts.append(_live_hooks(ctx, plan))
    parts.append(_maybe_all(ctx))
    parts.append(_module_names(ctx, plan))
    parts.append(_forwarding(ctx, plan, layout))
    parts.append(_drop_module_names(ctx, plan))
    shifted = hooks != [_code_block(u) for u in ctx.init_units]
    if not config.is_package_init and "." in config.module and not shifted:
        # (with shifted hooks __package__ must stay: their imports resolve against it, and
        # Python warns when it differs from __spec__.parent)
        parts.append(
            "\n# As a module, the original's __package__ was its parent package; the relative\n"
            "# imports above are done, so it can say so again.\n"
            f"__package__ = {config.module.rpartition('.')[0]!r}\n"
        )
    parts.append(module.footer and cst.Module([], footer=module.footer).code)
    return "".join(p for p in parts if p)


def _late(ctx: SourceContext, config: EngineConfig, plan: SplitPlan, late: list, shift: int) -> str:
    """Late (circular) imports of the original run last and are handed to their readers."""
    if not late:
        return ""
    from modularize.agents.engine.writer import injected

    text = [
        "\n# Imported last, as in the original (it imports this package back); the modules"
        "\n# that use it get it here.\n"
    ]
    text += render_imports(late, None, shift=shift, reexport=True)
    for mod in plan.modules:
        if mod.role == "main":
            continue
        handed = injected(ctx, config, [ctx.by_id[u] for u in mod.units])
        if handed:
            text.append(f"from . import {mod.name}\n")
            text += [f"{mod.name}.{name} = {name}\n" for name in sorted(handed)]
    return "".join(text)


def _handed(layout: Layout) -> str:
    """Call-time names whose import would be circular, set on their readers now."""
    text = []
    for mod in layout.arrangement.order:
        for target, names in layout.handed_imports(mod):
            text.append(f"from . import {mod}, {target}\n")
            text += [f"{mod}.{name} = {target}.{name}\n" for name in names]
    if not text:
        return ""
    return (
        "\n# Names that functions of these modules use but could not import (that import\n"
        "# would be circular): every module is imported now, so they are handed over.\n"
        + "".join(text)
    )


def _original(config: EngineConfig) -> str:
    tail = config.module.rpartition(".")[2]
    return f"{tail}/__init__.py" if config.is_package_init else f"{tail}.py"


def _maybe_blank(parts: list[str]) -> str:
    return "\n" if any(parts) else ""


def _sibling_imports(ctx: SourceContext, plan: SplitPlan, layout: Layout) -> list[str]:
    # phantom names do not exist at run time; mixins are the class's business, not the API
    live = ctx.served_names | ctx.phantom_names | ctx.mixins
    homes = {u: m.name for m in plan.modules if m.role != "main" for u in m.units}
    out: list[str] = []
    for mod in layout.arrangement.order:
        names = [n for u in ctx.units if homes.get(u.id) == mod for n in u.names if n not in live]
        names.sort(key=lambda n: ctx.owner[n].first)
        if not names or _serves_live(ctx, homes, mod):
            # the module is needed as an attribute (live names) or only for its side effects
            # ``as`` itself: an explicit re-export, so F401 does not call it unused
            out.append(f"from . import {mod} as {mod}\n")
        if names:
            out.append(_reexport(mod, names))
    return out


def _reexport(mod: str, names: list[str]) -> str:
    """``from .mod import a as a, ...``: several names a line once it does not fit on one."""
    aliases = [f"{n} as {n}" for n in names]
    line = from_import(f".{mod}", aliases)
    return line if line.count("\n") == 1 else f"from .{mod} import (\n{_wrapped(aliases)})\n"


def _serves_live(ctx: SourceContext, homes: dict[str, str], mod: str) -> bool:
    return any(homes.get(u.id) == mod and set(u.names) & ctx.served_names for u in ctx.units)


def _all(ctx: SourceContext) -> str:
    if ctx.all_stmt is not None:
        return "\n" + ctx.all_stmt.code.lstrip("\n")
    served = ctx.served_names | ctx.phantom_names
    public = [n for n in ctx.top_level_names() if not n.startswith("_") and n not in served]
    public += sorted(
        n
        for n in ctx.analysis.live
        if not n.startswith("_") and n not in public and n in ctx.owner and n not in _maybe(ctx)
    )
    body = _wrapped([repr(n) for n in public]) if public else ""
    return (
        "\n# The public names of the original: `from ... import *` exports exactly these.\n"
        f"__all__ = [\n{body}]\n"
    )


def _maybe(ctx: SourceContext) -> set[str]:
    """Names that may or may not exist once the module has run: bound only on some paths, or
    only by a function that declares them ``global`` (they exist once it has been called)."""
    only_global = {n for n in ctx.analysis.live if n not in ctx.owner}
    return ({n for u in ctx.units for n in u.maybe} | only_global) - ctx.phantom_names


def _declares_global(unit: Unit, name: str) -> bool:
    pattern = rf"^[ \t]*global\b[^\n]*\b{re.escape(name)}\b"
    return any(re.search(pattern, s.code, re.MULTILINE) for s in unit.stmts)


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


def _live_homes(ctx: SourceContext, plan: SplitPlan) -> dict[str, list[str]]:
    """Module -> the live (served) names ``__getattr__`` reads from it."""
    homes = {u: m.name for m in plan.modules if m.role != "main" for u in m.units}
    by_module: dict[str, list[str]] = {}
    for name in sorted(ctx.served_names):
        # Defined at the top, else read by a unit, else only assigned by a `global` function.
        unit = (
            ctx.owner.get(name)
            or next((u for u in ctx.units if name in u.name_refs), None)
            or next((u for u in ctx.units if _declares_global(u, name)), None)
        )
        if unit is not None and unit.id in homes:
            by_module.setdefault(homes[unit.id], []).append(name)
    return by_module


def _dropped_modules(ctx: SourceContext, plan: SplitPlan) -> list[str]:
    """Generated modules taken out of the package namespace again (see below); none when the
    original has its own ``__getattr__``, which could not also serve them as attributes."""
    if any(u.id == "__getattr__" for u in ctx.init_units):
        return []
    keep = _live_homes(ctx, plan)
    return [m.name for m in plan.modules if m.role != "main" and m.name not in keep]


def _drop_module_names(ctx: SourceContext, plan: SplitPlan) -> str:
    """Importing the modules made them attributes of the package; the original module had no
    such names. Loaders that mirror a module by copying its namespace (toolz's ``tlz``) would
    otherwise import them a second time under another name. ``__getattr__`` still serves them
    as attributes (``pkg.big.base``, ``mock.patch("pkg.big.base.X")`` on any Python)."""
    names = _dropped_modules(ctx, plan)
    if not names:
        return ""
    # The import system bound them, so linters do not know them: `del name` would be F821.
    return (
        "\n# The modules stay importable (``import $module.NAME``), but, as before the"
        "\n# split, they are not names of this namespace.\n"
        f"for _module in (\n{_wrapped([repr(n) for n in names])}):\n"
        "    globals().pop(_module, None)\ndel _module\n"
    ).replace("$module", plan.module)


def _name_in(names: list[str]) -> str:
    """``    if name in (...):`` wrapped to the line limit."""
    return f"    if name in (\n{_wrapped([repr(n) for n in names], indent=8)}    ):\n"


def _live_hooks(ctx: SourceContext, plan: SplitPlan) -> str:
    by_module = _live_homes(ctx, plan)
    live = sorted(n for names in by_module.values() for n in names)
    modules = _dropped_modules(ctx, plan)
    if not live and not modules:
        return ""
    # Through sys.modules: the import system bound the module names, so a linter does not
    # know them (F821) and an import statement here would be E402.
    branches = "".join(
        f"{_name_in(names)}        import sys\n\n"
        f"        return getattr(sys.modules[__name__ + {'.' + mod!r}], name)\n"
        for mod, names in sorted(by_module.items())
    )
    if modules:  # the modules of this package, reachable as attributes though not listed
        branches += (
            f"{_name_in(modules)}        import importlib\n\n"
            "        return importlib.import_module(__name__ + '.' + name)\n"
        )
    text = templates.render("init_getattr.tmpl", branches=branches)
    if live and not any(u.id == "__dir__" for u in ctx.init_units):
        text += templates.render("init_dir.tmpl", names=repr(tuple(live)))
    return text


def _module_names(ctx: SourceContext, plan: SplitPlan) -> str:
    live = ctx.served_names | ctx.phantom_names | ctx.mixins
    objects = [n for u in ctx.units for n in u.names if n not in live and _defines(u, n)]
    if not objects:
        return ""
    taken = set(ctx.owner) | set(ctx.import_names)
    var = next(v for v in ("_moved", "_moved_object", "_modularize_moved") if v not in taken)
    return templates.render(
        "init_module_names.tmpl", module=plan.module, var=var, objects=_wrapped(objects)
    )


def _wrapped(names: list[str], indent: int = 4) -> str:
    """``    a, b, c,`` lines of at most 79 characters (any project's line-length rule)."""
    lines: list[str] = []
    line = " " * (indent - 1)
    for name in names:
        if len(line) + len(name) + 2 > 79 and line.strip():
            lines.append(line + "\n")
            line = " " * (indent - 1)
        line += f" {name},"
    return "".join(lines) + line + "\n"


def _defines(unit: Unit, name: str) -> bool:
    """The last statement binding ``name`` is a class/def returning a plain class/function."""
    last = [s for s in unit.stmts if name in s.binds][-1].node
    if not isinstance(last, (cst.ClassDef, cst.FunctionDef)) or last.name.value != name:
        return False
    for deco in last.decorators:
        expr = deco.decorator.func if isinstance(deco.decorator, cst.Call) else deco.decorator
        if cst.Module([]).code_for_node(expr) not in _SAME_OBJECT_DECORATORS:
            return False
    return True


def readers(ctx: SourceContext, plan: SplitPlan, layout: Layout) -> dict[str, list[str]]:
    """Top-level name -> the generated modules holding a binding of it that code reads."""
    homes = {u: m.name for m in plan.modules if m.role != "main" for u in m.units}
    found: dict[str, set[str]] = {}
    for unit in ctx.units:
        for name in unit.names:
            found.setdefault(name, set()).add(homes[unit.id])
        for name in unit.name_refs:
            if name in ctx.import_names and name not in ctx.owner:
                found.setdefault(name, set()).add(homes[unit.id])
    for mod in layout.arrangement.order:
        for _, names in (
            layout.top_imports(mod) + layout.bottom_imports(mod) + layout.handed_imports(mod)
        ):
            for name in names:
                if name != AFTER:
                    found.setdefault(name, set()).add(mod)
    order = {m: i for i, m in enumerate(layout.arrangement.order)}
    return {n: sorted(mods, key=order.__getitem__) for n, mods in found.items()}


def _forwarding(ctx: SourceContext, plan: SplitPlan, layout: Layout) -> str:
    table = readers(ctx, plan, layout)
    if not table:
        return ""
    names = [n for n in ctx.top_level_names() if n in table]
    names += sorted(n for n in table if n not in names)
    # one local per distinct tuple of readers, several names a line: the table stays short
    # (and __init__ under the limit) even for modules with hundreds of names
    tuples = list(dict.fromkeys(tuple(table[n]) for n in names))
    local = {t: f"_r{i}" for i, t in enumerate(tuples)}
    groups = "".join(f"    {local[t]} = {t!r}\n" for t in tuples)
    rows = _wrapped([f"{n!r}: {local[tuple(table[n])]}" for n in names], indent=8)
    served = sorted(ctx.served_names & set(table))
    return templates.render(
        "init_forward.tmpl",
        module=plan.module,
        groups=groups,
        readers=rows,
        served=f"frozenset({served!r})" if served else "frozenset()",
    )
