"""The simple_separated_format function.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from .base import DataRow
from .table import TableFormat
from .utils import tabulate


def simple_separated_format(separator):
    """Construct a simple TableFormat with columns separated by a separator.

    >>> tsv = simple_separated_format("\\t") ; \
        tabulate([["foo", 1], ["spam", 23]], tablefmt=tsv) == 'foo \\t 1\\nspam\\t23'
    True
    """
    return TableFormat(None, None, DataRow("", separator, ""), 0)


def _main():
    import sys

    print(tabulate([line.split() for line in sys.stdin]))
