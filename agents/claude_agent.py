"""The claude agent: Claude proposes the split plan, the LibCST engine still makes every edit.

The only module that imports ``anthropic`` (lazily). The proposal is untrusted input: it is
validated (``agents.claude_proposal``) and, when rejected or when Claude cannot be asked (no
key, a secret-looking path, an open circuit, errors), the deterministic plan is used and the
result's ``plan_by`` says why. Every HTTP attempt goes through the shared circuit breaker.
"""

from __future__ import annotations

import dataclasses
import email.utils
import os
import random
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from modularize.agents.base import AgentResult, Status, Task, report_stage
from modularize.agents.breaker import BreakerPolicy, KeyValueStore, LocalStore, SharedBreaker

if TYPE_CHECKING:
    from modularize.agents.core.config import ClaudeSettings, Config
    from modularize.agents.engine import EngineConfig, SplitPlan

KEY_ENV = "ANTHROPIC_API_KEY"
BASE_URL_ENV = "ANTHROPIC_BASE_URL"
MAX_WAIT = 30.0  # longest retry-after we sit out; beyond it the deterministic plan is cheaper


def api_key() -> str | None:
    """The API key from the environment (never printed, logged or stored)."""
    return os.environ.get(KEY_ENV) or None


def preflight(config: Config) -> None:
    """Fail early, in one line, when ``--agent claude`` cannot work at all."""
    from modularize.agents.core.errors import UsageError

    if config.agent == "claude" and api_key() is None:
        raise UsageError(f"--agent claude needs an API key: set {KEY_ENV} in the environment")


def _scrub(text: str) -> str:
    """Defence in depth: no message we pass on may carry the key or the base URL's password."""
    for secret in (api_key(), urlsplit(os.environ.get(BASE_URL_ENV, "")).password):
        if secret:
            text = text.replace(secret, "[redacted]")
    return text


def endpoint() -> str:
    """The API endpoint in use, as it may be stored and shown: no user, password or query."""
    parts = urlsplit(os.environ.get(BASE_URL_ENV) or "https://api.anthropic.com")
    netloc = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=netloc, query="", fragment="")).rstrip("/")


# --- asking Claude --------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Answer:
    """What came back: the tool input, or why there is none."""

    tool_input: dict[str, Any] | None
    reason: str = ""
    attempts: int = 0


def _counts(status: int) -> bool:
    """429, request timeouts and 5xx say the backend is unwell; other 4xx are our request."""
    return status in (408, 429) or status >= 500


def retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms``, ``retry-after`` secs or date)."""
    try:
        if headers.get("retry-after-ms"):
            return max(0.0, float(headers["retry-after-ms"]) / 1000)
        value = headers.get("retry-after")
        if not value:
            return None
        try:
            return max(0.0, float(value))
        except ValueError:
            when = email.utils.parsedate_to_datetime(value)
            return max(0.0, when.timestamp() - time.time())
    except (ValueError, TypeError, OverflowError):
        return None


def backoff(attempt: int, base: float, rng: random.Random) -> float:
    """Exponential backoff with equal jitter: half fixed, half random, capped."""
    ceiling = min(MAX_WAIT, base * 2.0 ** (attempt - 1))
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclasses.dataclass
class Caller:
    """One conversation with the API: bounded retries, every attempt through the breaker."""

    settings: ClaudeSettings
    breaker: SharedBreaker
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = dataclasses.field(default_factory=random.Random)

    def ask(self, request: dict[str, Any]) -> Answer:
        """Send ``request`` (kwargs of messages.create); retries only what may succeed later."""
        import anthropic

        last = ""
        key = api_key()
        if key is None:
            return Answer(None, f"{KEY_ENV} is not set")
        # max_retries=0: the SDK must not retry behind our back; our loop is the only one.
        with anthropic.Anthropic(
            api_key=key, max_retries=0, timeout=self.settings.timeout
        ) as client:
            tries = max(1, self.settings.max_attempts)
            for attempt in range(1, tries + 1):
                if not self.breaker.allow():
                    why = "circuit open" if attempt == 1 else f"circuit opened after {last}"
                    return Answer(None, why, attempt - 1)
                outcome = self._attempt(client, request, anthropic, attempt)
                if isinstance(outcome, Answer):
                    return dataclasses.replace(outcome, attempts=attempt)
                last, wait = outcome
                if wait is None:
                    return Answer(None, last, attempt)
                if attempt < tries:
                    self.sleep(wait)
        return Answer(None, f"gave up after {tries} attempt{'s' * (tries > 1)}: {last}", tries)

    def _attempt(
        self, client: Any, request: dict[str, Any], anthropic: Any, attempt_no: int
    ) -> Answer | tuple[str, float | None]:
        """One HTTP call: an Answer, or (what went wrong, seconds to wait or None: don't retry)."""
        try:
            message = client.messages.create(**request)
        except anthropic.APIStatusError as exc:
            detail = getattr(exc, "api_message", None) or exc.message  # the body's own words
            what = f"HTTP {exc.status_code} {_scrub(str(detail))[:200]}"
            if not _counts(exc.status_code):
                self.breaker.record_neutral()
                return what, None  # reported, not counted, not retried: our request is at fault
            self.breaker.record_failure()
            wait = self._wait(exc.response.headers, attempt_no)
            if wait is None:
                what += f" (asked to wait {retry_after(exc.response.headers):g}s; not waiting)"
            return what, wait
        except anthropic.APITimeoutError:
            self.breaker.record_failure()
            return f"timed out after {self.settings.timeout:g}s", self._wait({}, attempt_no)
        except anthropic.APIConnectionError as exc:
            self.breaker.record_failure()
            return f"connection error: {_scrub(str(exc))[:200]}", self._wait({}, attempt_no)
        except anthropic.APIError as exc:  # an answer we cannot read: not the backend's health
            self.breaker.record_neutral()
            return f"unreadable answer: {_scrub(str(exc))[:200]}", None
        self.breaker.record_success()
        return _tool_input(message)

    def _wait(self, headers: Mapping[str, str], attempt: int) -> float | None:
        asked = retry_after(headers)
        if asked is None:
            return backoff(attempt, self.settings.backoff, self.rng)
        # honour the server, plus a little jitter so workers do not return in lockstep
        return None if asked > MAX_WAIT else asked + self.rng.uniform(0, 0.1)


def _tool_input(message: Any) -> Answer:
    """The plan Claude passed to our tool, or why there is none."""
    from modularize.agents.claude_proposal import TOOL_NAME

    for block in getattr(message, "content", None) or ():
        if getattr(block, "type", "") == "tool_use" and getattr(block, "name", "") == TOOL_NAME:
            payload = getattr(block, "input", None)
            if isinstance(payload, dict):
                return Answer(payload)
            return Answer(None, "the tool call carried no JSON object")
    return Answer(None, f"Claude answered without calling the {TOOL_NAME} tool")


# --- the breaker --------------------------------------------------------------------------


def breaker_for(
    settings: ClaudeSettings, store: KeyValueStore, clock: Callable[[], float] = time.time
) -> SharedBreaker:
    """The circuit of the API endpoint in use (one per backend, shared by all workers)."""
    policy = BreakerPolicy(
        failure_threshold=settings.failure_threshold,
        cooldown=settings.cooldown,
        trial_lease=settings.timeout * 2 + 1,  # a live trial always reports within this
    )
    return SharedBreaker(store, f"claude {endpoint()}", policy, clock)


def _note_withheld(result: AgentResult, why: str | None) -> AgentResult:
    """The report lists every file whose source stayed home, and why."""
    if not why:
        return result
    return dataclasses.replace(result, warnings=(*result.warnings, f"withheld from Claude: {why}"))


# --- the agent ------------------------------------------------------------------------------


class ClaudeAgent:
    """Asks Claude for the plan, validates it, and lets the engine execute it."""

    subagent_type: ClassVar[str] = "claude"

    def __init__(
        self, sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time
    ) -> None:
        self.sleep = sleep  # between retries
        self.clock = clock  # the circuit breaker's notion of now
        self._own_store = LocalStore()  # the circuit when the run passes no shared store

    def run(self, task: Task, config: Config, store: KeyValueStore | None = None) -> AgentResult:
        """Split ``task.path``; never raise: every outcome is a result.

        The circuit breaker lives in ``store`` (shared by every worker of the run); without
        one, the circuit is this agent's own.
        """
        from modularize.agents.libcst_agent import guarded

        if store is None:
            store = self._own_store
        result = guarded(task, self.subagent_type, lambda: self._run(task, config, store))
        # Whatever went wrong, its text must not carry the key into the store or the report.
        return dataclasses.replace(
            result,
            reason=_scrub(result.reason),
            traceback=_scrub(result.traceback),
            plan_by=_scrub(result.plan_by),
            warnings=tuple(_scrub(w) for w in result.warnings),
        )

    def _run(self, task: Task, config: Config, store: KeyValueStore) -> AgentResult:
        from modularize.agents.engine import Refusal, plan_split
        from modularize.agents.libcst_agent import (
            LibCSTAgent,
            engine_config_for,
            execute_plan,
            load_source,
        )
        from modularize.agents.secrets import secret_in_name, secret_in_source

        if task.plan_file:  # a person's edited plan wins over any model
            return LibCSTAgent().run(task, config)
        loaded = load_source(task, config)
        if isinstance(loaded, AgentResult):
            return loaded
        source = loaded.source
        engine = engine_config_for(Path(task.root) / task.path, task.module, config)
        try:
            fallback = plan_split(source, engine)
        except Refusal as exc:
            return AgentResult(
                path=task.path,
                status=Status.SKIPPED,
                agent=self.subagent_type,
                reason=exc.reason,
                lines_before=len(source.splitlines()),
            )
        if not fallback.modules:  # nothing to split: no question worth asking
            return execute_plan(task, config, fallback, "libcst", source=source)
        report_stage(task.path, "ask claude")
        by_name = secret_in_name(task.path)
        by_content = secret_in_source(source) if config.claude.send_source else None
        plan, plan_by = self._choose_plan(
            task, config, store, source, fallback, engine, by_name, by_content
        )
        result = execute_plan(task, config, plan, plan_by, source=source)
        if plan is not fallback and result.status != Status.SPLIT:
            why = _scrub(result.reason)[:300]
            result = execute_plan(
                task, config, fallback, f"libcst (claude plan failed verification: {why})", source
            )
        return _note_withheld(result, by_name or by_content)

    def _choose_plan(
        self,
        task: Task,
        config: Config,
        store: KeyValueStore,
        source: str,
        fallback: SplitPlan,
        engine: EngineConfig,
        by_name: str | None,
        by_content: str | None,
    ) -> tuple[SplitPlan, str]:
        """Claude's plan when it is valid, else the deterministic one with the reason.

        A file named like a secret is not asked about at all; one whose source holds a
        secret is asked about from its outline only, even with --send-source.
        """
        from modularize.agents.claude_names import ProposalRejected
        from modularize.agents.claude_proposal import build_request, context, plan_from_proposal

        if api_key() is None:
            return fallback, f"libcst (claude not asked: {KEY_ENV} is not set)"
        if by_name:
            return fallback, "libcst (claude not asked: the path looks like a secret)"
        breaker = breaker_for(config.claude, store, self.clock)
        ctx = context(source, engine)
        send = config.claude.send_source and by_content is None
        request = build_request(task, config, source, fallback, engine, ctx, send_source=send)
        try:
            answer = Caller(config.claude, breaker, self.sleep).ask(request)
        except Exception as exc:  # noqa: BLE001 - API errors are handled inside; the store's are not
            why = f"{type(exc).__name__}: {exc}"
            return fallback, f"libcst (claude unavailable: {_scrub(why)[:300]})"
        if answer.tool_input is None:
            return fallback, f"libcst (claude unavailable: {_scrub(answer.reason)})"
        try:
            plan = plan_from_proposal(answer.tool_input, fallback, source, engine, ctx)
        except ProposalRejected as exc:
            return fallback, f"libcst (claude proposal rejected: {_scrub(exc.reason)})"
        return plan, "claude"
