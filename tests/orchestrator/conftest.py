"""Fixtures for orchestrator tests: throwaway repos of big files, the CLI as a real process,
and the real Redis server (a failure, not a skip, when MODULARIZE_REQUIRE_REDIS=1)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.support import big_source, make_repo, write

PROJECT = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).with_name("toy_agent.py")
REDIS_URL = "redis://127.0.0.1:6379/0"


def make_tree(root: Path, count: int, *, git: bool = False) -> Path:
    """``count`` big files (big1.py ...) under ``root``; a committed git repo when ``git``."""
    files = {f"big{i}.py": big_source(112, prefix=f"f{i}") for i in range(1, count + 1)}
    if git:
        return make_repo(root, files)
    for name, text in files.items():
        write(root / name, text)
    return root


def toy_env(**extra: str) -> dict[str, str]:
    """Environment for the toy-agent launcher: the project importable, no inherited state URL."""
    env = dict(os.environ)  # already without our variables (the _clean_env fixture)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PROJECT), env.get("PYTHONPATH")]))
    env.update(extra)
    return env


def toy_cmd(*args: str) -> list[str]:
    """``modularize ARGS`` with the toy agent registered, as a command line."""
    return [sys.executable, str(LAUNCHER), *args]


def run_toy(cwd: Path, *args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    """Run ``modularize`` (toy agent available) to completion in ``cwd``."""
    return subprocess.run(
        toy_cmd(*args),
        cwd=cwd,
        env=toy_env(**env),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def wait_for(condition: Callable[[], bool], timeout: float = 30, what: str = "") -> None:
    """Poll ``condition`` until true; fail the test after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what or condition}")
        time.sleep(0.05)


def session_processes(session: int) -> list[str]:
    """Command lines of the live processes of a session (a run started in a new session)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session and fields[0] != "Z":
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, ValueError, IndexError):
            continue  # not a process, or it ended while we looked
    return found


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No state URL, step summary or toy-agent switch leaks in from the caller's shell."""
    for name in (
        "MODULARIZE_STATE_URL",
        "GITHUB_STEP_SUMMARY",
        "TOY_FAIL",
        "TOY_DELAY",
        "TOY_DIE",
        "TOY_VERIFY_DELAY",
        "MODULARIZE_TEST_KILL_AT",
    ):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def redis_url() -> Iterator[str]:
    """A URL of the real Redis on 127.0.0.1:6379 with a key prefix of this test's own."""
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        if os.environ.get("MODULARIZE_REQUIRE_REDIS") == "1":
            pytest.fail(f"Redis at {REDIS_URL} is required and unreachable: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"modularize-test-{uuid.uuid4().hex[:10]}"
    yield f"{REDIS_URL}?prefix={prefix}"
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()
