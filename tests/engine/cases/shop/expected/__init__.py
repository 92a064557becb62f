"""A small shop: prices, carts and the checkout flow."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
from .exceptions import log, ShopError, OutOfStock, on_checkout_error
from .currency import MAX_ITEMS, Currency
from .utils import CURRENCY, format_price
from .pricing_strategies import Item, clamp, PricingStrategy, DiscountStrategy
from .cart import Cart

__all__ = [
    'log', 'MAX_ITEMS', 'CURRENCY', 'Currency', 'ShopError', 'OutOfStock',
    'Item', 'format_price', 'clamp', 'PricingStrategy', 'DiscountStrategy',
    'on_checkout_error', 'Cart',
]
