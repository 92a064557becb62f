"""Functions for text: do_upper, do_title, ignore_case and do_wordcount."""

from __future__ import annotations

import re
import typing as t


_word_re = re.compile(r"\w+")


def ignore_case(value: t.Any) -> t.Any:
    """For use as a key: lower-case strings, leave the rest."""
    if isinstance(value, str):
        return value.lower()
    return value


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


def do_wordcount(s: str) -> int:
    """Count the words in that string."""
    return len(_word_re.findall(s))
