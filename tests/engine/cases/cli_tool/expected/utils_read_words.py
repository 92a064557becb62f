"""A command-line tool that counts words."""

import argparse

from .base import _cache


def read_words(path):
    if path in _cache:
        return _cache[path]
    with open(path) as handle:
        words = handle.read().split()
    _cache[path] = words
    return words


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("path")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser
