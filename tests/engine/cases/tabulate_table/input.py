"""Pretty-print tabular data."""

from collections import namedtuple
from functools import partial
import re

__all__ = ["tabulate", "tabulate_formats", "simple_separated_format"]

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

tabulate_formats = list(sorted(_table_formats.keys()))

_invisible_codes = re.compile(r"\x1b\[\d+[;\d]*m|\x1b\[\d*\;\d*\;\d*m")


def simple_separated_format(separator):
    """Construct a simple TableFormat with columns separated by a separator.

    >>> tsv = simple_separated_format("\\t") ; \
        tabulate([["foo", 1], ["spam", 23]], tablefmt=tsv) == 'foo \\t 1\\nspam\\t23'
    True
    """
    return TableFormat(None, None, DataRow("", separator, ""), 0)


def _strip_invisible(s):
    return re.sub(_invisible_codes, "", s)


def _visible_width(s):
    return len(_strip_invisible(str(s)))


def _align_column(strings, width):
    strings = [s if PRESERVE_WHITESPACE else s.strip() for s in strings]
    return [s.ljust(width) for s in strings]


def _format(val, missingval=_DEFAULT_MISSINGVAL, floatfmt=_DEFAULT_FLOATFMT):
    if val is None:
        return missingval
    if isinstance(val, float):
        return format(val, floatfmt)
    return str(val)


def _build_row(padded_cells, rowfmt):
    begin, sep, end = rowfmt
    return (begin + sep.join(padded_cells) + end).rstrip()


def _build_line(colwidths, linefmt):
    if linefmt is None:
        return None
    if callable(linefmt):
        return linefmt(colwidths)
    begin, fill, sep, end = linefmt
    return (begin + sep.join(fill * w for w in colwidths) + end).rstrip()


def tabulate(tabular_data, headers=(), tablefmt="simple", floatfmt=_DEFAULT_FLOATFMT):
    """Format a fixed width table for pretty printing.

    >>> print(tabulate([[1, 2.5], [30, 4]], headers=["a", "b"]))
    a    b
    --   ---
    1    2.5
    30   4
    """
    fmt = _table_formats.get(tablefmt, tablefmt)
    rows = [[_format(v, floatfmt=floatfmt) for v in row] for row in tabular_data]
    cols = list(zip(*([list(headers)] if headers else []) + rows))
    widths = [max(_visible_width(c) for c in col) + MIN_PADDING - 1 for col in cols]
    cols = [_align_column(col, w) for col, w in zip(cols, widths)]
    lines = [_build_row(list(r), fmt.datarow) for r in zip(*cols)]
    if headers:
        lines.insert(1, _build_line(widths, fmt.linebelowheader))
    above = _build_line(widths, fmt.lineabove) if not headers else None
    return "\n".join(([above] if above else []) + lines)


def _main():
    import sys

    print(tabulate([line.split() for line in sys.stdin]))


if __name__ == "__main__":
    _main()
