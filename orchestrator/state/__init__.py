"""Shared run state: one ``StateStore`` interface, three backends (SQLite, Redis, memory).

Every backend is a small namespaced key-value store with one atomic read-modify-write
(``kv_update``). Runs, task claims, results and timings (``orchestrator.state.runs``) and the
claude agent's circuit breaker are all built on that, so each backend stays tiny and the
rules about runs live in one place.

A store is reopened in worker processes from ``store.descriptor()`` (a URL string), because
connections do not cross process boundaries.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, runtime_checkable

from modularize.agents.core.errors import UsageError

STATE_DIR = ".modularize"
STATE_FILE = "state.db"


class StoreUnavailable(Exception):
    """The backend cannot be reached (Redis down, connection lost); the caller may fall back."""


class NoState(UsageError):
    """No state store exists yet where a reader looked (nothing has run there)."""


class StateDamaged(UsageError):
    """A state file that is not a usable store (garbage, another program's database)."""


@runtime_checkable
class StateStore(Protocol):
    """A namespaced key-value store with an atomic read-modify-write, safe across processes."""

    def descriptor(self) -> str:
        """A picklable URL that reopens this same store in another process."""
        ...

    def kv_get(self, namespace: str, key: str) -> str | None:
        """The value stored under ``key`` in ``namespace``, or None."""
        ...

    def kv_set(self, namespace: str, key: str, value: str) -> None:
        """Store ``value`` under ``key`` (last writer wins)."""
        ...

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        """Atomically replace the value with ``fn(old)`` and return the new value."""
        ...

    def kv_items(self, namespace: str) -> dict[str, str]:
        """Every key and value of ``namespace``."""
        ...

    def kv_delete(self, namespace: str, key: str) -> None:
        """Remove ``key`` from ``namespace`` (no error when absent)."""
        ...

    def close(self) -> None:
        """Release connections; the store may be reopened from its descriptor."""
        ...


def default_sqlite_path(root: Path, dry_run: bool) -> Path:
    """Where the SQLite store lives: in the repo, or for dry runs in a temp dir keyed by repo."""
    if not dry_run:
        return root / STATE_DIR / STATE_FILE
    # Dry runs write nothing in the repository, yet `status`/`report` must find their state.
    digest = hashlib.sha1(str(root.resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"modularize-dry-{digest}" / STATE_FILE


def _announce_on_stderr(message: str) -> None:
    from modularize.orchestrator.console import print_warning

    print_warning(message)


def open_store(
    url: str | None,
    root: Path,
    dry_run: bool,
    *,
    on_fallback: Callable[[str], None] | None = None,
    create: bool = True,
) -> StateStore:
    """Open the store named by ``url`` (None: the repo's SQLite store).

    ``redis://`` URLs fall back to the local SQLite store, announcing it once through
    ``on_fallback``, when Redis is unreachable now or later; a URL that cannot be right (no
    host, a bad port, a server that is not Redis) is a UsageError. ``create=False`` opens an
    existing SQLite file only (readers such as ``status`` must not create state). A damaged
    default store is moved aside and replaced (saying so) when ``create``; any other damaged
    store is a one-line StateDamaged naming the file.
    """
    announce = on_fallback or _announce_on_stderr
    if url is None or url == "" or url == "sqlite":
        return _sqlite(default_sqlite_path(root, dry_run), create, announce)
    if url.startswith("sqlite:///"):
        return _sqlite(Path(url.removeprefix("sqlite://")), create, None)
    if url.startswith("memory://"):
        from modularize.orchestrator.state.memory import MemoryStore

        return MemoryStore.named(url.removeprefix("memory://"))
    if url.startswith(("redis://", "rediss://", "unix://")):
        return _redis_with_fallback(url, root, dry_run, announce)
    raise UsageError(
        f"--state {_safe(url)!r}: expected redis://host:port/db, sqlite:///path or memory://"
    )


def _safe(url: str) -> str:
    """``url`` with any password replaced, for messages."""
    scheme, sep, rest = url.partition("://")
    netloc, slash, tail = rest.partition("/")
    if sep and "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    return f"{scheme}{sep}{netloc}{slash}{tail}"


def _sqlite(path: Path, create: bool, repair: Callable[[str], None] | None) -> StateStore:
    """The SQLite store at ``path``, checked; ``repair`` (an announcer) moves a damaged one
    aside and starts afresh, without it a damaged file is a StateDamaged error."""
    from modularize.orchestrator.state.sqlite import SqliteStore, move_aside_if_damaged

    if not create and not path.is_file():
        raise NoState(f"{path}: no run recorded here (run `modularize run` first)")
    store = SqliteStore(path)
    problem = store.problem()
    if problem is None:
        return store
    store.close()
    if not create or repair is None:
        raise StateDamaged(f"{path}: not a usable modularize state store ({problem})")
    aside = move_aside_if_damaged(path)
    if aside is not None:
        repair(
            f"{path}: not a usable state store ({problem}); moved it to {aside.name} "
            "and started a fresh one"
        )
    store = SqliteStore(path)
    problem = store.problem()
    if problem is not None:
        raise StateDamaged(f"{path}: not a usable modularize state store ({problem})")
    return store


def _redis_with_fallback(
    url: str, root: Path, dry_run: bool, announce: Callable[[str], None]
) -> StateStore:
    from modularize.orchestrator.state.fallback import FallbackStore
    from modularize.orchestrator.state.redis import RedisStore

    local = default_sqlite_path(root, dry_run)
    primary = RedisStore(url)  # a UsageError when the URL cannot name a Redis server
    try:
        primary.ping()
    except StoreUnavailable as exc:
        announce(
            f"Redis at {primary.display_url} is unreachable ({exc}); "
            f"continuing with the local state store {local}"
        )
        return _sqlite(local, True, announce)
    return FallbackStore(primary, lambda: _sqlite(local, True, announce), announce)
