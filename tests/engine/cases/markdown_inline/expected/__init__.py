# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""Inline patterns: turn spans of text into elements."""

from .em_strong_item import NOIMG as NOIMG, EmStrongItem as EmStrongItem
from .pattern import Pattern as Pattern
from .patterns import (
    SimpleTextPattern as SimpleTextPattern, BacktickPattern as BacktickPattern,
    dequote as dequote,
)
from .strategies import (
    build_inlinepatterns as build_inlinepatterns, BACKTICK_RE as BACKTICK_RE,
    EMPHASIS_RE as EMPHASIS_RE, STRONG_RE as STRONG_RE,
    SimpleTagPattern as SimpleTagPattern,
)

__all__ = [
    'build_inlinepatterns', 'NOIMG', 'BACKTICK_RE', 'EMPHASIS_RE', 'STRONG_RE',
    'EmStrongItem', 'Pattern', 'SimpleTextPattern', 'SimpleTagPattern',
    'BacktickPattern', 'dequote',
]
