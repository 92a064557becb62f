"""Judge a split before it is kept: static equivalence, the import surface, a second run.

Pure, like the rest of the engine: the snapshots it compares are taken by the agent's
``modularize.agents.verify`` in fresh interpreters. Each check returns a list of problems
(sentences); an empty list means the check passed.
"""

from __future__ import annotations

import ast
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from modularize.agents.core.source import count_lines, source_tree
from modularize.agents.core.syntax import is_main_block, is_main_test
from modularize.agents.engine.snapshots import MAX_LISTED, bounded
from modularize.agents.engine.snapshots import compare_snapshots as compare_snapshots
from modularize.agents.engine.stmtkeys import statement_key
from modularize.agents.engine.textcheck import lost_comments

# --- static checks ------------------------------------------------------------------------


def output_trees(outputs: Mapping[PurePosixPath, str]) -> dict[PurePosixPath, ast.Module] | None:
    """The ``ast`` of every output, for the checks to share; None when one does not parse
    (each check then says so its own way)."""
    try:
        return {PurePosixPath(rel): ast.parse(text) for rel, text in sorted(outputs.items())}
    except (SyntaxError, ValueError):
        return None


def static_problems(
    original: str,
    outputs: Mapping[PurePosixPath, str],
    dropped: frozenset[str] = frozenset(),
    trees: Mapping[PurePosixPath, ast.Module] | None = None,
) -> list[str]:
    """Every output parses; every non-import statement of the original appears exactly once;
    every name the original binds at import time is still bound by the new ``__init__.py``
    (except ``dropped`` imports, see ``compare_snapshots``); every comment is still there.
    ``trees``: the outputs parsed already (``output_trees``)."""
    problems = []
    if trees is None:
        parsed: dict[PurePosixPath, ast.Module] = {}
        for rel, text in sorted(outputs.items()):
            try:
                parsed[PurePosixPath(rel)] = ast.parse(text)
            except (SyntaxError, ValueError) as exc:
                problems.append(f"{rel} does not parse: {exc}")
        if problems:
            return problems
        trees = parsed
    old = source_tree(original)
    problems += _statement_problems(
        old.body,
        [s for t in trees.values() for s in t.body],
        has_main=PurePosixPath("__main__.py") in trees,
    )
    init = trees.get(PurePosixPath("__init__.py"))
    if init is None:
        return [*problems, "no __init__.py among the outputs"]
    lost = sorted(bound_names(old.body) - _exposed_names(init, trees) - dropped)
    if lost:
        problems.append(f"names no longer bound by __init__.py: {', '.join(lost[:MAX_LISTED])}")
    problems += lost_comments(original, outputs.values())
    return bounded(problems)


def _loose_key(stmt: ast.stmt) -> tuple[str, frozenset[str]] | None:
    """Statement kind and bound names: matches a definition whose body was adjusted
    (``__file__`` or logger names rewritten) to the same definition in the original."""
    names = bound_names([stmt])
    return (type(stmt).__name__, frozenset(names)) if names else None


def _statement_problems(old: list[ast.stmt], new: list[ast.stmt], has_main: bool) -> list[str]:
    wanted = [(s, statement_key(s)) for s in old if not _is_import_like(s)]
    keyed = [(statement_key(s), s) for s in new if not _is_import_like(s)]
    produced, pool = dict(keyed), Counter(key for key, _ in keyed)
    unmatched = []
    for stmt, key in wanted:
        if pool[key] > 0:
            pool[key] -= 1
        elif not (has_main and is_main_block(stmt)):
            unmatched.append(stmt)
    wanted_keys = {key for _, key in wanted}
    problems = [
        f"`{_summary(produced[k])}` appears more than once"
        for k, left in pool.items()
        if left > 0 and k in wanted_keys
    ]
    # Left-over new statements that are not copies: generated code, or adjusted definitions.
    loose: Counter[tuple[str, frozenset[str]] | None] = Counter()
    for key, left in pool.items():
        if left > 0 and key not in wanted_keys:
            loose[_loose_key(produced[key])] += left
    for stmt in unmatched:
        loose_key = _loose_key(stmt)
        if loose_key is not None and loose[loose_key] > 0:
            loose[loose_key] -= 1
        else:
            problems.append(f"line {stmt.lineno}: `{_summary(stmt)}` lost in the split")
    return problems


def _summary(stmt: ast.stmt) -> str:
    """A short, recognisable form of a statement for a message."""
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return f"def {stmt.name}"
    if isinstance(stmt, ast.ClassDef):
        return f"class {stmt.name}"
    first = ast.unparse(stmt).splitlines()[0]
    return first if len(first) <= 50 else first[:47] + "..."


