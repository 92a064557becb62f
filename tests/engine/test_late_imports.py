"""Imports of the package itself placed after code (toolz's ``from . import _signatures`` at
the end of functoolz.py) run last, from ``__init__``; nothing else is taken for one."""

from __future__ import annotations

import re
from pathlib import Path

from tests.engine.support import before_after, dedent

FUNCS = "".join(f"\n\ndef f{i}(x):\n    return helper(x) + {i}\n" for i in range(12))
SIBLING = {"helpers.py": "def helper(x):\n    return x * 2\n"}


def test_dunder_settings_above_the_imports_do_not_make_them_late(tmp_path: Path) -> None:
    # humanize's number.py: ``__lazy_modules__ = {...}`` comes before its imports
    source = (
        dedent("""
        __lazy_modules__ = {"bisect"}

        import bisect

        from .helpers import helper
    """)
        + FUNCS
    )
    before, after, files = before_after(
        tmp_path, source, "import pkg.big as b\nprint(b.f3(2))", extra=SIBLING
    )
    assert before.endswith("rc=0") and after == before
    assert "Imported last" not in files["__init__.py"]
    assert all("from ..helpers import helper" in t for n, t in files.items() if "helper(x)" in t)


def test_late_imports_are_handed_over_below_one_import_line(tmp_path: Path) -> None:
    source = (
        "import sys\n"
        + FUNCS.replace("helper(x)", "helpers.helper(x)")
        + "\n\nfrom . import helpers\n"
    )
    before, after, files = before_after(
        tmp_path, source, "import pkg.big as b\nprint(b.f3(2), b.f11(1))", extra=SIBLING
    )
    assert before.endswith("rc=0") and after == before
    init = files["__init__.py"]
    assert "Imported last" in init
    # no import after an assignment (E402): every handed-over module is imported on one line
    lines = init.splitlines()
    first_assignment = next(i for i, line in enumerate(lines) if re.match(r"\w+\.\w+ = ", line))
    assert not [line for line in lines[first_assignment:] if line.startswith(("from ", "import "))]
