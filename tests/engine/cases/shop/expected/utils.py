"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

from .base import CURRENCY


def format_price(cents: int) -> str:
    return f"{cents / 100:.2f} {CURRENCY}"


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))
