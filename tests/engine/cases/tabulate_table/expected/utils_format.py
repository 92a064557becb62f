"""Small helpers.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

import re

from .base_table_formats import (
    _DEFAULT_FLOATFMT,
    _DEFAULT_MISSINGVAL,
    _table_formats,
    PRESERVE_WHITESPACE,
)


tabulate_formats = list(sorted(_table_formats.keys()))

_invisible_codes = re.compile(r"\x1b\[\d+[;\d]*m|\x1b\[\d*\;\d*\;\d*m")


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
