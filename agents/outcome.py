"""What a split reports: its new modules, its warnings, and its compatibility layer."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING

from modularize.agents.base import AgentResult, ModuleOutput, Status, Task
from modularize.agents.core.config import Compat
from modularize.agents.core.source import count_lines
from modularize.agents.engine.compat import dropped_note

if TYPE_CHECKING:
    from modularize.agents.engine import SplitPlan
    from modularize.agents.engine.model import InitLayer


def layer_notes(layer: InitLayer, compat: Compat) -> tuple[str, ...]:
    """The report's lines on the compatibility layer: each piece of machinery with its
    finding, the imports no longer re-exported, and the visible change of module names."""
    if compat is Compat.FULL:
        return ()
    dropped = dropped_note(layer)
    return (
        *layer.notes,
        *([dropped] if dropped else []),
        "moved classes and functions now name their new module in `__module__` (reprs, "
        "new pickles); the old import path still works, so old pickles load",
    )


def _new_path(task: Task, rel: PurePosixPath | str, is_init: bool) -> str:
    old = PurePosixPath(task.path)
    folder = old.parent if is_init else old.with_suffix("")
    return (folder / PurePosixPath(rel)).as_posix()


def split_result(
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
