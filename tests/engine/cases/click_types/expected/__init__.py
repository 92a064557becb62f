# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Parameter types: convert strings from the command line into Python values."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
import typing as t  # noqa: F401
from .param_type import ParamType as ParamType, BadParameter as BadParameter
from .param import (
    StringParamType as StringParamType, BoolParamType as BoolParamType,
    STRING as STRING, BOOL as BOOL,
)
from .param_types import (
    IntParamType as IntParamType, FloatParamType as FloatParamType, INT as INT,
    FLOAT as FLOAT,
)
from .path import Path as Path
from .strategies import convert_type as convert_type, _TYPES as _TYPES

__all__ = [
    't', 'ParamType', 'BadParameter', 'StringParamType', 'IntParamType',
    'FloatParamType', 'BoolParamType', 'Path', 'convert_type', 'STRING', 'INT',
    'FLOAT', 'BOOL',
]
