"""Run as ``python check.py PACKAGE``: exits non-zero when behaviour changed."""

import importlib
import sys

big = importlib.import_module(sys.argv[1] + ".big")
assert big.Big().token() == 42
assert big.Big._Big__make(big.Big()) == 42
print("ok")
