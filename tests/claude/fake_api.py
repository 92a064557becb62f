"""A small Messages-API server of our own on 127.0.0.1, for driving the real anthropic SDK.

Replies are scripted: each POST /v1/messages takes the next queued ``Reply`` (or the default
one when the queue is empty) and every request is recorded with its arrival time, so tests can
check what the SDK sent and when.
"""

from __future__ import annotations

import collections
import dataclasses
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclasses.dataclass(frozen=True)
class Reply:
    """One scripted answer: HTTP status, JSON body, extra headers, and a delay before it."""

    status: int = 200
    body: dict[str, Any] | None = None
    headers: tuple[tuple[str, str], ...] = ()
    delay: float = 0.0


@dataclasses.dataclass(frozen=True)
class Seen:
    """One request as the server received it."""

    at: float
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def tool_reply(tool_input: dict[str, Any], name: str = "propose_split_plan") -> Reply:
    """A successful Messages response whose only content block is a call of ``name``."""
    return Reply(
        body={
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": "claude-fake",
            "content": [
                {"type": "tool_use", "id": "toolu_fake", "name": name, "input": tool_input}
            ],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 10},
        }
    )


def text_reply(text: str) -> Reply:
    """A successful response that ignores the tool and answers in prose."""
    return Reply(
        body={
            "id": "msg_fake",
            "type": "message",
            "role": "assistant",
            "model": "claude-fake",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 10},
        }
    )


def error_reply(status: int, kind: str, message: str, **headers: str) -> Reply:
    """An API error in the shape the SDK parses (``{"type": "error", "error": {...}}``)."""
    return Reply(
        status=status,
        body={"type": "error", "error": {"type": kind, "message": message}},
        headers=tuple((k.replace("_", "-"), v) for k, v in headers.items()),
    )


class FakeAnthropic:
    """The server; use as a context manager. ``url`` goes into ANTHROPIC_BASE_URL."""

    def __init__(self, default: Reply | None = None) -> None:
        self.default = default or error_reply(500, "api_error", "no reply scripted")
        self.queue: collections.deque[Reply] = collections.deque()
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """The base URL of the server."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def push(self, *replies: Reply) -> None:
        """Queue replies for the next requests, in order."""
        with self.lock:
            self.queue.extend(replies)

    def requests(self) -> list[Seen]:
        """Every request received so far."""
        with self.lock:
            return list(self.seen)

    def __enter__(self) -> FakeAnthropic:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)

    def _next(self, seen: Seen) -> Reply:
        with self.lock:
            self.seen.append(seen)
            return self.queue.popleft() if self.queue else self.default

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802 - the http.server naming
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                seen = Seen(
                    time.time(),
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    json.loads(raw or b"{}"),
                )
                reply = fake._next(seen)
                if reply.delay:
                    time.sleep(reply.delay)
                payload = json.dumps(reply.body or {}).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(payload)))
                    for key, value in reply.headers:
                        self.send_header(key, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and hung up: that is what the test wanted

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass  # keep test output clean

        return Handler
