"""Checks before any work: nothing a run would touch is uncommitted, and git can take the commit.

Each refusal is one line saying what to do; when it comes, nothing has been changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from modularize.agents.core.errors import UsageError
from modularize.orchestrator.gitops import GitRepo

if TYPE_CHECKING:
    from modularize.orchestrator.options import RunOptions


def ensure_clean(root: Path, files: Sequence[Path], allow_dirty: bool) -> None:
    """Refuse, naming the file, when a file the run would touch has uncommitted changes.

    Modified, staged, deleted and untracked files all count: the run would overwrite or
    delete work git cannot give back. Outside git this checks nothing.
    """
    repo = None if allow_dirty or not files else GitRepo.find(root)
    if repo is None:
        return
    try:
        by_rel = {repo.relpath(absolute_path(root, f)): f for f in files}
        dirty = repo.changed_paths(list(by_rel))
    finally:
        repo.close()
    if dirty:
        shown = display_path(root, absolute_path(root, by_rel[dirty[0]]))
        raise UsageError(
            f"{shown}: has uncommitted changes; commit or stash them, or pass --allow-dirty"
        )


def ensure_git_ready(root: Path, options: RunOptions) -> None:
    """Refuse before any work, in one line, what would end in a wrong or failed commit:
    a merge, rebase, cherry-pick, revert or bisect under way; no git identity; a bad --branch."""
    repo = GitRepo.find(root)
    if repo is None:
        return
    try:
        busy = repo.operation_in_progress()
        if busy is not None:
            name, how = busy
            raise UsageError(
                f"{repo.top}: a git {name} is in progress; finish it or abort it ({how}) "
                "before running modularize"
            )
        if options.no_commit:
            return
        problem = repo.identity_problem()
        if problem is not None:
            raise UsageError(
                f"git cannot commit here: {problem}; set user.name and user.email "
                "(git config user.name ...), or pass --no-commit"
            )
        if options.branch is not None and not options.no_branch:
            check_branch_option(repo, options.branch)
    finally:
        repo.close()


def check_branch_option(repo: GitRepo, name: str) -> None:
    """Refuse a ``--branch`` git would not create."""
    if not repo.valid_branch_name(name):
        raise UsageError(f"--branch: {name!r} is not a valid git branch name")
    clash = repo.branch_clash(name)
    if clash == name:
        raise UsageError(f"--branch: a branch named {name!r} already exists")
    if clash is not None:
        raise UsageError(f"--branch: {name!r} cannot be created beside the branch {clash!r}")


def absolute_path(root: Path, path: Path) -> Path:
    """``path`` made absolute against the run's ``root``."""
    return path if path.is_absolute() else Path(root).resolve() / path


def display_path(root: Path, path: Path) -> str:
    """``path`` relative to ``root`` when it is inside, for messages."""
    try:
        return path.relative_to(Path(root).resolve()).as_posix()
    except ValueError:
        return str(path)
