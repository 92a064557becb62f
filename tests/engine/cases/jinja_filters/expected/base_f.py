"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import re
import typing as t


F = t.TypeVar("F", bound=t.Callable[..., t.Any])

_word_re = re.compile(r"\w+")
