# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Parameter types: convert strings from the command line into Python values."""

import typing as t
from .base import ParamType, BadParameter
from .conversion import convert_type, _TYPES as _TYPES
from .numeric import IntParamType, FloatParamType, INT, FLOAT
from .paths import BoolParamType, Path, BOOL
from .text import StringParamType, STRING

__all__ = [
    "t", "ParamType", "BadParameter", "StringParamType", "IntParamType",
    "FloatParamType", "BoolParamType", "Path", "convert_type", "STRING", "INT",
    "FLOAT", "BOOL",
]
