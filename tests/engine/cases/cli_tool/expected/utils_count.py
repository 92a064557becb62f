"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

import sys


verbose = False


def set_verbose(flag):
    global verbose
    verbose = flag


def count(path):
    words = read_words(path)
    if verbose:
        print("read", len(words), "words", file=sys.stderr)
    return len(words)


# Imported last: only functions use these names, and importing them before the
# definitions above would be circular.
from .utils_read_words import read_words  # noqa: E402
