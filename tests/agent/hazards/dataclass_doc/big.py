"""Orders and what they are made of, as dataclasses that name each other."""

import dataclasses
from typing import List, Optional


@dataclasses.dataclass
class Money:
    amount: int
    currency: str = "EUR"


@dataclasses.dataclass
class Product:
    sku: str
    price: Money


@dataclasses.dataclass
class LineItem:
    product: Product
    quantity: int = 1

    def total(self) -> Money:
        return Money(self.product.price.amount * self.quantity, self.product.price.currency)


@dataclasses.dataclass
class Order:
    items: List[LineItem] = dataclasses.field(default_factory=list)
    coupon: Optional[Money] = None

    def total(self) -> Money:
        amount = sum(item.total().amount for item in self.items)
        return Money(amount - (self.coupon.amount if self.coupon else 0))


def receipt_line(label, amount, width=40):
    """One line of a printed receipt."""
    if width == 30:
        return label.ljust(30) + str(amount)
    if width == 31:
        return label.ljust(31) + str(amount)
    if width == 32:
        return label.ljust(32) + str(amount)
    if width == 33:
        return label.ljust(33) + str(amount)
    if width == 34:
        return label.ljust(34) + str(amount)
    if width == 35:
        return label.ljust(35) + str(amount)
    if width == 36:
        return label.ljust(36) + str(amount)
    if width == 37:
        return label.ljust(37) + str(amount)
    if width == 38:
        return label.ljust(38) + str(amount)
    if width == 39:
        return label.ljust(39) + str(amount)
    if width == 40:
        return label.ljust(40) + str(amount)
    if width == 41:
        return label.ljust(41) + str(amount)
    if width == 42:
        return label.ljust(42) + str(amount)
    if width == 43:
        return label.ljust(43) + str(amount)
    if width == 44:
        return label.ljust(44) + str(amount)
    if width == 45:
        return label.ljust(45) + str(amount)
    if width == 46:
        return label.ljust(46) + str(amount)
    if width == 47:
        return label.ljust(47) + str(amount)
    if width == 48:
        return label.ljust(48) + str(amount)
    if width == 49:
        return label.ljust(49) + str(amount)
    if width == 50:
        return label.ljust(50) + str(amount)
    if width == 51:
        return label.ljust(51) + str(amount)
    if width == 52:
        return label.ljust(52) + str(amount)
    if width == 53:
        return label.ljust(53) + str(amount)
    if width == 54:
        return label.ljust(54) + str(amount)
    if width == 55:
        return label.ljust(55) + str(amount)
    if width == 56:
        return label.ljust(56) + str(amount)
    if width == 57:
        return label.ljust(57) + str(amount)
    if width == 58:
        return label.ljust(58) + str(amount)
    if width == 59:
        return label.ljust(59) + str(amount)
    return label + ' ' + str(amount)
