"""Run as ``python check.py PACKAGE``: exits non-zero when behaviour changed."""

import importlib
import sys

big = importlib.import_module(sys.argv[1] + ".big")
from typing import get_overloads

assert len(get_overloads(big.Big.conv)) == 2
print("ok")
