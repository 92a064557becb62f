"""The libcst agent: plan a split with the engine, then write, verify, keep or undo it
(``write_verified``).

``execute_plan`` is the part every agent shares (split + apply + verify for a given plan), so
the claude agent only supplies a different plan. Nothing here raises into the pool: every
outcome is an AgentResult; only KeyboardInterrupt propagates, after the rollback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import time
import traceback
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from modularize.agents import verify as observe
from modularize.agents.base import AgentResult, Status, Task, report_stage
from modularize.agents.core.errors import SourceError
from modularize.agents.core.source import (
    count_lines,
    newline_of,
    parse_source,
    read_source,
    with_newline,
)
from modularize.agents.engine import verify
from modularize.agents.engine.classcheck import mixin_problems
from modularize.agents.outcome import layer_notes, split_result
from modularize.agents.packaging import single_module_blocker
from modularize.agents.write_verified import Checks, apply_and_verify, rejected

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
        with _fewer_collections():
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


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """LibCST trees are millions of small objects and hold no cycles: at its default pace
    (every 700 new objects) the cycle collector spent a tenth of a split walking them."""
    pace = gc.get_threshold()
    gc.set_threshold(max(pace[0], 50_000), *pace[1:])
    try:
        yield
    finally:
        gc.set_threshold(*pace)


def _skipped(task: Task, reason: str, **fields: Any) -> AgentResult:
    return AgentResult(
        path=task.path,
        status=Status.SKIPPED,
        agent=fields.pop("agent", task.subagent_type),
        reason=reason,
        **fields,
    )


@dataclasses.dataclass(frozen=True)
class Loaded:
    """A file's text, read, decoded and parsed, and not one the run leaves alone."""

    source: str


def load_source(task: Task, config: Config) -> Loaded | AgentResult:
    """The file's text; a FAILED result when it cannot be read, decoded or parsed (an error
    in the repository, as ``scan`` reports it), a SKIPPED one for a file left alone."""
    from modularize.agents.core.discovery import skip_reason

    path = Path(task.root) / task.path
    if not path.exists():  # split already (a resumed run whose result was not recorded)
        return _skipped(task, f"{task.path}: the file is gone")
    try:
        source = read_source(path)
        parse_source(source, filename=task.path)
    except SourceError as exc:
        return _source_error(task, str(exc))
    reason = skip_reason(path, source, config)
    return Loaded(source) if reason is None else _skipped(task, f"{task.path}: {reason}")


def _source_error(task: Task, error: str) -> AgentResult:
    return AgentResult(
        path=task.path,
        status=Status.FAILED,
        agent=task.subagent_type,
        reason=f"{task.path}: {error}",
    )


def engine_config_for(path: Path, module: str, config: Config) -> EngineConfig:
    """The engine's settings for one file (a package ``__init__.py`` splits in place)."""
    from modularize.agents.engine import EngineConfig

    is_init = path.name == "__init__.py"
    # a package's new modules must not collide with what it holds; a module's must not read
    # like the modules beside it (``filters/utils.py`` next to the package's ``utils.py``)
    existing = frozenset(
        p.name.removesuffix(".py")
        for p in path.parent.iterdir()
        if not p.name.startswith(".") and (p.is_dir() or p.suffix == ".py") and p != path
    )
    return EngineConfig(
        module=module,
        is_package_init=is_init,
        budgets=config.budgets,
        threshold=config.threshold,
        keep_logger_names=config.keep_logger_names,
        existing_names=existing,
    )


def _with_star_names(engine: EngineConfig, task: Task, source: str) -> EngineConfig:
    """``engine`` knowing what each ``from x import *`` of the file binds, as the project's
    interpreter says (the engine refuses the star imports it cannot resolve)."""
    from modularize.agents.engine.starimports import star_targets

    try:
        targets = tuple(star_targets(source))
    except (SyntaxError, ValueError):
        return engine
    if not targets:
        return engine
    python = observe.choose_python(task.python, task.root)
    names = _star_names(python, task.import_root, task.module, targets, engine.is_package_init)
    return dataclasses.replace(engine, star_names=names)


@functools.lru_cache(maxsize=64)  # planning and executing one file ask once
def _star_names(
    python: str, root: str, module: str, targets: tuple[str, ...], is_init: bool
) -> dict[str, tuple[str, ...]]:
    try:
        return observe.star_import_names(python, root, module, targets, is_package=is_init)
    except observe.SnapshotError:
        return {}


def plan_for(
    path: Path,
    module: str,
    source: str,
    config: Config,
    star_names: Mapping[str, tuple[str, ...]] | None = None,
) -> SplitPlan:
    """The engine's plan for the file at ``path`` (dotted ``module``): the one place that
    decides a file's new modules, for ``scan``'s preview, ``plan`` and ``run`` alike
    (``star_names``: what the file's star imports bind, when the run has asked). Raises
    Refusal."""
    from modularize.agents.engine import plan_split

    engine = engine_config_for(path, module, config)
    if star_names:
        engine = dataclasses.replace(engine, star_names=star_names)
    return plan_split(source, engine)


def _task_engine(task: Task, config: Config, source: str) -> EngineConfig:
    """The engine configuration for the task's file, knowing what its star imports bind."""
    path = Path(task.root) / task.path
    return _with_star_names(engine_config_for(path, task.module, config), task, source)


def _plan_and_execute(task: Task, config: Config) -> AgentResult:
    loaded = load_source(task, config)
    if isinstance(loaded, AgentResult):
        return loaded
    source = loaded.source
    from modularize.agents.engine import Refusal, SplitPlan

    path = Path(task.root) / task.path
    engine = _task_engine(task, config, source)
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
            plan = plan_for(path, task.module, source, config, engine.star_names)
            plan_by = "libcst"
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
    from modularize.agents.engine import Refusal, release_caches, split_package
    from modularize.agents.repo_uses import project_root, scan_repo_uses

    if source is None:
        loaded = load_source(task, config)
        if isinstance(loaded, AgentResult):
            return loaded
        source = loaded.source
    original = Path(task.root) / task.path
    engine = _task_engine(task, config, source)
    uses = scan_repo_uses(project_root(Path(task.root)), task.module, original, Path(task.root))
    engine = dataclasses.replace(engine, compat=config.compat, uses=uses)
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
        made = split_package(source, plan, engine)
    except Refusal as exc:
        return _skipped(task, exc.reason, lines_before=lines, plan_by=plan_by)
    finally:
        release_caches()  # the checks below parse again: not with the analysis still held
    newline = newline_of(source)  # a CRLF file becomes CRLF modules, every line of them
    outputs = {rel: with_newline(text, newline) for rel, text in made.files.items()}
    dropped = made.layer.dropped
    trees = verify.output_trees(outputs)  # parsed once for both checks
    problems = verify.static_problems(source, outputs, dropped, trees)
    problems += verify.second_run_problems(outputs, engine)
    problems += mixin_problems(source, outputs, trees)
    if problems:
        return _skipped(task, rejected(problems), lines_before=lines, plan_by=plan_by)
    checks = Checks(dropped, mypy=config.mypy)
    reason, warnings = apply_and_verify(task, outputs, checks)
    if reason:
        return _skipped(task, reason, lines_before=lines, plan_by=plan_by, warnings=tuple(warnings))
    result = split_result(task, plan, plan_by, outputs, lines, warnings)
    return dataclasses.replace(
        result,
        compat=layer_notes(made.layer, engine.compat),
        forwarded=tuple(sorted(made.layer.forwarded)),
    )
