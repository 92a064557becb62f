"""The libcst agent: plan a split with the engine, write it safely, verify it, keep or undo.

``execute_plan`` is the part every agent shares (split + apply + verify for a given plan), so
the claude agent only supplies a different plan. Nothing here raises into the pool: every
outcome is an AgentResult; only KeyboardInterrupt propagates, after the rollback.
"""

from __future__ import annotations

import ast
import dataclasses
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar

from modularize.agents import verify as observe
from modularize.agents.apply import (
    dry_run_copy,
    recover_stale,
    sigterm_as_interrupt,
    write_init_split,
    write_module_split,
)
from modularize.agents.base import AgentResult, ModuleOutput, Status, Task, report_stage
from modularize.agents.core.errors import SourceError
from modularize.agents.core.source import count_lines, read_source
from modularize.agents.engine import verify
from modularize.agents.engine.classcheck import member_problems, mixin_problems
from modularize.agents.packaging import single_module_blocker

if TYPE_CHECKING:
    from modularize.agents.breaker import KeyValueStore
    from modularize.agents.core.config import Config
    from modularize.agents.engine import EngineConfig, SplitPlan


class LibCSTAgent:
    """Plans with the deterministic engine; no network, no model."""

    subagent_type: ClassVar[str] = "libcst"

    def run(self, task: Task, config: Config, store: KeyValueStore | None = None) -> AgentResult:
        """Split ``task.path``; never raise: every outcome is a result."""
        return guarded(task, self.subagent_type, lambda: _plan_and_execute(task, config))


def guarded(task: Task, agent: str, work: Callable[[], AgentResult]) -> AgentResult:
    """Run ``work``, turning any exception into a FAILED result with its traceback."""
    started = time.monotonic()
    try:
        result = work()
    except Exception as exc:  # noqa: BLE001 - results, not exceptions, cross the pool
        result = AgentResult(
            path=task.path,
            status=Status.FAILED,
            agent=agent,
            reason=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
        )
    return dataclasses.replace(result, seconds=round(time.monotonic() - started, 3))


def _skipped(task: Task, reason: str, **fields: Any) -> AgentResult:
    return AgentResult(
        path=task.path,
        status=Status.SKIPPED,
        agent=fields.pop("agent", task.subagent_type),
        reason=reason,
        **fields,
    )


def load_source(task: Task, config: Config) -> str | AgentResult:
    """The file's text, or a SKIPPED result (unreadable, unparsable, or a file left alone)."""
    from modularize.agents.core.discovery import skip_reason

    path = Path(task.root) / task.path
    try:
        source = read_source(path)
        ast.parse(source, filename=task.path)
    except SourceError as exc:
        return _skipped(task, f"{task.path}: {exc}")
    except (SyntaxError, ValueError) as exc:
        where = f"line {exc.lineno}: " if getattr(exc, "lineno", None) else ""
        return _skipped(task, f"{task.path}: does not parse: {where}{getattr(exc, 'msg', exc)}")
    reason = skip_reason(path, source, config)
    return source if reason is None else _skipped(task, f"{task.path}: {reason}")


def engine_config_for(path: Path, module: str, config: Config) -> EngineConfig:
    """The engine's settings for one file (a package ``__init__.py`` splits in place)."""
    from modularize.agents.engine import EngineConfig

    is_init = path.name == "__init__.py"
    existing: frozenset[str] = frozenset()
    if is_init:  # new sibling modules must not collide with anything already in the package
        existing = frozenset(
            p.name.removesuffix(".py")
            for p in path.parent.iterdir()
            if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".py")
        )
    return EngineConfig(
        module=module,
        is_package_init=is_init,
        budgets=config.budgets,
        threshold=config.threshold,
        keep_logger_names=config.keep_logger_names,
        existing_names=existing,
    )


def _plan_and_execute(task: Task, config: Config) -> AgentResult:
    source = load_source(task, config)
    if isinstance(source, AgentResult):
        return source
    from modularize.agents.engine import Refusal, SplitPlan, plan_split

    engine = engine_config_for(Path(task.root) / task.path, task.module, config)
    if task.plan_file:
        try:
            text = Path(task.plan_file).read_text(encoding="utf-8")
            plan, plan_by = SplitPlan.from_json(text), f"libcst (edited plan {task.plan_file})"
        except (OSError, UnicodeDecodeError) as exc:
            return _skipped(task, f"plan {task.plan_file}: cannot read it: {exc}")
        except Refusal as exc:
            return _skipped(task, f"plan {task.plan_file}: {exc.reason}")
    else:
        try:
            report_stage(task.path, "plan")
            plan, plan_by = plan_split(source, engine), "libcst"
        except Refusal as exc:
            return _skipped(task, exc.reason, lines_before=count_lines(source))
    return execute_plan(task, config, plan, plan_by, source=source)


def execute_plan(
    task: Task, config: Config, plan: SplitPlan, plan_by: str, source: str | None = None
) -> AgentResult:
    """Split ``task.path`` by ``plan``, write it safely, verify it; keep it or restore the file.

    Used by every agent: the plan is the only thing that differs. Never raises, except
    KeyboardInterrupt (after rolling back).
    """
    return guarded(task, task.subagent_type, lambda: _execute(task, config, plan, plan_by, source))


