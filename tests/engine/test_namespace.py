"""Code reading the module namespace (``globals()``, module-level ``vars()``) stays at the end
of the package ``__init__``, where every name is bound again; what cannot stay is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from modularize.agents.engine import Refusal, plan_split
from tests.engine.support import SMALL, before_after, dedent

FILLER = "".join(
    f"\n\ndef filler_{i}(x):\n    y = x + {i}\n    z = y * 2\n    return z - 1\n" for i in range(8)
)


def test_a_call_time_lookup_function_stays_in_init_and_serves_moved_code(tmp_path: Path) -> None:
    source = dedent("""
        class Red:
            pass


        class Blue:
            pass


        def lookup(name):
            return globals()[name]


        def make(name):
            return lookup(name)()
        """)
    probe = "import pkg.big as b\nprint(type(b.make('Red')).__name__, b.lookup('Blue').__name__)"
    before, after, files = before_after(tmp_path, source + FILLER, probe)
    assert before.endswith("rc=0") and after == before
    assert "def lookup" in files["__init__.py"]


def test_module_level_vars_stays_in_init(tmp_path: Path) -> None:
    source = dedent("""
        LIMIT = 3
        NAMES = sorted(n for n in vars().copy() if n.isupper())
        """)
    probe = "import pkg.big as b\nprint(b.NAMES)"
    before, after, files = before_after(tmp_path, source + FILLER, probe)
    assert before.endswith("rc=0") and after == before
    assert "NAMES = sorted" in files["__init__.py"]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        pytest.param(
            "class A:\n    pass\n\n\nOWN = [v for v in globals().values()"
            " if getattr(v, '__module__', '') == __name__]\n",
            "tests `__module__`",
            id="module-filter",
        ),
        pytest.param(
            "TABLE = dict(globals())\n\n\n" + "".join(f"X{i} = TABLE\n" for i in range(20)),
            "over half the limit",
            id="too-much-stays",
        ),
    ],
)
def test_what_cannot_stay_is_refused_by_name(source: str, reason: str) -> None:
    with pytest.raises(Refusal) as info:
        plan_split(source + FILLER, SMALL)
    assert reason in info.value.reason


def test_names_bound_through_globals_stay_exported(tmp_path: Path) -> None:
    source = dedent("""
        def _make(n):
            return lambda: n


        for _n in ("one", "two"):
            globals()[_n] = _make(_n)
        del _n
        """)
    probe = "from pkg.big import *\nprint(one(), two())"
    before, after, files = before_after(tmp_path, source + FILLER, probe)
    assert before == "one two\nrc=0" and after == before
    assert "globals()[_n] = _make(_n)" in files["__init__.py"]
