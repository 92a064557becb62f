"""A run killed anywhere loses nothing and leaves no process behind (real processes, git).

The toy agent writes with the real safe writer (``agents/apply.py``), so a kill at each step of
a replacement (``MODULARIZE_TEST_KILL_AT``) exercises the journal the real agent uses.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from modularize.agents.journal import STEPS, recover_tree
from tests.orchestrator.conftest import (
    big_source,
    make_tree,
    run_toy,
    session_processes,
    toy_cmd,
    toy_env,
    wait_for,
)
from tests.orchestrator.toy_agent import _outputs

pytestmark = pytest.mark.slow


def _repo(tmp_path: Path, modules: int) -> Path:
    """``big1.py`` ... (module splits) and ``pkg/__init__.py`` (a package-init split), in git."""
    repo = tmp_path / "repo"
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "__init__.py").write_text(big_source(112, prefix="f0"), encoding="utf-8")
    return make_tree(repo, modules, git=True)


def _tree(repo: Path) -> dict[str, bytes]:
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file()
        and not {".git", ".modularize", "__pycache__"} & set(p.relative_to(repo).parts)
    }


def _outcomes(repo: Path) -> dict[str, tuple[dict[str, bytes], dict[str, bytes]]]:
    """Per file: (its files as they are before any split, its files as a complete split)."""
    found = {}
    for rel, data in _tree(repo).items():
        folder = rel.removesuffix("__init__.py") if rel.endswith("__init__.py") else ""
        package = folder or rel.removesuffix(".py") + "/"
        split = {package + name: text.encode() for name, text in _outputs(data.decode()).items()}
        found[rel] = ({rel: data}, split)
    return found


def _assert_whole(repo: Path, outcomes: dict[str, tuple[dict[str, bytes], dict[str, bytes]]]):
    """Each file is exactly its original or exactly its complete split; nothing else exists."""
    tree = _tree(repo)
    expected: dict[str, bytes] = {}
    for rel, (original, split) in outcomes.items():
        mine = {p: tree[p] for p in tree if p in original or p in split}
        assert mine in (original, split), f"{rel} is neither the original nor the whole split"
        expected.update(mine)
    assert tree == expected, f"left behind: {sorted(set(tree) - set(expected))}"


def _assert_no_process_left(session: int, within: float = 20) -> None:
    deadline = time.monotonic() + within
    while (left := session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"still running after the run died: {left}"


def _start(repo: Path, *args: str, **env: str) -> subprocess.Popen[bytes]:
    """The run in a session of its own; its output goes to a file (an orphaned worker would
    hold a pipe open)."""
    with open(repo.parent / "output.txt", "wb") as output:
        return subprocess.Popen(
            toy_cmd("run", ".", "--agent", "toy", "--parallel", "2", "--no-commit", *args),
            cwd=repo,
            env=toy_env(**env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # the run's session: every process it started, and theirs
        )


def _output(repo: Path) -> str:
    return (repo.parent / "output.txt").read_text(errors="replace")


@pytest.mark.parametrize("step", STEPS)
def test_a_kill_at_each_step_leaves_the_original_or_the_whole_split(
    tmp_path: Path, step: str
) -> None:
    repo = _repo(tmp_path, 1)
    outcomes = _outcomes(repo)
    proc = _start(repo, MODULARIZE_TEST_KILL_AT=step)
    proc.wait(timeout=120)
    assert proc.returncode == -signal.SIGKILL, f"not killed at {step}: {_output(repo)}"
    _assert_no_process_left(proc.pid)
    recover_tree(repo)  # what the next run does first
    _assert_whole(repo, outcomes)
    assert recover_tree(repo) == []


def _journals(repo: Path) -> list[Path]:
    return [p for p in repo.rglob(".*.modularize-journal")]


@pytest.mark.parametrize("how", ["sigkill-main", "sigterm-group"])
def test_workers_die_with_their_run_and_resume_completes(tmp_path: Path, how: str) -> None:
    # The splits are held written but uncommitted (where the real agent verifies) when the
    # run dies: the workers must restore their files and end, not commit behind a dead run.
    repo = _repo(tmp_path, 3)
    outcomes = _outcomes(repo)
    proc = _start(repo, TOY_VERIFY_DELAY="3")
    wait_for(lambda: len(_journals(repo)) == 2, timeout=60, what="two splits in progress")
    if how == "sigkill-main":
        os.kill(proc.pid, signal.SIGKILL)
    else:
        os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=60)
    _assert_no_process_left(proc.pid)
    assert _journals(repo) == [], "the workers rolled their files back before they ended"
    _assert_whole(repo, outcomes)
    resumed = run_toy(repo, "run", ".", "--agent", "toy", "--resume", "--no-commit")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    _assert_whole(repo, outcomes)
    assert sorted(_tree(repo)) == sorted(p for _, split in outcomes.values() for p in split)
