"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import typing as t
from contextlib import contextmanager

from .strategies_context import Context
from .strategies_parameter import Parameter


def repeat(value: t.Any, count: int) -> list[t.Any]:
    return [value] * count


@contextmanager
def augment_usage_errors(ctx: Context, param: Parameter | None = None) -> t.Iterator[None]:
    """Context manager that attaches extra information to exceptions."""
    try:
        yield
    except ValueError as e:
        raise RuntimeError(f"{ctx.info_name}: {e}") from e
