"""A small shop: prices, carts and the checkout flow."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
from .exceptions import (
    log as log, ShopError as ShopError, OutOfStock as OutOfStock,
    on_checkout_error as on_checkout_error,
)
from .currency import MAX_ITEMS as MAX_ITEMS, Currency as Currency
from .utils import CURRENCY as CURRENCY, format_price as format_price
from .pricing_strategies import (
    Item as Item, clamp as clamp, PricingStrategy as PricingStrategy,
    DiscountStrategy as DiscountStrategy,
)
from .cart import Cart as Cart

__all__ = [
    'log', 'MAX_ITEMS', 'CURRENCY', 'Currency', 'ShopError', 'OutOfStock',
    'Item', 'format_price', 'clamp', 'PricingStrategy', 'DiscountStrategy',
    'on_checkout_error', 'Cart',
]
