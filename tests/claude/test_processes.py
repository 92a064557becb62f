"""Real processes: two workers sharing one circuit through the SQLite store, and the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from modularize.agents.breaker import Circuit
from modularize.agents.claude_agent import ClaudeAgent, breaker_for
from modularize.orchestrator.scheduler import shared_store
from tests.claude.fake_api import FakeAnthropic, error_reply, tool_reply
from tests.claude.helpers import (
    BUDGETS,
    FAKE_KEY,
    GOOD_PROPOSAL,
    make_config,
    make_task,
    write_shop,
)

pytestmark = pytest.mark.slow
PROJECT = Path(__file__).resolve().parents[2]

# A worker process asking the API the way the agent does, through the shared circuit.
WORKER = """
import json, sys
from pathlib import Path
from modularize.agents.claude_agent import Caller, breaker_for
from modularize.orchestrator.scheduler import shared_store
from tests.claude.helpers import make_config, make_task
config = make_config(sys.argv[2], failure_threshold=2, max_attempts=3, cooldown=60.0)
store, _ = shared_store(config, make_task(Path(sys.argv[1])))
request = {"model": "m", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
answer = Caller(config.claude, breaker_for(config.claude, store)).ask(request)
print(json.dumps({"reason": answer.reason, "attempts": answer.attempts}))
"""


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        yield server


def test_two_worker_processes_share_one_circuit(fake: FakeAnthropic, tmp_path: Path) -> None:
    state = f"sqlite:///{tmp_path / 'shared.db'}"
    repos = [tmp_path / "a", tmp_path / "b"]
    for repo in repos:
        write_shop(repo)
    config = make_config(state, failure_threshold=2, max_attempts=3, cooldown=60.0)
    store, notes = shared_store(config, make_task(repos[0]))  # the run creates it first
    assert notes == () and breaker_for(config.claude, store).allow()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(repo), state],
            cwd=PROJECT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for repo in repos
    ]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    # Whoever came second found the circuit opened by both, or already open before its call.
    assert all(o["reason"].startswith("circuit open") for o in outcomes), outcomes
    # Each worker alone would make 2 failing calls before its own circuit opened (4 in all);
    # sharing one circuit, the second failure anywhere opens it for both.
    assert 2 <= len(fake.requests()) <= 3
    assert breaker_for(config.claude, store).state().state == Circuit.OPEN
    late = ClaudeAgent().run(make_task(repos[0]), config, store)  # a third worker, later
    assert late.plan_by == "libcst (claude unavailable: circuit open)"
    assert len(fake.requests()) <= 3


def _project(root: Path) -> Path:
    budgets = "\n".join(f"{k} = {v}" for k, v in BUDGETS.items())
    root.mkdir()
    (root / "pyproject.toml").write_text(
        f"[tool.modularize]\nthreshold = 150\n\n[tool.modularize.budgets]\n{budgets}\n",
        encoding="utf-8",
    )
    write_shop(root)
    write_shop(root, filename="stall.py")
    return root


def _modularize(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "modularize", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_run_never_leaks_the_key(fake: FakeAnthropic, tmp_path: Path) -> None:
    project = _project(tmp_path / "proj")
    out = tmp_path / "out"
    out.mkdir()
    fake.push(tool_reply(GOOD_PROPOSAL))
    # The second file meets a server that echoes the key in its error: it must not travel on.
    fake.default = error_reply(401, "authentication_error", f"invalid x-api-key {FAKE_KEY}")
    state = tmp_path / "state" / "run.db"
    done = _modularize(
        "run",
        "--agent",
        "claude",
        "--dry-run",
        "--state",
        f"sqlite:///{state}",
        "--json",
        str(out / "r.json"),
        "--report",
        str(out / "r.md"),
        "--patch",
        str(out / "r.patch"),
        ".",
        cwd=project,
        env=dict(os.environ),
    )
    assert done.returncode == 0, done.stderr
    report = (out / "r.md").read_text(encoding="utf-8")
    assert "plan by claude)" in report
    assert "plan by libcst (claude unavailable: HTTP 401 invalid x-api-key [redacted])" in report
    assert len(fake.requests()) == 2
    assert all(
        FAKE_KEY in s.headers.get("x-api-key", s.headers.get("authorization", ""))
        for s in fake.requests()
    )  # it was used...
    leaks = [
        p for p in [*out.iterdir(), *state.parent.iterdir()] if FAKE_KEY.encode() in p.read_bytes()
    ]
    assert leaks == [] and FAKE_KEY not in done.stdout + done.stderr  # ...and went nowhere else
    assert not (project / "pkg" / "shop").exists()  # a dry run


def test_claude_without_a_key_is_a_one_line_usage_error(tmp_path: Path) -> None:
    project = _project(tmp_path / "proj")
    env = {k: v for k, v in os.environ.items() if k != "ANTHROPIC_API_KEY"}
    done = _modularize("run", "--agent", "claude", "--dry-run", ".", cwd=project, env=env)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "modularize: error: --agent claude needs an API key: set ANTHROPIC_API_KEY in the "
        "environment"
    ]
    assert (project / "pkg" / "shop.py").is_file()
