"""The get_current_context, push_context, batch and repeat functions."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    # Set by the package's __init__ once every module is imported: only functions
    # use them, and importing them here would be circular.
    from .context import Context


_current: Context | None = None


def push_context(ctx: Context) -> None:
    global _current
    _current = ctx


def get_current_context(silent: bool = False) -> Context | None:
    """The context of the command being invoked."""
    if _current is None and not silent:
        raise RuntimeError("There is no active click context.")
    return _current


def batch(iterable: t.Iterable[t.Any], batch_size: int) -> list[tuple[t.Any, ...]]:
    return list(zip(*repeat(iter(iterable), batch_size)))


def repeat(value: t.Any, count: int) -> list[t.Any]:
    return [value] * count
