# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""The BacktickPattern and SimpleTextPattern Pattern classes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from .. import util

from .base import Pattern


class SimpleTextPattern(Pattern):
    """Return a simple text of `group(2)` of a Pattern."""

    def handleMatch(self, m: re.Match[str]) -> str:
        return m.group(2)


class BacktickPattern(Pattern):
    """Return a `<code>` element containing the escaped matching text."""

    def __init__(self, pattern: str):
        Pattern.__init__(self, pattern)
        self.ESCAPED_BSLASH = "{}{}{}".format(util.STX, ord("\\"), util.ETX)
        self.tag = "code"

    def handleMatch(self, m: re.Match[str]) -> str | etree.Element:
        if m.group(4):
            el = etree.Element(self.tag)
            el.text = util.code_escape(m.group(4).strip())
            return el
        # no code: the backslashes stay
        return m.group(2).replace("\\\\", self.ESCAPED_BSLASH)


def dequote(string: str) -> str:
    """Remove quotes from around a string."""
    if (string.startswith('"') and string.endswith('"')) or (
        string.startswith("'") and string.endswith("'")
    ):
        return string[1:-1]
    return string
