"""The shared store: Redis, so several processes or machines split one repository together.

The only module that imports ``redis`` (lazily). Each namespace is one Redis hash under
``<prefix>:<namespace>``; ``?prefix=NAME`` in the URL keeps projects (or tests) apart.
Connection failures become ``StoreUnavailable`` so the caller can fall back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from modularize.agents.core.errors import UsageError
from modularize.orchestrator.state import StoreUnavailable

DEFAULT_PREFIX = "modularize"
_CONNECT_TIMEOUT = 2.0
_SOCKET_TIMEOUT = 5.0


def _split_prefix(url: str) -> tuple[str, str]:
    """(url without our ``prefix`` query parameter, prefix)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    prefix = next((v for k, v in query if k == "prefix"), DEFAULT_PREFIX) or DEFAULT_PREFIX
    rest = urlencode([(k, v) for k, v in query if k != "prefix"])
    return urlunsplit(parts._replace(query=rest)), prefix


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot name a Redis server, or None."""
    parts = urlsplit(url)
    try:
        parts.port  # noqa: B018 - parsing it is the check
    except ValueError as exc:
        return f"bad port ({exc})"
    if parts.scheme == "unix":
        return None if parts.path else "a unix:// URL needs the socket's path"
    if not parts.hostname:
        return "no host; expected redis://host:port/db"
    db = parts.path.strip("/")
    if db and not db.isdigit():
        return f"the database must be a number, not {db!r}"
    return None


class RedisStore:
    """Hashes in Redis; ``kv_update`` is a WATCH/MULTI/EXEC optimistic transaction."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._redis_url, self.prefix = _split_prefix(url)
        self._client: Any = None
        problem = _url_problem(self._redis_url)
        if problem:
            raise UsageError(f"--state {self.display_url}: {problem}")

    @property
    def display_url(self) -> str:
        """The URL without user or password, for messages."""
        parts = urlsplit(self._redis_url)
        netloc = parts.netloc.rpartition("@")[2]
        return urlunsplit(parts._replace(netloc=netloc, query=""))

    def descriptor(self) -> str:
        """The URL this store was opened with (including ``?prefix=``)."""
        return self.url

    def _redis(self) -> Any:
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(
                self._redis_url,
                socket_connect_timeout=_CONNECT_TIMEOUT,
                socket_timeout=_SOCKET_TIMEOUT,
                decode_responses=True,
            )
        return self._client

    @contextmanager
    def _guard(self) -> Iterator[None]:
        import redis

        try:
            yield
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
            raise StoreUnavailable(str(exc) or type(exc).__name__) from exc

    def _key(self, namespace: str) -> str:
        return f"{self.prefix}:{namespace}"

    def ping(self) -> None:
        """Raise StoreUnavailable unless the server answers; UsageError when what answers is
        not a Redis server that lets us in (another protocol, a wrong password)."""
        import redis

        try:
            with self._guard():
                self._redis().ping()
        except StoreUnavailable as exc:
            if not isinstance(exc.__cause__, redis.exceptions.AuthenticationError):
                raise
            raise UsageError(f"--state {self.display_url}: Redis refused us ({exc})") from None
        except redis.exceptions.RedisError as exc:
            detail = str(exc)[:200] or type(exc).__name__
            raise UsageError(
                f"--state {self.display_url}: the server there does not answer as Redis ({detail})"
            ) from None

    def kv_get(self, namespace: str, key: str) -> str | None:
        """HGET."""
        with self._guard():
            value: str | None = self._redis().hget(self._key(namespace), key)
            return value

    def kv_set(self, namespace: str, key: str, value: str) -> None:
        """HSET."""
        with self._guard():
            self._redis().hset(self._key(namespace), key, value)

    def kv_update(self, namespace: str, key: str, fn: Callable[[str | None], str]) -> str:
        """WATCH the hash, compute, MULTI/HSET/EXEC; retry when another writer got in first."""
        import redis

        name = self._key(namespace)
        with self._guard(), self._redis().pipeline() as pipe:
            while True:
                try:
                    pipe.watch(name)
                    new = fn(pipe.hget(name, key))
                    pipe.multi()
                    pipe.hset(name, key, new)
                    pipe.execute()
                    return new
                except redis.exceptions.WatchError:
                    continue

    def kv_items(self, namespace: str) -> dict[str, str]:
        """HGETALL, sorted by key."""
        with self._guard():
            return dict(sorted(self._redis().hgetall(self._key(namespace)).items()))

    def kv_delete(self, namespace: str, key: str) -> None:
        """HDEL."""
        with self._guard():
            self._redis().hdel(self._key(namespace), key)

    def close(self) -> None:
        """Drop the connection pool."""
        if self._client is not None:
            self._client.close()
        self._client = None

    def __getstate__(self) -> dict[str, str]:
        # Connections do not cross processes; the URL is enough to reconnect.
        return {"url": self.url}

    def __setstate__(self, state: dict[str, str]) -> None:
        RedisStore.__init__(self, state["url"])
