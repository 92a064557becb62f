"""Parameter: an argument or an option."""

from __future__ import annotations

import os
import typing as t
from contextlib import contextmanager

from .base import ParameterSource

if t.TYPE_CHECKING:
    from ..shell_completion import CompletionItem
    # Set by the package's __init__ once every module is imported: only functions
    # use them, and importing them here would be circular.
    from .context import Context


@contextmanager
def augment_usage_errors(ctx: Context, param: Parameter | None = None) -> t.Iterator[None]:
    """Context manager that attaches extra information to exceptions."""
    try:
        yield
    except ValueError as e:
        raise RuntimeError(f"{ctx.info_name}: {e}") from e


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
