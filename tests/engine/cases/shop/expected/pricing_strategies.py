"""The DiscountStrategy and 2 more classes; the clamp function."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Item:
    name: str
    price: int
    quantity: int = 1


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
