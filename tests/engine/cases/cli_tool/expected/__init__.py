#!/usr/bin/env python
"""A command-line tool that counts words."""

# isort: skip_file
# The modules are imported in the order their code ran in ``big.py``.
from .base import DATA_DIR as DATA_DIR, _cache as _cache
from .utils_count import set_verbose as set_verbose, count as count
from .utils_read_words import (
    read_words as read_words, build_parser as build_parser,
)
from .strategies_main import main as main, data_file as data_file
from .strategies_describe import describe as describe

__all__ = [
    'DATA_DIR', 'set_verbose', 'read_words', 'count', 'build_parser', 'main',
    'data_file', 'describe', 'verbose',
]


# Names rebound with ``global`` are read live from the module that rebinds
# them.
def __getattr__(name):
    if name in ('verbose',):
        import sys

        return getattr(sys.modules[__name__ + '.utils_count'], name)
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
