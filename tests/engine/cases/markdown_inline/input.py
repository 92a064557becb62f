# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
"""Inline patterns: turn spans of text into elements."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING, Any, NamedTuple

from . import util

if TYPE_CHECKING:  # pragma: no cover
    from .core import Markdown

# pylint: disable=unused-argument


def build_inlinepatterns(md: Markdown, **kwargs: Any) -> util.Registry[Pattern]:
    """Build the default set of inline patterns."""
    patterns: util.Registry[Pattern] = util.Registry()
    patterns.register(BacktickPattern(BACKTICK_RE), "backtick", 190)
    patterns.register(SimpleTagPattern(STRONG_RE, "strong"), "strong", 60)
    patterns.register(SimpleTagPattern(EMPHASIS_RE, "em"), "emphasis", 50)
    return patterns


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


class Pattern:
    """Base class that inline patterns subclass."""

    ANCESTOR_EXCLUDES: tuple[str, ...] = tuple()

    def __init__(self, pattern: str, md: Markdown | None = None):
        self.pattern = pattern
        self.compiled_re = re.compile(r"^(.*?)%s(.*)$" % pattern, re.DOTALL | re.UNICODE)
        self.md = md

    def getCompiledRegExp(self) -> re.Pattern:
        """Return a compiled regular expression."""
        return self.compiled_re

    def handleMatch(self, m: re.Match[str]) -> str | etree.Element | None:
        """Return a ElementTree element from the given match."""
        pass  # pragma: no cover

    def type(self) -> str:
        """Return class name, to define pattern type"""
        return self.__class__.__name__


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
