"""Run identity on a shared Redis: runs belong to a checkout, never to a folder name."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from tests.orchestrator.conftest import make_tree, run_toy, toy_cmd, toy_env

pytestmark = [pytest.mark.slow, pytest.mark.redis]

IDENTITY = {
    "GIT_AUTHOR_NAME": "T",
    "GIT_AUTHOR_EMAIL": "t@example.com",
    "GIT_COMMITTER_NAME": "T",
    "GIT_COMMITTER_EMAIL": "t@example.com",
}


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def _start(repo: Path, url: str, report: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        toy_cmd("run", ".", "--agent", "toy", "--state", url, "--json", str(report)),
        cwd=repo,
        env=toy_env(**IDENTITY, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _split_commits(repo: Path) -> list[tuple[int, list[str]]]:
    """(count in the subject, modules the commit deletes) for each commit of ours."""
    found = []
    for sha in _git(repo, "rev-list", "HEAD").split():
        subject = _git(repo, "log", "-1", "--format=%s", sha)
        match = re.match(r"Split (\d+) oversized module", subject)
        if match:
            names = _git(
                repo, "show", "--no-renames", "--name-status", "--format=", sha
            ).splitlines()
            gone = sorted(line.split("\t")[1] for line in names if line.startswith("D\t"))
            found.append((int(match.group(1)), gone))
    return found


def test_two_repositories_called_backend_on_one_redis_each_split_all_their_files(
    tmp_path: Path, redis_url: str
) -> None:
    repos = [
        make_tree(tmp_path / side / "backend", count, git=True)
        for side, count in (("a", 3), ("b", 4))
    ]
    procs = [
        _start(repo, redis_url, tmp_path / f"r{i}.json", TOY_DELAY="0.4")
        for i, repo in enumerate(repos)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    for repo, count in zip(repos, (3, 4), strict=True):
        assert sorted(p.name for p in repo.iterdir() if not p.name.startswith(".")) == [
            f"big{i}" for i in range(1, count + 1)
        ]
        assert _split_commits(repo) == [(count, [f"big{i}.py" for i in range(1, count + 1)])]
    for i, count in enumerate((3, 4)):
        report = (tmp_path / f"r{i}.json").read_text()
        assert report.count('"status": "split"') == count


def test_two_processes_on_one_repository_commit_only_what_each_commit_holds(
    tmp_path: Path, redis_url: str
) -> None:
    repo = make_tree(tmp_path / "repo", 6, git=True)
    # A slow commit (a hook holds git's index lock meanwhile): the other process must wait
    # for it rather than fail on the lock or sweep the first one's files into its own subject.
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\nsleep 2\n")
    hook.chmod(0o755)
    procs = [_start(repo, redis_url, tmp_path / f"r{i}.json", TOY_DELAY="0.5") for i in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    commits = _split_commits(repo)
    assert commits, outputs
    for count, gone in commits:
        assert count == len(gone), commits  # the subject names exactly what the commit holds
    assert sorted(g for _, gone in commits for g in gone) == [f"big{i}.py" for i in range(1, 7)]
    assert _git(repo, "status", "--porcelain") == ""


def test_resume_finds_only_a_run_of_the_same_repository(tmp_path: Path, redis_url: str) -> None:
    first = make_tree(tmp_path / "a" / "backend", 2, git=True)
    other = make_tree(tmp_path / "b" / "backend", 2, git=True)
    done = run_toy(first, "run", ".", "--agent", "toy", "--state", redis_url, "--no-commit")
    assert done.returncode == 0, done.stderr
    resumed = run_toy(other, "run", ".", "--agent", "toy", "--state", redis_url, "--resume")
    assert resumed.returncode == 2, resumed.stdout + resumed.stderr
    assert "no earlier run of this repository" in resumed.stderr
    assert (other / "big1.py").is_file() and not (other / "big1").exists()
    status = run_toy(other, "status", "--state", redis_url)
    assert status.returncode == 2 and "no run recorded" in status.stderr
