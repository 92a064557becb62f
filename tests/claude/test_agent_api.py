"""The claude agent through the real anthropic SDK, over HTTP, against our fake Messages API."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from modularize.agents.base import AgentResult, Status
from modularize.agents.breaker import BreakerState, Circuit
from modularize.agents.claude_agent import ClaudeAgent, breaker_for
from modularize.agents.core.config import Config
from modularize.orchestrator.scheduler import shared_store
from tests.claude.fake_api import FakeAnthropic, Reply, error_reply, text_reply, tool_reply
from tests.claude.helpers import FAKE_KEY, GOOD_PROPOSAL, make_config, make_task, write_shop

pytestmark = pytest.mark.slow


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeAnthropic]:
    with FakeAnthropic() as server:
        monkeypatch.setenv("ANTHROPIC_BASE_URL", server.url)
        monkeypatch.setenv("ANTHROPIC_API_KEY", FAKE_KEY)
        yield server


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    write_shop(tmp_path / "repo")
    return tmp_path / "repo"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return make_config(f"sqlite:///{tmp_path / 'state.db'}")


def _run(
    repo: Path,
    config: Config,
    filename: str = "shop.py",
    dry_run: bool = True,
    agent: ClaudeAgent | None = None,
) -> AgentResult:
    task = make_task(repo, filename, dry_run)
    result = (agent or ClaudeAgent()).run(task, config, shared_store(config, task)[0])
    assert result.status == Status.SPLIT, (result.reason, result.traceback)
    return result


def _circuit(config: Config, repo: Path) -> BreakerState:
    store, _ = shared_store(config, make_task(repo))
    return breaker_for(config.claude, store).state()


def test_good_proposal_is_used(fake: FakeAnthropic, repo: Path, config: Config) -> None:
    fake.push(tool_reply(GOOD_PROPOSAL))
    result = _run(repo, config, dry_run=False)
    assert result.plan_by == "claude"
    assert sorted(m.path for m in result.modules) == [
        "pkg/shop/__init__.py",
        "pkg/shop/models.py",
        "pkg/shop/pricing.py",
        "pkg/shop/service.py",
    ]
    assert (repo / "pkg/shop/service.py").is_file() and not (repo / "pkg/shop.py").exists()
    assert dict(result.locations)["Shop"] == "pkg.shop.service"
    [seen] = fake.requests()
    assert seen.path == "/v1/messages"
    assert FAKE_KEY in seen.headers.get("x-api-key", seen.headers.get("authorization", ""))
    assert seen.body["tool_choice"] == {"type": "tool", "name": "propose_split_plan"}
    assert seen.body["tools"][0]["input_schema"]["required"] == ["modules"]
    assert "def revenue" not in str(seen.body)  # no source without --send-source
    assert seen.headers.get("x-stainless-retry-count", "0") == "0"


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        pytest.param(
            tool_reply(
                {
                    "modules": [
                        *GOOD_PROPOSAL["modules"],
                        {"name": "extra", "role": "utils", "units": ["total"]},
                    ]
                }
            ),
            "claude proposal rejected: unit `total` is in 2 modules; put it in exactly one",
            id="unit-twice",
        ),
        pytest.param(
            text_reply("Here is my plan in prose."),
            "claude unavailable: Claude answered without calling the propose_split_plan tool",
            id="no-tool-call",
        ),
    ],
)
def test_invalid_proposal_is_rejected_and_replaced(
    fake: FakeAnthropic, repo: Path, config: Config, reply: Reply, why: str
) -> None:
    fake.push(reply)
    result = _run(repo, config)
    assert result.plan_by.startswith("libcst (") and why in result.plan_by
    names = {m.path.rsplit("/", 1)[1] for m in result.modules}
    assert names == {
        "__init__.py",
        "base.py",
        "item.py",
        "shop_manager.py",
    }  # the deterministic plan
    assert len(fake.requests()) == 1
    assert (repo / "pkg/shop.py").is_file() and not (repo / "pkg/shop").exists()  # dry run


def test_429_retry_after_is_honoured(fake: FakeAnthropic, repo: Path, config: Config) -> None:
    fake.push(
        error_reply(429, "rate_limit_error", "slow down", retry_after="1"),
        tool_reply(GOOD_PROPOSAL),
    )
    result = _run(repo, config)
    first, second = fake.requests()
    assert second.at - first.at >= 1.0
    assert result.plan_by == "claude"
    assert _circuit(config, repo) == BreakerState()  # the success reset the failure count


def test_500s_open_the_circuit_and_half_open_recovers(
    fake: FakeAnthropic, repo: Path, config: Config
) -> None:
    # failure_threshold 3, max_attempts 2, cooldown 0.3 s; the default reply is HTTP 500.
    # The breaker's clock is ours, so a slow machine cannot let the cool-down pass early.
    now = [1000.0]
    agent = ClaudeAgent(clock=lambda: now[0])
    first = _run(repo, config, agent=agent)
    assert "gave up after 2 attempts: HTTP 500" in first.plan_by
    assert _circuit(config, repo).failures == 2
    second = _run(repo, config, agent=agent)
    assert "circuit opened after HTTP 500" in second.plan_by
    assert len(fake.requests()) == 3 and _circuit(config, repo).state == Circuit.OPEN
    now[0] += 0.25
    third = _run(repo, config, agent=agent)
    assert third.plan_by == "libcst (claude unavailable: circuit open)"
    assert len(fake.requests()) == 3  # open: nobody calls
    now[0] += 0.25
    failed_trial = _run(repo, config, agent=agent)  # half-open: one trial fails: reopened
    assert "circuit opened after HTTP 500" in failed_trial.plan_by
    assert len(fake.requests()) == 4 and _circuit(config, repo).state == Circuit.OPEN
    now[0] += 0.5
    fake.push(tool_reply(GOOD_PROPOSAL))
    recovered = _run(repo, config, agent=agent)
    assert recovered.plan_by == "claude" and len(fake.requests()) == 5
    assert _circuit(config, repo) == BreakerState(state=Circuit.CLOSED, failures=0)


def test_timeout_counts_and_falls_back(fake: FakeAnthropic, repo: Path, tmp_path: Path) -> None:
    config = make_config(f"sqlite:///{tmp_path / 'timeout.db'}", timeout=0.3, max_attempts=1)
    fake.push(Reply(body=tool_reply(GOOD_PROPOSAL).body, delay=1.5))
    started = time.monotonic()
    result = _run(repo, config)
    assert result.plan_by == (
        "libcst (claude unavailable: gave up after 1 attempt: timed out after 0.3s)"
    )
    assert time.monotonic() - started < 10
    assert _circuit(config, repo).failures == 1


def test_400_is_reported_but_not_counted(fake: FakeAnthropic, repo: Path, config: Config) -> None:
    store, _ = shared_store(config, make_task(repo))
    for _ in range(2):  # two counted failures already
        breaker_for(config.claude, store).record_failure()
    fake.push(error_reply(400, "invalid_request_error", "max_tokens: too large"))
    result = _run(repo, config)
    assert result.plan_by == "libcst (claude unavailable: HTTP 400 max_tokens: too large)"
    assert len(fake.requests()) == 1  # a 400 is not retried
    assert _circuit(config, repo) == BreakerState(state=Circuit.CLOSED, failures=2)


def test_secret_looking_file_is_never_sent(
    fake: FakeAnthropic, tmp_path: Path, config: Config
) -> None:
    write_shop(tmp_path / "repo", filename="token_cache.py")
    result = _run(tmp_path / "repo", config, filename="token_cache.py")
    assert result.plan_by == "libcst (claude not asked: the path looks like a secret)"
    assert fake.requests() == []
