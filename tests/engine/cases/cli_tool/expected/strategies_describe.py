"""The logic.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from .utils_read_words import build_parser


def describe():
    return build_parser().description
