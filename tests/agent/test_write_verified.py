"""The original is imported once to verify a split; twice more only when the split differs from
that import, to tell values that change at every import from real differences."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

import pytest

from modularize.agents import journal, write_verified
from modularize.agents import verify as observe
from modularize.agents.write_verified import Checks, apply_and_verify
from tests.agent.helpers import make_task, snapshot_tree, write_tree

# Each import of the original, or of the split's package, appends one "x" to imports.log.
HEAD = """\
import os, uuid
with open({log!r}, "a") as log:
    log.write("x")
del log
"""
STEADY = "LIMIT = 5\n"
CHANGING = "TOKEN = uuid.uuid4().hex\nPID = os.getpid()\nLIMIT = 5\n"


def _repo(root: Path, values: str) -> None:
    """``pkg/big.py``: HEAD, then ``values``."""
    head = HEAD.format(log=str(root / "imports.log"))
    write_tree(root, {"pkg/__init__.py": "", "pkg/big.py": head + values})


def _outputs(root: Path, values: str, names: str = "LIMIT") -> dict[PurePosixPath, str]:
    """The split: HEAD and the names in ``__init__.py``, their ``values`` in ``_values.py``."""
    head = HEAD.format(log=str(root / "imports.log"))
    return {
        PurePosixPath("__init__.py"): f"{head}from ._values import {names}\n",
        PurePosixPath("_values.py"): f"import os, uuid\n{values}",
    }


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The snapshots verification takes, in order, by the function that takes them."""
    calls: list[str] = []

    def spy(name: str, real: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        calls.append(name)
        return real(*args, **kwargs)

    for name in ("original_snapshot", "stable_snapshot", "api_snapshot"):
        monkeypatch.setattr(observe, name, functools.partial(spy, name, getattr(observe, name)))
    return calls


@pytest.fixture
def mypy_runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[list[Path]]:
    """The project configures mypy; each run of it is recorded (and finds nothing)."""
    (tmp_path / "mypy.ini").write_text("[mypy]\n", encoding="utf-8")
    runs: list[list[Path]] = []

    def mypy_errors(python: str, config: Path, paths: list[Path]) -> list[str]:
        runs.append(list(paths))
        return []

    monkeypatch.setattr(write_verified, "mypy_errors", mypy_errors)
    return runs


def _verify(tmp_path: Path, outputs: dict[PurePosixPath, str], dry_run: bool) -> str | None:
    task = make_task(
        tmp_path,
        "pkg/big.py",
        "pkg.big",
        python=sys.executable,
        dry_run=dry_run,
        verify_cmd="echo ran >> verify.log",
    )
    reason, _ = apply_and_verify(task, outputs, Checks(mypy=True))
    return reason


def _imports(tmp_path: Path) -> int:
    return len((tmp_path / "imports.log").read_text())


RUNS = [pytest.param(False, id="in-place"), pytest.param(True, id="dry-run")]


@pytest.mark.parametrize("dry_run", RUNS)
def test_a_split_that_matches_one_import_of_the_original_needs_no_second(
    tmp_path: Path, dry_run: bool, taken: list[str], mypy_runs: list[list[Path]]
) -> None:
    _repo(tmp_path, STEADY)
    assert _verify(tmp_path, _outputs(tmp_path, STEADY), dry_run) is None
    assert taken == ["original_snapshot", "api_snapshot"]
    assert _imports(tmp_path) == 2  # the original once, the package once
    assert len(mypy_runs) == 2  # the original, then the package
    assert (tmp_path / "pkg" / "big").is_dir() is not dry_run
    assert (tmp_path / "verify.log").exists() is not dry_run


@pytest.mark.parametrize("dry_run", RUNS)
def test_values_that_change_at_each_import_take_the_second_look_and_split(
    tmp_path: Path, dry_run: bool, taken: list[str], mypy_runs: list[list[Path]]
) -> None:
    _repo(tmp_path, CHANGING)
    assert _verify(tmp_path, _outputs(tmp_path, CHANGING, "LIMIT, PID, TOKEN"), dry_run) is None
    assert taken == ["original_snapshot", "api_snapshot", "stable_snapshot", "api_snapshot"]
    assert _imports(tmp_path) == 5  # once, the package; twice more, the package again
    assert len(mypy_runs) == 2  # mypy and the command run once, on the split that is kept
    if dry_run:
        assert not (tmp_path / "pkg" / "big").exists() and not (tmp_path / "verify.log").exists()
    else:
        assert not (tmp_path / "pkg" / "big.py").exists()
        assert (tmp_path / "verify.log").read_text() == "ran\n"


@pytest.mark.parametrize("dry_run", RUNS)
def test_a_real_difference_is_rejected_for_it_alone_after_the_second_look(
    tmp_path: Path, dry_run: bool, taken: list[str], mypy_runs: list[list[Path]]
) -> None:
    _repo(tmp_path, CHANGING)
    before = snapshot_tree(tmp_path)
    broken = _outputs(tmp_path, CHANGING.replace("LIMIT = 5", "LIMIT = 6"), "LIMIT, PID, TOKEN")
    # TOKEN and PID differ from the first import too: the reason names only what is stable
    assert _verify(tmp_path, broken, dry_run) == (
        "verification failed, file left unchanged: pkg.big.LIMIT was int 5, is int 6"
    )
    assert taken == ["original_snapshot", "api_snapshot", "stable_snapshot", "api_snapshot"]
    assert len(mypy_runs) == 1  # the original's errors; the package never got that far
    assert snapshot_tree(tmp_path) == {**before, "imports.log": b"x" * 5}  # no verify.log


@pytest.mark.parametrize("dry_run", RUNS)
def test_a_split_that_does_not_import_is_rejected_without_a_second_look(
    tmp_path: Path, dry_run: bool, taken: list[str], mypy_runs: list[list[Path]]
) -> None:
    _repo(tmp_path, CHANGING)
    before = snapshot_tree(tmp_path)
    outputs = _outputs(tmp_path, CHANGING, "LIMIT, PID, TOKEN")
    outputs[PurePosixPath("__init__.py")] += "raise ImportError('half a package')\n"
    reason = _verify(tmp_path, outputs, dry_run)
    assert reason == (
        "verification failed, file left unchanged: "
        "the new package does not import: ImportError: half a package"
    )
    assert taken == ["original_snapshot", "api_snapshot"]
    assert snapshot_tree(tmp_path) == {**before, "imports.log": b"xx"}


@pytest.mark.parametrize("dry_run", RUNS)
def test_only_a_split_in_place_is_flushed_to_the_disk(
    tmp_path: Path, dry_run: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In place, every step is made durable (a power cut finds a journal to recover from); a dry
    run's copy is thrown away whatever happens, so nothing written there waits for the disk."""
    synced: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(fd), real(fd))[1])
    _repo(tmp_path, STEADY)
    task = make_task(tmp_path, "pkg/big.py", "pkg.big", python=sys.executable, dry_run=dry_run)
    assert apply_and_verify(task, _outputs(tmp_path, STEADY))[0] is None
    assert bool(synced) is not dry_run
    assert not dry_run or journal._DURABLE.get()  # durable again after the dry run
