"""The writer: source + plan -> {relative path: new source} (pure).

Every moved statement is written byte for byte with its comments (``rewrite.py`` lists the only
edits); imports are recomputed per module: the original's import lines filtered to the names
the module uses, siblings imported relatively at the top (the planner makes the modules import
each other one way), annotation-only siblings under ``TYPE_CHECKING`` where importing them
would close a cycle."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from pathlib import PurePosixPath

import libcst as cst

from modularize import templates
from modularize.agents.engine import docstrings, initgen, machinery
from modularize.agents.engine.compat import decide_layer
from modularize.agents.engine.context import SourceContext, prepare
from modularize.agents.engine.graph import AFTER, Layout
from modularize.agents.engine.headers import file_header
from modularize.agents.engine.hoist import hoisted, spaced
from modularize.agents.engine.importgen import example_imports, from_import, render_imports
from modularize.agents.engine.kinds import Kind
from modularize.agents.engine.model import (
    EngineConfig,
    InitLayer,
    ModulePlan,
    SplitOutput,
    SplitPlan,
)
from modularize.agents.engine.rewrite import ORIGINAL_FILE, original_file_expr, rewrite_statement
from modularize.agents.engine.starinit import module_all
from modularize.agents.engine.statements import Stmt, imported_names, is_import_line, is_typing_if
from modularize.agents.engine.units import Unit
from modularize.agents.engine.validate import check_plan

_HANDED_NOTE = (
    "# Set by the package's __init__ once every module is imported: only functions\n"
    "# use them, and importing them here would be circular.\n"
)
_MAIN_SUMMARY = "Run as ``python -m $package``."


def split(source: str, plan: SplitPlan, config: EngineConfig) -> dict[PurePosixPath, str]:
    """The new files of the package, keyed by path relative to the package directory."""
    return split_package(source, plan, config).files


def split_package(source: str, plan: SplitPlan, config: EngineConfig) -> SplitOutput:
    """``split``, with the compatibility layer's decisions (``compat.decide_layer``)."""
    if not plan.modules:
        return SplitOutput({}, InitLayer(frozenset(), frozenset(), frozenset()))
    return write_package(prepare(source, config), plan, config)


def write_files(
    ctx: SourceContext, plan: SplitPlan, config: EngineConfig
) -> dict[PurePosixPath, str]:
    """``split`` for an already analysed source."""
    return write_package(ctx, plan, config).files


def write_package(ctx: SourceContext, plan: SplitPlan, config: EngineConfig) -> SplitOutput:
    """``split_package`` for an already analysed source."""
    layout = check_plan(plan, ctx, config)
    homes = {u: m.name for m in plan.modules if m.role != "main" for u in m.units}
    layer = decide_layer(
        ctx,
        config.module,
        config.compat,
        config.uses,
        config.is_package_init,
        homes,
        machinery.readers(ctx, plan, layout),
    )
    init, layer, star = initgen.render_fitting_init(ctx, config, plan, layout, layer)
    files = {PurePosixPath("__init__.py"): init}
    fixed = _ordered_statements(ctx)
    for mod in plan.modules:
        if mod.role == "main":
            files[PurePosixPath("__main__.py")] = _main_module(ctx, config, plan.modules)
        else:
            units = [ctx.by_id[u] for u in mod.units]
            exported = star.exported.get(mod.name) if star else None
            text = render_module(ctx, config, mod, units, layout, fixed, exported)
            files[PurePosixPath(f"{mod.name}.py")] = text
    return SplitOutput(dict(sorted(files.items())), layer)


def _ordered_statements(ctx: SourceContext) -> frozenset[int]:
    """Statements whose place among the others matters beyond the names they bind: those of
    units acting on shared objects at import time, or ordered after another unit."""
    keyed = ctx.effects
    targets = {t for u in ctx.units for t in u.after}
    return frozenset(
        s.index for u in ctx.units if u.id in keyed or u.after or u.id in targets for s in u.stmts
    )


def shift_of(config: EngineConfig) -> int:
    """How many levels deeper moved code lives (relative imports gain this many dots)."""
    return 0 if config.is_package_init else 1


def _original_name(config: EngineConfig) -> str:
    tail = config.module.rpartition(".")[2]
    return f"{tail}/__init__.py" if config.is_package_init else f"{tail}.py"


