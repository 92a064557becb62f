"""Event, error and callback handling.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

from .base import log, ShopError


def on_checkout_error(exc: ShopError) -> str:
    log.warning("checkout failed: %s", exc)
    return f"sorry: {exc}"
