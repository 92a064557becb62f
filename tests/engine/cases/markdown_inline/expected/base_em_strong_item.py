# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import re
from typing import NamedTuple


# The actual regular expressions for patterns
# -----------------------------------------------------------------------------

NOIMG = r"(?<!\!)"
BACKTICK_RE = r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))"
EMPHASIS_RE = r"(\*)([^\*]+)\2"
STRONG_RE = r"(\*{2})(.+?)\2"


class EmStrongItem(NamedTuple):
    """Emphasis/strong pattern item."""

    pattern: re.Pattern[str]
    builder: str
    tags: str
