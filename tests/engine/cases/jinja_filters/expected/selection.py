"""Functions for picking items: sync_do_first.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from ..environment import Environment


def sync_do_first(environment: Environment, seq: t.Iterable[t.Any]) -> t.Any:
    for item in seq:
        return item
    return None
