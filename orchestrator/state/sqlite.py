"""The default store: one SQLite file in WAL mode, safe for many processes at once."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from modularize.orchestrator.state import StateDamaged

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


def _probe(path: Path) -> str | None:
    """Read-only: is ``path`` an intact SQLite database holding our table (or no table yet)?"""
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=_BUSY_MS / 1000)
        try:
            verdict = conn.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if "kv" in tables:
                conn.execute("SELECT namespace, key, value FROM kv LIMIT 1").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc):
            raise StateDamaged(f"{path}: {exc}") from None
        return str(exc)
    if verdict is None or verdict[0] != "ok":
        return f"integrity check: {verdict[0] if verdict else 'no answer'}"
    if tables and "kv" not in tables:
        return "it holds another program's tables"
    return None


def move_aside_if_damaged(path: Path) -> Path | None:
    """Rename a damaged store (and its WAL files) to ``<name>.damaged-<time>``; None when it is
    healthy after all (another process got here first) or gone. One process at a time."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with (path.parent / f"{path.name}.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        again = SqliteStore(path)
        problem = again.problem()
        again.close()
        if problem is None or not path.exists():
            return None
        aside = path.with_name(
            f"{path.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
        )
        os.replace(path, aside)
        for suffix in ("-wal", "-shm"):
            companion = path.with_name(path.name + suffix)
            if companion.exists():
                os.replace(companion, aside.with_name(aside.name + suffix))
        return aside


class SqliteStore:
    """A key-value table; writers serialise on ``BEGIN IMMEDIATE``, readers never block (WAL)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path).resolve()
        self._conn: sqlite3.Connection | None = None
        self._pid = -1

    def descriptor(self) -> str:
        """``sqlite:///abs/path/state.db``."""
        return f"sqlite://{self.path.as_posix()}"

    def problem(self) -> str | None:
        """Why this file is not a usable store (garbage, another program's tables), or None.
        An existing file is looked at read-only first: a reader must not change it."""
        if self.path.is_file() and self.path.stat().st_size > 0:
            found = _probe(self.path)
            if found is not None:
                return found
        try:
            with self._guard():
                self._db().execute("SELECT namespace, key, value FROM kv LIMIT 1").fetchall()
        except StateDamaged as exc:
            if "locked" in str(exc):
                raise  # busy, not damaged: never move a live store aside
            self.close()
            return str(exc).removeprefix(f"{self.path}: ")
        except OSError as exc:
            self.close()
            return exc.strerror or str(exc)
        return None

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        """SQLite's errors become one line naming the file."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise StateDamaged(f"{self.path}: {exc}") from None

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
        with self._guard():
            row = (
                self._db()
                .execute("SELECT value FROM kv WHERE namespace = ? AND key = ?", (namespace, key))
                .fetchone()
            )
        return None if row is None else row[0]

    def kv_set(self, namespace: str, key: str, value: str) -> None:
        """Insert or replace ``key``."""
        with self._guard():
            self._db().execute(
                "INSERT OR REPLACE INTO kv (namespace, key, value) VALUES (?, ?, ?)",
                (namespace, key, value),
            )

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        """Read, apply ``fn`` and write inside one ``BEGIN IMMEDIATE`` transaction."""
        with self._guard():
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
        try:
            new = fn(self.kv_get(namespace, key))
            self.kv_set(namespace, key, new)
        except BaseException:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        with self._guard():
            db.execute("COMMIT")
        return new

    def kv_items(self, namespace: str) -> dict[str, str]:
        """All keys of ``namespace``."""
        with self._guard():
            rows = self._db().execute(
                "SELECT key, value FROM kv WHERE namespace = ? ORDER BY key", (namespace,)
            )
            return dict(rows.fetchall())

    def kv_delete(self, namespace: str, key: str) -> None:
        """Remove ``key``."""
        with self._guard():
            self._db().execute("DELETE FROM kv WHERE namespace = ? AND key = ?", (namespace, key))

    def close(self) -> None:
        """Close this process's connection."""
        if self._conn is not None and self._pid == os.getpid():
            self._conn.close()
        self._conn = None
