"""Run as ``python check.py PACKAGE``: exits non-zero when behaviour changed."""

import importlib
import sys

big = importlib.import_module(sys.argv[1] + ".big")
assert big.Big().fmt_alias(1) == "1-0"
print("ok")
