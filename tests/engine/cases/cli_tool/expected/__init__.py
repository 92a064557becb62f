#!/usr/bin/env python
"""A command-line tool that counts words."""

from .strategies import DATA_DIR, data_file, describe
from .text import _cache as _cache, read_words
from .utils import build_parser, main
from .verbose_utils import set_verbose, count

__all__ = [
    "DATA_DIR", "set_verbose", "read_words", "count", "build_parser", "main",
    "data_file", "describe", "verbose",
]


# Names rebound with ``global`` are read live from the module that rebinds
# them.
def __getattr__(name):
    if name in ('verbose',):
        import sys

        return getattr(sys.modules[__name__ + '.verbose_utils'], name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    names = set(globals())
    for name in ('verbose',):
        try:
            __getattr__(name)
        except AttributeError:
            continue
        names.add(name)
    return sorted(names)
