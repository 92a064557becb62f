"""The _build_line, _align_column and 2 more functions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

import re


# Whether or not to preserve leading/trailing whitespace in data.
PRESERVE_WHITESPACE = False


def _pipe_line(colwidths):
    return "|" + "|".join("-" * w for w in colwidths) + "|"

_invisible_codes = re.compile(r"\x1b\[\d+[;\d]*m|\x1b\[\d*\;\d*\;\d*m")


def _strip_invisible(s):
    return re.sub(_invisible_codes, "", s)


def _align_column(strings, width):
    strings = [s if PRESERVE_WHITESPACE else s.strip() for s in strings]
    return [s.ljust(width) for s in strings]


def _build_line(colwidths, linefmt):
    if linefmt is None:
        return None
    if callable(linefmt):
        return linefmt(colwidths)
    begin, fill, sep, end = linefmt
    return (begin + sep.join(fill * w for w in colwidths) + end).rstrip()
