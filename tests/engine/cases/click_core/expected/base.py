"""ParameterSource: where a parameter's value came from."""

from __future__ import annotations

import enum


# Width used when the terminal does not say.
DEFAULT_WIDTH = 80


class ParameterSource(enum.Enum):
    """Where a parameter's value came from."""

    COMMANDLINE = enum.auto()
    ENVIRONMENT = enum.auto()
    DEFAULT = enum.auto()
