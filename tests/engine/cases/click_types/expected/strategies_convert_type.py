# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""The logic.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import typing as t

from .base_param_type import ParamType
from .strategies_bool_param_type import STRING


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


# Imported last: only functions use these names, and importing them before the
# definitions above would be circular.
from .base_bool import _TYPES  # noqa: E402