def _header(ctx: SourceContext, config: EngineConfig, summary: str, stmts: list[Stmt]) -> str:
    """The license header and file-level pragmas of the original, then the module docstring:
    ``summary`` (one line saying what the module is for or holds) and where its code came
    from; the original docstring when the code reads ``__doc__``."""
    return file_header(ctx) + _docstring(ctx, config, summary, stmts)


def _docstring(ctx: SourceContext, config: EngineConfig, summary: str, stmts: list[Stmt]) -> str:
    doc = next((s for s in ctx.stmts if s.kind is Kind.DOC), None)
    reads_doc = any("__doc__" in ctx.analysis.specials[s.index] for s in stmts)
    if reads_doc and doc is not None:  # code reading __doc__ keeps seeing the same text
        return doc.code.lstrip("\n")
    return templates.render(
        "module_header.tmpl",
        summary=summary,
        original=_original_name(config),
        package=config.module,
        notice=_notice(doc.code if doc is not None else ""),
    )


def _notice(docstring: str) -> str:
    """The copyright and license lines of the original's docstring: they hold here too."""
    lines = [
        line.strip()
        for line in docstring.splitlines()
        if re.search(r"SPDX-License|copyright|:license:|licensed under", line, re.IGNORECASE)
    ]
    return "\n\n" + "\n".join(lines) + "\n" if lines else ""


def _main_header(ctx: SourceContext, config: EngineConfig, main: Stmt) -> str:
    return file_header(ctx) + _main_docstring(ctx, config, main)


def _main_docstring(ctx: SourceContext, config: EngineConfig, main: Stmt) -> str:
    doc = next((s for s in ctx.stmts if s.kind is Kind.DOC), None)
    if "__doc__" in ctx.analysis.specials[main.index] and doc is not None:
        return doc.code.lstrip("\n")
    summary = string.Template(_MAIN_SUMMARY).substitute(package=config.module)
    where = _original_name(config)
    return f'"""{summary}\n\nThe ``if __name__ == "__main__":`` block of ``{where}``.\n"""\n'


def _future(ctx: SourceContext) -> list[str]:
    lines = render_imports([s for s in ctx.stmts if s.kind is Kind.FUTURE], None, shift=0)
    return ["\n", *lines] if lines else []  # a blank line after the docstring


def injected(ctx: SourceContext, config: EngineConfig, units: list[Unit]) -> set[str]:
    """Names of late (circular) imports that ``units`` read: __init__ hands them over once
    everything is imported (see ``SourceContext.late_imports``). Code written before the late
    import cannot have needed the name while the module was importing."""
    late = {n: s.index for s in ctx.late_imports(config.module.split(".")[0]) for n in s.binds}
    handed = set()
    for name, index in late.items():
        readers = [u for u in units if name in u.name_refs]
        if readers and all(
            u.stmts[-1].index < index or not u.name_refs[name].at_import for u in readers
        ):
            handed.add(name)
    return handed


def _external(
    ctx: SourceContext, used: set[str], shift: int, handed: AbstractSet[str] = frozenset()
) -> tuple[list[str], list[str]]:
    """(runtime imports, TYPE_CHECKING-only imports) of the original that ``used`` needs."""
    runtime = {n for n in used if n in ctx.import_names and n not in handed}
    typing_only = {
        n for n in used if n in ctx.typing_names and n not in runtime and n not in ctx.owner
    }
    stmts = [s for s in ctx.stmts if s.kind is Kind.IMPORT]
    typing_stmts = [s for s in ctx.stmts if s.kind is Kind.TYPING]
    inner = [_inner_import(c) for s in typing_stmts for c in _typing_body(s)]
    typing_lines = render_imports(inner, typing_only, shift=shift) if typing_only else []
    typing_lines += render_imports(stmts, set(handed), shift=shift) if handed else []
    return render_imports(stmts, runtime, shift=shift), typing_lines


def _typing_siblings(
    ctx: SourceContext, pairs: list[tuple[str, list[str]]], shift: int
) -> list[str]:
    """``from .sibling import X`` under TYPE_CHECKING, except for names the original imported
    inside a mixed ``if TYPE_CHECKING:`` block: those come from where it imported them, so
    checkers know what they are (``te.Literal["a"]`` holds strings, not names)."""
    origin = {
        name: _inner_import(child)
        for unit in ctx.units
        for stmt in unit.stmts
        if is_typing_if(stmt.node)
        for child in _typing_body(stmt)
        if is_import_line(child)
        for name in imported_names(child)
    }
    lines: list[str] = []
    for target, names in pairs:
        own = [n for n in names if n not in origin]
        lines += [from_import(f".{target}", own)] if own else []
        lines += render_imports([origin[n] for n in names if n in origin], set(names), shift=shift)
    return lines


