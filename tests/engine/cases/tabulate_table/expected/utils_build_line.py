"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""


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
