"""The optional pieces of the compatibility layer (``compat.py`` decides which are needed).

- ``live_hooks``: a PEP 562 ``__getattr__``/``__dir__`` serving names rebound with ``global``
  (a copy imported into ``__init__`` would go stale); with ``Compat.FULL`` also the modules
  of the package, which that layer takes out of the namespace (``drop_module_names``).
- ``forwarding``: setting a name on the package also sets it in the modules that read it.
- ``module_names`` (``Compat.FULL`` only): moved classes and functions get ``__module__`` set
  back to the old module's name. Only objects bound by a ``class``/``def`` statement that is
  undecorated or decorated by a decorator known to return the same kind of object are touched.
  The cost: on Python < 3.13 ``inspect.getsource(cls)`` fails, and doctests of methods are no
  longer collected; that is why the default layer leaves ``__module__`` alone.
"""

from __future__ import annotations

from collections.abc import Collection

import libcst as cst

from modularize import templates
from modularize.agents.engine.context import SourceContext
from modularize.agents.engine.graph import AFTER, Layout
from modularize.agents.engine.importgen import MAX_LINE, wrapped
from modularize.agents.engine.model import SplitPlan
from modularize.agents.engine.units import Unit, declares_global

FEW = 12  # forwarded names written one a line; more share tuples of readers
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


def _live_homes(ctx: SourceContext, plan: SplitPlan) -> dict[str, list[str]]:
    """Module -> the live (served) names ``__getattr__`` reads from it."""
    homes = {u: m.name for m in plan.modules if m.role != "main" for u in m.units}
    by_module: dict[str, list[str]] = {}
    for name in sorted(ctx.served_names):
        # Defined at the top, else read by a unit, else only assigned by a `global` function.
        unit = (
            ctx.owner.get(name)
            or next((u for u in ctx.units if name in u.name_refs), None)
            or next((u for u in ctx.units if declares_global(u, name)), None)
        )
        if unit is not None and unit.id in homes:
            by_module.setdefault(homes[unit.id], []).append(name)
    return by_module


def dropped_modules(ctx: SourceContext, plan: SplitPlan) -> list[str]:
    """Generated modules taken out of the package namespace again (see below); none when the
    original has its own ``__getattr__``, which could not also serve them as attributes."""
    if any(u.id == "__getattr__" for u in ctx.init_units):
        return []
    keep = _live_homes(ctx, plan)
    return [m.name for m in plan.modules if m.role != "main" and m.name not in keep]


def drop_module_names(ctx: SourceContext, plan: SplitPlan) -> str:
    """Importing the modules made them attributes of the package; the original module had no
    such names. Loaders that mirror a module by copying its namespace (toolz's ``tlz``) would
    otherwise import them a second time under another name. ``__getattr__`` still serves them
    as attributes (``pkg.big.base``, ``mock.patch("pkg.big.base.X")`` on any Python)."""
    names = dropped_modules(ctx, plan)
    if not names:
        return ""
    # The import system bound them, so linters do not know them: `del name` would be F821.
    return (
        "\n# The modules stay importable (``import $module.NAME``), but, as before the"
        "\n# split, they are not names of this namespace.\n"
        f"for _module in (\n{wrapped([repr(n) for n in names])}):\n"
        "    globals().pop(_module, None)\ndel _module\n"
    ).replace("$module", plan.module)


def _name_in(names: list[str]) -> str:
    """``    if name in (...):``, wrapped when it does not fit on one line."""
    line = f"    if name in {tuple(names)!r}:\n"
    if len(line) <= MAX_LINE + 1:
        return line
    return f"    if name in (\n{wrapped([repr(n) for n in names], indent=8)}    ):\n"


def live_hooks(ctx: SourceContext, plan: SplitPlan, *, with_modules: bool) -> str:
    """PEP 562 hooks serving live names (and, ``with_modules``, the dropped modules)."""
    by_module = _live_homes(ctx, plan)
    live = sorted(n for names in by_module.values() for n in names)
    modules = dropped_modules(ctx, plan) if with_modules else []
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
    why = "Names rebound with ``global`` are read live from the module that rebinds them."
    if modules:
        why += "\n# The modules of this package are reachable as attributes, not names."
    text = templates.render("init_getattr.tmpl", branches=branches, why=why)
    if live and not any(u.id == "__dir__" for u in ctx.init_units):
        text += templates.render("init_dir.tmpl", names=repr(tuple(live)))
    return text


def module_names(ctx: SourceContext, plan: SplitPlan) -> str:
    """The loop setting ``__module__`` of moved classes and functions back (``Compat.FULL``)."""
    live = ctx.served_names | ctx.phantom_names | ctx.mixins
    objects = [n for u in ctx.units for n in u.names if n not in live and _defines(u, n)]
    if not objects:
        return ""
    taken = set(ctx.owner) | set(ctx.import_names)
    var = next(v for v in ("_moved", "_moved_object", "_modularize_moved") if v not in taken)
    return templates.render(
        "init_module_names.tmpl", module=plan.module, var=var, objects=wrapped(objects)
    )


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
        for _, names in layout.top_imports(mod) + layout.handed_imports(mod):
            for name in names:
                if name != AFTER:
                    found.setdefault(name, set()).add(mod)
    order = {m: i for i, m in enumerate(layout.arrangement.order)}
    return {n: sorted(mods, key=order.__getitem__) for n, mods in found.items()}


def forwarding(ctx: SourceContext, plan: SplitPlan, layout: Layout, names: Collection[str]) -> str:
    """The ``__class__`` swap forwarding assignments of ``names`` to their readers."""
    table = {n: m for n, m in readers(ctx, plan, layout).items() if n in names}
    if not table:
        return ""
    names = [n for n in ctx.top_level_names() if n in table]
    names += sorted(n for n in table if n not in names)
    # one local per distinct tuple of readers, several names a line: the table stays short
    # (and __init__ under the limit) even for modules with hundreds of names
    tuples = list(dict.fromkeys(tuple(table[n]) for n in names))
    rows = [f"        {n!r}: {tuple(table[n])!r},\n" for n in names]
    groups = ""
    if len(names) > FEW or any(len(row) > MAX_LINE + 1 for row in rows):
        local = {t: f"_r{i}" for i, t in enumerate(tuples)}
        groups = "".join(f"    {local[t]} = {t!r}\n" for t in tuples)
        rows = [wrapped([f"{n!r}: {local[tuple(table[n])]}" for n in names], indent=8)]
    served = sorted(ctx.served_names & set(table))
    return templates.render(
        "init_forward.tmpl",
        module=plan.module,
        groups=groups,
        readers="".join(rows),
        served=f"frozenset({served!r})" if served else "frozenset()",
    )
