"""`__all__` extended after it is built (opcode.py, poplib.py): kept exactly, or refused."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ruff import find_ruff_bin

from modularize.agents.engine import EngineConfig, Refusal, plan_split
from tests.engine.support import before_after, dedent

HELPERS = "\n\n".join(f"def helper_{i}(x):\n    return x + {i}\n" for i in range(60))

PROBE = """
import pkg.big as m
print(m.__all__)
ns = {}
exec("from pkg.big import *", ns)
print(sorted(k for k in ns if not k.startswith("__")))
"""

CASES = {
    "top_level": """
        import sys

        __all__ = ["helper_1", "FLAG"]
        __all__ += ["helper_2"]
        __all__.extend(("helper_3", "helper_4"))
        FLAG = sys.maxsize > 0
        __all__.append("helper_5"); __all__ += ("helper_0",)
    """,
    "update_only_blocks": """
        import sys

        __all__ = ["helper_1"]
        FLAG = True
        if FLAG:
            __all__.append("helper_2")
        elif sys.platform:
            __all__.append("helper_3")
        else:
            pass
        if sys.platform == "no such platform": __all__ += ["helper_4"]
        try:
            __all__.extend(["helper_5"])
        except ImportError:
            pass
    """,
    "guarded_like_opcode_and_poplib": '''
        __all__ = ["helper_1"]

        try:
            from _no_such_module import stack_effect
            __all__.append("stack_effect")
        except ImportError:
            pass

        try:
            from json import dumps
            __all__.append("dumps")
        except ImportError:
            pass

        HAVE_SSL = True
        HAVE_NOTHING = False

        if HAVE_SSL:

            class POP3_SSL:
                """Defined on some platforms only."""

            __all__.append("POP3_SSL")

        if HAVE_NOTHING:
            class Missing:
                pass
            __all__ += ["Missing"]
        __all__.append("helper_2")
    ''',
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_literal_updates_of_all_are_kept(tmp_path: Path, name: str) -> None:
    source = dedent(CASES[name]) + "\n\n" + HELPERS
    config = EngineConfig(module="pkg.big", threshold=100)
    before, after, files = before_after(tmp_path, source, PROBE, config)
    assert "rc=0" in before and len(files) > 2, before
    assert after == before
    moved = "".join(t for p, t in files.items() if p != "__init__.py")
    assert "__all__." not in moved and "__all__ +=" not in moved  # __init__ makes them
    proc = subprocess.run(
        [
            str(find_ruff_bin()),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "E1,E2,E3,E5,F,W",
            "--line-length",
            "79",
            "--output-format",
            "concise",
            str(tmp_path / "after"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    # only the original's own style (E702 ``a; b``, E701 ``if x: y``) may differ from ours
    problems = [
        line
        for line in proc.stdout.splitlines()
        if ": E70" not in line and ":" in line and "__init__" in line
    ]
    assert problems == [], proc.stdout


REFUSED = {
    "__all__ += [n for n in dir() if n.startswith('helper')]": "`__all__` is computed (`+=`); keep it a single literal assignment",
    "__all__.extend(NAMES)": "`__all__` is changed after it is built; keep it a single literal",
    "__all__.insert(0, 'helper_2')": "`__all__` is changed after it is built; keep it a single literal",
    "try:\n    import json\n    x = 1\n    __all__.append('json')\nexcept ImportError:\n"
    "    pass": "not right after the statement binding that one name",
    "FLAG = True\nif FLAG:\n    __all__.append('helper_2')\nFLAG = False": "depends on FLAG, which has another value",
    "def add():\n    __all__.append('helper_3')": "`__all__` is changed after it is built; keep it a single literal",
}


@pytest.mark.parametrize("update", sorted(REFUSED))
def test_computed_updates_of_all_are_refused(update: str) -> None:
    source = f"NAMES = ['helper_1']\n__all__ = ['helper_0']\n{update}\n\n{HELPERS}"
    with pytest.raises(Refusal) as info:
        plan_split(source, EngineConfig(module="pkg.big", threshold=100))
    assert REFUSED[update] in str(info.value)


def test_update_before_all_is_built_is_refused() -> None:
    source = f"__all__: list = []\n__all__.append('helper_1')\n\n{HELPERS}"
    with pytest.raises(Refusal, match="not built by one `__all__ = \\[...\\]` before"):
        plan_split(source, EngineConfig(module="pkg.big", threshold=100))


def test_an_all_built_from_another_modules_all_keeps_its_import(tmp_path: Path) -> None:
    """tokenize.py: ``__all__ = token.__all__ + [...]`` reads a module it imported, so the new
    ``__init__`` imports it too (without it, the package failed with a NameError)."""
    source = 'import keyword\n\n__all__ = keyword.__all__ + ["helper_1"]\n\n' + HELPERS
    probe = "import pkg.big as m\nprint(m.__all__[-1], len(m.__all__) > 1, m.helper_1(1))\n"
    config = EngineConfig(module="pkg.big", threshold=100)
    before, after, files = before_after(tmp_path, source, probe, config)
    assert "helper_1 True 2" in before and "rc=0" in before, before
    assert after == before and len(files) > 2
