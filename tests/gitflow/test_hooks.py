"""Real pre-commit with ``repo: local`` hooks (no network): fixing hooks, failing hooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from modularize.agents.core.errors import ExitCode, ModularizeError
from modularize.orchestrator.commit import finalize
from tests.gitflow.helpers import CONFIG, Split, options, split_repo
from tests.support import git

FIXING_HOOK = """\
repos:
- repo: local
  hooks:
  - id: fix-markers
    name: fix markers
    language: system
    entry: sed -i s/MARKER_OLD/MARKER_NEW/
    types: [python]
"""

FAILING_HOOK = """\
repos:
- repo: local
  hooks:
  - id: always-fail
    name: always fail
    language: fail
    entry: "boom: this hook never passes"
    files: \\.py$
"""


def hooked_repo(tmp_path: Path, config: str) -> Split:
    """A repository whose pre-commit configuration is committed, with the split applied."""
    extra = {".pre-commit-config.yaml": config, "other.py": "# MARKER_OLD, not ours\n"}
    split = split_repo(tmp_path / "repo", extra).apply()
    base = split.root / "pkg/big/base.py"
    base.write_text(base.read_text() + "# MARKER_OLD\n")
    return split


def test_hook_fixes_are_restaged_and_committed(tmp_path: Path) -> None:
    repo = hooked_repo(tmp_path, FIXING_HOOK)
    result = finalize(repo.root, repo.changed, repo.deleted, options(repo.root), CONFIG)
    assert result.committed and result.follow_ups == ()
    assert "# MARKER_NEW" in git(repo.root, "show", "HEAD:pkg/big/base.py")
    assert git(repo.root, "status", "--porcelain") == ""
    # The hook saw only the files the run wrote: other.py is untouched.
    assert (repo.root / "other.py").read_text() == "# MARKER_OLD, not ours\n"
    assert "fix markers" in result.hook_output


def test_failing_hook_stops_with_the_split_staged(tmp_path: Path) -> None:
    repo = hooked_repo(tmp_path, FAILING_HOOK)
    before = git(repo.root, "rev-parse", "HEAD").strip()
    with pytest.raises(ModularizeError) as caught:
        finalize(repo.root, repo.changed, repo.deleted, options(repo.root), CONFIG)
    message = str(caught.value)
    assert caught.value.exit_code == ExitCode.FINDINGS
    assert "always-fail" in message and "boom: this hook never passes" in message
    assert "staged" in message
    assert git(repo.root, "rev-parse", "HEAD").strip() == before
    staged = git(repo.root, "diff", "--cached", "--no-renames", "--name-status").splitlines()
    assert staged == ["D\tpkg/big.py", "A\tpkg/big/__init__.py", "A\tpkg/big/base.py"]
    assert git(repo.root, "diff", "--name-only") == ""  # what is staged is the whole split
    assert (repo.root / "pkg/big/base.py").is_file() and not (repo.root / "pkg/big.py").exists()


def test_failing_hook_with_allow_no_verify_commits_and_records_a_follow_up(tmp_path: Path) -> None:
    repo = hooked_repo(tmp_path, FAILING_HOOK)
    before = git(repo.root, "rev-parse", "HEAD").strip()
    result = finalize(
        repo.root, repo.changed, repo.deleted, options(repo.root, allow_no_verify=True), CONFIG
    )
    assert result.committed
    assert git(repo.root, "rev-parse", "HEAD~1").strip() == before
    assert len(result.follow_ups) == 1
    follow_up = result.follow_ups[0]
    assert follow_up.startswith("fix before opening the PR: hook always-fail failed:")
    assert "boom: this hook never passes" in follow_up
    assert git(repo.root, "status", "--porcelain") == ""
