"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import enum
import typing as t


F = t.TypeVar("F", bound="t.Callable[..., t.Any]")
# Width used when the terminal does not say.
DEFAULT_WIDTH = 80


class ParameterSource(enum.Enum):
    """Where a parameter's value came from."""

    COMMANDLINE = enum.auto()
    ENVIRONMENT = enum.auto()
    DEFAULT = enum.auto()