def _typing_body(stmt: Stmt) -> Sequence[cst.BaseStatement]:
    """The import lines of an ``if TYPE_CHECKING:`` block (an indented block: classify says)."""
    return cst.ensure_type(cst.ensure_type(stmt.node, cst.If).body, cst.IndentedBlock).body


def _inner_import(node: cst.BaseStatement) -> Stmt:
    return Stmt(-1, node, "", 0, kind=Kind.IMPORT)


def _statement_code(ctx: SourceContext, config: EngineConfig, stmt: Stmt) -> str:
    return rewrite_statement(
        stmt.code,
        shift=shift_of(config),
        keep_logger_names=config.keep_logger_names,
        rename_file="__file__" in ctx.analysis.specials[stmt.index],
        node=stmt.node,
    )


def render_module(
    ctx: SourceContext,
    config: EngineConfig,
    mod: ModulePlan,
    units: list[Unit],
    layout: Layout,
    fixed: frozenset[int] = frozenset(),
    exported: tuple[str, ...] | None = None,
) -> str:
    """The source of one generated module; import blocks the original ran between its
    statements go above them where nothing can tell (``hoist.py``; ``fixed``: statements
    none passes; ``exported``: the names its ``__all__`` lists for the star form)."""
    stmts = sorted((s for u in units for s in u.stmts), key=lambda s: s.index)
    used = {n for u in units for n in u.name_refs}
    handed = injected(ctx, config, units)
    doc_only = _doctest_only(ctx, stmts)
    examples = doc_only & ctx.import_names.keys()  # imported only for the doctest examples
    runtime, typing_only = _external(ctx, used - examples, shift_of(config), handed)
    typing_only += _typing_siblings(ctx, layout.typing_imports(mod.name), shift_of(config))
    handed_over = layout.handed_imports(mod.name)
    kept = sorted(used & ctx.kept_names)  # bound by code that stays in __init__
    if handed_over or kept:
        typing_only.append(_HANDED_NOTE)
        typing_only += [from_import(f".{t}", names) for t, names in handed_over]
        typing_only += [from_import(".", kept)] if kept else []
    # an ``if TYPE_CHECKING:`` block reads the name from the original's own import line
    if typing_only and "TYPE_CHECKING" in ctx.import_names.keys() - used:
        runtime, _ = _external(ctx, used - examples | {"TYPE_CHECKING"}, shift_of(config), handed)
    imports = [s for s in ctx.stmts if s.kind is Kind.IMPORT]
    runtime += example_imports(imports, examples, shift=shift_of(config))
    summary = mod.doc or docstrings.describe(units, stmts[0].line)
    parts = [_header(ctx, config, summary, stmts), *_future(ctx)]
    if runtime or typing_only:
        parts.append("\n")
    parts += runtime
    # the type-only imports come after every import, as projects write them
    guard, block = _typing_block(ctx, typing_only, runtime) if typing_only else ([], [])
    parts += guard
    tops = layout.top_imports(mod.name)
    if tops:
        parts.append("\n")
        parts += [_sibling_import(t, names, doc_only) for t, names in tops]
    parts += block
    if any("__file__" in ctx.analysis.specials[s.index] for s in stmts):
        expr = original_file_expr(mod.name, config.is_package_init)
        parts.append(
            f"\n# The file this code was written in: __file__-relative paths stay the same.\n"
            f"{ORIGINAL_FILE} = {expr}\n"
        )
    reads = {s.index: ctx.analysis.refs[s.index].keys() for s in stmts}
    order = hoisted(stmts, reads, fixed)
    body = spaced(order, [_statement_code(ctx, config, s) for s in order])
    parts.append(body if body.startswith("\n\n") else "\n\n" + body.lstrip("\n"))
    parts.append(_reexports(units, used | ctx.phantom_names, exported))
    return "".join(parts)


