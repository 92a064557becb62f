"""The logic.

Split out of ``big.py`` by modularize; ``pkg.big`` re-exports every name defined here,
so import them from ``pkg.big`` as before.
"""

from .utils_read_words import build_parser


def describe():
    return build_parser().description
