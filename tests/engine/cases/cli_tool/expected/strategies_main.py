"""The logic.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

import os

from .base import DATA_DIR
from .utils_count import count, set_verbose
from .utils_read_words import build_parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    set_verbose(args.verbose)
    print(count(args.path))
    return 0


def data_file(name):
    return os.path.join(DATA_DIR, name)
