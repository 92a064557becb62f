"""The count and set_verbose functions; the verbose name."""

import sys

from .text import read_words


verbose = False


def set_verbose(flag):
    global verbose
    verbose = flag


def count(path):
    words = read_words(path)
    if verbose:
        print("read", len(words), "words", file=sys.stderr)
    return len(words)
