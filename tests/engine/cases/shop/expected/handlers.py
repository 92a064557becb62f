"""Event, error and callback handling.

Split out of ``big.py`` by modularize; ``pkg.big`` re-exports every name defined here,
so import them from ``pkg.big`` as before.
"""
from __future__ import annotations

from .base import log, ShopError


def on_checkout_error(exc: ShopError) -> str:
    log.warning("checkout failed: %s", exc)
    return f"sorry: {exc}"
