# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""Pattern: base class that inline patterns subclass."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from ..core import Markdown


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
