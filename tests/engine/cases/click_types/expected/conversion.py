# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Functions for type conversion: convert_type, BoolParamType and BOOL."""

from __future__ import annotations

import typing as t

from .numeric import FLOAT, INT
from .param_type import ParamType
from .text import STRING

if t.TYPE_CHECKING:
    from ..core import Context, Parameter


class BoolParamType(ParamType):
    name = "boolean"
    # TODO: accept "on"/"off" once the docs say so
    truthy = frozenset({"1", "true", "t", "yes", "y"})

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        return str(value).strip().lower() in self.truthy


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
BOOL = BoolParamType()
_TYPES: dict[t.Any, ParamType] = {str: STRING, int: INT, float: FLOAT, bool: BOOL}
