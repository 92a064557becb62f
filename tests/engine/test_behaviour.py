"""Behaviour before and after a split is the same: one table row per rule of the writer."""

from __future__ import annotations

import dataclasses

import pytest

from modularize.agents.core.config import Compat
from tests.engine.support import SMALL, before_after, dedent

FILLER = "".join(f"def filler_{i}(x):\n    return x + {i}\n\n\n" for i in range(8))

CASES = [
    pytest.param(
        """
        counter = 0


        def bump():
            global counter
            counter += 1
            return counter


        class Reader:
            def read(self):
                return counter
        """,
        """
        import pkg.big as big
        from pkg.big import bump, Reader
        bump(); bump()
        print(big.counter, Reader().read(), 'counter' in dir(big))
        """,
        id="global-rebound-name-served-live",
    ),
    pytest.param(
        """
        __all__ = ["visible", "Shape"]


        def visible():
            return helper() * 2


        def helper():
            return 21


        class Shape:
            sides = 0
        """,
        """
        ns = {}
        exec("from pkg.big import *", ns)
        import pkg.big as big
        print(sorted(k for k in ns if k != "__builtins__"), big.__all__, big.visible())
        """,
        id="all-kept-exactly",
    ),
    pytest.param(
        """
        import os
        from collections import OrderedDict as OD

        _private = 1
        PUBLIC = 2


        def api():
            return OD(a=PUBLIC + _private), os.sep
        """,
        """
        ns = {}
        exec("from pkg.big import *", ns)
        import pkg.big as big
        # `os` is only imported and nothing reads it through big: it may leave `import *`
        print(sorted(k for k in ns if k not in ("__builtins__", "os")), big._private, big.OD)
        print(big.api())
        """,
        id="star-import-without-all-exports-the-defined-names",
    ),
    pytest.param(
        """
        import logging
        import os

        log = logging.getLogger(__name__)
        HERE = os.path.dirname(os.path.abspath(__file__))


        def where():
            return os.path.basename(__file__), __name__


        class Point:
            pass
        """,
        """
        import pkg.big as big
        print(big.log.name, big.HERE.endswith("pkg"), big.where())
        print(big.Point.__qualname__, big.where.__qualname__)
        """,
        id="logger-and-file-name-kept",
    ),
    pytest.param(
        """
        LIMIT = 3


        def over(x):
            return x > LIMIT


        def check(values):
            return [over(v) for v in values]
        """,
        """
        import pkg.big as big
        from unittest import mock
        big.LIMIT = 0
        print(big.check([1, 2]))
        with mock.patch("pkg.big.LIMIT", 5):
            print(big.check([4, 6]))
        print(big.check([1]), big.LIMIT)
        """,
        id="setting-a-name-on-the-package-reaches-its-readers",
    ),
    pytest.param(
        """
        import sys

        if sys.platform == "no-such-platform":
            SPECIAL = 1

            def special():
                return SPECIAL

        try:
            import no_such_module_xyz as fast
        except ImportError:
            fast = None


        def use():
            return fast
        """,
        """
        import pkg.big as big
        print(hasattr(big, "SPECIAL"), hasattr(big, "special"), big.fast, big.use())
        ns = {}
        exec("from pkg.big import *", ns)
        print("SPECIAL" in ns, "fast" in ns)
        """,
        id="names-bound-on-some-paths",
    ),
    pytest.param(
        """
        def parse_host(h):
            return h.upper()


        def helper_first():
            return "!"


        class Widget:
            size = 1


        def parse_url(u):
            return parse_host(u) + helper_first()


        DEFAULT = parse_url("x")
        """,
        """
        import pkg.big as big
        print(big.DEFAULT)
        """,
        id="import-time-call-needs-its-callees-first",
    ),
    pytest.param(
        """
        class NodeType(type):
            def __new__(mcs, name, bases, d):
                return type.__new__(mcs, name, bases, d)


        class Node(metaclass=NodeType):
            pass


        class Expr(Node):
            pass


        class Const(Expr):
            pass


        def _failing_new(*args, **kwargs):
            raise TypeError("can't create custom node types")


        NodeType.__new__ = staticmethod(_failing_new)
        del _failing_new
        """,
        """
        import pkg.big as big
        print(big.Const.__mro__[1].__name__, hasattr(big, "_failing_new"))
        try:
            class Other(big.Node):
                pass
        except TypeError as exc:
            print(exc)
        """,
        id="statement-acting-on-an-object-runs-after-its-users",
    ),
    pytest.param(
        """
        REGISTRY = []


        def register(cls):
            REGISTRY.append(cls.__name__)
            return cls


        @register
        class First:
            pass


        @register
        class Second:
            pass


        register(First)
        """,
        """
        import pkg.big as big
        print(big.REGISTRY)
        """,
        id="registration-side-effects-in-original-order",
    ),
]


@pytest.mark.parametrize(("source", "probe"), CASES)
def test_same_behaviour(tmp_path, source, probe):
    before, after, files = before_after(tmp_path, dedent(source) + FILLER, probe)
    assert "rc=0" in before, before
    assert after == before, (after, files)
    assert len(files) > 2, files  # it really was split


def test_main_block_runs_with_python_m(tmp_path):
    source = (
        dedent("""
        import sys


        def main(argv):
            print("main", argv)
            return 0
        """)
        + FILLER
        + dedent("""
        if __name__ == "__main__":
            sys.exit(main(sys.argv[1:]))
        """)
    )
    from tests.engine.support import run, write_original, write_split

    write_original(tmp_path / "before", source)
    files = write_split(tmp_path / "after", source)
    assert "__main__.py" in files
    for side in ("before", "after"):
        assert run(tmp_path / side, "-m", "pkg.big", "a") == "main ['a']\nrc=0"


def test_relative_imports_are_rebased(tmp_path):
    source = (
        dedent("""
        from .other import VALUE


        def get():
            from . import other
            return VALUE, other.VALUE
        """)
        + FILLER
    )
    before, after, files = before_after(
        tmp_path,
        source,
        "import pkg.big as b; print(b.get(), b.VALUE)",
        extra={"other.py": "VALUE = 7\n"},
    )
    assert after == before == "(7, 7) 7\nrc=0"
    assert any("from ..other import VALUE" in text for text in files.values())


@pytest.mark.parametrize(
    ("compat", "expected"),
    [
        pytest.param(Compat.MINIMAL, "pkg.big.strategies " * 2, id="new-module"),
        pytest.param(Compat.FULL, "pkg.big pkg.big", id="full-keeps-old-module"),
    ],
)
def test_module_names_of_moved_definitions(tmp_path, compat, expected):
    # the default layer leaves __module__ alone (inspect.getsource and doctest need it)
    source = dedent("""
        class Point:
            x = 1


        def where():
            return Point.x
        """)
    config = dataclasses.replace(SMALL, compat=compat)
    probe = "import pkg.big as big; print(big.Point.__module__, big.where.__module__)"
    before, after, files = before_after(tmp_path, source + FILLER, probe, config)
    assert before == "pkg.big pkg.big\nrc=0"
    assert after == f"{expected.strip()}\nrc=0", files
