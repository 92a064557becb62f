"""Runs, claims, results and timings, on top of any ``StateStore``.

One place for the rules: a plain ``run`` joins a run that live processes are still working on
(so two ``modularize run`` share the work) or starts a new one; ``--resume`` reopens the last
run; a file is claimed atomically before any work and never worked on twice; a claim held by
a process that stopped reporting for ``lease`` seconds may be taken over.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import socket
import time
import uuid
from pathlib import Path
from typing import Any

from modularize.agents.base import AgentResult, ModuleOutput, Status
from modularize.agents.core.discovery import in_git
from modularize.agents.core.errors import UsageError
from modularize.orchestrator.state import StateStore

DEFAULT_LEASE = 600.0


def result_to_dict(result: AgentResult) -> dict[str, Any]:
    """An AgentResult as plain JSON data."""
    data = dataclasses.asdict(result)
    data["status"] = result.status.value
    return data


def result_from_dict(data: dict[str, Any]) -> AgentResult:
    """The inverse of ``result_to_dict``."""
    fields = {f.name for f in dataclasses.fields(AgentResult)}
    values = {k: v for k, v in data.items() if k in fields}
    values["status"] = Status(values["status"])
    values["modules"] = tuple(ModuleOutput(**m) for m in values.get("modules", ()))
    for name in ("warnings", "compat", "forwarded"):
        values[name] = tuple(values.get(name, ()))
    for name in ("locations", "files"):
        values[name] = tuple(tuple(pair) for pair in values.get(name, ()))
    return AgentResult(**values)


@dataclasses.dataclass(frozen=True)
class StoredResult:
    """A finished file: the agent's result plus where and when it was produced."""

    result: AgentResult
    module: str
    owner: str
    finished_at: float


@dataclasses.dataclass(frozen=True)
class RunSnapshot:
    """Everything ``status`` and ``report`` show about one run."""

    record: dict[str, Any]
    results: dict[str, StoredResult]
    claims: dict[str, dict[str, Any]]

    @property
    def remaining(self) -> list[str]:
        """Paths of the run with no result yet, in run order."""
        return [p for p in self.record["paths"] if p not in self.results]


