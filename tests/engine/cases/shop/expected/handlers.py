"""The on_checkout_error function; the log name.

Split out of ``big.py``; ``pkg.big`` re-exports every name defined here.
"""
from __future__ import annotations

import logging

from .shop_errors import ShopError


log = logging.getLogger(__package__)


def on_checkout_error(exc: ShopError) -> str:
    log.warning("checkout failed: %s", exc)
    return f"sorry: {exc}"
