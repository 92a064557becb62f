"""Real processes, real signals, the real Redis: interrupts, resume, shared runs, fallback."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest

from modularize.orchestrator.state import open_store
from modularize.orchestrator.state.runs import RunLedger, repo_key
from tests.orchestrator.conftest import make_tree, run_toy, toy_cmd, toy_env, wait_for
from tests.orchestrator.test_state import private_redis  # noqa: F401 - a fixture

pytestmark = pytest.mark.slow


def results(repo: Path, url: str | None = None) -> dict[str, str]:
    """path -> owner of every finished file of the repo's last run (empty before it starts)."""
    try:
        store = open_store(url, repo, False, create=False, on_fallback=lambda m: None)
    except Exception:  # noqa: BLE001 - the store file does not exist yet
        return {}
    try:
        ledger = RunLedger(store, repo_key(repo), owner="test")
        if ledger.current() is None:
            return {}
        return {p: s.owner for p, s in ledger.snapshot().results.items()}
    finally:
        store.close()


def assert_whole(repo: Path, count: int) -> None:
    """Each file is either untouched or a complete package; no temporary folder is left."""
    for i in range(1, count + 1):
        package = repo / f"big{i}"
        if package.exists():
            assert not (repo / f"big{i}.py").exists()
            assert sorted(p.name for p in package.iterdir()) == [
                "__init__.py",
                "part0.py",
                "part1.py",
            ]
        else:
            assert (repo / f"big{i}.py").is_file()
    assert not [p for p in repo.iterdir() if p.name.startswith(".big")]


@pytest.mark.parametrize(("sig", "parallel"), [(signal.SIGINT, "1"), (signal.SIGTERM, "2")])
def test_interrupt_keeps_finished_files_and_resume_completes(
    tmp_path: Path, sig: signal.Signals, parallel: str
) -> None:
    # With a pool, running files may finish after the signal: 6 files leave some undone.
    repo = make_tree(tmp_path / "repo", 6)
    proc = subprocess.Popen(
        toy_cmd("run", ".", "--agent", "toy", "--parallel", parallel),
        cwd=repo,
        env=toy_env(TOY_DELAY="0.8"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: len(results(repo)) >= 1, what="the first finished file")
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    assert "--resume" in err
    done_before = results(repo)
    assert 1 <= len(done_before) < 6
    assert_whole(repo, 6)
    code = run_toy(repo, "status")
    assert ": interrupted" in code.stdout
    resumed = run_toy(repo, "run", ".", "--agent", "toy", "--resume")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    after = results(repo)
    assert len(after) == 6
    assert {p: after[p] for p in done_before} == done_before  # finished files were not redone
    assert sorted(p.name for p in repo.iterdir() if not p.name.startswith(".")) == [
        f"big{i}" for i in range(1, 7)
    ]


@pytest.mark.redis
def test_two_processes_share_one_run_through_redis(tmp_path: Path, redis_url: str) -> None:
    repo = make_tree(tmp_path / "repo", 8)
    env = toy_env(TOY_DELAY="0.6")  # long enough for the second process to start and join
    cmd = toy_cmd("run", ".", "--agent", "toy", "--state", redis_url, "--json")
    procs = [
        subprocess.Popen(
            [*cmd, str(tmp_path / f"r{i}.json")],
            cwd=repo,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    owners = results(repo, redis_url)
    assert len(owners) == 8 and len(set(owners.values())) == 2  # both processes did work
    for i in range(2):
        report = json.loads((tmp_path / f"r{i}.json").read_text())
        assert [f["status"] for f in report["files"]] == ["split"] * 8  # none split twice
    assert sorted(p.name for p in repo.iterdir() if not p.name.startswith(".")) == [
        f"big{i}" for i in range(1, 9)
    ]


def test_redis_lost_mid_run_falls_back_once_and_loses_nothing(
    tmp_path: Path,
    private_redis: tuple[str, subprocess.Popen],  # noqa: F811
) -> None:
    url, server = private_redis
    url += "?prefix=fallback"
    repo = make_tree(tmp_path / "repo", 4)
    proc = subprocess.Popen(
        toy_cmd("run", ".", "--agent", "toy", "--state", url, "--json", str(tmp_path / "r.json")),
        cwd=repo,
        env=toy_env(TOY_DELAY="0.6"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for(lambda: len(results(repo, url)) >= 1, what="a result in Redis")
    server.kill()
    server.wait()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, out + err
    assert err.count("lost the connection to Redis") == 1, err
    report = json.loads((tmp_path / "r.json").read_text())
    assert [f["status"] for f in report["files"]] == ["split"] * 4
    local = run_toy(repo, "status")  # the local SQLite store holds the whole run
    assert "4/4 files done." in local.stdout and ": finished" in local.stdout


def test_a_worker_that_dies_fails_its_file_and_the_run_goes_on(tmp_path: Path) -> None:
    repo = make_tree(tmp_path / "repo", 4)
    done = run_toy(
        repo,
        "run",
        ".",
        "--agent",
        "toy",
        "--parallel",
        "2",
        "--json",
        str(tmp_path / "r.json"),
        TOY_DIE="big2",
        TOY_DELAY="0.3",
    )
    assert done.returncode == 1, done.stdout + done.stderr
    files = {f["path"]: f for f in json.loads((tmp_path / "r.json").read_text())["files"]}
    assert files["big2.py"]["status"] == "failed"
    assert files["big2.py"]["reason"].startswith("the worker process died while splitting it")
    assert (repo / "big2.py").is_file()
    # The file running beside it when the worker died is retried and splits.
    assert [f["status"] for p, f in sorted(files.items()) if p != "big2.py"] == ["split"] * 3


def test_two_workers_split_two_files_at_the_same_time(tmp_path: Path) -> None:
    repo = make_tree(tmp_path / "repo", 4)
    done = run_toy(repo, "run", ".", "--agent", "toy", "--parallel", "2", TOY_DELAY="0.8")
    assert done.returncode == 0, done.stdout + done.stderr
    store = open_store(None, repo, False, create=False)
    snapshot = RunLedger(store, repo_key(repo), owner="test").snapshot()
    store.close()
    spans = sorted((snapshot.claims[p]["at"], s.finished_at) for p, s in snapshot.results.items())
    overlaps = sum(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:], strict=False))
    assert overlaps >= 2, spans  # with one worker no two files would overlap
