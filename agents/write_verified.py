"""Write a split where it goes (or into a dry run's throwaway copy), verify it there, then keep
it or undo it.

The split is checked against one import of the original; only when the two differ is the
original imported twice more (``verify.stable_snapshot``) to tell the values that change at
every import (a uuid, the pid) from real differences, and the split written and checked again.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any

from modularize.agents import verify as observe
from modularize.agents.apply import apply_split, dry_run_copy, sigterm_as_interrupt
from modularize.agents.base import Task, report_stage
from modularize.agents.engine import verify
from modularize.agents.engine.classcheck import member_problems
from modularize.agents.journal import recover_stale
from modularize.agents.typecheck import added_errors, mypy_config, mypy_errors

Snapshot = dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Checks:
    """What verification holds a split to beyond the default checks."""

    dropped: frozenset[str] = frozenset()  # imports no longer re-exported (compat.py)
    mypy: bool = False  # run the project's mypy when it configures one (typecheck.py)


def rejected(problems: Sequence[str]) -> str:
    """The reason of a split that verification undid."""
    return "verification failed, file left unchanged: " + "; ".join(problems)


def apply_and_verify(
    task: Task,
    outputs: Mapping[PurePosixPath, str],
    checks: Checks | None = None,
) -> tuple[str | None, list[str]]:
    """Write ``outputs`` for ``task.path``, verify, then keep or undo: in place, or in a
    throwaway copy for a dry run. Returns (why it was undone or None, warnings)."""
    checks = checks or Checks()
    original, root = Path(task.root) / task.path, Path(task.import_root)
    report_stage(task.path, "verify")
    if not task.dry_run:
        with sigterm_as_interrupt():
            recover_stale(original)
            return _write_and_verify(task, original, root, outputs, (), checks)
    with dry_run_copy(root, task.module) as scratch:
        copy = scratch / original.resolve().relative_to(root.resolve())
        reason, warnings = _write_and_verify(task, copy, scratch, outputs, (root,), checks)
    if task.verify_cmd:
        warnings.append("--verify-cmd is not run in a dry run: nothing is written to test")
    return reason, warnings


def _write_and_verify(
    task: Task,
    original: Path,
    import_root: Path,
    outputs: Mapping[PurePosixPath, str],
    extra_path: Sequence[Path],
    checks: Checks,
) -> tuple[str | None, list[str]]:
    """Apply the split and verify it against one import of the original. When its surface
    differs from that one, the rollback has put the original back: import it twice (what
    changes at every import is then left out) and apply and verify once more."""
    python = observe.choose_python(task.python, task.root)
    typing_config = mypy_config(Path(task.root) / task.path) if checks.mypy else None
    typed = mypy_errors(python, typing_config, [original]) if typing_config else None
    warnings: list[str] = []
    differed: list[str] = []  # the last check's surface problems: a second look may clear them

    def check(before: Snapshot | None) -> str | None:
        if before is not None:
            try:
                after = observe.api_snapshot(
                    python, import_root, task.module, probe=before["names"], extra_path=extra_path
                )
            except observe.SnapshotError as exc:
                return rejected([f"the new package does not import: {exc}"])
            differed[:] = _surface_problems(task.module, before, after, outputs, checks.dropped)
            if differed:
                return rejected(differed)
        if task.verify_cmd and not task.dry_run:
            failure = observe.run_verify_cmd(task.verify_cmd, task.root, task.verify_timeout)
            if failure:
                return f"{failure}; file left unchanged"
        if typing_config is None:
            return None
        package = original.parent if original.name == "__init__.py" else original.with_suffix("")
        return added_errors(typed, mypy_errors(python, typing_config, [package]))

    before = _before(observe.original_snapshot, task, python, import_root, extra_path, warnings)
    reason = apply_split(original, outputs, functools.partial(check, before))
    if differed:  # were they values that change at every import?
        before = _before(observe.stable_snapshot, task, python, import_root, extra_path, warnings)
        reason = apply_split(original, outputs, functools.partial(check, before))
    return reason, warnings


def _before(
    snapshot: Callable[..., Snapshot],
    task: Task,
    python: str,
    import_root: Path,
    extra_path: Sequence[Path],
    warnings: list[str],
) -> Snapshot | None:
    """The original's ``snapshot``; None, and a warning, when it does not import."""
    try:
        return snapshot(python, import_root, task.module, extra_path=extra_path)
    except observe.SnapshotError as exc:
        warnings.append(
            f"{task.module} does not import with {python} before the split "
            f"({exc}); only the static checks verified it"
        )
        return None


def _surface_problems(
    module: str,
    before: Snapshot,
    after: Snapshot,
    outputs: Mapping[PurePosixPath, str],
    dropped: frozenset[str],
) -> list[str]:
    """Where the split's import surface differs from the original's ``before``."""
    submodules = {PurePosixPath(rel).parts[0].removesuffix(".py") for rel in outputs}
    problems = verify.compare_snapshots(module, before, after, submodules, dropped)
    return problems + member_problems(module, before, after)
