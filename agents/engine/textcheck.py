"""Nothing of the original's text is lost: every comment appears in the split at least once."""

from __future__ import annotations

import io
import re
import tokenize
from collections.abc import Iterable

from modularize.agents.engine.importgen import MAX_LINE

# What a scan for comments must step over: a comment, or the start of a string literal.
_NEXT = re.compile(r"[#'\"]")
_LINE_REST = re.compile(r"[^\r\n]*")
# The rest of a string after its opening quotes (a backslash escapes any character).
_REST = {
    "'": re.compile(r"(?:[^'\\\r\n]|\\(?:\r\n|[\s\S]))*'"),
    '"': re.compile(r'(?:[^"\\\r\n]|\\(?:\r\n|[\s\S]))*"'),
    "'''": re.compile(r"(?:[^'\\]|\\[\s\S]|'(?!''))*'''"),
    '"""': re.compile(r'(?:[^"\\]|\\[\s\S]|"(?!""))*"""'),
}


def comments(text: str) -> set[str]:
    """The comments of ``text``, stripped (an empty set when it does not tokenize)."""
    found = _scan_comments(text)
    if found is not None:
        return found
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return set()
    return {t.string.strip() for t in tokens if t.type == tokenize.COMMENT}


def _scan_comments(text: str) -> set[str] | None:
    """``comments`` of code that parses, found by stepping over string literals with
    regular expressions (the tokenizer's way, without its other tokens); None when a string
    does not end (``tokenize`` then says what it makes of the text)."""
    found: set[str] = set()
    at = 0
    while (hit := _NEXT.search(text, at)) is not None:
        start = hit.start()
        if hit.group() == "#":
            end = _LINE_REST.match(text, start).end()  # type: ignore[union-attr]
            found.add(text[start:end].strip())
            at = end
            continue
        quote = text[start : start + 3]
        if quote not in _REST:
            quote = hit.group()
        rest = _REST[quote].match(text, start + len(quote))
        if rest is None:
            return None
        at = rest.end()
    return found


def lost_comments(original: str, outputs: Iterable[str]) -> list[str]:
    """One problem naming the comments of ``original`` that no output holds (none: [])."""
    kept: set[str] = set()
    for text in outputs:
        kept |= comments(text)
    lost = sorted(comments(original) - kept)
    if not lost:
        return []
    shown = "; ".join(
        c if len(c) <= MAX_LINE // 2 else c[: MAX_LINE // 2] + "..." for c in lost[:3]
    )
    more = f" and {len(lost) - 3} more" if len(lost) > 3 else ""
    return [f"comments of the original lost in the split: {shown}{more}"]
