# Markdown-style text processor.
# Copyright 2007-2023 The Example Project; BSD licensed (see LICENSE.md).
# Started by an example author.
# pylint: disable=unused-argument
"""Inline patterns: turn spans of text into elements."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
from .base_em_strong_item import (
    NOIMG as NOIMG, BACKTICK_RE as BACKTICK_RE, EMPHASIS_RE as EMPHASIS_RE,
    STRONG_RE as STRONG_RE, EmStrongItem as EmStrongItem,
)
from .base_pattern import Pattern as Pattern
from .strategies_simple_tag_pattern import (
    build_inlinepatterns as build_inlinepatterns,
    SimpleTextPattern as SimpleTextPattern,
    SimpleTagPattern as SimpleTagPattern,
)
from .strategies_backtick_pattern import (
    BacktickPattern as BacktickPattern, dequote as dequote,
)

__all__ = [
    'build_inlinepatterns', 'NOIMG', 'BACKTICK_RE', 'EMPHASIS_RE', 'STRONG_RE',
    'EmStrongItem', 'Pattern', 'SimpleTextPattern', 'SimpleTagPattern',
    'BacktickPattern', 'dequote',
]
