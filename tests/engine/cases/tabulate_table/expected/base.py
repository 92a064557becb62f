"""The MIN_PADDING, Line and DataRow names."""

from collections import namedtuple


# minimum extra space in headers
MIN_PADDING = 2

Line = namedtuple("Line", ["begin", "hline", "sep", "end"])
DataRow = namedtuple("DataRow", ["begin", "sep", "end"])
