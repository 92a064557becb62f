"""do_round: round the number to a given precision."""

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
