"""The do_upper, do_title, do_wordcount and do_mapping_keys functions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import re
import typing as t
from collections import abc


_word_re = re.compile(r"\w+")


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


def do_mapping_keys(value: abc.Mapping[str, t.Any]) -> list[str]:
    return sorted(value)
