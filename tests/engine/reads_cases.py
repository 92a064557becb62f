"""Modules with the reads the analysis must see in them (tests/engine/test_reads.py).

The expectations were recorded from the analysis on LibCST's scope metadata, before it was
replaced by the ``ast`` walk (reads.py): they pin its rules, quirks included (a class body
sees module names bound after it; an import-time call through a dotted import is not an
import-time call of the name; a string annotation naming a builtin names it).
"""

import pytest

# per case: the source, then either the refusal or
# {"refs": {statement: {name: edge}}, other non-empty facts by statement index}
CASES = [
    pytest.param(
        """\
import os.path
import os
x = os.path.join("a")
y = os.getcwd()
def f():
    return os.path.sep
""",
        {
            "lines": [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5]],
            "refs": {2: {"os": "IMPORT"}, 3: {"os": "IMPORT_CALL"}, 4: {"os": "CALL"}},
        },
        id="dotted_import",
    ),
    pytest.param(
        """\
class A:
    b = B
    def m(self) -> "C":
        return D
B = 1
C = 2
D = 3
""",
        {
            "lines": [[1, 1], [5, 5], [6, 6], [7, 7]],
            "refs": {0: {"B": "IMPORT", "C": "ANNOTATION", "D": "CALL"}},
        },
        id="class_body_later_global",
    ),
    pytest.param(
        """\
def later():
    return 1
x = later()
y = sooner()
def sooner():
    return 2
z = x
x = x + 1
""",
        {
            "lines": [[1, 1], [3, 3], [4, 4], [5, 5], [7, 7], [8, 8]],
            "refs": {1: {"later": "IMPORT_CALL"}, 4: {"x": "IMPORT"}, 5: {"x": "IMPORT"}},
        },
        id="order_at_module",
    ),
    pytest.param(
        """\
y = 1
a = [[1]]
ok = [y for x in a for y in x if y]
n = {k: v for k, v in a}
g = (w for w in a)
def f():
    return [q for q in a if q is y]
""",
        {
            "lines": [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6]],
            "refs": {
                2: {"a": "IMPORT", "y": "IMPORT"},
                3: {"a": "IMPORT"},
                4: {"a": "IMPORT"},
                5: {"a": "CALL", "y": "CALL"},
            },
        },
        id="comprehension_scopes",
    ),
    pytest.param(
        """\
from typing import TypeVar, cast, Optional, Literal, NewType
import typing as t
T = TypeVar("T", bound="Base")
U = t.TypeVar("U", bound=Optional["Other"])
N = NewType("N", "Base")
def f(x: "Base", y: Optional["Other"] = None) -> Literal["Base"]:
    return cast("Other", x)
class Base: pass
class Other: pass
""",
        {
            "lines": [[1, 1], [2, 2], [3, 3], [4, 4], [5, 5], [6, 6], [8, 8], [9, 9]],
            "refs": {
                2: {"Base": "ANNOTATION", "TypeVar": "IMPORT_CALL"},
                3: {"Optional": "IMPORT", "Other": "ANNOTATION", "t": "IMPORT_CALL"},
                4: {"Base": "ANNOTATION", "NewType": "IMPORT_CALL"},
                5: {
                    "Base": "ANNOTATION",
                    "Literal": "IMPORT",
                    "Optional": "IMPORT",
                    "Other": "ANNOTATION",
                    "cast": "CALL",
                },
            },
        },
        id="typing_strings",
    ),
    pytest.param(
        """\
from __future__ import annotations
def f(a: Later, b: "int", c: "Later | None", d: "not valid (") -> Later:
    return a
class Later:
    attr: Later
    other: "Later"
""",
        {
            "lines": [[1, 1], [2, 2], [4, 4]],
            "refs": {
                1: {"Later": "ANNOTATION", "None": "ANNOTATION", "int": "ANNOTATION"},
                2: {"Later": "ANNOTATION"},
            },
        },
        id="forward_and_builtin_annotations",
    ),
    pytest.param(
        """\
def f(a: "Lat" "er") -> None:
    pass
class Later: pass
""",
        {"lines": [[1, 1], [3, 3]], "refs": {}},
        id="concatenated_annotation",
    ),
    pytest.param(
        """\
def deco(f):
    return f
def factory():
    return deco
@deco
def g(): pass
@factory()
def h(): pass
table = {"k": factory}
value = table["k"]()
x = deco.__name__
class K(factory()):
    pass
""",
        {
            "lines": [[1, 1], [3, 3], [6, 5], [8, 7], [9, 9], [10, 10], [11, 11], [12, 12]],
            "refs": {
                1: {"deco": "CALL"},
                2: {"deco": "IMPORT_CALL"},
                3: {"factory": "IMPORT_CALL"},
                4: {"factory": "IMPORT"},
                5: {"table": "IMPORT_CALL"},
                6: {"deco": "IMPORT"},
                7: {"factory": "IMPORT_CALL"},
            },
        },
        id="called_at_import",
    ),
    pytest.param(
        """\
def f():
    return globals()["x"]
g = globals()
h = vars()
def __getattr__(name):
    return globals().get(name)
def v():
    return vars()
x = 1
""",
        {
            "lines": [[1, 1], [3, 3], [4, 4], [5, 5], [7, 7], [9, 9]],
            "ns": [1, 2],
            "nsf": [0],
            "refs": {},
        },
        id="namespace_reads",
    ),
    pytest.param(
        """\
def f():
    exec("x = 1")
eval("1")
""",
        (
            "line 2: `exec()` without a namespace runs in the module's globals; names cannot be "
            "tracked; line 3: `eval()` without a namespace runs in the module's globals; names "
            "cannot be tracked"
        ),
        id="refusal_exec",
    ),
    pytest.param(
        """\
import enum
Format = enum.Enum("Format", "XML BINARY")
globals().update(Format.__members__)
def dump(fmt=XML):
    return fmt
""",
        (
            "line 3: `globals().update()` binds names the code never spells out; names cannot "
            "be tracked (bind each one by name)"
        ),
        id="refusal_globals_update",
    ),
    pytest.param(
        """\
from os import *
x = 1
""",
        (
            "line 1: `from ... import *` inside the file, and the names it binds could not be "
            "resolved in the project's interpreter (does that module import?); import the names "
            "it needs by name"
        ),
        id="refusal_star",
    ),
    pytest.param(
        """\
__all__ = ["a"]
__all__ += ["b"]
__all__.append(name())
a = b = 1
def name(): return "a"
""",
        "line 3: `__all__` is changed after it is built; keep it a single literal",
        id="refusal_all",
    ),
    pytest.param(
        """\
import sys
__all__ = ["a"]
if sys.platform == "x":
    __all__ += ["b"]
    __all__.append("c")
try:
    from os import sep as b
    __all__.append("b")
except ImportError:
    pass
a = b = c = 1
""",
        {
            "lines": [[1, 1], [2, 2], [3, 3], [6, 6], [11, 11]],
            "refs": {2: {"__all__": "IMPORT_CALL", "sys": "IMPORT"}, 3: {"__all__": "IMPORT_CALL"}},
        },
        id="allowed_all",
    ),
    pytest.param(
        """\
import sys
me = sys.modules[__name__]
""",
        "line 2: `sys.modules[__name__]` refers to the module object itself",
        id="refusal_sys_modules",
    ),
    pytest.param(
        """\
__path__ = []
""",
        "line 1: the module sets or reads `__path__` (it poses as a package)",
        id="refusal_path",
    ),
    pytest.param(
        """\
def f(k):
    globals()[k] = 1
""",
        (
            "line 2: a function writes to the module namespace through `globals()`; the names it "
            "binds cannot be tracked"
        ),
        id="refusal_globals_write",
    ),
    pytest.param(
        """\
import pkgutil
def f(__doc__=None):
    global counter, other
    counter = __name__
    return dict(__file__=1)
counter = 0
def g():
    nonlocal_x = 1
    def h():
        nonlocal nonlocal_x
        nonlocal_x = 2
    return h
if __name__ == "__main__":
    f()
""",
        {
            "declared": {1: ["counter", "other"]},
            "lines": [[1, 1], [2, 2], [6, 6], [7, 7], [13, 13]],
            "live": ["counter", "other"],
            "refs": {4: {"f": "IMPORT_CALL"}},
            "specials": {1: ["__doc__", "__file__", "__name__"], 4: ["__name__"]},
        },
        id="specials_and_globals",
    ),
    pytest.param(
        """\
K = 1
def f(v):
    match v:
        case {"a": K, **rest}:
            return rest
        case Point(x=K):
            return K
        case [first, *others] if (n := len(others)):
            return n
        case other:
            return other
class Point:
    __match_args__ = ("x",)
if (m := K):
    pass
""",
        {
            "lines": [[1, 1], [2, 2], [12, 12], [14, 14]],
            "refs": {1: {"K": "CALL", "Point": "CALL"}, 3: {"K": "IMPORT"}},
        },
        id="match_and_walrus",
    ),
    pytest.param(
        """\
import contextlib
E = ValueError
try:
    pass
except E as err:
    pass
with contextlib.suppress(E) as cm:
    pass
key = lambda x, d=E: (x, d, E)
def f(a=E, *args, b: E = None, **kw) -> E:
    return err, cm
""",
        {
            "lines": [[1, 1], [2, 2], [3, 3], [7, 7], [9, 9], [10, 10]],
            "refs": {
                2: {"E": "IMPORT"},
                3: {"E": "IMPORT", "contextlib": "IMPORT_CALL"},
                4: {"E": "IMPORT"},
                5: {"E": "IMPORT", "cm": "CALL", "err": "CALL"},
            },
        },
        id="except_with_lambda",
    ),
    pytest.param(
        """\
x = 1
class A:
    x = x
    y = [x for _ in range(3)]
    def m(self):
        return x
    class B:
        z = x
""",
        {"lines": [[1, 1], [2, 2]], "refs": {1: {"x": "IMPORT"}}},
        id="class_scopes",
    ),
    pytest.param(
        """\
import functools
a = 1; b = a
@functools.lru_cache(
    maxsize=2)
# a comment
def f(): return b
""",
        {
            "lines": [[1, 1], [2, 2], [6, 3]],
            "refs": {1: {"a": "IMPORT"}, 2: {"b": "CALL", "functools": "IMPORT_CALL"}},
        },
        id="semicolons_decorators",
    ),
    pytest.param(
        """\
y = 1
def f():
    print(y)
    y = 2
    return y
def g():
    for y in range(3):
        pass
    del y
""",
        {"lines": [[1, 1], [2, 2], [6, 6]], "refs": {1: {"y": "CALL"}}},
        id="local_before_assign",
    ),
]
