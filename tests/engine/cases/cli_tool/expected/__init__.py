#!/usr/bin/env python
"""A command-line tool that counts words."""

# isort: skip_file
# Compatibility layer written by modularize: ``big.py`` became this package.
# Every name it defined is imported here from the module that now holds it, in
# an order that keeps import-time side effects as before. Import order matters:
# do not sort these imports.
import argparse as argparse
import os as os
import sys as sys
from .utils_read_words import _cache as _cache, read_words as read_words
from . import verbose_utils as verbose_utils
from .verbose_utils import set_verbose as set_verbose, count as count
from .utils import build_parser as build_parser, main as main
from .strategies import (
    DATA_DIR as DATA_DIR, data_file as data_file, describe as describe,
)

# The public names of the original: `from ... import *` exports exactly these.
__all__ = [
    'argparse', 'os', 'sys', 'DATA_DIR', 'set_verbose', 'read_words', 'count',
    'build_parser', 'main', 'data_file', 'describe', 'verbose',
]


# Served on demand (PEP 562): names rebound at run time with ``global`` are
# read live from the module that rebinds them (a copy imported here would go
# stale), and the modules of this package are reachable as attributes without
# being names of its namespace.
def __getattr__(name):
    if name in (
        'verbose',
    ):
        import sys

        return getattr(sys.modules[__name__ + '.verbose_utils'], name)
    if name in (
        'strategies', 'utils_read_words', 'utils',
    ):
        import importlib

        return importlib.import_module(__name__ + '.' + name)
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

# Moved classes and functions keep the module name they had before the split,
# so reprs, pickles, doctest and Sphinx still see them as ``pkg.big.NAME``.
for _moved in (
    set_verbose, read_words, count, build_parser, main, data_file, describe,
):
    _moved.__module__ = __name__
del _moved


# Setting a name on this package (``pkg.big.NAME = ...``,
# ``monkeypatch.setattr``, ``mock.patch``) also sets it in the modules that
# read it, as when they were one module.
def _forward_assignments():
    import sys
    from types import ModuleType

    _r0 = ('utils',)
    _r1 = ('strategies',)
    _r2 = ('verbose_utils',)
    _r3 = ('utils_read_words',)
    _r4 = ('verbose_utils', 'utils')
    _r5 = ('utils_read_words', 'verbose_utils')
    _r6 = ('utils', 'strategies')
    readers = {
        'argparse': _r0, 'os': _r1, 'sys': _r2, 'DATA_DIR': _r1, '_cache': _r3,
        'verbose': _r2, 'set_verbose': _r4, 'read_words': _r5, 'count': _r4,
        'build_parser': _r6, 'main': _r0, 'data_file': _r1, 'describe': _r1,
    }
    served = frozenset(['verbose'])
    package = __name__

    class Package(ModuleType):
        def __setattr__(self, name, value):
            if name not in served:
                super().__setattr__(name, value)
            for reader in readers.get(name, ()):
                setattr(sys.modules[f"{package}.{reader}"], name, value)

        def __delattr__(self, name):
            if name not in served:
                super().__delattr__(name)
            for reader in readers.get(name, ()):
                module = sys.modules[f"{package}.{reader}"]
                if name in vars(module):
                    delattr(module, name)

    sys.modules[package].__class__ = Package


_forward_assignments()
del _forward_assignments

# The modules stay importable (``import pkg.big.NAME``), but, as before the
# split, they are not names of this namespace.
for _module in (
    'strategies', 'utils_read_words', 'utils',
):
    globals().pop(_module, None)
del _module

# As a module, the original's __package__ was its parent package; the relative
# imports above are done, so it can say so again.
__package__ = 'pkg'
