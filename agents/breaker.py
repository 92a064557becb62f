"""A circuit breaker for one backend, shared by every worker through the state store.

The transitions are pure functions of (state, policy, now), so every one of them can be tested
with an injected clock. ``SharedBreaker`` applies them atomically through the store's
``kv_update`` so that all workers (and machines on one Redis) see one circuit.

closed    -- calls go through; each counted failure adds one; ``failure_threshold`` consecutive
             failures open the circuit; any success resets the count to zero.
open      -- calls are refused at once; after ``cooldown`` seconds the next caller is granted the
             single trial call and the circuit becomes half-open.
half_open -- everyone but the trial caller is refused; the trial's success closes the circuit,
             its failure reopens it (with a fresh cool-down).
"""

from __future__ import annotations

import dataclasses
import enum
import json
import threading
import time
from collections.abc import Callable
from typing import Protocol

NAMESPACE = "breaker"


class Circuit(str, enum.Enum):
    """The three states of a circuit (the stored form is the value)."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"

    def __str__(self) -> str:
        return self.value


@dataclasses.dataclass(frozen=True)
class BreakerPolicy:
    """How many failures open the circuit, and how long it stays open."""

    failure_threshold: int = 5
    cooldown: float = 60.0
    # A trial caller that died (killed worker) must not hold the half-open circuit forever:
    # after this long without an outcome, another caller may take the trial.
    trial_lease: float = 120.0


@dataclasses.dataclass(frozen=True)
class BreakerState:
    """The circuit as stored: JSON-serialisable, so that any process can read it."""

    state: Circuit = Circuit.CLOSED
    failures: int = 0
    opened_at: float = 0.0
    trial_started: float = 0.0

    def to_json(self) -> str:
        """The stored form."""
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> BreakerState:
        """Parse the stored form; a missing or damaged value is a fresh closed circuit."""
        if not text:
            return cls()
        try:
            data = json.loads(text)
            return cls(
                state=Circuit(data["state"]),
                failures=int(data["failures"]),
                opened_at=float(data["opened_at"]),
                trial_started=float(data["trial_started"]),
            )
        except (ValueError, KeyError, TypeError):  # an unknown state is a ValueError too
            return cls()


def admit(state: BreakerState, policy: BreakerPolicy, now: float) -> tuple[BreakerState, bool]:
    """May a call go through now? Returns the new state and the answer."""
    if state.state is Circuit.CLOSED:
        return state, True
    if state.state is Circuit.OPEN:
        if now - state.opened_at >= policy.cooldown:
            return dataclasses.replace(state, state=Circuit.HALF_OPEN, trial_started=now), True
        return state, False
    # half-open: one trial at a time, unless its lease ran out
    if now - state.trial_started >= policy.trial_lease:
        return dataclasses.replace(state, trial_started=now), True
    return state, False


def on_success(state: BreakerState, policy: BreakerPolicy, now: float) -> BreakerState:
    """A call succeeded: closed resets the count, half-open closes; open stays open.

    A success while open comes from a call admitted before another worker opened the
    circuit; the cool-down and its trial decide recovery, not a straggler.
    """
    if state.state is Circuit.OPEN:
        return state
    return BreakerState()


def on_failure(state: BreakerState, policy: BreakerPolicy, now: float) -> BreakerState:
    """A counted failure (429, 5xx, connection error, timeout)."""
    if state.state is Circuit.CLOSED:
        failures = state.failures + 1
        if failures >= policy.failure_threshold:
            return BreakerState(state=Circuit.OPEN, failures=failures, opened_at=now)
        return dataclasses.replace(state, failures=failures)
    if state.state is Circuit.HALF_OPEN:
        return BreakerState(state=Circuit.OPEN, failures=state.failures + 1, opened_at=now)
    return dataclasses.replace(state, failures=state.failures + 1)


def on_neutral(state: BreakerState, policy: BreakerPolicy, now: float) -> BreakerState:
    """An outcome that does not count (a 400: our request was wrong, not the backend).

    It neither fails nor proves the backend, so the state stays; but a half-open trial is
    over, so the next caller may make the trial instead of waiting for the lease to run out.
    """
    if state.state is Circuit.HALF_OPEN:
        return dataclasses.replace(state, trial_started=0.0)
    return state


class KeyValueStore(Protocol):
    """The two methods of the state store that the breaker needs."""

    def kv_get(self, namespace: str, key: str) -> str | None:
        """The stored value, or None."""
        ...

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        """Atomically replace the value by ``fn(old)``; returns the new value."""
        ...


class LocalStore:
    """A circuit kept in this process only: for an agent run without the run's shared store."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], str] = {}
        self._lock = threading.Lock()

    def kv_get(self, namespace: str, key: str) -> str | None:
        return self._data.get((namespace, key))

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        with self._lock:
            new = self._data[namespace, key] = fn(self._data.get((namespace, key)))
            return new


class SharedBreaker:
    """The circuit of one backend (e.g. ``"claude"``), kept in a store all workers share."""

    def __init__(
        self,
        store: KeyValueStore,
        backend: str,
        policy: BreakerPolicy,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # wall-clock time, not monotonic: the timestamps are compared across processes
        self.store = store
        self.backend = backend
        self.policy = policy
        self.clock = clock

    def state(self) -> BreakerState:
        """The circuit as it is stored now."""
        return BreakerState.from_json(self.store.kv_get(NAMESPACE, self.backend))

    def allow(self) -> bool:
        """Ask for permission to make one call; False means fall back at once."""
        if self.state().state is Circuit.CLOSED:
            return True  # fast path without a write: a closed circuit admits everyone
        granted = False

        def update(raw: str | None) -> str:
            nonlocal granted  # kv_update may call us again after a conflict: last answer wins
            new, granted = admit(BreakerState.from_json(raw), self.policy, self.clock())
            return new.to_json()

        self.store.kv_update(NAMESPACE, self.backend, update)
        return granted

    def record_success(self) -> BreakerState:
        """Report a successful call."""
        current = self.state()
        if current == BreakerState():
            return current  # nothing to reset: spare the store a write on the common path
        return self._apply(on_success)

    def record_failure(self) -> BreakerState:
        """Report a counted failure."""
        return self._apply(on_failure)

    def record_neutral(self) -> BreakerState:
        """Report an outcome that does not count (e.g. HTTP 400)."""
        current = self.state()
        if current.state is not Circuit.HALF_OPEN:
            return current  # nothing changes outside half-open: no write
        return self._apply(on_neutral)

    def _apply(
        self, transition: Callable[[BreakerState, BreakerPolicy, float], BreakerState]
    ) -> BreakerState:
        def update(raw: str | None) -> str:
            return transition(BreakerState.from_json(raw), self.policy, self.clock()).to_json()

        return BreakerState.from_json(self.store.kv_update(NAMESPACE, self.backend, update))
