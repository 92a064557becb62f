"""The Cart class."""

from __future__ import annotations

from .error import MAX_ITEMS, on_checkout_error, OutOfStock, ShopError
from .formatting import format_price
from .pricing_strategies import Item, PricingStrategy


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
