"""The Line and DataRow names.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from collections import namedtuple


Line = namedtuple("Line", ["begin", "hline", "sep", "end"])
DataRow = namedtuple("DataRow", ["begin", "sep", "end"])
