"""The circuit breaker: every transition with an injected clock, then through a shared store."""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from modularize.agents.breaker import (
    BreakerPolicy,
    BreakerState,
    Circuit,
    KeyValueStore,
    SharedBreaker,
    admit,
    on_failure,
    on_neutral,
    on_success,
)

POLICY = BreakerPolicy(failure_threshold=3, cooldown=10.0, trial_lease=30.0)


class DictStore:
    """The breaker's two-method store protocol over a dict (atomic through a lock)."""

    def __init__(self) -> None:
        self.data: dict[tuple[str, str], str] = {}
        self.lock = threading.Lock()
        self.writes = 0

    def kv_get(self, namespace: str, key: str) -> str | None:
        return self.data.get((namespace, key))

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        with self.lock:
            self.writes += 1
            self.data[(namespace, key)] = new = fn(self.data.get((namespace, key)))
            return new


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("state", "now", "expected", "allowed"),
    [
        pytest.param(BreakerState(), 0.0, BreakerState(), True, id="closed-admits"),
        pytest.param(
            BreakerState(Circuit.OPEN, 3, 100.0),
            105.0,
            BreakerState(Circuit.OPEN, 3, 100.0),
            False,
            id="open-refuses-during-cooldown",
        ),
        pytest.param(
            BreakerState(Circuit.OPEN, 3, 100.0),
            110.0,
            BreakerState(Circuit.HALF_OPEN, 3, 100.0, 110.0),
            True,
            id="open-after-cooldown-grants-one-trial",
        ),
        pytest.param(
            BreakerState(Circuit.HALF_OPEN, 3, 100.0, 110.0),
            111.0,
            BreakerState(Circuit.HALF_OPEN, 3, 100.0, 110.0),
            False,
            id="half-open-refuses-second-caller",
        ),
        pytest.param(
            BreakerState(Circuit.HALF_OPEN, 3, 100.0, 110.0),
            140.0,
            BreakerState(Circuit.HALF_OPEN, 3, 100.0, 140.0),
            True,
            id="half-open-lease-of-dead-trial-expires",
        ),
    ],
)
def test_admit(state: BreakerState, now: float, expected: BreakerState, allowed: bool) -> None:
    assert admit(state, POLICY, now) == (expected, allowed)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        pytest.param(
            BreakerState(Circuit.CLOSED, 0), BreakerState(Circuit.CLOSED, 1), id="closed-counts"
        ),
        pytest.param(
            BreakerState(Circuit.CLOSED, 2),
            BreakerState(Circuit.OPEN, 3, 50.0),
            id="closed-opens-at-n",
        ),
        pytest.param(
            BreakerState(Circuit.HALF_OPEN, 3, 1.0, 40.0),
            BreakerState(Circuit.OPEN, 4, 50.0),
            id="half-open-trial-failure-reopens-with-fresh-cooldown",
        ),
        pytest.param(
            BreakerState(Circuit.OPEN, 3, 1.0),
            BreakerState(Circuit.OPEN, 4, 1.0),
            id="open-straggler-does-not-extend-cooldown",
        ),
    ],
)
def test_on_failure(state: BreakerState, expected: BreakerState) -> None:
    assert on_failure(state, POLICY, 50.0) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        pytest.param(
            BreakerState(Circuit.CLOSED, 2), BreakerState(), id="closed-success-resets-count"
        ),
        pytest.param(
            BreakerState(Circuit.HALF_OPEN, 3, 1.0, 40.0),
            BreakerState(),
            id="half-open-trial-success-closes",
        ),
        pytest.param(
            BreakerState(Circuit.OPEN, 3, 1.0),
            BreakerState(Circuit.OPEN, 3, 1.0),
            id="open-straggler-success-does-not-close",
        ),
    ],
)
def test_on_success(state: BreakerState, expected: BreakerState) -> None:
    assert on_success(state, POLICY, 50.0) == expected


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        pytest.param(
            BreakerState(Circuit.CLOSED, 2),
            BreakerState(Circuit.CLOSED, 2),
            id="closed-400-neither-counts-nor-resets",
        ),
        pytest.param(
            BreakerState(Circuit.OPEN, 3, 1.0),
            BreakerState(Circuit.OPEN, 3, 1.0),
            id="open-unchanged",
        ),
        pytest.param(
            BreakerState(Circuit.HALF_OPEN, 3, 1.0, 40.0),
            BreakerState(Circuit.HALF_OPEN, 3, 1.0, 0.0),
            id="half-open-400-ends-the-trial-without-verdict",
        ),
    ],
)
def test_on_neutral(state: BreakerState, expected: BreakerState) -> None:
    assert on_neutral(state, POLICY, 50.0) == expected


