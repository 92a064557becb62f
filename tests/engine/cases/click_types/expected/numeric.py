# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Classes for numbers: IntParamType, FloatParamType, INT and FLOAT."""

from __future__ import annotations

import typing as t
from gettext import gettext as _

from .base import ParamType

if t.TYPE_CHECKING:
    from ..core import Context, Parameter


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


INT = IntParamType()
FLOAT = FloatParamType()
