"""The simple_separated_format function; the TableFormat and DataRow names.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from collections import namedtuple


DataRow = namedtuple("DataRow", ["begin", "sep", "end"])
TableFormat = namedtuple(
    "TableFormat",
    ["lineabove", "linebelowheader", "datarow", "padding"],
)


def simple_separated_format(separator):
    """Construct a simple TableFormat with columns separated by a separator.

    >>> tsv = simple_separated_format("\\t") ; \
        tabulate([["foo", 1], ["spam", 23]], tablefmt=tsv) == 'foo \\t 1\\nspam\\t23'
    True
    """
    return TableFormat(None, None, DataRow("", separator, ""), 0)
