"""The Command class; the command function; the F constant."""

from __future__ import annotations

import sys
import typing as t
from functools import update_wrapper

from .base import DEFAULT_WIDTH

if t.TYPE_CHECKING:
    from .parameters import Parameter
    # Set by the package's __init__ once every module is imported: only functions
    # use them, and importing them here would be circular.
    from .context import Context


F = t.TypeVar("F", bound="t.Callable[..., t.Any]")


class Command:
    """A command: a name, parameters and a callback."""

    def __init__(self, name: str, callback: t.Callable[..., t.Any] | None = None, params: list[Parameter] | None = None) -> None:
        self.name = name
        self.callback = callback
        self.params = params or []

    def make_context(self, args: dict[str, t.Any], parent: Context | None = None) -> Context:
        ctx = Context(self, parent)
        for param in self.params:
            value, source = param.consume_value(ctx, args)
            ctx.params[param.name] = value
            ctx._sources[param.name] = source
        return ctx

    def main(self, args: dict[str, t.Any]) -> t.Any:
        ctx = self.make_context(args)
        width = DEFAULT_WIDTH
        print(f"{self.name:<{width // 8}}|", file=sys.stdout)
        return ctx.invoke(self.callback or (lambda **kw: kw), **ctx.params)


def command(name: str | None = None) -> t.Callable[[F], Command]:
    def decorator(f: F) -> Command:
        cmd = Command(name or f.__name__, f)
        update_wrapper(cmd, f)  # type: ignore[arg-type]
        return cmd

    return decorator
