"""Tasks and the executor: the one place that decides serial or process pool.

``--parallel 1`` runs each agent in this process, serially (what unit tests use); more runs a
``ProcessPoolExecutor``. Workers return results, never raise (``run_agent``); an interrupt is
the one thing that propagates. Work is claimed in the state store only when a worker slot is
free, so several ``modularize run`` processes pointed at one store share the files.
"""

from __future__ import annotations

import contextlib
import dataclasses
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import FrameType
from typing import Any

from modularize import templates
from modularize.agents.base import AgentResult, Status, Task
from modularize.agents.core.config import Config
from modularize.agents.core.discovery import module_name_for
from modularize.agents.core.source import count_file_lines
from modularize.orchestrator.options import RunOptions
from modularize.orchestrator.state import StateStore, open_store
from modularize.orchestrator.state.memory import MemoryStore
from modularize.orchestrator.workers import running_agent, start_method, worker_init


def build_task(path: Path, root: Path, config: Config, options: RunOptions) -> Task:
    """The Task for one file: description, subagent_type and a prompt from the template."""
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    module, import_root = module_name_for(path)
    lines = count_file_lines(path) if path.is_file() else 0
    budgets = ", ".join(f"{role} {limit}" for role, limit in config.budgets.items())
    prompt = templates.render(
        "prompts/task.md",
        path=relative,
        module=module,
        lines=lines,
        threshold=config.threshold,
        root=root,
        import_root=import_root,
        budgets=budgets,
        mode="dry run (verify in a temporary copy, write nothing)" if options.dry_run else "write",
    )
    return Task(
        description=f"Split {relative} ({lines} lines) into a package",
        subagent_type=config.agent,
        prompt=prompt,
        path=relative,
        root=str(root.resolve()),
        module=module,
        import_root=str(import_root),
        dry_run=options.dry_run,
        python=options.python,
        verify_cmd=options.verify_cmd,
        verify_timeout=options.verify_timeout,
        plan_file=str(options.plan_file.resolve()) if options.plan_file else None,
    )


def run_agent(task: Task, config: Config) -> AgentResult:
    """The worker entry point: the agent's result, or FAILED with the traceback; never raises."""
    from modularize.agents import get_agent

    started = time.perf_counter()
    with running_agent():
        try:
            store, notes = shared_store(config, task)
            _report_stages_through(store, task)
            result = get_agent(task.subagent_type).run(task, config, store)
            result = dataclasses.replace(result, warnings=(*result.warnings, *notes))
            return repo_relative(result, task.root)
        except Exception as exc:  # noqa: BLE001 - results, not exceptions, cross processes
            return AgentResult(
                path=task.path,
                status=Status.FAILED,
                agent=task.subagent_type,
                reason=f"the agent crashed: {type(exc).__name__}: {exc}",
                traceback=traceback.format_exc(),
                seconds=time.perf_counter() - started,
            )


def repo_relative(result: AgentResult, root: str) -> AgentResult:
    """Reports name the repository's files by their paths in it, not by this machine's."""
    prefixes = sorted({root, str(Path(root).resolve())}, key=len, reverse=True)

    def relative(text: str) -> str:
        for prefix in prefixes:
            text = text.replace(prefix + os.sep, "").replace(prefix, ".")
        return text

    return dataclasses.replace(
        result, reason=relative(result.reason), warnings=tuple(map(relative, result.warnings))
    )


STAGES = "stages"  # state-store namespace: "<root>::<path>" -> the stage its agent is at
_STORES: dict[str, StateStore] = {}


def stage_key(task: Task) -> str:
    return f"{task.root}::{task.path}"


def shared_store(config: Config, task: Task) -> tuple[StateStore, tuple[str, ...]]:
    """The run's state store in this process (opened once), and notes about opening it.

    The pipeline hands workers ``config.state`` = the run store's descriptor. When that store
    cannot be opened, a store of this process is better than none: say so, once per process.
    """
    cache_key = config.state or f"default {task.root} {task.dry_run}"
    if cache_key in _STORES:
        return _STORES[cache_key], ()
    notes: list[str] = []
    try:
        store = open_store(config.state, Path(task.root), task.dry_run, on_fallback=notes.append)
    except Exception as exc:  # noqa: BLE001 - any store trouble: keep going, say so
        notes.append(
            f"circuit breaker state is per process: cannot open the state store "
            f"({type(exc).__name__}: {exc})"
        )
        store = MemoryStore()
    _STORES[cache_key] = store
    return store, tuple(notes)


def close_shared_stores() -> None:
    """Close the stores ``shared_store`` opened in this process (a serial run's agents)."""
    while _STORES:
        _STORES.popitem()[1].close()


def _report_stages_through(store: StateStore, task: Task) -> None:
    """In a worker process, agents' stage reports go to the run's store for the main process
    to show; in the main process the pipeline listens directly."""
    from modularize.agents.base import listen_for_stages

    if multiprocessing.parent_process() is None:
        return
    listen_for_stages(lambda path, stage: store.kv_set(STAGES, stage_key(task), stage))


