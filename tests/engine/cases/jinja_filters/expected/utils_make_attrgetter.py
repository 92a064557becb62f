"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import re
import typing as t


def ignore_case(value: t.Any) -> t.Any:
    """For use as a key: lower-case strings, leave the rest."""
    if isinstance(value, str):
        return value.lower()
    return value


def make_attrgetter(attribute: str | None, default: t.Any = None) -> t.Callable[[t.Any], t.Any]:
    parts = (attribute or "").split(".") if attribute else []

    def getter(item: t.Any) -> t.Any:
        for part in parts:
            item = getattr(item, part, default)
        return item

    return getter


def do_upper(s: str) -> str:
    """Convert a value to uppercase.

    >>> do_upper("abc")
    'ABC'
    """
    return s.upper()


def do_title(s: str) -> str:
    """Titlecase each word.

    >>> do_title("hello world")
    'Hello World'
    """
    return "".join(w[:1].upper() + w[1:].lower() if w.strip() else w for w in re.split(r"(\s+)", s))
