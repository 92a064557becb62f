"""A small, realistic legacy module and its own tests, used by the agent tests."""

from __future__ import annotations

BIG = '''\
"""Inventory service: models, pricing and a manager."""
from __future__ import annotations

import enum
import logging
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)

MAX_ITEMS = 100
_registry: dict[str, type] = {}


def register(cls):
    _registry[cls.__name__] = cls
    return cls


class Color(enum.Enum):
    RED = "red"
    BLUE = "blue"


class InventoryError(Exception):
    """Raised when stock runs out."""


@dataclass
class Item:
    name: str
    price: float
    color: Color = Color.RED
    tags: list[str] = field(default_factory=list)


def helper(value: float) -> float:
    """Round a total to cents."""
    return round(value, 2)


def discount(price: float, percent: float) -> float:
    return round(price * (1 - percent / 100), 2)


@register
class FlatPricing:
    def price(self, item: Item) -> float:
        return item.price


@register
class SalePricing:
    def __init__(self, percent: float = 10.0) -> None:
        self.percent = percent

    def price(self, item: Item) -> float:
        return discount(item.price, self.percent)


class Inventory:
    """Holds items and prices them."""

    def __init__(self, pricing=None) -> None:
        self.items: list[Item] = []
        self.pricing = pricing or FlatPricing()

    def add(self, item: Item) -> None:
        if len(self.items) >= MAX_ITEMS:
            raise InventoryError("full")
        logger.debug("adding %s", item.name)
        self.items.append(item)

    def total(self) -> float:
        return helper(sum(self.pricing.price(i) for i in self.items))

    def by_color(self, color: Color) -> list[Item]:
        return [i for i in self.items if i.color is color]

    def remove(self, name: str) -> Item:
        """Take the first item called ``name`` out of the inventory."""
        for index, item in enumerate(self.items):
            if item.name == name:
                return self.items.pop(index)
        raise InventoryError(f"no item called {name!r}")

    def find(self, tag: str) -> list[Item]:
        """Items carrying ``tag``, in the order they were added."""
        found = []
        for item in self.items:
            if tag in item.tags:
                found.append(item)
        return found

    def summary(self) -> dict[str, float]:
        """Total price per colour, rounded to cents."""
        totals: dict[str, float] = {}
        for item in self.items:
            key = item.color.value
            totals[key] = totals.get(key, 0.0) + self.pricing.price(item)
        return {key: helper(value) for key, value in sorted(totals.items())}

    def clear(self) -> int:
        """Empty the inventory; return how many items were removed."""
        count = len(self.items)
        self.items.clear()
        logger.info("cleared %d items", count)
        return count


def on_error(exc: Exception) -> str:
    """Turn an inventory failure into the message shown to the caller."""
    if isinstance(exc, InventoryError):
        message = str(exc) or "inventory error"
    else:
        message = f"unexpected {type(exc).__name__}: {exc}"
    logger.warning("event failed: %s", message)
    return f"error: {message}"


def handle_event(name: str, inventory: Inventory) -> str:
    try:
        return f"{name}: {inventory.total()}"
    except InventoryError as exc:
        return on_error(exc)


if __name__ == "__main__":
    inv = Inventory()
    inv.add(Item("pen", 1.234))
    print(inv.total())
'''

TESTS = """\
from unittest import mock

import pkg.big
from pkg.big import Inventory, Item, SalePricing, _registry


def test_total_is_patched_through_the_old_path():
    with mock.patch("pkg.big.helper", return_value=42.0) as fake:
        inv = Inventory()
        inv.add(Item("pen", 1.0))
        assert inv.total() == 42.0
    fake.assert_called_once()


def test_builtin_shadowed_through_the_old_path():
    with mock.patch("pkg.big.round", create=True, return_value=7):
        assert pkg.big.helper(1.234) == 7


def test_monkeypatch_object_form(monkeypatch):
    monkeypatch.setattr(pkg.big, "helper", lambda value: -1.0)
    assert Inventory().total() == -1.0


def test_behaviour():
    inv = Inventory(SalePricing(50))
    inv.add(Item("pen", 3.0))
    assert inv.total() == 1.5
    assert sorted(_registry) == ["FlatPricing", "SalePricing"]
    assert pkg.big.logger.name == "pkg.big"
"""

# Threshold and budgets that make BIG (about 130 lines) a file to split, in a fast test.
SMALL_LIMITS = {
    "threshold": 120,
    "budgets": {"base": 40, "manager": 60, "strategies": 40, "handlers": 40, "utils": 40},
}