class SerialExecutor(Executor):
    """Runs each call at submit time, in this process (``--parallel 1``)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))  # an interrupt propagates from here
        return future


def _uses_pool(parallel: int, jobs: int) -> bool:
    return parallel > 1 and jobs > 1


def executor_for(parallel: int, jobs: int) -> Executor:
    """THE choice of executor: serial for one worker, else a pool of worker processes."""
    if not _uses_pool(parallel, jobs):
        return SerialExecutor()
    context = multiprocessing.get_context(start_method())
    return ProcessPoolExecutor(
        max_workers=min(parallel, jobs),
        mp_context=context,
        initializer=worker_init,
        initargs=(os.getpid(),),  # workers end when this process ends, however it ends
    )


class InterruptGuard:
    """SIGINT and SIGTERM become KeyboardInterrupt, but never inside a ``protected`` block."""

    def __init__(self) -> None:
        self.count = 0
        self._depth = 0
        self._pending = False
        self._saved: dict[signal.Signals, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self.count += 1
        if self._depth:
            self._pending = True
            return
        raise KeyboardInterrupt

    @contextlib.contextmanager
    def installed(self) -> Iterator[InterruptGuard]:
        """Install the handlers for the duration of the block (main thread only)."""
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._saved[sig] = signal.signal(sig, self._handle)
        try:
            yield self
        finally:
            for sig, handler in self._saved.items():
                signal.signal(sig, handler)

    @contextlib.contextmanager
    def protected(self) -> Iterator[None]:
        """Recording a finished file must not be cut in half by a signal."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if not self._depth and self._pending:
                self._pending = False
                raise KeyboardInterrupt


@dataclasses.dataclass
class Hooks:
    """What the scheduler tells the pipeline, and asks it."""

    claim: Callable[[Task], bool]
    started: Callable[[Task], None]
    finished: Callable[[Task, AgentResult], None]
    aborted: Callable[[Task], None]
    interrupted: Callable[[int], None]
    config_for: Callable[[], Config]
    guard: InterruptGuard = dataclasses.field(default_factory=InterruptGuard)
    # Paths that were running when a worker died: retried once, alone, then failed.
    suspects: set[str] = dataclasses.field(default_factory=set)
    # Called with the running tasks between waits (the pipeline shows their stages).
    poll: Callable[[list[Task]], None] | None = None


def _may_submit(task: Task, running: dict[Future[AgentResult], Task], suspects: set[str]) -> bool:
    if any(t.path in suspects for t in running.values()):
        return False  # a suspect runs alone, so a second death names the culprit
    return task.path not in suspects or not running


def execute(tasks: Iterable[Task], parallel: int, hooks: Hooks) -> int:
    """Run the tasks this process can claim, at most ``parallel`` at once; returns how many.

    On an interrupt no new task starts; running pool tasks may finish (a second interrupt
    aborts them), then KeyboardInterrupt propagates to the caller.
    """
    queue = _largest_first(list(tasks)) if parallel > 1 else list(tasks)
    queue.reverse()  # pop() from the end keeps the order
    ran = 0
    with executor_for(parallel, len(queue)) as pool:
        running: dict[Future[AgentResult], Task] = {}
        try:
            while queue or running:
                while (
                    queue
                    and len(running) < max(parallel, 1)
                    and _may_submit(queue[-1], running, hooks.suspects)
                ):
                    task = queue.pop()
                    if not hooks.claim(task):
                        continue
                    hooks.started(task)
                    ran += 1
                    try:
                        running[pool.submit(run_agent, task, hooks.config_for())] = task
                    except KeyboardInterrupt:
                        hooks.aborted(task)
                        raise
                    except BrokenProcessPool:
                        hooks.aborted(task)  # a new pool takes it on the caller's next pass
                        queue.clear()
                        break
                    _collect(running, hooks, timeout=0)
                _collect(running, hooks, timeout=0.5)
                if hooks.poll is not None and running:
                    hooks.poll(list(running.values()))
        except KeyboardInterrupt:
            _drain(pool, running, hooks)
            raise
    return ran


def _largest_first(tasks: list[Task]) -> list[Task]:
    """Biggest files first, so that the workers finish together rather than one of them
    starting the largest file last (a serial run keeps the given order)."""

    def size(task: Task) -> int:
        try:
            return (Path(task.root) / task.path).stat().st_size
        except OSError:
            return 0

    return sorted(tasks, key=size, reverse=True)


def _collect(running: dict[Future[AgentResult], Task], hooks: Hooks, timeout: float) -> None:
    if not running:
        return
    done, _ = wait(list(running), timeout=timeout, return_when=FIRST_COMPLETED)
    for future in done:
        task = running.pop(future)
        error = future.exception()
        with hooks.guard.protected():
            if error is None:
                hooks.finished(task, future.result())
            elif isinstance(error, KeyboardInterrupt):
                hooks.aborted(task)
            elif task.path in hooks.suspects:  # died again, alone: this file kills workers
                hooks.finished(task, _worker_died(task, error))
            else:  # a worker died (killed, out of memory): retry once, alone
                hooks.suspects.add(task.path)
                hooks.aborted(task)


def _worker_died(task: Task, error: BaseException) -> AgentResult:
    return AgentResult(
        path=task.path,
        status=Status.FAILED,
        agent=task.subagent_type,
        reason=f"the worker process died while splitting it ({type(error).__name__}: {error})",
        traceback="".join(traceback.format_exception(error)),
    )


def _drain(pool: Executor, running: dict[Future[AgentResult], Task], hooks: Hooks) -> None:
    """Let running pool tasks finish (recording them); a second interrupt aborts them."""
    if running:
        hooks.interrupted(len(running))
    try:
        while running:
            _collect(running, hooks, timeout=0.5)
    except KeyboardInterrupt:
        _terminate_workers(pool)
        for future, task in list(running.items()):
            try:
                result = future.result(timeout=30)
            except BaseException:  # noqa: BLE001 - an aborted task is released, whatever ended it
                hooks.aborted(task)
            else:
                hooks.finished(task, result)
        running.clear()
    if isinstance(pool, ProcessPoolExecutor):
        pool.shutdown(wait=True, cancel_futures=True)


def _terminate_workers(pool: Executor) -> None:
    # The pool has no public handle on its workers; SIGTERM makes each agent roll back.
    for process in getattr(pool, "_processes", {}).values():
        if process.pid is not None and process.is_alive():
            os.kill(process.pid, signal.SIGTERM)
