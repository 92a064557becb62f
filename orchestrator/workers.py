"""Pool workers live and die with their run.

A worker that outlives the main process (SIGKILL, out of memory) would keep splitting files
nobody records, and hold the forkserver and the resource tracker alive with it. So each worker
gets the parent-death signal (Linux ``PR_SET_PDEATHSIG``) and a watchdog thread that waits for
the main process to end (a pidfd where the kernel has one, else a poll). When it ends, an idle
worker exits at once; a busy one is sent SIGTERM, so its agent rolls the file back, and exits
after that (or after ``ROLLBACK_GRACE`` seconds). SIGTERM from the run itself (a second
Ctrl-C, or SIGTERM to the process group) means the same: roll back, then stop.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing.util
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator
from types import FrameType

from modularize.agents import snapshot_server
from modularize.agents.journal import process_alive

ROLLBACK_GRACE = 30.0  # seconds an orphaned worker may spend restoring its file
_POLL = 0.25  # seconds between looks at the main process where there is no pidfd
_PR_SET_PDEATHSIG = 1

_lock = threading.Lock()
_busy = False  # is an agent running in this worker now? (decides what SIGTERM means)
_stopping = False  # a SIGTERM already asked the running agent to stop
_orphaned = False  # the main process is gone: no result will ever be read


def set_parent_death_signal(signum: int) -> bool:
    """Ask the kernel to send ``signum`` when this process's parent ends (Linux only)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        done: int = libc.prctl(_PR_SET_PDEATHSIG, signum, 0, 0, 0)
        return done == 0
    except (OSError, AttributeError):
        return False


def collect_less() -> None:
    """Run the young-generation collector every 50,000 allocations instead of 700: LibCST
    builds and drops trees of frozen nodes that refcounting frees, so most collections find
    nothing (about 9% of a split's CPU on the stdlib; the same peak memory)."""
    gc.set_threshold(50_000, 20, 20)


def start_method() -> str:
    # forkserver: workers never inherit the main process's threads (Rich refresh) or sockets.
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


def start_workers(workers: int, agent: str) -> None:
    """Start the forkserver now, with the agent's modules loaded in it, when ``workers`` (more
    than one) will split in a pool: it loads LibCST and the planner (about 0.2 s) while this
    process prepares the run, and each worker is a fork of it, ready at once, instead of a
    process that loads them itself after its first file is handed out. Starting it again does
    nothing. Without a forkserver (``spawn``), nothing to do."""
    if workers < 2 or start_method() != "forkserver":
        return
    from multiprocessing import forkserver

    from modularize.agents import agent_modules

    context = multiprocessing.get_context("forkserver")
    # __main__ is the default's (CPython 3.11 never hands the forkserver the main path, so it
    # is loaded there only on versions that do); then the module of the function tasks run
    preload = ["__main__", "modularize.orchestrator.scheduler", *agent_modules(agent)]
    context.set_forkserver_preload(preload)  # a module that fails to import is skipped
    forkserver.ensure_running()  # the first worker waits until it has loaded


def worker_init(main_pid: int) -> None:
    """The pool initializer: signals mean what this module says, and a watchdog on the run."""
    collect_less()
    # Ctrl-C reaches the whole process group; only the main process decides what it means.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    set_parent_death_signal(signal.SIGTERM)
    # a worker ends without atexit: its snapshot server is waited for (its CPU counted) here
    multiprocessing.util.Finalize(None, snapshot_server.close_all, exitpriority=0)
    watchdog = threading.Thread(
        target=_watch, args=(main_pid,), name="modularize-watchdog", daemon=True
    )
    watchdog.start()


@contextlib.contextmanager
def running_agent() -> Iterator[None]:
    """Mark an agent as running; an orphaned worker takes no task and exits after one."""
    global _busy, _stopping
    with _lock:
        if _orphaned:
            os._exit(1)
        _busy = True
    try:
        yield
    finally:
        with _lock:
            _busy, _stopping = False, False
            orphaned = _orphaned
        if orphaned:
            os._exit(1)  # the file is rolled back; nobody is left to read a result


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    global _stopping
    if not _busy:
        raise SystemExit(0)
    if not _stopping:  # a second SIGTERM must not cut the rollback of the first in half
        _stopping = True
        raise KeyboardInterrupt


def _watch(main_pid: int) -> None:
    global _orphaned
    wait_for_exit(main_pid)
    with _lock:
        _orphaned = True
        busy = _busy
    if not busy:
        os._exit(1)
    os.kill(os.getpid(), signal.SIGTERM)  # the agent restores its file, then running_agent exits
    time.sleep(ROLLBACK_GRACE)
    os._exit(1)


def wait_for_exit(pid: int) -> None:
    """Block until process ``pid`` has ended (immediately if it already has)."""
    pidfd_open = getattr(os, "pidfd_open", None)
    if pidfd_open is not None:
        try:
            fd = pidfd_open(pid)
        except ProcessLookupError:
            return
        except OSError:
            pass  # an old kernel: poll instead
        else:
            try:
                select.select([fd], [], [])  # readable once the process has exited
            finally:
                os.close(fd)
            return
    while process_alive(pid):
        time.sleep(_POLL)
