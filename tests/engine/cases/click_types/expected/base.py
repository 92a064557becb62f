# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""ParamType: base of every parameter type."""

from __future__ import annotations

import typing as t

if t.TYPE_CHECKING:
    from ..core import Context, Parameter


# ruff: noqa: SLF001


class ParamType:
    """Base of every parameter type.

    >>> ParamType().name
    'param'
    """

    name: str = "param"
    envvar_list_splitter: t.ClassVar[str | None] = None

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        return value

    def fail(self, message: str, param: Parameter | None = None) -> t.NoReturn:
        raise BadParameter(message, param)

    def split_envvar_value(self, rv: str) -> t.Sequence[str]:
        return (rv or "").split(self.envvar_list_splitter)


class BadParameter(ValueError):
    """Raised when a value does not convert."""

    def __init__(self, message: str, param: Parameter | None = None) -> None:
        super().__init__(message)
        self.param = param
