"""A small shop: prices, carts and the checkout flow."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
from .base import (
    log as log, MAX_ITEMS as MAX_ITEMS, CURRENCY as CURRENCY,
    Currency as Currency, ShopError as ShopError, OutOfStock as OutOfStock,
    Item as Item,
)
from .utils import format_price as format_price, clamp as clamp
from .strategies_discount_strategy import (
    PricingStrategy as PricingStrategy, DiscountStrategy as DiscountStrategy,
)
from .handlers import on_checkout_error as on_checkout_error
from .strategies_cart import Cart as Cart

__all__ = [
    'log', 'MAX_ITEMS', 'CURRENCY', 'Currency', 'ShopError', 'OutOfStock',
    'Item', 'format_price', 'clamp', 'PricingStrategy', 'DiscountStrategy',
    'on_checkout_error', 'Cart',
]
