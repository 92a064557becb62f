# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Parameter types: convert strings from the command line into Python values."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
import typing as t  # noqa: F401
from .base_param_type import (
    ParamType as ParamType, BadParameter as BadParameter,
)
from .strategies_int_param_type import (
    StringParamType as StringParamType, IntParamType as IntParamType,
    FloatParamType as FloatParamType,
)
from .strategies_bool_param_type import (
    BoolParamType as BoolParamType, STRING as STRING, INT as INT,
    FLOAT as FLOAT,
)
from .strategies_path import Path as Path
from .strategies_convert_type import convert_type as convert_type
from .base_bool import BOOL as BOOL, _TYPES as _TYPES

__all__ = [
    't', 'ParamType', 'BadParameter', 'StringParamType', 'IntParamType',
    'FloatParamType', 'BoolParamType', 'Path', 'convert_type', 'STRING', 'INT',
    'FLOAT', 'BOOL',
]
