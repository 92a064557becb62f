"""The _align_column, _pipe_line and 2 more functions."""

import re


# Whether or not to preserve leading/trailing whitespace in data.
PRESERVE_WHITESPACE = False


def _pipe_line(colwidths):
    return "|" + "|".join("-" * w for w in colwidths) + "|"


_invisible_codes = re.compile(r"\x1b\[\d+[;\d]*m|\x1b\[\d*\;\d*\;\d*m")


def _strip_invisible(s):
    return re.sub(_invisible_codes, "", s)


def _visible_width(s):
    return len(_strip_invisible(str(s)))


def _align_column(strings, width):
    strings = [s if PRESERVE_WHITESPACE else s.strip() for s in strings]
    return [s.ljust(width) for s in strings]
