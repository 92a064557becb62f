# Copyright 2014 Example Authors
# SPDX-License-Identifier: BSD-3-Clause
# Parameter types for a command-line toolkit.
# ruff: noqa: SLF001
"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import typing as t

from .base_param_type import ParamType
from .strategies_bool_param_type import BoolParamType, FLOAT, INT, STRING


BOOL = BoolParamType()
_TYPES: dict[t.Any, ParamType] = {str: STRING, int: INT, float: FLOAT, bool: BOOL}
