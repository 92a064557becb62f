"""Functions for formatting: format_price and CURRENCY."""

from __future__ import annotations


CURRENCY = "EUR"


def format_price(cents: int) -> str:
    return f"{cents / 100:.2f} {CURRENCY}"
