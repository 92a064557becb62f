"""The TableFormat, tabulate_formats and _table_formats names."""

from collections import namedtuple

from .base import DataRow, Line
from .invisible import _pipe_line


TableFormat = namedtuple(
    "TableFormat",
    ["lineabove", "linebelowheader", "datarow", "padding"],
)


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
