"""A small shop: prices, carts and the checkout flow."""
from __future__ import annotations

# isort: skip_file
# Compatibility layer written by modularize: ``big.py`` became this package.
# Every name it defined is imported here from the module that now holds it, in
# an order that keeps import-time side effects as before. Import order matters:
# do not sort these imports.
import enum as enum
import logging as logging
from dataclasses import dataclass as dataclass
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

# The public names of the original: `from ... import *` exports exactly these.
__all__ = [
    'annotations', 'enum', 'logging', 'dataclass', 'log', 'MAX_ITEMS',
    'CURRENCY', 'Currency', 'ShopError', 'OutOfStock', 'Item', 'format_price',
    'clamp', 'PricingStrategy', 'DiscountStrategy', 'on_checkout_error',
    'Cart',
]


# Served on demand (PEP 562): names rebound at run time with ``global`` are
# read live from the module that rebinds them (a copy imported here would go
# stale), and the modules of this package are reachable as attributes without
# being names of its namespace.
def __getattr__(name):
    if name in (
        'currency', 'pricing_strategies', 'cart', 'exceptions', 'utils',
    ):
        import importlib

        return importlib.import_module(__name__ + '.' + name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

# Moved classes and functions keep the module name they had before the split,
# so reprs, pickles, doctest and Sphinx still see them as ``pkg.big.NAME``.
for _moved in (
    Currency, ShopError, OutOfStock, Item, format_price, clamp,
    PricingStrategy, DiscountStrategy, on_checkout_error, Cart,
):
    _moved.__module__ = __name__
del _moved


# Setting a name on this package (``pkg.big.NAME = ...``,
# ``monkeypatch.setattr``, ``mock.patch``) also sets it in the modules that
# read it, as when they were one module.
def _forward_assignments():
    import sys
    from types import ModuleType

    _r0 = ('currency',)
    _r1 = ('exceptions',)
    _r2 = ('pricing_strategies',)
    _r3 = ('currency', 'cart')
    _r4 = ('utils',)
    _r5 = ('exceptions', 'cart')
    _r6 = ('pricing_strategies', 'cart')
    _r7 = ('utils', 'cart')
    _r8 = ('cart',)
    readers = {
        'enum': _r0, 'logging': _r1, 'dataclass': _r2, 'log': _r1,
        'MAX_ITEMS': _r3, 'CURRENCY': _r4, 'Currency': _r0, 'ShopError': _r5,
        'OutOfStock': _r5, 'Item': _r6, 'format_price': _r7, 'clamp': _r2,
        'PricingStrategy': _r6, 'DiscountStrategy': _r2,
        'on_checkout_error': _r5, 'Cart': _r8,
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

# The modules stay importable (``import pkg.big.NAME``), but, as before the
# split, they are not names of this namespace.
for _module in (
    'currency', 'pricing_strategies', 'cart', 'exceptions', 'utils',
):
    globals().pop(_module, None)
del _module

# As a module, the original's __package__ was its parent package; the relative
# imports above are done, so it can say so again.
__package__ = 'pkg'
