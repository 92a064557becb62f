"""LibCST trees, parsed once for every reader of the same text (pure).

The class split, the star-import expansion and the analysis each read the module they are
given; most files reach all three unchanged, and a LibCST parse costs more than any of them.
LibCST trees are immutable, so they are shared as they are.
"""

from __future__ import annotations

import functools

import libcst as cst

from modularize.agents.core.source import source_tree
from modularize.agents.engine import chunkparse


def parse_module(source: str) -> cst.Module:
    """``libcst.parse_module(source)``, from a cache of the last few texts parsed; a big
    text in pieces (``chunkparse.py``), and not kept: its tree is hundreds of megabytes."""
    if chunkparse.chunked(source):
        return chunkparse.parse_module(source, source_tree(source))
    return _parse_cached(source)


@functools.lru_cache(maxsize=4)  # a file's text, star imports expanded, classes split
def _parse_cached(source: str) -> cst.Module:
    return cst.parse_module(source)