def _execute(
    task: Task, config: Config, plan: SplitPlan, plan_by: str, source: str | None
) -> AgentResult:
    from modularize.agents.engine import Refusal, split

    if source is None:
        loaded = load_source(task, config)
        if isinstance(loaded, AgentResult):
            return loaded
        source = loaded
    original = Path(task.root) / task.path
    engine = engine_config_for(original, task.module, config)
    lines = count_lines(source)
    if getattr(plan, "module", task.module) != task.module:
        return _skipped(
            task, f"the plan is for {plan.module}, not {task.module}", lines_before=lines
        )
    if verify.plan_changes_nothing(plan):
        why = "; ".join(plan.warnings) or "everything belongs in one module"
        return _skipped(
            task, f"{task.path}: nothing to split ({why})", lines_before=lines, plan_by=plan_by
        )
    blocker = single_module_blocker(task.module, (Path(task.import_root), Path(task.root)))
    if blocker and not engine.is_package_init:
        return _skipped(task, blocker, lines_before=lines, plan_by=plan_by)
    try:
        report_stage(task.path, "split")
        outputs = split(source, plan, engine)
    except Refusal as exc:
        return _skipped(task, exc.reason, lines_before=lines, plan_by=plan_by)
    problems = verify.static_problems(source, outputs) + verify.second_run_problems(outputs, engine)
    problems += mixin_problems(source, outputs)
    if problems:
        return _skipped(task, _rejected(problems), lines_before=lines, plan_by=plan_by)
    reason, warnings = apply_and_verify(task, outputs, engine.is_package_init)
    if reason:
        return _skipped(task, reason, lines_before=lines, plan_by=plan_by, warnings=tuple(warnings))
    return _split_result(task, plan, plan_by, outputs, lines, warnings)


def _rejected(problems: Sequence[str]) -> str:
    return "verification failed, file left unchanged: " + "; ".join(problems)


def apply_and_verify(
    task: Task, outputs: Mapping[PurePosixPath, str], is_init: bool
) -> tuple[str | None, list[str]]:
    """Write ``outputs`` for ``task.path``, verify, then keep or undo: in place, or in a
    throwaway copy for a dry run. Returns (why it was undone or None, warnings)."""
    original, root = Path(task.root) / task.path, Path(task.import_root)
    report_stage(task.path, "verify")
    if not task.dry_run:
        with sigterm_as_interrupt():
            recover_stale(original)
            return _write_and_verify(task, original, root, outputs, is_init, ())
    with dry_run_copy(root, task.module) as scratch:
        copy = scratch / original.resolve().relative_to(root.resolve())
        reason, warnings = _write_and_verify(task, copy, scratch, outputs, is_init, (root,))
    if task.verify_cmd:
        warnings.append("--verify-cmd is not run in a dry run: nothing is written to test")
    return reason, warnings


def _write_and_verify(
    task: Task,
    original: Path,
    import_root: Path,
    outputs: Mapping[PurePosixPath, str],
    is_init: bool,
    extra_path: Sequence[Path],
) -> tuple[str | None, list[str]]:
    python = observe.choose_python(task.python, task.root)
    warnings: list[str] = []
    try:
        before = observe.stable_snapshot(python, import_root, task.module, extra_path=extra_path)
    except observe.SnapshotError as exc:
        before = None
        warnings.append(
            f"{task.module} does not import with {python} before the split "
            f"({exc}); only the static checks verified it"
        )
    applied = (write_init_split if is_init else write_module_split)(original, outputs)
    if isinstance(applied, str):
        return applied, warnings
    try:
        reason = _verify_written(task, python, import_root, outputs, before, extra_path)
    except BaseException:  # an interrupt too: no half-verified split stays behind
        applied.rollback()
        raise
    if reason:
        applied.rollback()
        return reason, warnings
    applied.commit()
    return None, warnings


def _verify_written(
    task: Task,
    python: str,
    import_root: Path,
    outputs: Mapping[PurePosixPath, str],
    before: dict[str, Any] | None,
    extra_path: Sequence[Path],
) -> str | None:
    if before is not None:
        try:
            after = observe.api_snapshot(
                python, import_root, task.module, probe=before["names"], extra_path=extra_path
            )
        except observe.SnapshotError as exc:
            return _rejected([f"the new package does not import: {exc}"])
        submodules = {PurePosixPath(rel).parts[0].removesuffix(".py") for rel in outputs}
        problems = verify.compare_snapshots(task.module, before, after, submodules)
        problems += member_problems(task.module, before, after)
        if problems:
            return _rejected(problems)
    if task.verify_cmd and not task.dry_run:
        failure = observe.run_verify_cmd(task.verify_cmd, task.root)
        if failure:
            return f"{failure}; file left unchanged"
    return None


def _new_path(task: Task, rel: PurePosixPath | str, is_init: bool) -> str:
    old = PurePosixPath(task.path)
    folder = old.parent if is_init else old.with_suffix("")
    return (folder / PurePosixPath(rel)).as_posix()


def _split_result(
    task: Task,
    plan: SplitPlan,
    plan_by: str,
    outputs: Mapping[PurePosixPath, str],
    lines: int,
    warnings: list[str],
) -> AgentResult:
    is_init = PurePosixPath(task.path).name == "__init__.py"
    ordered = sorted(outputs.items())
    modules = tuple(
        ModuleOutput(_new_path(task, rel, is_init), count_lines(text)) for rel, text in ordered
    )
    files: tuple[tuple[str, str | None], ...] = ()
    if task.dry_run:
        files = tuple((_new_path(task, rel, is_init), text) for rel, text in ordered)
        files += () if is_init else ((task.path, None),)
    notes = (*plan.warnings, *warnings)
    return AgentResult(
        path=task.path,
        status=Status.SPLIT,
        agent=task.subagent_type,
        modules=modules,
        warnings=tuple(notes),
        plan_by=plan_by,
        lines_before=lines,
        locations=tuple(sorted(plan.locations().items())),
        files=files,
    )
