# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""The logic.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any
from .. import util
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..core import Markdown

from .base_em_strong_item import BACKTICK_RE, EMPHASIS_RE, STRONG_RE
from .base_pattern import Pattern


# pylint: disable=unused-argument


def build_inlinepatterns(md: Markdown, **kwargs: Any) -> util.Registry[Pattern]:
    """Build the default set of inline patterns."""
    patterns: util.Registry[Pattern] = util.Registry()
    patterns.register(BacktickPattern(BACKTICK_RE), "backtick", 190)
    patterns.register(SimpleTagPattern(STRONG_RE, "strong"), "strong", 60)
    patterns.register(SimpleTagPattern(EMPHASIS_RE, "em"), "emphasis", 50)
    return patterns


class SimpleTextPattern(Pattern):
    """Return a simple text of `group(2)` of a Pattern."""

    def handleMatch(self, m: re.Match[str]) -> str:
        return m.group(2)


class SimpleTagPattern(Pattern):
    """Return element of type `tag` with a text attribute of `group(3)`."""

    def __init__(self, pattern: str, tag: str):
        Pattern.__init__(self, pattern)
        self.tag = tag

    def handleMatch(self, m: re.Match[str]) -> etree.Element:
        el = etree.Element(self.tag)
        el.text = m.group(3)
        return el


# Imported last: only functions use these names, and importing them before the
# definitions above would be circular.
from .strategies_backtick_pattern import BacktickPattern  # noqa: E402
