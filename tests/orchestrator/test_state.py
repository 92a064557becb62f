"""The state store: three backends behind one interface, atomic across real processes."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from modularize.agents.base import AgentResult, ModuleOutput, Status
from modularize.agents.core.errors import UsageError
from modularize.orchestrator.state import StateStore, open_store
from modularize.orchestrator.state.runs import RunLedger, result_from_dict, result_to_dict
from modularize.orchestrator.state.sqlite import SqliteStore
from tests.orchestrator.conftest import PROJECT
from tests.support import make_repo


@pytest.fixture(params=["sqlite", "memory", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StateStore]:
    """Each backend in turn."""
    if request.param == "sqlite":
        opened = open_store(None, tmp_path, False)
    elif request.param == "memory":
        opened = open_store("memory://", tmp_path, False)
    else:
        opened = open_store(request.getfixturevalue("redis_url"), tmp_path, False)
    yield opened
    opened.close()


def test_kv_operations_behave_the_same_on_every_backend(store: StateStore) -> None:
    assert store.kv_get("ns", "a") is None
    store.kv_set("ns", "a", "1")
    store.kv_set("ns", "b", "2")
    assert store.kv_update("ns", "a", lambda old: str(int(old or "0") + 10)) == "11"
    assert store.kv_update("ns", "new", lambda old: "fresh" if old is None else "seen") == "fresh"
    store.kv_delete("ns", "b")
    assert store.kv_items("ns") == {"a": "11", "new": "fresh"}
    assert store.kv_items("other") == {}


INCREMENT = """
import sys
from pathlib import Path
from modularize.orchestrator.state import open_store
store = open_store(sys.argv[1], Path("."), False)
for _ in range(int(sys.argv[2])):
    store.kv_update("counter", "n", lambda old: str(int(old or "0") + 1))
"""


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_kv_update_is_atomic_across_processes(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if backend == "sqlite":
        url = SqliteStore(tmp_path / "state.db").descriptor()
    else:
        url = request.getfixturevalue("redis_url")
    env = {**os.environ, "PYTHONPATH": str(PROJECT)}
    workers = [
        subprocess.Popen([sys.executable, "-c", INCREMENT, url, "60"], env=env, cwd=tmp_path)
        for _ in range(3)
    ]
    assert [w.wait(timeout=60) for w in workers] == [0, 0, 0]
    store = open_store(url, tmp_path, False)
    assert store.kv_get("counter", "n") == "180"  # no increment lost to a race
    store.close()


def test_sqlite_state_is_ignored_by_git(tmp_path: Path) -> None:
    store = open_store(None, tmp_path, False)
    store.kv_set("ns", "k", "v")
    assert (tmp_path / ".modularize" / ".gitignore").read_text() == "*\n"
    assert store.descriptor() == f"sqlite://{(tmp_path / '.modularize' / 'state.db').as_posix()}"


def test_dry_run_state_lives_outside_the_repository(tmp_path: Path) -> None:
    store = open_store(None, tmp_path, True)
    store.kv_set("ns", "k", "v")
    assert list(tmp_path.iterdir()) == []
    assert open_store(None, tmp_path, True, create=False).kv_get("ns", "k") == "v"
    shutil.rmtree(Path(store.descriptor().removeprefix("sqlite://")).parent)


def test_unknown_state_url_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="--state 'postgres://x'"):
        open_store("postgres://x", tmp_path, False)


def _result(path: str, status: Status = Status.SPLIT) -> AgentResult:
    return AgentResult(
        path,
        status,
        "libcst",
        modules=(ModuleOutput("big/a.py", 10),),
        warnings=("w",),
        locations=(("X", "big.a"),),
        files=(("big/a.py", "x = 1\n"), ("big.py", None)),
        lines_before=500,
    )


def test_results_round_trip_through_json() -> None:
    original = _result("big.py")
    assert result_from_dict(json.loads(json.dumps(result_to_dict(original)))) == original


def test_a_file_is_claimed_by_one_process_only(tmp_path: Path) -> None:
    store = open_store(None, tmp_path, False)
    first, second = RunLedger(store, "repo"), RunLedger(store, "repo")
    record = first.start(["a.py", "b.py"], resume=False, dry_run=False, agent="libcst")
    joined = second.start(["b.py", "c.py"], resume=False, dry_run=False, agent="libcst")
    assert second.joined and joined["id"] == record["id"] == second.run_id
    assert joined["paths"] == ["a.py", "b.py", "c.py"]
    assert set(joined["participants"]) == {first.owner, second.owner}
    assert first.claim("a.py") and not second.claim("a.py")
    first.release("a.py")
    assert second.claim("a.py")
    second.record(_result("a.py"), "a")
    assert not first.claim("a.py")  # finished files are never redone
    assert first.snapshot().remaining == ["b.py", "c.py"]


def test_claims_of_a_silent_process_are_taken_over(tmp_path: Path) -> None:
    store = open_store("memory://", tmp_path, False)
    gone = RunLedger(store, "repo", lease=0.2)
    gone.start(["a.py"], resume=False, dry_run=False, agent="libcst")
    assert gone.claim("a.py")
    alive = RunLedger(store, "repo", lease=0.2)
    alive.start([], resume=True, dry_run=False, agent="libcst")
    assert not alive.claim("a.py")  # its holder is alive: hands off
    time.sleep(0.3)  # killed (-9): it never releases, it just stops reporting
    taker = RunLedger(store, "repo", lease=0.2)
    taker.start([], resume=True, dry_run=False, agent="libcst")
    assert taker.run_id == gone.run_id
    assert taker.claim("a.py")


def test_claims_of_a_process_that_died_on_this_machine_are_taken_at_once(tmp_path: Path) -> None:
    store = open_store("memory://", tmp_path, False)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    crashed = RunLedger(store, "repo", owner=f"{socket.gethostname()}:{dead}:abc123")
    crashed.start(["a.py"], resume=False, dry_run=False, agent="libcst")
    assert crashed.claim("a.py")  # then the process is gone, without releasing or leaving
    fresh = RunLedger(store, "repo")  # default lease: minutes
    fresh.start(["a.py"], resume=False, dry_run=False, agent="libcst")
    assert not fresh.joined  # a dead process's run is not a live run to join
    other_host = RunLedger(store, "repo", owner=f"elsewhere:{dead}:abc123")
    other_host.start(["b.py"], resume=False, dry_run=False, agent="libcst")
    assert other_host.joined  # another machine's pid says nothing here: its lease counts


def test_resume_needs_an_earlier_run(tmp_path: Path) -> None:
    ledger = RunLedger(open_store("memory://", tmp_path, False), "repo")
    with pytest.raises(UsageError, match="no earlier run"):
        ledger.start(["a.py"], resume=True, dry_run=False, agent="libcst")


def test_last_process_out_sets_the_final_status(tmp_path: Path) -> None:
    store = open_store("memory://", tmp_path, False)
    ledger = RunLedger(store, "repo")
    ledger.start(["a.py", "b.py"], resume=False, dry_run=False, agent="libcst")
    ledger.record(_result("a.py"), "a")
    assert ledger.leave(interrupted=True)["status"] == "interrupted"
    again = RunLedger(store, "repo")
    assert again.start([], resume=True, dry_run=False, agent="libcst")["paths"] == ["a.py", "b.py"]
    again.record(_result("b.py", Status.SKIPPED), "b")
    assert again.leave(interrupted=False)["status"] == "finished"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_redis_at_start_falls_back_to_sqlite_with_one_message(tmp_path: Path) -> None:
    messages: list[str] = []
    store = open_store(
        f"redis://127.0.0.1:{_free_port()}/0", tmp_path, False, on_fallback=messages.append
    )
    store.kv_set("ns", "k", "v")
    assert isinstance(store, SqliteStore)
    assert len(messages) == 1 and "unreachable" in messages[0]
    assert "state.db" in messages[0]


@pytest.fixture
def private_redis() -> Iterator[tuple[str, subprocess.Popen]]:
    """A redis-server of this test's own on a free port (killed by the test or at the end)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("MODULARIZE_REQUIRE_REDIS") == "1":
            pytest.fail("redis-server is required and not on PATH")
        pytest.skip("redis-server not on PATH")
    port = _free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--save", "", "--appendonly", "no", "--daemonize", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    deadline = time.monotonic() + 10
    while True:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.05)
    yield url, server
    server.kill()
    server.wait()


