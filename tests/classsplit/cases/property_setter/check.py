"""Run as ``python check.py PACKAGE``: exits non-zero when behaviour changed."""

import importlib
import sys

big = importlib.import_module(sys.argv[1] + ".big")
b = big.Big()
b.size = 3
assert b.size == 3
del b.size
assert not hasattr(b, "_size")
print("ok")
