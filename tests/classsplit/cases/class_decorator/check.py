"""Run as ``python check.py PACKAGE``: exits non-zero when behaviour changed."""

import importlib
import sys

big = importlib.import_module(sys.argv[1] + ".big")
assert len(big.Big.formats) == 10, big.Big.formats
print("ok")
