# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Parameter types: convert strings from the command line into Python values."""

import typing as t
from .conversion import BoolParamType, convert_type, BOOL, _TYPES as _TYPES
from .numeric import IntParamType, FloatParamType, INT, FLOAT
from .param_type import ParamType, BadParameter
from .paths import Path
from .text import StringParamType, STRING

__all__ = [
    "t", "ParamType", "BadParameter", "StringParamType", "IntParamType",
    "FloatParamType", "BoolParamType", "Path", "convert_type", "STRING", "INT",
    "FLOAT", "BOOL",
]
