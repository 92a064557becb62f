# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""Inline patterns: turn spans of text into elements."""

from .base import Pattern
from .em_strong_item import NOIMG, EmStrongItem
from .patterns import SimpleTextPattern, BacktickPattern, dequote
from .strategies import (
    build_inlinepatterns, BACKTICK_RE, EMPHASIS_RE, STRONG_RE,
    SimpleTagPattern,
)

__all__ = [
    "build_inlinepatterns", "NOIMG", "BACKTICK_RE", "EMPHASIS_RE", "STRONG_RE",
    "EmStrongItem", "Pattern", "SimpleTextPattern", "SimpleTagPattern",
    "BacktickPattern", "dequote",
]
