"""LibCST trees, parsed once for every reader of the same text (pure).

The class split, the star-import expansion and the analysis each read the module they are
given; most files reach all three unchanged, and a LibCST parse costs more than any of them.
LibCST trees are immutable, so they are shared as they are.
"""

from __future__ import annotations

import functools

import libcst as cst


@functools.lru_cache(maxsize=4)  # a file's text, star imports expanded, classes split
def parse_module(source: str) -> cst.Module:
    """``libcst.parse_module(source)``, from a cache of the last few texts parsed."""
    return cst.parse_module(source)
