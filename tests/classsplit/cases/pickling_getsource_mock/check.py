"""Run as ``python check.py PACKAGE``: exits non-zero when behaviour changed."""

import importlib
import sys

big = importlib.import_module(sys.argv[1] + ".big")
import inspect, pickle, doctest, pathlib
from unittest import mock

obj = big.Big(5)
assert pickle.loads(pickle.dumps(obj)) == obj
assert pickle.loads(pickle.dumps(obj.fmt_3))(1) == "1-3"
assert pickle.loads(pickle.dumps(big.Big.fmt_3)) is big.Big.fmt_3
saved = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else None
if saved is not None and saved.exists():
    assert pickle.loads(saved.read_bytes()) == obj  # pickled before the split
elif saved is not None:
    saved.write_bytes(pickle.dumps(obj))
assert "def fmt_3" in inspect.getsource(big.Big.fmt_3)
with mock.patch.object(big.Big, "fmt_3", return_value="patched"):
    assert obj.fmt_3(1) == "patched"
assert obj.fmt_3(1) == "1-3"


class Sub(big.Big):
    def fmt_3(self, value):
        return "sub " + super().fmt_3(value)


assert Sub().fmt_3(2) == "sub 2-3"
print("ok")
