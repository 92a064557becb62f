"""Commands, contexts and parameters."""

from __future__ import annotations

import enum
import os
import sys
import typing as t
from contextlib import contextmanager
from functools import update_wrapper

if t.TYPE_CHECKING:
    from .shell_completion import CompletionItem

F = t.TypeVar("F", bound="t.Callable[..., t.Any]")

_current: Context | None = None
# Width used when the terminal does not say.
DEFAULT_WIDTH = 80


def push_context(ctx: Context) -> None:
    global _current
    _current = ctx


def get_current_context(silent: bool = False) -> Context | None:
    """The context of the command being invoked."""
    if _current is None and not silent:
        raise RuntimeError("There is no active click context.")
    return _current


class ParameterSource(enum.Enum):
    """Where a parameter's value came from."""

    COMMANDLINE = enum.auto()
    ENVIRONMENT = enum.auto()
    DEFAULT = enum.auto()


def batch(iterable: t.Iterable[t.Any], batch_size: int) -> list[tuple[t.Any, ...]]:
    return list(zip(*repeat(iter(iterable), batch_size)))


def repeat(value: t.Any, count: int) -> list[t.Any]:
    return [value] * count


@contextmanager
def augment_usage_errors(ctx: Context, param: Parameter | None = None) -> t.Iterator[None]:
    """Context manager that attaches extra information to exceptions."""
    try:
        yield
    except ValueError as e:
        raise RuntimeError(f"{ctx.info_name}: {e}") from e


class Context:
    """The state of one command invocation.

    >>> Context(Command("hi")).info_name
    'hi'
    """

    def __init__(self, command: Command, parent: Context | None = None) -> None:
        self.command = command
        self.parent = parent
        self.info_name = command.name
        self.params: dict[str, t.Any] = {}
        self.terminal_width = DEFAULT_WIDTH
        self._sources: dict[str, ParameterSource] = {}

    def __enter__(self) -> Context:
        push_context(self)
        return self

    def __exit__(self, *exc: object) -> None:
        push_context(self.parent)  # type: ignore[arg-type]

    def get_parameter_source(self, name: str) -> ParameterSource | None:
        return self._sources.get(name)

    def invoke(self, callback: t.Callable[..., t.Any], **kwargs: t.Any) -> t.Any:
        with augment_usage_errors(self):
            with self:
                return callback(**kwargs)


class Parameter:
    """An argument or an option."""

    param_type_name = "parameter"

    def __init__(self, name: str, default: t.Any = None, envvar: str | None = None) -> None:
        self.name = name
        self.default = default
        self.envvar = envvar

    def consume_value(self, ctx: Context, opts: t.Mapping[str, t.Any]) -> tuple[t.Any, ParameterSource]:
        if self.name in opts:
            return opts[self.name], ParameterSource.COMMANDLINE
        if self.envvar and self.envvar in os.environ:
            return os.environ[self.envvar], ParameterSource.ENVIRONMENT
        return self.default, ParameterSource.DEFAULT

    def shell_complete(self, ctx: Context, incomplete: str) -> list[CompletionItem]:
        return []


class Option(Parameter):
    param_type_name = "option"


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
