"""A small shop: prices, carts and the checkout flow."""

from .cart import Cart
from .error import (
    log, MAX_ITEMS, Currency, ShopError, OutOfStock, on_checkout_error,
)
from .formatting import CURRENCY, format_price
from .pricing_strategies import Item, clamp, PricingStrategy, DiscountStrategy

__all__ = [
    "log", "MAX_ITEMS", "CURRENCY", "Currency", "ShopError", "OutOfStock",
    "Item", "format_price", "clamp", "PricingStrategy", "DiscountStrategy",
    "on_checkout_error", "Cart",
]
