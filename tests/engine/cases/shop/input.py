"""A small shop: prices, carts and the checkout flow."""

from __future__ import annotations

import enum
import logging
from dataclasses import dataclass

log = logging.getLogger(__name__)

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


def format_price(cents: int) -> str:
    return f"{cents / 100:.2f} {CURRENCY}"


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(value, high))


class PricingStrategy:
    """Plain prices."""

    def total(self, items: list[Item]) -> int:
        return sum(i.price * i.quantity for i in items)


class DiscountStrategy(PricingStrategy):
    """A percentage off everything."""

    def __init__(self, percent: int) -> None:
        self.percent = clamp(percent, 0, 100)

    def total(self, items: list[Item]) -> int:
        full = super().total(items)
        return full - full * self.percent // 100


def on_checkout_error(exc: ShopError) -> str:
    log.warning("checkout failed: %s", exc)
    return f"sorry: {exc}"


class Cart:
    """The main class: holds items and checks out."""

    def __init__(self, strategy: PricingStrategy | None = None) -> None:
        self.items: list[Item] = []
        self.strategy = strategy or PricingStrategy()

    def add(self, item: Item) -> None:
        if len(self.items) >= MAX_ITEMS:
            raise OutOfStock(item.name)
        self.items.append(item)

    def total(self) -> int:
        return self.strategy.total(self.items)

    def checkout(self) -> str:
        try:
            if not self.items:
                raise ShopError("empty cart")
            return format_price(self.total())
        except ShopError as exc:
            return on_checkout_error(exc)

    def describe(self) -> str:
        names = ", ".join(i.name for i in self.items)
        return f"{len(self.items)} items: {names}"

    def clear(self) -> None:
        self.items.clear()
