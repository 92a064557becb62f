"""Functions for formatting: format_price and CURRENCY.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations


CURRENCY = "EUR"


def format_price(cents: int) -> str:
    return f"{cents / 100:.2f} {CURRENCY}"
