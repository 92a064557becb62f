"""Code that reads the module namespace (``globals()``, module-level ``vars()``/``locals()``/
``dir()``) stays in the package ``__init__``, at its end (pure).

There, after the re-exports and after the generated modules' names are dropped again, the
namespace holds the names of the original, so a loop collecting exception classes by base
class, or a table built from ``globals()``, sees what it saw before. Functions whose body
reads ``globals()`` stay there too (at call time the package namespace has every name), as
does whatever needs the kept names while the module imports. Modules whose functions read a
kept name get it from ``__init__`` once it is bound. Refused: a filter on ``__module__``
(the classes now live in the new modules) and more kept code than half the limit.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from modularize.agents.engine.analysis import Analysis
from modularize.agents.engine.kinds import Edge
from modularize.agents.engine.model import EngineConfig, Refusal, SplitPlan
from modularize.agents.engine.rewrite import rewrite_statement
from modularize.agents.engine.units import Unit

if TYPE_CHECKING:
    from modularize.agents.engine.context import SourceContext

_GLOBALS_STORE = re.compile(r"globals\(\)\[[^\]]*\]\s*=[^=]")


def namespace_readers(units: list[Unit], analysis: Analysis, config: EngineConfig) -> list[Unit]:
    """Units that stay at the end of the package __init__, after the re-exports, where the
    namespace holds every name of the original again: code reading ``globals()`` (or
    module-level ``vars()``/``locals()``/``dir()``), functions that read it, and whatever
    needs their names while the module imports."""
    seeds = analysis.namespace | analysis.namespace_functions
    kept = [u for u in units if any(s.index in seeds for s in u.stmts)]
    if not kept:
        return []
    names = {n for u in kept for n in u.names}
    grown = True
    while grown:
        grown = False
        for unit in units:
            if unit not in kept and any(unit.name_refs.get(n) is Edge.IMPORT for n in names):
                kept.append(unit)
                names.update(unit.names)
                grown = True
    kept.sort(key=lambda u: u.first)
    for unit in kept:
        code = "".join(s.code for s in unit.stmts)
        if "__module__" in code:
            raise Refusal(
                f"line {unit.stmts[0].line}: `{unit.id}` reads the module namespace and "
                "tests `__module__`; after the split the classes and functions are defined "
                "in the new modules, so the test would no longer match"
            )
    lines = sum(u.lines for u in kept)
    if lines > config.threshold // 2:
        where = ", ".join(f"line {u.stmts[0].line}" for u in kept[:3])
        raise Refusal(
            f"code reading the module namespace (`globals()`, {where}) and what needs it "
            f"at import time would stay in __init__.py: {lines} lines, over half the limit"
        )
    return kept


def render_namespace_readers(ctx: SourceContext, plan: SplitPlan, shift: int) -> str:
    """Code reading the module namespace (``globals()``) runs last, where every name of the
    original is bound again; the modules whose functions use what it binds get it here."""
    if not ctx.kept:
        return ""
    text = [
        "\n# Reads the module's namespace: it runs here, where every name above is bound\n"
        "# again, as in the original module.\n"
    ]
    text += [
        rewrite_statement(
            "".join(s.code for s in u.stmts), shift=shift, keep_logger_names=True, rename_file=False
        ).lstrip("\n")
        for u in ctx.kept
    ]
    for mod in plan.modules:
        units = [ctx.by_id[u] for u in mod.units if u in ctx.by_id]
        names = sorted({n for u in units for n in u.name_refs} & ctx.kept_names)
        if mod.role != "main" and names:
            text.append(f"from . import {mod.name} as _reader  # noqa: E402\n\n")
            text += [f"_reader.{name} = {name}\n" for name in names]
            text.append("del _reader\n")
    code = "".join(s.code for u in ctx.kept for s in u.stmts)
    if ctx.all_stmt is None and _GLOBALS_STORE.search(code):
        # the generated __all__ lists the names written in the file; these were bound by name
        modules = tuple(m.name for m in plan.modules if m.role != "main")
        text.append(
            "\n# Public names bound above through globals() are exported too, as before\n"
            "# (not the modules of this package).\n"
            f"__all__ += [\n    _n\n    for _n in globals()\n"
            f'    if _n[0] != "_" and _n not in __all__ and _n not in {modules!r}\n]\n'
        )
    return "".join(text)
