"""An in-process store for tests and ``--parallel 1`` experiments (not shared across processes)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import ClassVar


class MemoryStore:
    """A dict of dicts behind a lock; ``memory://NAME`` reopens the same instance in-process."""

    _named: ClassVar[dict[str, MemoryStore]] = {}
    _registry_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, name: str = "") -> None:
        self.name = name
        self._data: dict[str, dict[str, str]] = {}
        self._lock = threading.RLock()

    @classmethod
    def named(cls, name: str) -> MemoryStore:
        """The process-wide store called ``name`` (a fresh one when the name is empty)."""
        if not name:
            return cls()
        with cls._registry_lock:
            return cls._named.setdefault(name, cls(name))

    def descriptor(self) -> str:
        """``memory://NAME``: meaningful only inside this process."""
        return f"memory://{self.name}"

    def kv_get(self, namespace: str, key: str) -> str | None:
        """The value under ``key``, or None."""
        with self._lock:
            return self._data.get(namespace, {}).get(key)

    def kv_set(self, namespace: str, key: str, value: str) -> None:
        """Store ``value``."""
        with self._lock:
            self._data.setdefault(namespace, {})[key] = value

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        """Apply ``fn`` under the lock."""
        with self._lock:
            new = fn(self.kv_get(namespace, key))
            self.kv_set(namespace, key, new)
            return new

    def kv_items(self, namespace: str) -> dict[str, str]:
        """A copy of ``namespace``."""
        with self._lock:
            return dict(sorted(self._data.get(namespace, {}).items()))

    def kv_delete(self, namespace: str, key: str) -> None:
        """Remove ``key``."""
        with self._lock:
            self._data.get(namespace, {}).pop(key, None)

    def close(self) -> None:
        """Nothing to release."""
