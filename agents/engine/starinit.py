"""Star re-exports, for a package ``__init__.py`` too long in the explicit form (pure).

A module of thousands of names cannot re-export each by name within the line limit (a
formatter puts one name a line). Big packages then write ``from .mod import *`` per module,
each module saying what it exports in its own ``__all__``; the package's ``__all__`` is
composed from theirs. Private names are re-exported by name only when something needs them
through the package (the repository, the original's ``__all__``, code kept in ``__init__``);
the others are dropped, and the report says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from modularize.agents.engine.context import SourceContext, all_literal
from modularize.agents.engine.importgen import wrapped
from modularize.agents.engine.model import EngineConfig, InitLayer, SplitPlan

# ruff (F403) and flake8 report every star import; here it is the point, so each says so.
STAR_IMPORT = "from .{mod} import *  # noqa: F403\n"
_COMPOSED_ALL = (
    "\n# `from ... import *` exports what it did before the split: the names\n"
    "# the modules above list in their `__all__`.\n"
)


@dataclasses.dataclass(frozen=True)
class StarExports:
    """What each new module exports by ``import *`` and what ``__init__`` still names."""

    exported: Mapping[str, tuple[str, ...]]  # module -> the names its ``__all__`` lists
    by_name: Mapping[str, tuple[str, ...]]  # module -> names re-exported one by one
    dropped: frozenset[str]  # private names the package no longer re-exports
    extra_all: tuple[str, ...]  # names of the package's ``__all__`` no module exports


def is_private(name: str) -> bool:
    """``_helper``, not ``__version__``: dunder names are metadata tools read."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def star_exports(
    ctx: SourceContext,
    config: EngineConfig,
    plan: SplitPlan,
    layer: InitLayer,
    names: Mapping[str, list[str]],
    generated_all: list[str] | None,
) -> StarExports | None:
    """The star form's decisions, or None where it cannot say the same as the explicit form.

    ``names``: each module's re-exported names, in load order; ``generated_all``: the
    package's ``__all__`` when the original had none (None: it keeps the original's)."""
    if config.is_package_init or any("__all__" in ns for ns in names.values()):
        return None  # a package's own submodules would join the composed ``__all__``
    needed = _needed_by_name(ctx, config, layer)
    maybe = {n for u in ctx.units for n in u.maybe}
    exported: dict[str, tuple[str, ...]] = {}
    by_name: dict[str, tuple[str, ...]] = {}
    dropped: set[str] = set()
    for mod, found in names.items():
        exported[mod] = tuple(n for n in found if not is_private(n) and n not in maybe)
        by_name[mod] = tuple(n for n in found if n in maybe or (is_private(n) and n in needed))
        dropped.update(n for n in found if is_private(n) and n not in needed and n not in maybe)
    everything = {n for ns in exported.values() for n in ns}
    if generated_all is None:
        return StarExports(exported, by_name, frozenset(dropped), ())
    if not everything <= set(generated_all):
        return None
    extra = tuple(n for n in generated_all if n not in everything)
    return StarExports(exported, by_name, frozenset(dropped), extra)


def _needed_by_name(ctx: SourceContext, config: EngineConfig, layer: InitLayer) -> set[str]:
    """Names the package must still bind by name: read or set through it by the repository,
    listed in the original's ``__all__`` or its export lists, read by code ``__init__`` keeps."""
    from modularize.agents.engine.compat import named_in_strings

    uses = config.uses
    needed = set(uses.read) | set(uses.assigned) | set(uses.patched) | set(layer.forwarded)
    needed |= all_literal(ctx) | named_in_strings(ctx)
    needed.update(n for u in ctx.init_units for n in u.name_refs)
    needed.update(n for u in ctx.kept for n in u.name_refs)
    return needed


def module_all(exported: tuple[str, ...], imported_only: list[str]) -> str:
    """A new module's ``__all__``: what the package star-imports from it, and the names it
    imports only for others (which ruff would otherwise remove as unused)."""
    names = [*exported, *(n for n in imported_only if n not in exported)]
    return (
        "\n# What the package re-exports from this module (`from .module import *`).\n"
        f"__all__ = [\n{wrapped([repr(n) for n in names])}]\n"
    )


def package_all(extra: tuple[str, ...]) -> str:
    """The package's ``__all__`` when the original had none: composed from the modules'."""
    lines = [
        _COMPOSED_ALL,
        "__all__ = [\n",
        "    _name\n",
        "    for _module in list(globals().values())\n",
        '    if getattr(_module, "__package__", None) == __name__\n',
        '    for _name in getattr(_module, "__all__", ())\n',
        "]\n",
    ]
    if extra:
        lines.append(f"__all__ += [\n{wrapped([repr(n) for n in extra])}]\n")
    return "".join(lines)


def star_layer(layer: InitLayer, star: StarExports) -> InitLayer:
    """``layer`` with the private names the star form no longer re-exports dropped."""
    if not star.dropped:
        return layer
    names = sorted(star.dropped)
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    note = (
        "`__init__.py` re-exports each module with `import *` (the explicit form would be over "
        f"the line limit); private names nothing reads through the package are left out: {shown}"
    )
    return dataclasses.replace(
        layer,
        dropped=layer.dropped | star.dropped,
        notes=(*layer.notes, note),
        private_dropped=star.dropped,
    )