def _is_import_like(stmt: ast.stmt) -> bool:
    """Imports (and blocks of nothing but imports) are recomputed per module, not moved."""
    if isinstance(stmt, (ast.Import, ast.ImportFrom, ast.Pass)) or _is_all_update(stmt):
        return True  # (``__all__`` updates are made by __init__: see allupdates.py)
    if isinstance(stmt, (ast.If, ast.Try)):
        inner = [*stmt.body, *stmt.orelse, *getattr(stmt, "finalbody", [])]
        inner += [s for h in getattr(stmt, "handlers", []) for s in h.body]
        return all(_is_import_like(s) for s in inner)
    return False


def _is_all_update(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.AugAssign):
        return isinstance(stmt.target, ast.Name) and stmt.target.id == "__all__"
    call = stmt.value if isinstance(stmt, ast.Expr) else None
    func = call.func if isinstance(call, ast.Call) else None
    return isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "__all__"


def _is_type_checking(stmt: ast.If) -> bool:
    test = stmt.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def bound_names(body: Iterable[ast.stmt]) -> set[str]:
    """Names a module body binds when imported (not under TYPE_CHECKING or ``__main__``)."""
    names: set[str] = set()
    for stmt in body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in stmt.names if a.name != "*")
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            if not (isinstance(stmt, ast.AnnAssign) and stmt.value is None):
                names.update(_target_names(targets))
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            names.update(_target_names(i.optional_vars for i in stmt.items if i.optional_vars))
        elif isinstance(stmt, ast.Delete):  # `del helper` after using it: not bound at the end
            names -= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
        if isinstance(stmt, ast.If):
            if _is_type_checking(stmt) or is_main_test(stmt.test):
                names |= bound_names(stmt.orelse)
                continue
        for field in ("body", "orelse", "finalbody"):
            if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names |= bound_names(getattr(stmt, field, []))
        for handler in getattr(stmt, "handlers", []):
            names |= bound_names(handler.body)
    return names


def _target_names(targets: Iterable[ast.expr | None]) -> set[str]:
    return {
        n.id
        for t in targets
        if t is not None
        for n in ast.walk(t)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }


def _exposed_names(init: ast.Module, trees: Mapping[PurePosixPath, ast.Module]) -> set[str]:
    """Names ``__init__`` binds, star-imports from a sibling, or serves via ``__getattr__``."""
    names = bound_names(init.body)
    for node in ast.walk(init):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            if any(a.name == "*" for a in node.names):
                sibling = trees.get(PurePosixPath(node.module.replace(".", "/") + ".py"))
                names |= bound_names(sibling.body) if sibling else set()
    if "__getattr__" in names:  # a PEP 562 hook delegating names it lists as strings
        names |= {
            n.value
            for n in ast.walk(init)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
    return names


# --- a second run ------------------------------------------------------------------------


def plan_changes_nothing(plan: Any) -> bool:
    """No module to write, or one module holding every unit: a package around one module
    would only nest the file deeper, so the agent skips such a plan (no-op on a second run)."""
    moved = [m for m in plan.modules if m.name != "__main__"]
    return not plan.modules or (
        len(moved) == 1 and not plan.init_units and len(moved) == len(plan.modules)
    )


def _single_definition(text: str) -> bool:
    body = [s for s in ast.parse(text).body if not _is_import_like(s)]
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the module docstring
    return len(body) <= 1


def second_run_problems(outputs: Mapping[PurePosixPath, str], config: Any) -> list[str]:
    """A second run on the result changes nothing: every output over the limit is refused
    or gets an empty plan.

    ``config`` is the EngineConfig of the first run. Outputs under the limit are never picked,
    so only the ones over it (a single giant definition) are planned again.
    """
    import dataclasses

    from modularize.agents.engine import Refusal, plan_split

    problems = []
    siblings = frozenset(PurePosixPath(rel).parts[0].removesuffix(".py") for rel in outputs)
    for rel, text in sorted(outputs.items()):
        if count_lines(text) <= config.threshold:
            continue
        if _single_definition(text):  # a plan could only nest it deeper: skip the planner
            continue
        parts = PurePosixPath(rel).with_suffix("").parts
        is_init = parts[-1] == "__init__"
        module = ".".join([config.module, *(parts[:-1] if is_init else parts)])
        again = dataclasses.replace(
            config,
            module=module,
            is_package_init=is_init,
            existing_names=siblings if is_init else frozenset(),
        )
        try:
            if plan_changes_nothing(plan_split(text, again)):
                continue
        except Refusal:
            continue
        problems.append(f"a second run would split {rel} ({count_lines(text)} lines) again")
    return problems
