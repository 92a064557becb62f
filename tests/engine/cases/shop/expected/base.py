"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass


log = logging.getLogger(__package__)

MAX_ITEMS = 50
CURRENCY = "EUR"


class Currency(enum.Enum):
    EUR = "EUR"
    USD = "USD"


class ShopError(Exception):
    """Anything that goes wrong in the shop."""


class OutOfStock(ShopError):
    pass


@dataclass
class Item:
    name: str
    price: int
    quantity: int = 1
