# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Parameter types: convert strings from the command line into Python values."""

import typing as t
from .param import StringParamType, BoolParamType, STRING, BOOL
from .param_type import ParamType, BadParameter
from .param_types import IntParamType, FloatParamType, INT, FLOAT
from .path import Path
from .strategies import convert_type, _TYPES as _TYPES

__all__ = [
    't', 'ParamType', 'BadParameter', 'StringParamType', 'IntParamType',
    'FloatParamType', 'BoolParamType', 'Path', 'convert_type', 'STRING', 'INT',
    'FLOAT', 'BOOL',
]
