"""Tasks, the executor choice, results instead of exceptions, interrupts, progress display."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest
from rich.console import Console

import tests.orchestrator.toy_agent  # noqa: F401 - registers "toy" and "crash"
from modularize.agents.base import Status
from modularize.agents.core.config import Config
from modularize.orchestrator.console import RunProgress
from modularize.orchestrator.options import RunOptions
from modularize.orchestrator.scheduler import (
    Hooks,
    InterruptGuard,
    SerialExecutor,
    build_task,
    execute,
    executor_for,
    run_agent,
)


def test_the_executor_is_serial_for_one_worker_or_one_file() -> None:
    assert isinstance(executor_for(1, 10), SerialExecutor)
    assert isinstance(executor_for(4, 1), SerialExecutor)
    pool = executor_for(2, 10)
    assert isinstance(pool, ProcessPoolExecutor) and pool._max_workers == 2
    pool.shutdown()


# In a fresh interpreter: a process has one forkserver, and a test run's may already be up.
_FIRST_TASK_SEES = """
import sys
from modularize.orchestrator.scheduler import executor_for
from modularize.orchestrator.workers import start_workers
start_workers(int(sys.argv[1]), "libcst")
from multiprocessing import forkserver
print(forkserver._forkserver._forkserver_pid is not None)
with executor_for(2, 2) as pool:
    loaded = pool.submit(eval, "[m in __import__('sys').modules for m in %r]" % sys.argv[2:])
    print(loaded.result())
"""


@pytest.mark.parametrize(
    ("workers", "started"),
    [pytest.param(2, True, id="pool"), pytest.param(1, False, id="serial")],
)
def test_workers_start_with_the_agent_loaded(workers: int, started: bool) -> None:
    """The forkserver loads the agent while the run prepares: the first task finds LibCST and
    the planner loaded; a run that splits in its own process starts no forkserver."""
    modules = ["libcst", "modularize.agents.libcst_agent", "modularize.agents.engine.planner"]
    modules.append("modularize.orchestrator.scheduler")  # run_agent, what every task runs
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_TASK_SEES, str(workers), *modules],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split("\n")[:2] == [str(started), str([started] * len(modules))]


def test_a_task_names_the_file_module_and_agent(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "big.py").write_text("x = 1\n" * 450)
    options = RunOptions(paths=(tmp_path,), dry_run=True, python="/usr/bin/python3")
    task = build_task(tmp_path / "pkg" / "big.py", tmp_path, Config(agent="toy"), options)
    assert (task.path, task.module, task.import_root) == ("pkg/big.py", "pkg.big", str(tmp_path))
    assert task.description == "Split pkg/big.py (450 lines) into a package"
    assert task.subagent_type == "toy" and task.dry_run and task.python == "/usr/bin/python3"
    assert "Split `pkg/big.py` (module `pkg.big`, 450 lines)" in task.prompt
    assert "Mode: dry run" in task.prompt


@pytest.mark.parametrize(
    ("parallel", "order"),
    [
        pytest.param(1, ["a.py", "b.py", "c.py"], id="serial-keeps-the-order"),
        pytest.param(2, ["b.py", "c.py", "a.py"], id="pool-starts-the-largest"),
    ],
)
def test_the_order_files_start_in(tmp_path: Path, parallel: int, order: list[str]) -> None:
    for name, lines in (("a.py", 410), ("b.py", 900), ("c.py", 600)):
        (tmp_path / name).write_text("x = 1\n" * lines)
    options = RunOptions(paths=(tmp_path,))
    tasks = [build_task(tmp_path / n, tmp_path, Config(agent="toy"), options) for n in order]
    tasks.sort(key=lambda t: t.path)
    claimed: list[str] = []

    def claim(task: object) -> bool:
        claimed.append(getattr(task, "path", ""))
        return False  # nothing runs: only the order is looked at

    hooks = Hooks(claim, print, print, print, print, Config)
    assert execute(tasks, parallel, hooks) == 0
    assert claimed == order


def test_an_agent_that_raises_becomes_a_failed_result(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("x = 1\n")
    task = build_task(
        tmp_path / "big.py", tmp_path, Config(agent="crash"), RunOptions(paths=(tmp_path,))
    )
    result = run_agent(task, Config(agent="crash"))
    assert result.status == Status.FAILED
    assert result.reason == "the agent crashed: RuntimeError: cannot cope with big.py"
    assert "Traceback" in result.traceback and "RuntimeError" in result.traceback


def test_a_signal_inside_a_protected_block_is_delivered_after_it() -> None:
    guard = InterruptGuard()
    reached_end = False
    with guard.installed(), pytest.raises(KeyboardInterrupt):
        with guard.protected():
            os.kill(os.getpid(), signal.SIGTERM)
            reached_end = True  # the block is never cut in half
    assert reached_end and guard.count == 1
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_progress_on_a_terminal_shows_a_line_per_running_agent() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, color_system=None, width=100)
    with RunProgress(2, console=console) as progress:
        assert progress.live
        progress.started("pkg/big.py", "libcst")
        progress._progress.refresh()
        started = out.getvalue()
        progress.stage("pkg/big.py", "verify")
        progress._progress.refresh()
        progress.finished("pkg/big.py", "split", "5 modules", 1.25)
    text = out.getvalue()
    assert "pkg/big.py libcst: start" in started
    assert "pkg/big.py libcst: verify" in text[len(started) :]  # the row follows the agent
    assert "split   pkg/big.py: 5 modules (1.2 s)" in text or "(1.3 s)" in text


def test_progress_is_silent_when_quiet() -> None:
    out = io.StringIO()
    with RunProgress(1, quiet=True, console=Console(file=out, force_terminal=True)) as progress:
        progress.started("a.py", "libcst")
        progress.finished("a.py", "failed", "boom", 0.1)
    assert out.getvalue() == ""
