"""Redis first, local SQLite as a mirror and a fallback: a lost Redis loses no result.

Every write also goes to the local store, so when Redis disappears mid-run the local store
already holds every claim and result this process has seen; from then on it is the store.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from modularize.orchestrator.state import StateStore, StoreUnavailable
from modularize.orchestrator.state.redis import RedisStore

R = TypeVar("R")


class FallbackStore:
    """Delegates to ``primary`` until it fails once, then to the local store for good."""

    def __init__(
        self,
        primary: RedisStore,
        make_local: Callable[[], StateStore],
        announce: Callable[[str], None],
    ) -> None:
        self.primary: RedisStore | None = primary
        self.local = make_local()
        self._announce = announce
        self.fell_back_because = ""

    @property
    def active(self) -> StateStore:
        """The backend in use now."""
        return self.primary if self.primary is not None else self.local

    def descriptor(self) -> str:
        """The URL of the backend in use now (workers reopen whatever is current)."""
        return self.active.descriptor()

    def _fall_back(self, exc: StoreUnavailable) -> None:
        assert self.primary is not None
        where = self.primary.display_url
        self.primary.close()
        self.primary = None
        self.fell_back_because = str(exc)
        self._announce(
            f"lost the connection to Redis at {where} ({exc}); continuing with the local "
            f"state store {self.local.descriptor()}, every result so far is kept there"
        )

    def _read(self, op: Callable[[StateStore], R]) -> R:
        if self.primary is not None:
            try:
                return op(self.primary)
            except StoreUnavailable as exc:
                self._fall_back(exc)
        return op(self.local)

    def kv_get(self, namespace: str, key: str) -> str | None:
        """Read from the active backend."""
        return self._read(lambda s: s.kv_get(namespace, key))

    def kv_items(self, namespace: str) -> dict[str, str]:
        """Read from the active backend."""
        return self._read(lambda s: s.kv_items(namespace))

    def kv_set(self, namespace: str, key: str, value: str) -> None:
        """Write to Redis (while it lasts) and to the local mirror."""
        if self.primary is not None:
            try:
                self.primary.kv_set(namespace, key, value)
            except StoreUnavailable as exc:
                self._fall_back(exc)
        self.local.kv_set(namespace, key, value)

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        """Atomic on Redis (mirrored locally), or atomic on the local store after a fallback."""
        if self.primary is not None:
            try:
                new = self.primary.kv_update(namespace, key, fn)
            except StoreUnavailable as exc:
                self._fall_back(exc)
            else:
                self.local.kv_set(namespace, key, new)
                return new
        return self.local.kv_update(namespace, key, fn)

    def kv_delete(self, namespace: str, key: str) -> None:
        """Delete on both."""
        if self.primary is not None:
            try:
                self.primary.kv_delete(namespace, key)
            except StoreUnavailable as exc:
                self._fall_back(exc)
        self.local.kv_delete(namespace, key)

    def close(self) -> None:
        """Close both."""
        if self.primary is not None:
            self.primary.close()
        self.local.close()
