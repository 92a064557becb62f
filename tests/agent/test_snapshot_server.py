"""The snapshot server: one clean interpreter per process, forking a child per snapshot that
behaves as a fresh interpreter would; reused, restarted, stopped with its children."""

from __future__ import annotations

import inspect
import json
import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from modularize.agents import snapshot_server
from modularize.agents import verify as observe
from modularize.orchestrator.workers import worker_init
from tests.agent.helpers import write_tree
from tests.support import alive

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not Path("/proc/self/stat").exists(), reason="forks, reads /proc"
)

PARENT = "import os\nPARENT = os.getppid()\n"


def _parent(root: Path, module: str = "mod") -> int:
    """The pid of the process that forked the snapshot of ``module`` (its server)."""
    return int(observe.api_snapshot(sys.executable, root, module)["names"]["PARENT"]["value"])


def _gone(pids: list[int], seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while any(map(alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(map(alive, pids))


def test_one_server_takes_the_snapshots_of_every_file(tmp_path: Path) -> None:
    write_tree(tmp_path / "a", {"mod.py": PARENT})
    write_tree(tmp_path / "b", {"mod.py": PARENT + "OTHER = 1\n"})
    server = _parent(tmp_path / "a")
    assert server != os.getpid()
    assert _parent(tmp_path / "b") == server
    stable = observe.stable_snapshot(sys.executable, tmp_path / "a", "mod")
    assert "PARENT" in stable["unstable"]  # the second import is a fork of the first


def test_a_module_that_does_not_import_leaves_the_server_serving(tmp_path: Path) -> None:
    write_tree(
        tmp_path, {"mod.py": PARENT, "broken.py": "import os\nraise ValueError('no %d' % 7)\n"}
    )
    server = _parent(tmp_path)
    with pytest.raises(observe.SnapshotError, match=r"^ValueError: no 7$"):
        observe.api_snapshot(sys.executable, tmp_path, "broken")
    assert _parent(tmp_path) == server


def test_a_timeout_stops_the_child_and_what_it_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    sleeper = "import time; time.sleep(60)"
    source = f"""
        import os, subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", {sleeper!r}])
        open({str(pids)!r}, "w").write("%d %d" % (os.getpid(), child.pid))
        time.sleep(60)
    """
    write_tree(tmp_path, {"slow.py": source, "mod.py": PARENT})
    server = _parent(tmp_path)
    monkeypatch.setattr(observe, "SNAPSHOT_TIMEOUT", 2.0)
    with pytest.raises(observe.SnapshotError, match="took over 2s"):
        observe.api_snapshot(sys.executable, tmp_path, "slow")
    started = [int(pid) for pid in pids.read_text().split()]
    assert len(started) == 2
    assert _gone(started)
    assert _parent(tmp_path) == server  # still in step with its server


def test_a_server_that_died_is_started_again(tmp_path: Path) -> None:
    write_tree(tmp_path, {"mod.py": PARENT})
    server = _parent(tmp_path)
    os.kill(server, signal.SIGKILL)
    assert _gone([server])
    again = _parent(tmp_path)
    assert again not in (server, os.getpid())


def test_import_time_state_does_not_leak_between_snapshots(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/registry.py": "ITEMS = []\n",
            "pkg/big.py": "import os\nfrom pkg import registry\nregistry.ITEMS.append(1)\n"
            "COUNT = len(registry.ITEMS)\nos.environ['LEAK'] = os.environ.get('LEAK', '') + 'x'\n"
            "LEAK = os.environ['LEAK']\n",
        },
    )
    for _ in range(2):
        names = observe.api_snapshot(sys.executable, tmp_path, "pkg.big")["names"]
        assert (names["COUNT"]["value"], names["LEAK"]["value"]) == ("1", "'x'")


STATE = """
    import hashlib, json, os, signal, sys
    import __main__
    state = {
        "path": sys.path, "argv": sys.argv[1:3], "orig": sys.orig_argv[1:3],
        "cwd": os.getcwd(), "stdin": sys.stdin.read(),
        "pythonpath": os.environ.get("PYTHONPATH"), "hash": hash("modularize"),
        "bytecode": sys.dont_write_bytecode, "main": sorted(vars(__main__)),
        "signals": [str(signal.getsignal(s)) for s in (signal.SIGINT, signal.SIGPIPE)],
        "site": os.environ.get("FROM_SITECUSTOMIZE"),
    }
    with open(os.path.join(OUT, "%d.json" % len(os.listdir(OUT))), "w") as f:
        json.dump(state, f)
"""


@pytest.mark.parametrize("sitecustomize", [False, True])
def test_a_snapshot_child_sees_what_a_fresh_interpreter_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sitecustomize: bool
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    write_tree(tmp_path / "root", {"mod.py": STATE.replace("OUT", repr(str(out))), "lib/.keep": ""})
    if sitecustomize:  # a fresh interpreter runs it; the server has run its own
        write_tree(
            tmp_path / "root",
            {"sitecustomize.py": "import os\nos.environ['FROM_SITECUSTOMIZE'] = '1'\n"},
        )
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([os.environ.get("PYTHONPATH", ""), "rel", ""]))
    extra = [tmp_path / "root" / "x" / ".." / "lib", tmp_path / "root"]
    observe.api_snapshot(sys.executable, tmp_path / "root", "mod", extra_path=extra)

    def unavailable(*args: object) -> None:
        raise snapshot_server.Unavailable("fresh")

    monkeypatch.setattr(snapshot_server, "run", unavailable)
    observe.api_snapshot(sys.executable, tmp_path / "root", "mod", extra_path=extra)
    served, fresh = (json.loads((out / f"{i}.json").read_text()) for i in range(2))
    assert served == fresh
    assert fresh["site"] == ("1" if sitecustomize else None)


def test_a_server_that_had_imported_from_the_project_refuses(tmp_path: Path) -> None:
    # inspect is among what the server loads: a project holding its folder is never run
    (tmp_path / "out.json").write_text("")
    request = snapshot_server.Request(
        "pass",
        (),
        str(tmp_path),
        str(tmp_path),
        str(tmp_path / "err"),
        (str(Path(inspect.__file__).parent),),
    )
    with pytest.raises(snapshot_server.ServerBroken, match="had imported .* from the project"):
        snapshot_server.run(sys.executable, dict(os.environ), request, 10.0)


def test_without_a_server_the_snapshot_runs_in_a_fresh_interpreter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot_server.close_all()
    monkeypatch.setattr(snapshot_server, "_cannot_serve", set())
    starts = tmp_path / "starts"
    failing = f"open({str(starts)!r}, 'a').write('x')"
    monkeypatch.setattr(snapshot_server, "SERVER_SCRIPT", failing)
    write_tree(tmp_path, {"mod.py": PARENT})
    assert _parent(tmp_path) == _parent(tmp_path) == os.getpid()
    assert starts.read_text() == "x"  # tried once, not at every snapshot


def test_the_servers_cpu_time_is_counted_once_it_is_closed(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "busy.py": "import time\nend = time.process_time() + 0.5\n"
            "while time.process_time() < end:\n    pass\n"
        },
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    observe.api_snapshot(sys.executable, tmp_path, "busy")
    snapshot_server.close_all()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime >= 0.5


def _worker(root: str, out: str) -> None:
    worker_init(os.getppid())
    Path(out).write_text(str(_parent(Path(root))))


def test_a_pool_worker_closes_its_server_when_it_ends(tmp_path: Path) -> None:
    write_tree(tmp_path, {"mod.py": PARENT})
    out = tmp_path / "server"
    process = multiprocessing.get_context("forkserver").Process(
        target=_worker, args=(str(tmp_path), str(out))
    )
    process.start()
    process.join(30)
    assert process.exitcode == 0
    assert not alive(int(out.read_text()))  # waited for by the worker: its CPU was counted


def test_an_interrupt_stops_the_child_and_its_server(tmp_path: Path) -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach the main thread only")
    pids = tmp_path / "pids"
    slow = f"import os, time\nopen({str(pids)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)\n"
    write_tree(tmp_path, {"slow.py": slow, "mod.py": PARENT})
    server = _parent(tmp_path)

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with pytest.raises(KeyboardInterrupt):
            observe.api_snapshot(sys.executable, tmp_path, "slow")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert _gone([int(pids.read_text()), server])
    assert _parent(tmp_path) != server  # a new server for the next snapshot
