# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""The SimpleTagPattern class; the build_inlinepatterns function."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING, Any
from .. import util

from .base import Pattern
from .patterns import BacktickPattern

if TYPE_CHECKING:  # pragma: no cover
    from ..core import Markdown


# pylint: disable=unused-argument


def build_inlinepatterns(md: Markdown, **kwargs: Any) -> util.Registry[Pattern]:
    """Build the default set of inline patterns."""
    patterns: util.Registry[Pattern] = util.Registry()
    patterns.register(BacktickPattern(BACKTICK_RE), "backtick", 190)
    patterns.register(SimpleTagPattern(STRONG_RE, "strong"), "strong", 60)
    patterns.register(SimpleTagPattern(EMPHASIS_RE, "em"), "emphasis", 50)
    return patterns


BACKTICK_RE = r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)(`+)(.+?)(?<!`)\2(?!`))"
EMPHASIS_RE = r"(\*)([^\*]+)\2"
STRONG_RE = r"(\*{2})(.+?)\2"


class SimpleTagPattern(Pattern):
    """Return element of type `tag` with a text attribute of `group(3)`."""

    def __init__(self, pattern: str, tag: str):
        Pattern.__init__(self, pattern)
        self.tag = tag

    def handleMatch(self, m: re.Match[str]) -> etree.Element:
        el = etree.Element(self.tag)
        el.text = m.group(3)
        return el
