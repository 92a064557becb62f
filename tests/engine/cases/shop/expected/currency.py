"""The Currency class; the MAX_ITEMS constant.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import enum


MAX_ITEMS = 50


class Currency(enum.Enum):
    EUR = "EUR"
    USD = "USD"
