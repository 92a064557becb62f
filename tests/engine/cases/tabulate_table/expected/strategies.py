"""The _main function."""

from .formatting import tabulate


def _main():
    import sys

    print(tabulate([line.split() for line in sys.stdin]))
