"""The Currency and 2 more classes; the on_checkout_error function."""

from __future__ import annotations

import enum
import logging


log = logging.getLogger(__package__)

MAX_ITEMS = 50


class Currency(enum.Enum):
    EUR = "EUR"
    USD = "USD"


class ShopError(Exception):
    """Anything that goes wrong in the shop."""


class OutOfStock(ShopError):
    pass


def on_checkout_error(exc: ShopError) -> str:
    log.warning("checkout failed: %s", exc)
    return f"sorry: {exc}"
