"""Real git in odd states: an operation under way, no identity, branch names that clash."""

from __future__ import annotations

import datetime
import os
import subprocess
from pathlib import Path

import pytest

from tests.orchestrator.conftest import make_tree, run_toy
from tests.support import git

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _no_state_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODULARIZE_STATE_URL", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


def _diverged(root: Path) -> Path:
    """big1.py on main, plus ``note.txt`` changed one way on main and another on ``other``."""
    make_tree(root, 1, git=True)
    (root / "note.txt").write_text("base\n")
    git(root, "add", "note.txt")
    git(root, "commit", "-q", "-m", "note")
    git(root, "checkout", "-q", "-b", "other")
    (root / "note.txt").write_text("other\n")
    (root / "other.txt").write_text("new\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "other")
    git(root, "checkout", "-q", "main")
    (root / "note.txt").write_text("main\n")
    git(root, "commit", "-q", "-am", "main")
    return root


def _try(root: Path, *args: str) -> None:
    """A git command that may stop half-way (a conflict): that is the point."""
    subprocess.run(["git", *args], cwd=root, capture_output=True, check=False)


OPERATIONS = {
    "merge": ("merge", "--no-ff", "--no-commit", "other"),
    "rebase": ("rebase", "other"),
    "cherry-pick": ("cherry-pick", "other"),
    "revert": ("revert", "--no-commit", "HEAD"),
    "bisect": ("bisect", "start"),
}


def _snapshot(root: Path) -> tuple[str, ...]:
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if ".git" not in p.parts)
    return (
        git(root, "status", "--porcelain=v1", "--ignored", "--untracked-files=all"),
        git(root, "for-each-ref"),
        git(root, "rev-parse", "HEAD"),
        (root / ".git" / "HEAD").read_text(),
        "\n".join(files),
    )


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_a_git_operation_under_way_is_refused_and_nothing_changes(
    tmp_path: Path, operation: str
) -> None:
    root = _diverged(tmp_path / "repo")
    _try(root, *OPERATIONS[operation])
    before = _snapshot(root)
    done = run_toy(root, "run", ".", "--agent", "toy")
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.strip().splitlines()
    assert f"a git {operation} is in progress" in line
    assert _snapshot(root) == before
    assert not (root / ".modularize").exists()


def test_no_git_identity_is_refused_before_any_work(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", 2, git=True)
    git(root, "config", "--unset", "user.name")
    git(root, "config", "--unset", "user.email")
    git(root, "config", "user.useConfigOnly", "true")
    env = {"GIT_CONFIG_GLOBAL": os.devnull}
    before = _snapshot(root)
    done = run_toy(root, "run", ".", "--agent", "toy", **env)
    assert done.returncode == 2, done.stdout + done.stderr
    [line] = done.stderr.strip().splitlines()
    assert "git cannot commit here" in line and "user.email" in line
    assert _snapshot(root) == before
    no_commit = run_toy(root, "run", ".", "--agent", "toy", "--no-commit", **env)
    assert no_commit.returncode == 0, no_commit.stderr  # --no-commit needs no identity
    assert (root / "big1" / "__init__.py").is_file()


def _commit_branch(root: Path) -> str:
    return git(root, "branch", "--show-current").strip()


def test_branch_name_beside_a_folder_of_branches(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", 1, git=True)
    taken = f"modularize/{datetime.date.today().isoformat()}-1-files"
    git(root, "branch", f"{taken}/sub")
    done = run_toy(root, "run", ".", "--agent", "toy")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _commit_branch(root) == f"{taken}-2"
    assert git(root, "log", "-1", "--format=%s").startswith("Split 1 oversized module")
    assert not (root / "big1.py").exists()


def test_a_branch_called_modularize_leaves_room_for_ours(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", 1, git=True)
    git(root, "branch", "modularize")
    done = run_toy(root, "run", ".", "--agent", "toy")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _commit_branch(root) == f"modularize-{datetime.date.today().isoformat()}-1-files"


def test_branch_option_that_clashes_is_refused_before_any_work(tmp_path: Path) -> None:
    root = make_tree(tmp_path / "repo", 1, git=True)
    git(root, "branch", "topic/split/x")
    done = run_toy(root, "run", ".", "--agent", "toy", "--branch", "topic/split")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "beside the branch 'topic/split/x'" in done.stderr
    assert (root / "big1.py").is_file() and not (root / "big1").exists()
