"""The do_round and do_batch functions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import math
import typing as t


def do_round(value: float, precision: int = 0, method: str = "common") -> float:
    """Round the number to a given precision.

    >>> do_round(2.5, method="floor")
    2.0
    """
    if method == "common":
        return round(value, precision)
    func = getattr(math, {"ceil": "ceil", "floor": "floor"}[method])
    return t.cast(float, func(value * (10**precision)) / (10**precision))


def do_batch(value: t.Iterable[t.Any], linecount: int) -> t.Iterator[list[t.Any]]:
    tmp: list[t.Any] = []
    for item in value:
        if len(tmp) == linecount:
            yield tmp
            tmp = []
        tmp.append(item)
    if tmp:
        yield tmp
