"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import math
import typing as t
from itertools import groupby

from .base_f import _word_re
from .utils_make_attrgetter import ignore_case, make_attrgetter


def do_wordcount(s: str) -> int:
    """Count the words in that string."""
    return len(_word_re.findall(s))


# Sorting and grouping ---------------------------------------------------------


def do_sort(value: t.Iterable[t.Any], reverse: bool = False, attribute: str | None = None) -> list[t.Any]:
    key = make_attrgetter(attribute)
    return sorted(value, key=lambda x: ignore_case(key(x)), reverse=reverse)


def do_groupby(value: t.Iterable[t.Any], attribute: str) -> list[tuple[t.Any, list[t.Any]]]:
    expr = make_attrgetter(attribute)
    return [(key, list(values)) for key, values in groupby(sorted(value, key=expr), expr)]


def do_round(value: float, precision: int = 0, method: str = "common") -> float:
    """Round the number to a given precision.

    >>> do_round(2.5, method="floor")
    2.0
    """
    if method == "common":
        return round(value, precision)
    func = getattr(math, {"ceil": "ceil", "floor": "floor"}[method])
    return t.cast(float, func(value * (10**precision)) / (10**precision))
