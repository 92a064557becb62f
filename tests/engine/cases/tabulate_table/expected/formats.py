"""The _table_formats and 4 more names; the _format function.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from collections import namedtuple

from .format_strategies import DataRow, TableFormat
from .line import _pipe_line


_DEFAULT_FLOATFMT = "g"
_DEFAULT_MISSINGVAL = ""

Line = namedtuple("Line", ["begin", "hline", "sep", "end"])


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

tabulate_formats = list(sorted(_table_formats.keys()))


def _format(val, missingval=_DEFAULT_MISSINGVAL, floatfmt=_DEFAULT_FLOATFMT):
    if val is None:
        return missingval
    if isinstance(val, float):
        return format(val, floatfmt)
    return str(val)