def test_after_a_neutral_trial_the_next_caller_may_try_at_once() -> None:
    store, clock = DictStore(), Clock()
    breaker = SharedBreaker(store, "claude", POLICY, clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now += 10.0
    assert breaker.allow() and not breaker.allow()
    breaker.record_neutral()
    assert breaker.allow()
    assert breaker.state().state == Circuit.HALF_OPEN


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "not json",
        '{"state": "weird", "failures": 1, "opened_at": 0, "trial_started": 0}',
        '{"state": "open"}',
    ],
)
def test_damaged_stored_state_reads_as_closed(raw: str | None) -> None:
    assert BreakerState.from_json(raw) == BreakerState()


@pytest.fixture(params=["dict", "sqlite", pytest.param("redis", marks=pytest.mark.redis)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[KeyValueStore]:
    """The breaker's protocol on a dict, and on the run's real SQLite and Redis stores."""
    if request.param == "dict":
        yield DictStore()
        return
    from modularize.orchestrator.state import StoreUnavailable, open_store

    if request.param == "sqlite":
        opened = open_store(f"sqlite:///{tmp_path / 'state.db'}", tmp_path, False)
    else:
        from modularize.orchestrator.state.redis import RedisStore

        opened = RedisStore(f"redis://127.0.0.1:6379/0?prefix=test-breaker-{uuid.uuid4().hex}")
        try:
            opened.ping()
        except StoreUnavailable as exc:
            if os.environ.get("MODULARIZE_REQUIRE_REDIS") == "1":
                pytest.fail(f"Redis is required but unreachable: {exc}")
            pytest.skip(f"Redis unreachable: {exc}")
    yield opened
    if request.param == "redis":
        opened.kv_delete("breaker", "claude")
    opened.close()


def test_full_cycle_through_a_store(store: KeyValueStore) -> None:
    clock = Clock()
    breaker = SharedBreaker(store, "claude", POLICY, clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    breaker.record_success()  # a success in the closed state forgets the two failures
    assert breaker.state() == BreakerState()
    for _ in range(3):
        assert breaker.allow()
        breaker.record_failure()
    assert breaker.state().state == Circuit.OPEN
    assert not breaker.allow()
    clock.now += 10.0
    assert breaker.allow()  # the one trial call
    assert breaker.state().state == Circuit.HALF_OPEN
    assert not breaker.allow()  # nobody else while the trial runs
    breaker.record_failure()
    assert breaker.state().state == Circuit.OPEN and breaker.state().opened_at == clock.now
    clock.now += 9.9
    assert not breaker.allow()
    clock.now += 0.1
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state() == BreakerState()
    assert breaker.allow()


def test_two_breakers_on_one_store_see_one_circuit() -> None:
    store, clock = DictStore(), Clock()
    worker_a = SharedBreaker(store, "claude", POLICY, clock)
    worker_b = SharedBreaker(store, "claude", POLICY, clock)
    other_backend = SharedBreaker(store, "other", POLICY, clock)
    for breaker in (worker_a, worker_b, worker_a):
        breaker.record_failure()
    assert not worker_b.allow()
    assert other_backend.allow()
    clock.now += 10.0
    granted = [worker_a.allow(), worker_b.allow()]
    assert granted == [True, False]


def test_closed_path_does_not_write() -> None:
    store = DictStore()
    breaker = SharedBreaker(store, "claude", POLICY, Clock())
    for _ in range(5):
        assert breaker.allow()
        breaker.record_success()
    assert store.writes == 0


def test_unopenable_store_gives_a_per_process_circuit_and_says_so(tmp_path: Path) -> None:
    from modularize.agents.base import Task
    from modularize.agents.core.config import Config
    from modularize.orchestrator.scheduler import shared_store

    task = Task("d", "claude", "", "big.py", str(tmp_path), "big", str(tmp_path))
    config = Config(state=f"bogus://{tmp_path.name}")
    store, notes = shared_store(config, task)
    assert len(notes) == 1 and "circuit breaker state is per process" in notes[0]
    assert "bogus://" in notes[0]  # the user's URL, so they can fix it
    again, notes_again = shared_store(config, task)
    assert again is store and notes_again == ()  # said once per process, not per file
    SharedBreaker(store, "claude", POLICY, Clock()).record_failure()
    assert SharedBreaker(again, "claude", POLICY, Clock()).state().failures == 1
