"""Run as ``python check.py PACKAGE``: exits non-zero when behaviour changed."""
import importlib
import sys

big = importlib.import_module(sys.argv[1] + ".big")
assert big.Big().read() == "base", big.Big().read()
assert big.Big().value() == "big"
print("ok")
