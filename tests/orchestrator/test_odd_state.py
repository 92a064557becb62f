"""Corrupt or odd state: a damaged state.db, --state URLs that cannot work, honest status."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.orchestrator.conftest import make_tree, run_toy, toy_cmd, toy_env, wait_for
from tests.orchestrator.test_processes import results

pytestmark = pytest.mark.slow


def _one_line_error(done: subprocess.CompletedProcess, code: int = 2) -> str:
    assert done.returncode == code, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("modularize: error: "), done.stderr
    return lines[0]


def _garbage(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"this is not a database\n" * 200)


def _other_schema(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE kv (something TEXT)")


@pytest.mark.parametrize("damage", [_garbage, _other_schema], ids=["garbage", "other-schema"])
def test_a_damaged_state_db_is_named_by_readers_and_moved_aside_by_run(
    tmp_path: Path, damage: object
) -> None:
    repo = make_tree(tmp_path / "repo", 2)
    state = repo / ".modularize" / "state.db"
    damage(state)  # type: ignore[operator]
    original = state.read_bytes()
    for command in ("status", "report"):
        line = _one_line_error(run_toy(repo, command))
        assert str(state) in line
    assert state.read_bytes() == original  # readers change nothing
    done = run_toy(repo, "run", ".", "--agent", "toy")
    assert done.returncode == 0, done.stdout + done.stderr
    said = " ".join(done.stderr.split())  # the warning may wrap
    assert "moved it to state.db.damaged-" in said and "Traceback" not in said
    [aside] = (repo / ".modularize").glob("state.db.damaged-*[0-9]")
    assert aside.read_bytes() == original
    assert (repo / "big1" / "__init__.py").is_file() and (repo / "big2" / "__init__.py").is_file()
    status = run_toy(repo, "status")
    assert status.returncode == 0 and "2/2 files done." in status.stdout


@pytest.fixture
def not_redis() -> Iterator[str]:
    """A TCP server on a free port that answers every request in HTTP."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    conn.recv(4096)
                    conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"redis://user:hunter2@127.0.0.1:{server.getsockname()[1]}/0"
    stop.set()
    thread.join(5)
    server.close()


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("redis://", "no host"),
        ("redis://:badport", "bad port"),
        ("redis://user:hunter2@myhost:badport/0", "bad port"),
        ("/notadb", "expected redis://host:port/db"),
        ("NOT_REDIS", "does not answer as Redis"),
    ],
)
@pytest.mark.parametrize("command", ["run", "status"])
def test_a_state_url_that_cannot_work_is_one_line_and_exit_2(
    tmp_path: Path, url: str, says: str, command: str, not_redis: str
) -> None:
    repo = make_tree(tmp_path / "repo", 1)
    url = not_redis if url == "NOT_REDIS" else url
    args = ("run", ".", "--agent", "toy") if command == "run" else ("status",)
    line = _one_line_error(run_toy(repo, *args, "--state", url))
    assert says in line and "hunter2" not in line
    assert (repo / "big1.py").is_file() and not (repo / "big1").exists()
    assert not (repo / ".modularize").exists()


def test_status_of_a_killed_run_is_not_running(tmp_path: Path) -> None:
    repo = make_tree(tmp_path / "repo", 6)
    proc = subprocess.Popen(
        toy_cmd("run", ".", "--agent", "toy", "--parallel", "1"),
        cwd=repo,
        env=toy_env(TOY_DELAY="0.8"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: len(results(repo)) >= 1, what="the first finished file")
    assert run_toy(repo, "status").stdout.split("\n")[0].endswith(": running")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    status = run_toy(repo, "status")
    assert status.returncode == 0, status.stderr
    first = status.stdout.splitlines()[0]
    assert first.endswith(": stopped"), status.stdout
    assert "--resume" in status.stdout


def test_status_of_a_run_whose_commit_failed_is_not_finished(tmp_path: Path) -> None:
    repo = make_tree(tmp_path / "repo", 2, git=True)
    hook = repo / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho 'refusing every commit' >&2\nexit 1\n")
    hook.chmod(0o755)
    identity = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com"}
    identity |= {"GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com"}
    done = run_toy(repo, "run", ".", "--agent", "toy", **identity)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "git commit failed" in done.stderr
    status = run_toy(repo, "status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.splitlines()[0].endswith(": failed"), status.stdout
    assert "git commit failed" in status.stdout
    report = run_toy(repo, "report")
    assert "(failed)" in report.stdout and "(finished)" not in report.stdout
