# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""The EmStrongItem class; the NOIMG constant."""

from __future__ import annotations

import re
from typing import NamedTuple


# The actual regular expressions for patterns
# -----------------------------------------------------------------------------

NOIMG = r"(?<!\!)"


class EmStrongItem(NamedTuple):
    """Emphasis/strong pattern item."""

    pattern: re.Pattern[str]
    builder: str
    tags: str