def repo_key(root: Path, dry_run: bool = False) -> str:
    """The key of a checkout's runs in a shared store, never its folder name alone.

    In git it is the folder name plus a hash of the checkout's own id (kept in its git dir,
    see ``GitRepo.checkout_id``) and its path: two unrelated repositories called ``backend``,
    two clones, or a copied folder each get their own runs, while every process on one
    checkout (on one machine or over a shared file system) joins the same run. Outside git,
    the host and the path. Dry runs have their own key, so one never joins a real run.
    """
    top = Path(root).resolve()
    repo = None
    if in_git(top):  # outside git (a dry run on a copy), GitPython need not even be loaded
        from modularize.orchestrator.gitops import GitRepo

        repo = GitRepo.find(top)
    if repo is None:
        identity = f"{socket.gethostname()}\0{top}"
    else:
        try:
            identity = f"{repo.checkout_id()}\0{repo.top}"
        finally:
            repo.close()
    digest = hashlib.sha256(identity.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f"{top.name or 'root'}@{digest}" + (" (dry run)" if dry_run else "")


def new_owner() -> str:
    """An id for this process, unique across machines."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _dead_here(owner: str) -> bool:
    """True when ``owner`` is a process of this machine that no longer exists (it crashed or was
    killed): its heartbeat is then no reason to wait out the lease."""
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def _record(raw: str | None) -> dict[str, Any] | None:
    """A stored run record, or None when there is none or it is unreadable (a fresh start)."""
    try:
        record = json.loads(raw) if raw is not None else None
    except ValueError:
        return None
    if not isinstance(record, dict) or not isinstance(record.get("paths"), list):
        return None
    return record if isinstance(record.get("id"), str) else None


def _check_resumable(record: dict[str, Any] | None, dry_run: bool) -> None:
    """UsageError when ``--resume`` has no earlier run, or one of the other kind, to finish."""
    if record is None:
        raise UsageError("--resume: no earlier run of this repository in the state store")
    if record.get("dry_run") != dry_run:
        kind = "a dry run" if record["dry_run"] else "not a dry run"
        raise UsageError(f"--resume: the last run ({record['id']}) was {kind}")


class RunLedger:
    """One process's view of the shared run of one repository."""

    def __init__(
        self,
        store: StateStore,
        repo_key: str,
        owner: str | None = None,
        lease: float = DEFAULT_LEASE,
    ) -> None:
        self.store = store
        self.repo_key = repo_key
        self.owner = owner or new_owner()
        self.lease = lease
        self.run_id = ""
        self.joined = False

    # -- namespaces -----------------------------------------------------------------------
    def _ns(self, kind: str, run_id: str | None = None) -> str:
        return f"run:{run_id or self.run_id}:{kind}"

    def current(self) -> dict[str, Any] | None:
        """The last run's record for this repository, or None (also when it is unreadable)."""
        return _record(self.store.kv_get("runs", self.repo_key))

    def _live(self, record: dict[str, Any], now: float) -> dict[str, float]:
        return {
            o: t
            for o, t in record.get("participants", {}).items()
            if now - t < self.lease and not _dead_here(o)
        }

    def live(self, record: dict[str, Any]) -> list[str]:
        """The processes of ``record``'s run that reported within the lease."""
        return sorted(self._live(record, time.time()))

    # -- lifecycle ------------------------------------------------------------------------
    def start(self, paths: list[str], *, resume: bool, dry_run: bool, agent: str) -> dict[str, Any]:
        """Create, join (a live run) or resume (``resume``) the repository's run."""

        outcome = {"joined": False}

        def decide(old: str | None) -> str:
            now = time.time()
            record = _record(old)
            if resume:
                _check_resumable(record, dry_run)
            joinable = (
                record is not None
                and record.get("status") == "running"
                and record.get("dry_run") == dry_run
                and self._live(record, now)
            )
            outcome["joined"] = bool(resume or joinable)
            if not (resume or joinable):
                record = {
                    "id": time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6],
                    "started": now,
                    "dry_run": dry_run,
                    "agent": agent,
                    "paths": [],
                    "participants": {},
                }
            assert record is not None
            if not resume:  # --resume finishes the last run's files, nothing new
                record["paths"] = record["paths"] + [p for p in paths if p not in record["paths"]]
            if resume:
                record.pop("failure", None)  # a resumed run gets another chance to commit
            record.update(status="running", updated=now, finished=None)
            record["participants"] = {**self._live(record, now), self.owner: now}
            return json.dumps(record)

        record: dict[str, Any] = json.loads(self.store.kv_update("runs", self.repo_key, decide))
        self.run_id = record["id"]
        self.joined = outcome["joined"]
        return record

    def touch(self) -> None:
        """Tell other processes this one is alive."""

        def beat(old: str | None) -> str:
            record = _record(old) or {}
            if record.get("id") == self.run_id:
                record.setdefault("participants", {})[self.owner] = time.time()
                record["updated"] = time.time()
            return json.dumps(record)

        self.store.kv_update("runs", self.repo_key, beat)

    def leave(self, *, interrupted: bool, failure: str = "") -> dict[str, Any]:
        """Stop participating; the last process out sets the run's final status.

        ``failure`` (a process's commit or finish failed) makes the run's status "failed",
        whoever leaves last: a run whose commit failed is never "finished".
        """
        remaining = self.snapshot().remaining

        def depart(old: str | None) -> str:
            now = time.time()
            record = _record(old) or {}
            if record.get("id") != self.run_id:
                return old or "{}"
            live = self._live(record, now)
            live.pop(self.owner, None)
            record["participants"] = live
            record["updated"] = now
            if failure:
                record["failure"] = failure
            if not live:
                record["status"] = (
                    "failed"
                    if record.get("failure")
                    else "finished"
                    if not remaining
                    else "interrupted"
                    if interrupted
                    else "incomplete"
                )
                record["finished"] = now
            return json.dumps(record)

        final: dict[str, Any] = json.loads(self.store.kv_update("runs", self.repo_key, depart))
        return final

    # -- claims and results ---------------------------------------------------------------
    def claim(self, path: str) -> bool:
        """Atomically take ``path`` for this process; False when finished or held by another."""
        if self.store.kv_get(self._ns("results"), path) is not None:
            return False
        record = self.current() or {}
        live = self._live(record, time.time())

        def take(old: str | None) -> str:
            holder = None if old is None else json.loads(old)["owner"]
            if old is None or holder == self.owner or holder not in live:
                return json.dumps({"owner": self.owner, "at": time.time()})
            return old

        owner: str = json.loads(self.store.kv_update(self._ns("claims"), path, take))["owner"]
        won = owner == self.owner
        if won and self.store.kv_get(self._ns("results"), path) is not None:
            # A process that died after finishing: its result stands, nothing to redo.
            self.release(path)
            return False
        if won:
            self.touch()
        return won

    def release(self, path: str) -> None:
        """Give back an unfinished claim (interrupt), so another process or --resume takes it."""
        raw = self.store.kv_get(self._ns("claims"), path)
        if raw is not None and json.loads(raw)["owner"] == self.owner:
            self.store.kv_delete(self._ns("claims"), path)

    def record(self, result: AgentResult, module: str) -> None:
        """Store a finished file's result; from now on nobody works on it again."""
        payload = {
            "result": result_to_dict(result),
            "module": module,
            "owner": self.owner,
            "finished_at": time.time(),
        }
        self.store.kv_set(self._ns("results"), result.path, json.dumps(payload))
        self.touch()

    def save_extra(self, name: str, data: Any) -> None:
        """Keep run-level facts (ruff, commit, follow-ups) for ``modularize report``."""
        self.store.kv_set(self._ns("extras"), name, json.dumps(data))

    def snapshot(self, run_id: str | None = None) -> RunSnapshot:
        """The run's record, results and claims as they are now."""
        record = self.current() or {}
        rid = self._resolve(run_id, record)
        results = {}
        for path, raw in self.store.kv_items(self._ns("results", rid)).items():
            try:
                data = json.loads(raw)
                results[path] = StoredResult(
                    result_from_dict(data["result"]),
                    data["module"],
                    data["owner"],
                    data["finished_at"],
                )
            except (ValueError, KeyError, TypeError):
                continue  # an unreadable result: the file counts as not done

        claims = {p: json.loads(v) for p, v in self.store.kv_items(self._ns("claims", rid)).items()}
        if record.get("status") == "running" and not self.live(record):
            record["status"] = "stopped"  # every process of it is gone: killed, or its host died
        return RunSnapshot(record, results, claims)

    def _resolve(self, run_id: str | None, record: dict[str, Any] | None) -> str:
        return run_id or self.run_id or (record or {}).get("id", "")

    def extras(self, run_id: str | None = None) -> dict[str, Any]:
        """Run-level facts saved with ``save_extra``."""
        items = self.store.kv_items(self._ns("extras", self._resolve(run_id, self.current())))
        return {k: json.loads(v) for k, v in items.items()}

    def held_by_others(self, paths: list[str]) -> list[str]:
        """Paths among ``paths`` claimed by another live process."""
        record = self.current() or {}
        live = self._live(record, time.time())
        claims = self.store.kv_items(self._ns("claims"))
        return [
            p
            for p in paths
            if p in claims
            and json.loads(claims[p])["owner"] != self.owner
            and json.loads(claims[p])["owner"] in live
        ]