def _reexports(units: list[Unit], used: set[str], exported: tuple[str, ...] | None) -> str:
    """``__all__`` naming what this module's code imports only for others (the package, its
    siblings): without it ``ruff --fix`` would delete those imports as unused (F401); in the
    star form, first what the package star-imports from it (``exported``)."""
    if any("__all__" in u.names for u in units):
        return ""
    bound = {n for u in units for s in u.stmts for n in imported_names(s.node)}
    names = sorted(n for n in bound & {n for u in units for n in u.names} if n not in used)
    if exported:
        return module_all(exported, names)
    if not names:
        return ""
    return (
        "\n# Imported above for the package and its other modules, which import it from\n# here.\n"
        f"__all__ = {names!r}\n"
    )


def _doctest_only(ctx: SourceContext, stmts: list[Stmt]) -> set[str]:
    """Names the module imports only for the doctest examples of its docstrings."""
    doc_refs = ctx.analysis.doc_refs
    if not doc_refs:
        return set()
    docs = {n for s in stmts for n in doc_refs[s.index]}
    code = {n for s in stmts for n in ctx.analysis.refs[s.index] if n not in doc_refs[s.index]}
    return docs - code


def _sibling_import(target: str, names: list[str], doc_only: AbstractSet[str] = frozenset()) -> str:
    text = ""
    code = [n for n in names if n != AFTER and n not in doc_only]
    # only its import-time effects are needed, before the code below (importing a name from
    # it runs it first just the same)
    if AFTER in names and not code:
        text = (
            f"# {target} must run first: the code below acts on what it defines.\n"
            f"from . import {target}  # noqa: F401\n"
        )
    text += from_import(f".{target}", code) if code else ""
    docs = [n for n in names if n in doc_only]
    if docs:  # one a line: ruff reads a ``noqa`` on the line of the name it reports
        text += "# Used by the examples in the docstrings below.\n"
        text += "".join(f"from .{target} import {n}  # noqa: F401\n" for n in docs)
    return text


_TYPING_IMPORT = re.compile(r"import typing(?: as (\w+))?$")


def _typing_block(
    ctx: SourceContext, lines: list[str], runtime: list[str]
) -> tuple[list[str], list[str]]:
    """(the import ``if TYPE_CHECKING:`` needs, if any; the block with ``lines``)."""
    have = "TYPE_CHECKING" in ctx.import_names and any("TYPE_CHECKING" in r for r in runtime)
    # ``import typing as t`` already there (click, jinja2): ``t.TYPE_CHECKING``, no new import
    typing = next((m for r in runtime if (m := _TYPING_IMPORT.match(r.strip()))), None)
    test = "TYPE_CHECKING"
    if not have and typing is not None:
        test = f"{typing.group(1) or 'typing'}.TYPE_CHECKING"
    guard = [] if have or typing is not None else ["from typing import TYPE_CHECKING\n"]
    block = [f"\nif {test}:{_typing_comment(ctx)}\n"]
    for line in lines:
        block.extend(f"    {part}\n" if part else "\n" for part in line.rstrip("\n").split("\n"))
    return guard, block


def _typing_comment(ctx: SourceContext) -> str:
    """The comment on the original's ``if TYPE_CHECKING:`` line (``# pragma: no cover``)."""
    block = next((s.node for s in ctx.stmts if s.kind == "typing"), None)
    header = getattr(getattr(block, "body", None), "header", None)
    comment = getattr(header, "comment", None)
    return f"  {comment.value}" if comment is not None else ""


def plan_placement(ctx: SourceContext, modules: tuple[ModulePlan, ...]) -> dict[str, str]:
    """Unit id -> module name ("" for units that stay in __init__)."""
    placement = {u.id: "" for u in ctx.init_units}
    placement.update({u: m.name for m in modules if m.role != "main" for u in m.units})
    return placement


def _main_module(
    ctx: SourceContext, config: EngineConfig, mod_plans: tuple[ModulePlan, ...]
) -> str:
    assert ctx.main is not None
    main = ctx.main
    used = set(ctx.analysis.refs[main.index])
    runtime, _ = _external(ctx, used, shift_of(config))
    parts = [_main_header(ctx, config, main), *_future(ctx)]
    siblings = initgen.names_by_module(ctx, plan_placement(ctx, mod_plans), used)
    if runtime or siblings:
        parts.append("\n")
    parts += runtime
    parts += [from_import(f".{t}" if t else ".", names) for t, names in siblings]
    # The block is kept whole, __name__ included: in __main__.py it is "__main__" as before.
    code = rewrite_statement(
        main.code,
        shift=shift_of(config),
        keep_logger_names=True,
        rename_file=False,
        rename_name=False,
    )
    parts.append("\n\n" + code.lstrip("\n"))
    return "".join(parts)
