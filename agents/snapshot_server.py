"""Snapshot servers: a clean interpreter that forks one child per import snapshot.

Starting an interpreter and importing what the snapshot script needs costs more than most
snapshots. So each process of ours keeps one server per Python (and environment), started
lazily and reused across files: an interpreter that has loaded only standard modules, nothing
of the project (it checks), and forks a child per snapshot that runs the script as a fresh
``python -c`` would (``snapshot_server_script`` says how). A server that died is started
again; servers are closed at exit (``close_all``, which pool workers call too: waiting for a
server counts its CPU time, and its children's, in ours). Where there is no fork, or the
interpreter cannot run a server, ``run`` raises Unavailable and the caller starts a fresh
interpreter, as it does for a snapshot a server cannot take.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import threading
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from modularize.agents.snapshot_server_script import BROKEN, SERVER_SCRIPT, UNFIT

START_TIMEOUT = 30.0  # seconds for a server to load, or to start a child
REAP_TIMEOUT = 5.0  # seconds for a stopped child to be reported, or a server to end
MAX_SERVERS = 2  # per process: one per Python, in practice


class Unavailable(Exception):
    """No server can take this snapshot: it runs in a fresh interpreter instead."""


class ServerBroken(RuntimeError):
    """A server had imported a module of the project: a bug of ours, never the user's."""


@dataclass(frozen=True)
class Request:
    """What the child runs: ``python -c script *argv`` in ``cwd`` with ``pythonpath``, its
    stderr written to the file ``stderr``; ``project``: folders the server must not have
    imported from."""

    script: str
    argv: tuple[str, ...]
    cwd: str
    pythonpath: str
    stderr: str
    project: tuple[str, ...]


_TIMED_OUT = object()


class _Server:
    def __init__(self, python: str, env: Mapping[str, str]) -> None:
        try:
            self.proc = subprocess.Popen(
                [python, "-c", SERVER_SCRIPT, str(UNFIT), str(BROKEN)],
                cwd=os.path.abspath(os.sep),
                env=dict(env),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C is ours to handle, not the server's
            )
        except OSError as exc:
            raise Unavailable(f"cannot run {python}: {exc}") from None
        self._buffer = b""
        ready = self._read(time.monotonic() + START_TIMEOUT)
        if not isinstance(ready, dict) or "ready" not in ready:
            self.close()
            raise Unavailable(f"{python} cannot run a snapshot server")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def run(self, request: Request, timeout: float) -> int | None:
        """The child's exit code; None when it was stopped after ``timeout`` seconds."""
        pid = None
        try:
            self._send(request)
            started = self._read(time.monotonic() + START_TIMEOUT)
            if not isinstance(started, dict):
                raise Unavailable("the snapshot server ended")
            pid = int(started["pid"])
            ended = self._read(time.monotonic() + timeout)
            if ended is None:  # the server died: the child is an orphan now
                raise Unavailable("the snapshot server ended")
        except BaseException:
            if pid is not None:
                _stop_group(pid)
            self.close()
            raise
        if ended is _TIMED_OUT:
            _stop_group(pid)
            if not isinstance(self._read(time.monotonic() + REAP_TIMEOUT), dict):
                self.close()  # out of step: the next snapshot starts another server
            return None
        assert isinstance(ended, dict)
        return int(ended["status"])

    def close(self) -> None:
        """End the server (at the end of its input) and wait for it, so its CPU is ours."""
        with contextlib.suppress(OSError):
            if self.proc.stdin:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=REAP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout:
            self.proc.stdout.close()

    def forget(self) -> None:
        """In a forked child of ours: drop the pipes, leave the server to its owner."""
        for pipe in (self.proc.stdin, self.proc.stdout):
            with contextlib.suppress(OSError):
                if pipe:
                    pipe.close()
        self.proc.returncode = 0  # not ours to wait for

    def _send(self, request: Request) -> None:
        assert self.proc.stdin is not None
        try:
            self.proc.stdin.write(json.dumps(asdict(request)).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
        except OSError:
            raise Unavailable("the snapshot server ended") from None

    def _read(self, deadline: float) -> Any:
        """The next message; None at end of file; _TIMED_OUT after ``deadline``."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return _TIMED_OUT
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)


_lock = threading.Lock()
_Key = tuple[str, tuple[tuple[str, str], ...]]  # the Python, the environment
_servers: dict[_Key, _Server] = {}
_cannot_serve: set[_Key] = set()


def run(python: str, env: Mapping[str, str], request: Request, timeout: float) -> int | None:
    """Run ``request`` in a child of the server for ``python`` with ``env`` (its PYTHONPATH
    aside, which is the request's): the child's exit code, None when it was stopped after
    ``timeout`` seconds (with every process of its group). Raises Unavailable when a fresh
    interpreter must run it."""
    if not hasattr(os, "fork") or not hasattr(os, "killpg"):
        raise Unavailable("no fork here")
    server_env = {k: v for k, v in env.items() if k != "PYTHONPATH"}
    key = (python, tuple(sorted(server_env.items())))
    with _lock:
        if key in _cannot_serve:
            raise Unavailable(f"{python} cannot run a snapshot server")
        server = _servers.pop(key, None)
        if server is None or not server.alive():
            if server is not None:
                server.close()
            try:
                server = _Server(python, server_env)
            except Unavailable:
                _cannot_serve.add(key)  # an old Python, say: not tried at every snapshot
                raise
        code = server.run(request, timeout)
        _servers[key] = server  # the most recently used last
        while len(_servers) > MAX_SERVERS:
            _servers.pop(next(iter(_servers))).close()
    if code == UNFIT:
        raise Unavailable("a fresh interpreter would import another module than the server's")
    if code == BROKEN:
        with open(request.stderr, encoding="utf-8", errors="replace") as handle:
            raise ServerBroken(handle.read().strip())
    return code


def close_all() -> None:
    """End every snapshot server of this process and wait for them."""
    with _lock:
        while _servers:
            _servers.popitem()[1].close()


def _forget_all() -> None:
    global _lock
    _lock = threading.Lock()  # another thread may have held it at the fork
    for server in _servers.values():
        server.forget()
    _servers.clear()


def _stop_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


atexit.register(close_all)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_all)
