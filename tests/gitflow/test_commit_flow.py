"""ensure_clean and finalize on real git repositories, with the real ruff binary."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path

import pytest

from modularize.agents.core.errors import ExitCode, ModularizeError, UsageError
from modularize.orchestrator.commit import finalize
from modularize.orchestrator.preflight import ensure_clean
from tests.gitflow.helpers import CONFIG, ORIGINAL, Split, options
from tests.support import git

TODAY = datetime.date.today().isoformat()


def committed_files(root: Path, rev: str = "HEAD") -> set[str]:
    out = git(root, "diff-tree", "--no-commit-id", "--no-renames", "--name-status", "-r", rev)
    return {line.replace("\t", " ") for line in out.splitlines()}


def test_clean_commit_on_a_new_branch(repo: Split) -> None:
    before = git(repo.root, "rev-parse", "HEAD").strip()
    repo.apply()
    result = finalize(
        repo.root,
        repo.changed,
        repo.deleted,
        options(repo.root),
        CONFIG,
        "- pkg/big.py -> pkg/big/__init__.py, pkg/big/base.py",
    )
    assert result.committed and result.ruff_fixed == 1  # the unused "import sys"
    assert result.branch == f"modularize/{TODAY}-1-files"
    assert git(repo.root, "branch", "--show-current").strip() == result.branch
    assert git(repo.root, "rev-parse", "HEAD").strip() == result.commit_sha
    assert git(repo.root, "rev-parse", "HEAD~1").strip() == before
    assert committed_files(repo.root) == {
        "D pkg/big.py",
        "A pkg/big/__init__.py",
        "A pkg/big/base.py",
    }
    assert "import sys" not in git(repo.root, "show", "HEAD:pkg/big/base.py")
    message = git(repo.root, "log", "-1", "--format=%B")
    assert message.startswith("Split 1 oversized module into packages")
    assert "pkg/big.py -> pkg/big/__init__.py" in message
    assert git(repo.root, "status", "--porcelain") == ""
    # No ruff configuration here: E741 on the moved line is not a gate, so no noqa was added.
    assert result.noqa == () and "noqa" not in (repo.root / "pkg/big/base.py").read_text()


def test_default_message_lists_split_and_written_files(repo: Split) -> None:
    repo.apply()
    finalize(repo.root, repo.changed, repo.deleted, options(repo.root, no_branch=True), CONFIG)
    message = git(repo.root, "log", "-1", "--format=%B")
    assert "Split files:\n- pkg/big.py" in message
    assert "- pkg/big/__init__.py\n- pkg/big/base.py" in message
    assert git(repo.root, "branch", "--show-current").strip() == "main"


def test_named_branch_and_collisions(repo: Split) -> None:
    git(repo.root, "branch", f"modularize/{TODAY}-1-files")
    git(repo.root, "branch", "taken")
    repo.apply()
    with pytest.raises(UsageError, match="'taken' already exists"):
        finalize(repo.root, repo.changed, repo.deleted, options(repo.root, branch="taken"), CONFIG)
    with pytest.raises(UsageError, match="not a valid git branch name"):
        finalize(repo.root, repo.changed, repo.deleted, options(repo.root, branch="a..b"), CONFIG)
    result = finalize(repo.root, repo.changed, repo.deleted, options(repo.root), CONFIG)
    assert result.branch == f"modularize/{TODAY}-1-files-2"
    assert (
        git(repo.root, "rev-parse", "main").strip() == git(repo.root, "rev-parse", "HEAD~1").strip()
    )


def test_user_staged_work_is_kept_staged_and_out_of_the_commit(repo: Split) -> None:
    (repo.root / "other.py").write_text("VALUE = 1\n")
    (repo.root / "notes.txt").write_text("draft\n")
    git(repo.root, "add", "other.py")
    (repo.root / "other.py").write_text("VALUE = 2\n")  # staged 1, working tree 2
    repo.apply()
    result = finalize(repo.root, repo.changed, repo.deleted, options(repo.root), CONFIG)
    assert result.committed
    assert committed_files(repo.root) == {
        "D pkg/big.py",
        "A pkg/big/__init__.py",
        "A pkg/big/base.py",
    }
    assert git(repo.root, "diff", "--cached", "--name-status") == "A\tother.py\n"
    assert git(repo.root, "show", ":other.py") == "VALUE = 1\n"
    assert (repo.root / "other.py").read_text() == "VALUE = 2\n"
    assert git(repo.root, "status", "--porcelain", "--", "notes.txt") == "?? notes.txt\n"


def test_no_commit_stops_after_the_ruff_steps(repo: Split) -> None:
    before = git(repo.root, "rev-parse", "HEAD").strip()
    repo.apply()
    result = finalize(
        repo.root, repo.changed, repo.deleted, options(repo.root, no_commit=True), CONFIG
    )
    assert result.ruff_fixed == 1 and not result.committed and result.commit_sha is None
    assert "import sys" not in (repo.root / "pkg/big/base.py").read_text()
    assert git(repo.root, "rev-parse", "HEAD").strip() == before
    assert git(repo.root, "diff", "--cached", "--name-only") == ""
    assert git(repo.root, "branch", "--show-current").strip() == "main"


def test_outside_git_ruff_runs_and_commit_is_skipped(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "big.py").write_text(ORIGINAL)
    ensure_clean(root, [root / "pkg/big.py"], allow_dirty=False)  # nothing to check: no raise
    split = Split(
        root, [root / "pkg/big/__init__.py", root / "pkg/big/base.py"], [root / "pkg/big.py"]
    ).apply()
    result = finalize(root, split.changed, split.deleted, options(root), CONFIG)
    assert result.ruff_fixed == 1 and not result.committed and result.branch is None
    assert any("not a git repository" in n for n in result.notices)
    assert "import sys" not in (root / "pkg/big/base.py").read_text()
    assert not (root / ".git").exists() and not (root / ".ruff_cache").exists()


@pytest.mark.parametrize("state", ["modified", "staged", "untracked", "deleted"])
def test_refuses_a_dirty_file_and_names_it(repo: Split, state: str) -> None:
    target = repo.root / ("pkg/new.py" if state == "untracked" else "pkg/big.py")
    if state == "deleted":
        target.unlink()
    else:
        target.write_text(ORIGINAL + "\n# edited\n")
    if state == "staged":
        git(repo.root, "add", "pkg/big.py")
    files = [Path("pkg/__init__.py"), target.relative_to(repo.root)]
    rel = target.relative_to(repo.root).as_posix()
    expected = f"{rel}: has uncommitted changes; commit or stash them, or pass --allow-dirty"
    with pytest.raises(UsageError) as caught:
        ensure_clean(repo.root, files, allow_dirty=False)
    assert str(caught.value) == expected
    ensure_clean(repo.root, files, allow_dirty=True)


def test_clean_and_not_yet_written_files_pass(repo: Split) -> None:
    (repo.root / "elsewhere.py").write_text("dirty = True\n")  # dirty, but not ours
    ensure_clean(repo.root, [repo.root / "pkg/big.py", repo.root / "pkg/big/base.py"], False)


def test_commit_failure_from_git_is_a_user_error(repo: Split) -> None:
    hook = repo.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'installed hook says no' >&2\nexit 1\n")
    hook.chmod(0o755)
    repo.apply()
    with pytest.raises(ModularizeError) as caught:
        finalize(repo.root, repo.changed, repo.deleted, options(repo.root), CONFIG)
    assert "installed hook says no" in str(caught.value)
    assert caught.value.exit_code == ExitCode.FINDINGS
    assert (
        subprocess.run(
            ["git", "diff", "--cached", "--quiet", "HEAD"], cwd=repo.root, check=False
        ).returncode
        == 1
    )  # the split stays staged
