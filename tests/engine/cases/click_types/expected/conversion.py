# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""convert_type: the ParamType for a Python type."""

from __future__ import annotations

import typing as t

from .base import ParamType
from .numeric import FLOAT, INT
from .paths import BOOL
from .text import STRING


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


_TYPES: dict[t.Any, ParamType] = {str: STRING, int: INT, float: FLOAT, bool: BOOL}
