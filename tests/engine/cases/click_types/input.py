# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
"""Parameter types: convert strings from the command line into Python values."""

from __future__ import annotations

import os
import stat
import typing as t
from gettext import gettext as _

if t.TYPE_CHECKING:
    from .core import Context, Parameter

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


# --- simple scalar types ----------------------------------------------------


class StringParamType(ParamType):
    name = "text"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return str(value)


class IntParamType(ParamType):
    """Whole numbers.

    >>> IntParamType().convert("42", None, None)
    42
    """

    name = "integer"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        try:
            return int(value)
        except ValueError:
            self.fail(_("{value!r} is not a valid integer.").format(value=value), param)


class FloatParamType(ParamType):
    name = "float"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        try:
            return float(value)
        except ValueError:
            self.fail(_("{value!r} is not a valid float.").format(value=value), param)


class BoolParamType(ParamType):
    name = "boolean"
    # TODO: accept "on"/"off" once the docs say so
    truthy = frozenset({"1", "true", "t", "yes", "y"})

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        return str(value).strip().lower() in self.truthy


# --- paths ------------------------------------------------------------------


class Path(ParamType):
    """A filesystem path; ``exists`` checks that it is there."""

    name = "path"
    envvar_list_splitter = os.path.pathsep

    def __init__(self, exists: bool = False) -> None:
        self.exists = exists

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if self.exists and not os.path.exists(value):
            self.fail(_("{path!r} does not exist.").format(path=value), param)
        return os.fspath(value)

    def is_executable(self, value: str) -> bool:
        return bool(os.stat(value).st_mode & stat.S_IXUSR)


def convert_type(ty: t.Any | None, default: t.Any | None = None) -> ParamType:
    """The ParamType for a Python type.

    >>> convert_type(int).name
    'integer'
    """
    if isinstance(ty, ParamType):
        return ty
    if ty is None and default is not None:
        ty = type(default)
    return _TYPES.get(ty, STRING)


STRING = StringParamType()
INT = IntParamType()
FLOAT = FloatParamType()
BOOL = BoolParamType()
_TYPES: dict[t.Any, ParamType] = {str: STRING, int: INT, float: FLOAT, bool: BOOL}
