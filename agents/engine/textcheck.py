"""Nothing of the original's text is lost: every comment appears in the split at least once."""

from __future__ import annotations

import io
import tokenize
from collections.abc import Iterable

from modularize.agents.engine.importgen import MAX_LINE


def comments(text: str) -> set[str]:
    """The comments of ``text``, stripped (an empty set when it does not tokenize)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError):
        return set()
    return {t.string.strip() for t in tokens if t.type == tokenize.COMMENT}


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
