"""Python source as a file holds it: one line counter and one decoder for every layer."""

from __future__ import annotations

import ast
import functools
import re
import tokenize
from pathlib import Path
from typing import overload

from modularize.agents.core.errors import SourceError

# PEP 263: an encoding declaration in one of the first two lines.
_COOKIE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.MULTILINE)


@overload
def count_lines(data: str) -> int: ...
@overload
def count_lines(data: bytes) -> int: ...
def count_lines(data: str | bytes) -> int:
    """Lines as Python's tokenizer and ruff number them: ``\\n``, ``\\r\\n`` and a lone ``\\r``
    each end a line (a form feed or other Unicode separator does not), plus a last line
    without an ending. Bytes and text give the same count."""
    if isinstance(data, str):
        lf, cr, crlf = "\n", "\r", "\r\n"
        lines = data.count(lf) + data.count(cr) - data.count(crlf)
        return lines + (1 if data and not data.endswith((lf, cr)) else 0)
    lines = data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")
    return lines + (1 if data and not data.endswith((b"\n", b"\r")) else 0)


def count_file_lines(path: Path) -> int:
    """Lines in a file, counted from its bytes without decoding or parsing."""
    return count_lines(Path(path).read_bytes())


def decode_source(data: bytes) -> str:
    """Text of a Python file, honouring its encoding cookie and BOM (PEP 263), newlines kept."""
    try:
        encoding, _ = tokenize.detect_encoding(iter(data.splitlines(keepends=True)).__next__)
    except SyntaxError as exc:
        if "unknown encoding" in str(exc.msg):
            raise SourceError(str(exc.msg)) from None
        encoding = "utf-8"  # bytes that are not UTF-8 without a cookie: say where, below
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"cannot decode as {encoding}: {exc.reason} at byte {exc.start}"
        ) from None


def read_source(path: Path) -> str:
    """The text of a Python file, decoded as Python would; SourceError says why it cannot be."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SourceError(f"cannot read it: {exc.strerror or exc}") from None
    return decode_source(data)


_LINE_END = re.compile(r"\r\n|\r|\n")


def newline_of(text: str) -> str:
    """The line ending a file uses: that of its first line (``\\n`` when it has none)."""
    found = _LINE_END.search(text)
    return found.group() if found else "\n"


def with_newline(text: str, newline: str) -> str:
    """``text`` with every line ending written as ``newline`` (Python reads them all alike)."""
    return _LINE_END.sub(newline, text) if newline != "\n" or "\r" in text else text


def encode_source(text: str) -> bytes:
    """Bytes for ``text`` in the encoding its own cookie declares (UTF-8 without one)."""
    head = b"\n".join(text.encode("utf-8", "surrogateescape").splitlines()[:2])
    match = _COOKIE.search(head)
    encoding = match.group(1).decode("ascii") if match else "utf-8"
    try:
        return text.encode(encoding)
    except (LookupError, UnicodeEncodeError):
        return text.encode("utf-8")


@functools.lru_cache(maxsize=3)  # a file, its star imports expanded, its classes split
def source_tree(source: str) -> ast.Module:
    """``ast.parse(source)``, parsed once for every reader of the same text (reading it,
    planning, checking the split). Shared: read-only."""
    return ast.parse(source)


def parse_source(source: str, filename: str = "<unknown>") -> ast.Module:
    """The ``ast`` of a module, or SourceError with the line and the reason. Shared with
    ``source_tree``: read-only."""
    try:
        return source_tree(source)
    except SyntaxError as exc:
        raise SourceError(f"line {exc.lineno}: syntax error: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SourceError(f"cannot parse: {exc or type(exc).__name__}") from None
