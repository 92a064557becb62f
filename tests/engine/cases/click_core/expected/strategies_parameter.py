"""The logic.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import os
import typing as t
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..shell_completion import CompletionItem

from .base import ParameterSource
from .strategies_context import Context


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
