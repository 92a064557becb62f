"""Constants, types and exceptions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from collections import namedtuple


# minimum extra space in headers
MIN_PADDING = 2

# Whether or not to preserve leading/trailing whitespace in data.
PRESERVE_WHITESPACE = False

_DEFAULT_FLOATFMT = "g"
_DEFAULT_MISSINGVAL = ""

Line = namedtuple("Line", ["begin", "hline", "sep", "end"])
DataRow = namedtuple("DataRow", ["begin", "sep", "end"])
TableFormat = namedtuple(
    "TableFormat",
    ["lineabove", "linebelowheader", "datarow", "padding"],
)


def _pipe_line(colwidths):
    return "|" + "|".join("-" * w for w in colwidths) + "|"


_table_formats = {
    "simple": TableFormat(
        lineabove=Line("", "-", "  ", ""),
        linebelowheader=Line("", "-", "  ", ""),
        datarow=DataRow("", "  ", ""),
        padding=0,
    ),
    "pipe": TableFormat(
        lineabove=None,
        linebelowheader=_pipe_line,
        datarow=DataRow("|", "|", "|"),
        padding=1,
    ),
}
