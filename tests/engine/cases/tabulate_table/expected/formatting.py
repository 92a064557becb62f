"""tabulate: format a fixed width table for pretty printing."""

from .base import DataRow, MIN_PADDING
from .build import _build_line, _build_row, _DEFAULT_FLOATFMT, _format
from .invisible import _align_column, _visible_width
from .table import _table_formats, TableFormat


def simple_separated_format(separator):
    """Construct a simple TableFormat with columns separated by a separator.

    >>> tsv = simple_separated_format("\\t") ; \
        tabulate([["foo", 1], ["spam", 23]], tablefmt=tsv) == 'foo \\t 1\\nspam\\t23'
    True
    """
    return TableFormat(None, None, DataRow("", separator, ""), 0)


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
