"""The _build_line, _format and _build_row functions."""


_DEFAULT_FLOATFMT = "g"
_DEFAULT_MISSINGVAL = ""


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
