"""A small package to split (with a low threshold, so verification stays fast), and its task."""

from __future__ import annotations

import sys
from pathlib import Path

from modularize.agents.base import Task
from modularize.agents.core.config import ClaudeSettings, Config
from tests.support import write

FAKE_KEY = "sk-ant-test-DO-NOT-LEAK-3f9c2b7e"

SHOP = '''\
"""A small shop: items, orders, prices and the shop that sells them."""

from __future__ import annotations

import dataclasses
import enum
import logging

log = logging.getLogger(__name__)

TAX_RATE = 0.2
MAX_ITEMS = 50


class Color(enum.Enum):
    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class ShopError(Exception):
    """Raised when an order cannot be placed."""


@dataclasses.dataclass(frozen=True)
class Item:
    name: str
    price: float
    color: Color = Color.RED


FREE_ITEM = Item("sticker", 0.0, Color.GREEN)


@dataclasses.dataclass
class Order:
    """Items a customer asked for, at most MAX_ITEMS of them.

    An order only collects items; pricing lives in the functions below so that
    the rules can change without touching stored orders.
    """

    items: list[Item] = dataclasses.field(default_factory=list)

    def add(self, item: Item) -> None:
        if len(self.items) >= MAX_ITEMS:
            raise ShopError("too many items")
        self.items.append(item)

    def count(self) -> int:
        return len(self.items)


def round_price(value: float) -> float:
    """Prices have cents, nothing smaller."""
    return round(value + 1e-9, 2)


def with_tax(value: float) -> float:
    return round_price(value * (1 + TAX_RATE))


def subtotal(order: Order) -> float:
    """The sum of the item prices, before tax."""
    return round_price(sum(item.price for item in order.items))


def total(order: Order) -> float:
    """Subtotal plus tax, rounded to cents once at the end."""
    return with_tax(subtotal(order))


def discount(order: Order, percent: float) -> float:
    """The order's total after taking ``percent`` off.

    The discount applies to the taxed total; a percentage outside 0..100 is an
    error rather than a surcharge or a refund.
    """
    if not 0 <= percent <= 100:
        raise ShopError(f"bad discount {percent}")
    return round_price(total(order) * (100 - percent) / 100)


def cheapest(order: Order) -> Item | None:
    """The item with the lowest price, or None for an empty order.

    Ties go to the item ordered first, as ``min`` keeps the first of equals.
    """
    if not order.items:
        return None
    return min(order.items, key=lambda item: item.price)


def by_color(order: Order) -> dict[Color, list[Item]]:
    """The order's items grouped by color, each group in the order taken."""
    found: dict[Color, list[Item]] = {}
    for item in order.items:
        found.setdefault(item.color, []).append(item)
    return found


class Shop:
    """Sells items from a catalogue and keeps the orders it took."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.catalogue: dict[str, Item] = {}
        self.orders: list[Order] = []

    def stock(self, item: Item) -> None:
        """Add ``item`` to the catalogue, replacing an item of the same name.

        Stocking is idempotent: the catalogue is keyed by name, so stocking the
        same item twice leaves one entry.
        """
        self.catalogue[item.name] = item
        log.debug("stocked %s", item.name)

    def order(self, *names: str) -> Order:
        """Take an order for the named items, in the order given.

        Every name must be in the catalogue; an unknown name raises ShopError
        and no order is recorded. Orders are kept for ``revenue`` and ``report``.
        """
        order = Order()
        for name in names:
            try:
                order.add(self.catalogue[name])
            except KeyError:
                raise ShopError(f"no such item: {name}") from None
        self.orders.append(order)
        return order

    def revenue(self) -> float:
        """The total of every order taken so far, tax included, in cents."""
        return round_price(sum(total(order) for order in self.orders))

    def report(self) -> str:
        """A few lines for a person: how many orders, their totals, the cheapest items.

        The lines are meant for a terminal; callers that need data should use
        ``orders`` and ``total`` directly.
        """
        lines = [f"{self.name}: {len(self.orders)} orders"]
        for number, order in enumerate(self.orders, 1):
            lines.append(f"  #{number}: {order.count()} items, {total(order):.2f}")
        cheap = [cheapest(order) for order in self.orders]
        names = sorted(item.name for item in cheap if item is not None)
        lines.append("  cheapest: " + ", ".join(names))
        return "\\n".join(lines)

    def colors(self) -> dict[str, int]:
        """How many items of each color were ordered, by color value.

        Colors nobody ordered are left out rather than counted as zero.
        """
        counts: dict[str, int] = {}
        for order in self.orders:
            for color, items in by_color(order).items():
                counts[color.value] = counts.get(color.value, 0) + len(items)
        return counts
'''

# A proposal different from the deterministic plan, valid for SHOP with BUDGETS below.
GOOD_PROPOSAL = {
    "modules": [
        {
            "name": "models",
            "doc": "The shop's data: items, orders, colours and limits.",
            "role": "base",
            "units": [
                "log",
                "TAX_RATE",
                "MAX_ITEMS",
                "Color",
                "ShopError",
                "Item",
                "FREE_ITEM",
                "Order",
            ],
        },
        {
            "name": "pricing",
            "doc": "Prices of orders: rounding, tax, discounts and totals.",
            "role": "strategies",
            "units": [
                "round_price",
                "with_tax",
                "subtotal",
                "total",
                "discount",
                "cheapest",
                "by_color",
            ],
        },
        {
            "name": "service",
            "doc": "The Shop that takes orders and reports revenue.",
            "role": "manager",
            "units": ["Shop"],
        },
    ],
    "rationale": "data, pricing rules, and the shop",
}

BUDGETS = {"base": 80, "manager": 120, "strategies": 90, "handlers": 90, "utils": 60}


def write_shop(root: Path, filename: str = "shop.py") -> Path:
    """A package ``pkg`` holding SHOP as ``pkg/<filename>``; returns the file."""
    write(root / "pkg" / "__init__.py", "")
    return write(root / "pkg" / filename, SHOP)


def make_task(root: Path, filename: str = "shop.py", dry_run: bool = True) -> Task:
    """The claude Task for ``pkg/<filename>`` under ``root``."""
    stem = filename.removesuffix(".py")
    return Task(
        description=f"Split pkg/{filename}",
        subagent_type="claude",
        prompt="",
        path=f"pkg/{filename}",
        root=str(root),
        module=f"pkg.{stem}",
        import_root=str(root),
        dry_run=dry_run,
        python=sys.executable,
    )


def make_config(state: str, **claude: object) -> Config:
    """A low threshold, fast timeouts and a short cool-down, state in ``state``."""
    settings = dict(timeout=2.0, max_attempts=2, backoff=0.05, failure_threshold=3, cooldown=0.3)
    settings.update(claude)
    return Config(
        threshold=150,
        budgets=dict(BUDGETS),
        agent="claude",
        state=state,
        claude=ClaudeSettings(**settings),
    )  # type: ignore[arg-type]
