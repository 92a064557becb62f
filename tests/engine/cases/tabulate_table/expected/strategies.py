"""The _main function.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from .formatting import tabulate


def _main():
    import sys

    print(tabulate([line.split() for line in sys.stdin]))