def test_redis_lost_mid_run_keeps_every_result(
    private_redis: tuple[str, subprocess.Popen], tmp_path: Path
) -> None:
    url, server = private_redis
    messages: list[str] = []
    store = open_store(url, tmp_path, False, on_fallback=messages.append)
    store.kv_set("results", "a.py", "done-before")
    assert store.kv_get("results", "a.py") == "done-before" and not messages
    server.kill()
    server.wait()
    store.kv_set("results", "b.py", "done-after")
    assert store.kv_items("results") == {"a.py": "done-before", "b.py": "done-after"}
    assert store.kv_update("n", "k", lambda old: "1" if old is None else "2") == "1"
    assert len(messages) == 1 and "lost the connection to Redis" in messages[0]
    assert store.descriptor().startswith("sqlite://")


def _create_and_write(args: tuple[str, int]) -> str:
    path, index = args
    SqliteStore(Path(path)).kv_set("race", str(index), "done")
    return "ok"


def test_many_processes_can_create_the_same_new_store_at_once(tmp_path: Path) -> None:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(8) as pool:
        for attempt in range(3):  # each time a brand-new file, created by all at the same moment
            path = str(tmp_path / f"fresh{attempt}" / "state.db")
            assert list(pool.map(_create_and_write, [(path, i) for i in range(8)])) == ["ok"] * 8
            assert len(SqliteStore(Path(path)).kv_items("race")) == 8


# In a fresh interpreter: whether repo_key loaded GitPython, and the keys of two folders.
_KEYS = """
import sys
from pathlib import Path
from modularize.orchestrator.state.runs import repo_key
keys = [repo_key(Path(p)) for p in sys.argv[1:]]
print("git" in sys.modules, keys[0] == keys[1], keys[0].partition("@")[0])
"""


@pytest.mark.parametrize("in_git", [True, False], ids=["clones", "copies"])
def test_a_run_key_tells_checkouts_apart_and_needs_git_only_in_one(
    tmp_path: Path, in_git: bool
) -> None:
    """Two clones, or two copies of a folder, never share runs; outside git (a dry run on a
    copy) the key is the host and the path, and GitPython is not even loaded."""
    first, second = tmp_path / "a" / "backend", tmp_path / "b" / "backend"
    for root in (first, second):
        if in_git:
            make_repo(root, {"x.py": "x = 1\n"})
        else:
            root.mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-c", _KEYS, str(first), str(second)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [str(in_git), "False", "backend"]
