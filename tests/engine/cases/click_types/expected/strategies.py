# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""convert_type: the ParamType for a Python type.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import typing as t

from .param import BOOL, STRING
from .param_type import ParamType
from .param_types import FLOAT, INT


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
