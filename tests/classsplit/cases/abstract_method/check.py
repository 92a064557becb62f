"""Run as ``python check.py PACKAGE``: exits non-zero when behaviour changed."""

import importlib
import sys

big = importlib.import_module(sys.argv[1] + ".big")
try:
    big.Big()
except TypeError:
    pass
else:
    raise SystemExit("Big() must stay abstract")
print("ok")
