"""A small shop: prices, carts and the checkout flow."""
from __future__ import annotations

# isort: skip_file
# Compatibility layer written by modularize: ``big.py`` became this package. Every name
# it defined is imported here from the module that now holds it, in an order that keeps
# import-time side effects as before. Import order matters: do not sort these imports.
import enum as enum
import logging as logging
from dataclasses import dataclass as dataclass
from .base import (
    log as log,
    MAX_ITEMS as MAX_ITEMS,
    CURRENCY as CURRENCY,
    Currency as Currency,
    ShopError as ShopError,
    OutOfStock as OutOfStock,
    Item as Item,
)
from .utils import format_price as format_price, clamp as clamp
from .strategies_discount_strategy import (
    PricingStrategy as PricingStrategy,
    DiscountStrategy as DiscountStrategy,
)
from .handlers import on_checkout_error as on_checkout_error
from .strategies_cart import Cart as Cart

# The public names of the original: `from ... import *` exports exactly these.
__all__ = [
    'annotations',
    'enum',
    'logging',
    'dataclass',
    'log',
    'MAX_ITEMS',
    'CURRENCY',
    'Currency',
    'ShopError',
    'OutOfStock',
    'Item',
    'format_price',
    'clamp',
    'PricingStrategy',
    'DiscountStrategy',
    'on_checkout_error',
    'Cart',
]

# Moved classes and functions keep the module name they had before the split, so reprs,
# pickles, doctest and Sphinx still see them as ``pkg.big.NAME``.
for _moved in (
    Currency, ShopError, OutOfStock, Item, format_price, clamp, PricingStrategy,
    DiscountStrategy, on_checkout_error, Cart,
):
    _moved.__module__ = __name__
del _moved


# Setting a name on this package (``pkg.big.NAME = ...``, ``monkeypatch.setattr``,
# ``mock.patch``) also sets it in the modules that read it, as when they were one module.
def _forward_assignments():
    import sys
    from types import ModuleType

    readers = {
        'enum': ('base',),
        'logging': ('base',),
        'dataclass': ('base',),
        'log': ('base', 'handlers'),
        'MAX_ITEMS': ('base', 'strategies_cart'),
        'CURRENCY': ('base', 'utils'),
        'Currency': ('base',),
        'ShopError': ('base', 'handlers', 'strategies_cart'),
        'OutOfStock': ('base', 'strategies_cart'),
        'Item': ('base', 'strategies_discount_strategy', 'strategies_cart'),
        'format_price': ('utils', 'strategies_cart'),
        'clamp': ('utils', 'strategies_discount_strategy'),
        'PricingStrategy': ('strategies_discount_strategy', 'strategies_cart'),
        'DiscountStrategy': ('strategies_discount_strategy',),
        'on_checkout_error': ('handlers', 'strategies_cart'),
        'Cart': ('strategies_cart',),
    }
    served = frozenset()
    package = __name__

    class Package(ModuleType):
        def __setattr__(self, name, value):
            if name not in served:
                super().__setattr__(name, value)
            for reader in readers.get(name, ()):
                setattr(sys.modules[f"{package}.{reader}"], name, value)

        def __delattr__(self, name):
            if name not in served:
                super().__delattr__(name)
            for reader in readers.get(name, ()):
                module = sys.modules[f"{package}.{reader}"]
                if name in vars(module):
                    delattr(module, name)

    sys.modules[package].__class__ = Package


_forward_assignments()
del _forward_assignments

# As a module, the original's __package__ was its parent package; the relative
# imports above are done, so it can say so again.
__package__ = 'pkg'
