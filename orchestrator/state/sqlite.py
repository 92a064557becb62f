"""The default store: one SQLite file in WAL mode, safe for many processes at once."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kv (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
) WITHOUT ROWID
"""
_BUSY_MS = 30_000


def _switch_to_wal(conn: sqlite3.Connection) -> None:
    """Turn on WAL. Two processes creating the file at the same moment can get "database is
    locked" here without SQLite's busy handler being consulted: retry for a while."""
    deadline = time.monotonic() + _BUSY_MS / 1000
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class SqliteStore:
    """A key-value table; writers serialise on ``BEGIN IMMEDIATE``, readers never block (WAL)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1

    def descriptor(self) -> str:
        """``sqlite:///abs/path/state.db``."""
        return f"sqlite://{self.path.as_posix()}"

    def _db(self) -> sqlite3.Connection:
        # A connection must not be shared with a forked child: reopen per process.
        if self._conn is None or self._pid != os.getpid():
            self._conn = self._connect()
            self._pid = os.getpid()
        return self._conn

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.path.parent / ".gitignore"
        if self.path.parent.name == ".modularize" and not ignore.exists():
            # The state directory must never show up in `git status` of the user's repo.
            ignore.write_text("*\n", encoding="utf-8")
        conn = sqlite3.connect(
            self.path, timeout=_BUSY_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        _switch_to_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(_SCHEMA)
        return conn

    def kv_get(self, namespace: str, key: str) -> str | None:
        """The value under ``key``, or None."""
        row = (
            self._db()
            .execute("SELECT value FROM kv WHERE namespace = ? AND key = ?", (namespace, key))
            .fetchone()
        )
        return None if row is None else row[0]

    def kv_set(self, namespace: str, key: str, value: str) -> None:
        """Insert or replace ``key``."""
        self._db().execute(
            "INSERT OR REPLACE INTO kv (namespace, key, value) VALUES (?, ?, ?)",
            (namespace, key, value),
        )

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        """Read, apply ``fn`` and write inside one ``BEGIN IMMEDIATE`` transaction."""
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            new = fn(self.kv_get(namespace, key))
            self.kv_set(namespace, key, new)
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        return new

    def kv_items(self, namespace: str) -> dict[str, str]:
        """All keys of ``namespace``."""
        rows = self._db().execute(
            "SELECT key, value FROM kv WHERE namespace = ? ORDER BY key", (namespace,)
        )
        return dict(rows.fetchall())

    def kv_delete(self, namespace: str, key: str) -> None:
        """Remove ``key``."""
        self._db().execute("DELETE FROM kv WHERE namespace = ? AND key = ?", (namespace, key))

    def close(self) -> None:
        """Close this process's connection."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
