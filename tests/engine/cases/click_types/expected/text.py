# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Classes for text: StringParamType and STRING."""

from __future__ import annotations

import typing as t

from .base import ParamType

if t.TYPE_CHECKING:
    from ..core import Context, Parameter


# --- simple scalar types ----------------------------------------------------


class StringParamType(ParamType):
    name = "text"

    def convert(self, value: t.Any, param: Parameter | None, ctx: Context | None) -> t.Any:
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return str(value)


STRING = StringParamType()
