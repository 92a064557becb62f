"""Verification: static equivalence, the import surface in a fresh interpreter, --verify-cmd."""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

import pytest

from modularize.agents import verify as observe
from modularize.agents.engine import verify
from tests.agent.helpers import write_tree

ORIGINAL = '''\
"""Doc."""
import os

X = 1


def f():
    return os.sep + str(X)


register(f)

if __name__ == "__main__":
    f()
'''
GOOD = {
    "__init__.py": '"""Doc."""\nimport os\nfrom .base import X, f\n\nregister(f)\n',
    "base.py": "import os\n\nX = 1\n\n\ndef f():\n    return os.sep + str(X)\n",
    "__main__.py": 'from . import f\n\nif __name__ == "__main__":\n    f()\n',
}


def _outputs(files: dict[str, str]) -> dict[PurePosixPath, str]:
    return {PurePosixPath(k): v for k, v in files.items()}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param({}, [], id="faithful"),
        pytest.param(
            {"base.py": "import os\n\nX = 1\n"},
            ["line 7: `def f` lost in the split"],
            id="lost-definition",
        ),
        pytest.param(
            {"__init__.py": GOOD["__init__.py"] + "register(f)\n"},
            ["`register(f)` appears more than once"],
            id="duplicated-side-effect",
        ),
        pytest.param({"base.py": "def (:\n"}, ["base.py does not parse"], id="syntax-error"),
        pytest.param(
            {"__init__.py": '"""Doc."""\nfrom .base import f\n\nregister(f)\n'},
            ["names no longer bound by __init__.py: X, os"],
            id="name-lost",
        ),
        pytest.param(
            {"base.py": GOOD["base.py"].replace("str(X)", "repr(X)")},
            [],
            id="adjusted-body-same-definition",
        ),
    ],
)
def test_static_problems(change: dict[str, str], expected: list[str]) -> None:
    problems = verify.static_problems(ORIGINAL, _outputs({**GOOD, **change}))
    assert len(problems) == len(expected)
    for problem, wanted in zip(problems, expected, strict=True):
        assert problem.startswith(wanted), problem


def test_static_accepts_names_served_by_getattr() -> None:
    init = (
        '"""Doc."""\nimport os\nfrom .base import f\n\ndef __getattr__(name):\n'
        '    if name in ("X",):\n        from . import base\n        return base.X\n'
        "    raise AttributeError(name)\n\nregister(f)\n"
    )
    assert verify.static_problems(ORIGINAL, _outputs({**GOOD, "__init__.py": init})) == []


@pytest.mark.parametrize(
    ("source", "names"),
    [
        pytest.param(
            "import a.b\nfrom c import d as e\nx, (y, *z) = 1, (2, 3)\n",
            {"a", "e", "x", "y", "z"},
            id="imports-and-unpacking",
        ),
        pytest.param(
            "if TYPE_CHECKING:\n    import t\nelse:\n    u = 1\n", {"u"}, id="type-checking"
        ),
        pytest.param("try:\n    import j\nexcept ImportError:\n    j = None\n", {"j"}, id="try"),
        pytest.param("x: int\ny: int = 1\nclass C:\n    inner = 1\n", {"y", "C"}, id="annotations"),
        pytest.param("if __name__ == '__main__':\n    main = 1\n", set(), id="main-block"),
        pytest.param("def _f():\n    pass\nX = _f\ndel _f\n", {"X"}, id="deleted"),
    ],
)
def test_bound_names(source: str, names: set[str]) -> None:
    import ast

    assert verify.bound_names(ast.parse(source).body) == names


SURFACE = {
    "pkg/__init__.py": "",
    "pkg/big.py": """
        import os
        __all__ = ["Thing", "make"]
        class Thing:
            class Inner:
                pass
        def make():
            return Thing()
        _private = 3
        print("noise on stdout at import")
    """,
}


def test_api_snapshot_records_kinds_qualnames_and_star(tmp_path: Path) -> None:
    write_tree(tmp_path, SURFACE)
    snap = observe.api_snapshot(sys.executable, tmp_path, "pkg.big", probe=["nothing_here"])
    names = snap["names"]
    works = {"getsource": True, "get_type_hints": True}
    assert names["Thing"] == {"kind": "class", "qualname": "Thing", **works}
    assert names["make"] == {"kind": "function", "qualname": "make", **works}
    assert names["os"] == {"kind": "module", "qualname": "os"}
    assert names["_private"] == {"kind": "int", "qualname": None, "value": "3"}
    assert "nothing_here" not in names
    assert snap["star"] == ["Thing", "make"]


def test_snapshots_compare_equal_for_a_faithful_package(tmp_path: Path) -> None:
    write_tree(tmp_path / "a", SURFACE)
    before = observe.api_snapshot(sys.executable, tmp_path / "a", "pkg.big")
    write_tree(
        tmp_path / "b",
        {
            "pkg/__init__.py": "",
            "pkg/big/__init__.py": "import os\nfrom .model import Thing, make, _private\n"
            "__all__ = ['Thing', 'make']\n",
            "pkg/big/model.py": "class Thing:\n    class Inner:\n        pass\n"
            "def make():\n    return Thing()\n_private = 3\n",
        },
    )
    after = observe.api_snapshot(sys.executable, tmp_path / "b", "pkg.big")
    assert verify.compare_snapshots("pkg.big", before, after, {"model"}) == []


@pytest.mark.parametrize(
    ("init", "problem"),
    [
        pytest.param(
            "from .model import Thing, make\n__all__ = ['Thing', 'make']\nimport os\n",
            "pkg.big._private is missing after the split",
            id="missing",
        ),
        pytest.param(
            "from .model import Thing, _private\nimport os\n__all__ = ['Thing', 'make']\n"
            "make = Thing\n",
            "pkg.big.make was function make, is class Thing",
            id="kind-changed",
        ),
        pytest.param(
            "from .model import *\nfrom .model import _private\nimport os\n",
            "`from pkg.big import *` differs",
            id="star-changed",
        ),
        pytest.param(
            "import os\nfrom .model import Thing, make, _private\nimport json\n"
            "__all__ = ['Thing', 'make']\n",
            "pkg.big.json is new after the split",
            id="new-name",
        ),
    ],
)
def test_snapshot_differences_are_reported(tmp_path: Path, init: str, problem: str) -> None:
    write_tree(tmp_path / "a", SURFACE)
    before = observe.api_snapshot(sys.executable, tmp_path / "a", "pkg.big")
    write_tree(
        tmp_path / "b",
        {
            "pkg/__init__.py": "",
            "pkg/big/__init__.py": init,
            "pkg/big/model.py": "class Thing:\n    class Inner:\n        pass\n"
            "def make():\n    return Thing()\n_private = 3\n",
        },
    )
    after = observe.api_snapshot(sys.executable, tmp_path / "b", "pkg.big")
    problems = verify.compare_snapshots("pkg.big", before, after, {"model"})
    assert any(p.startswith(problem) for p in problems), problems


def test_snapshot_of_a_module_that_does_not_import(tmp_path: Path) -> None:
    write_tree(tmp_path, {"broken.py": "import no_such_module_anywhere\n"})
    with pytest.raises(observe.SnapshotError, match="No module named 'no_such_module_anywhere'"):
        observe.api_snapshot(sys.executable, tmp_path, "broken")


def test_snapshot_runs_without_stdin_and_writes_no_bytecode(tmp_path: Path) -> None:
    write_tree(tmp_path, {"asks.py": "import sys\nANSWER = sys.stdin.read()\n"})
    assert (
        observe.api_snapshot(sys.executable, tmp_path, "asks")["names"]["ANSWER"]["kind"] == "str"
    )
    assert not list(tmp_path.rglob("__pycache__"))


def test_choose_python_prefers_flag_then_venv_then_dot_venv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    assert observe.choose_python("/opt/py", tmp_path) == "/opt/py"
    assert observe.choose_python(None, tmp_path) == sys.executable
    dot = tmp_path / ".venv" / "bin" / "python"
    dot.parent.mkdir(parents=True)
    dot.symlink_to(sys.executable)
    assert observe.choose_python(None, tmp_path) == str(dot)
    monkeypatch.setenv("VIRTUAL_ENV", str(Path(sys.executable).parents[1]))
    assert observe.choose_python(None, tmp_path) == str(Path(sys.executable).parent / "python")


def test_verify_cmd_reports_its_last_lines(tmp_path: Path) -> None:
    assert observe.run_verify_cmd("true", tmp_path) is None
    reason = observe.run_verify_cmd("echo one; echo 'E   assert 2 == 3'; exit 4", tmp_path)
    assert (
        reason == "--verify-cmd \"echo one; echo 'E   assert 2 == 3'; exit 4\" failed (exit 4): "
        "one | E   assert 2 == 3"
    )


def test_second_run_is_a_no_op_only_when_nothing_would_change() -> None:
    from modularize.agents.engine import EngineConfig

    config = EngineConfig(module="pkg.big", threshold=30)
    many = "".join(f"def f{i}():\n    return {i}\n\n\n" for i in range(12))
    giant = "def giant():\n" + "".join(f"    x{i} = {i}\n" for i in range(40))
    outputs = {
        PurePosixPath("small.py"): "X = 1\n",
        PurePosixPath("giant.py"): giant,
        PurePosixPath("many.py"): many,
    }
    assert verify.second_run_problems(outputs, config) == [
        "a second run would split many.py (48 lines) again"
    ]


def test_a_warning_charged_to_another_module_is_not_an_api_change(tmp_path: Path) -> None:
    # sunau.py / telnetlib.py warn at import: after the split the warning registry lands in
    # whichever module issued it, which says nothing about the package's names.
    warns = "import warnings\nwarnings.warn('old', DeprecationWarning, stacklevel=1)\n"
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/big.py": warns + "X = 1\n"})
    before = observe.api_snapshot(sys.executable, tmp_path / "a", "pkg.big")
    write_tree(
        tmp_path / "b",
        {
            "pkg/__init__.py": "",
            "pkg/big/__init__.py": "import warnings\nfrom .model import X\ndel model\n",
            "pkg/big/model.py": warns + "X = 1\n",
        },
    )
    after = observe.api_snapshot(sys.executable, tmp_path / "b", "pkg.big")
    assert "__warningregistry__" in before["names"]
    assert verify.compare_snapshots("pkg.big", before, after, {"model"}) == []


@pytest.mark.parametrize(
    ("original", "split_init", "problem"),
    [
        pytest.param(
            "TABLE = {}\nTABLE['a'] = 1\nLAST = len(TABLE)\n",
            "TABLE = {}\nLAST = len(TABLE)\nTABLE['a'] = 1\n",
            "pkg.big.LAST was int 1, is int 0",
            id="constant-from-a-half-filled-table",
        ),
        pytest.param(
            "REGISTRY = []\nREGISTRY.append(1)\n",
            "REGISTRY = []\n",
            "pkg.big.REGISTRY was list of 1 items, is list of 0 items",
            id="registry-size",
        ),
    ],
)
def test_import_time_values_must_match(
    tmp_path: Path, original: str, split_init: str, problem: str
) -> None:
    # Import-time code run in another order is caught even when every name still exists.
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/big.py": original})
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "pkg/big/__init__.py": split_init})
    before = observe.api_snapshot(sys.executable, tmp_path / "a", "pkg.big")
    after = observe.api_snapshot(sys.executable, tmp_path / "b", "pkg.big")
    assert verify.compare_snapshots("pkg.big", before, after, set()) == [problem]


def test_floats_are_not_compared(tmp_path: Path) -> None:
    # Often a time or a measurement: different on every import, original or not.
    timed = "import time\nSTARTED = time.time()\n"
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/big.py": timed})
    write_tree(tmp_path / "b", {"pkg/__init__.py": "", "pkg/big/__init__.py": timed})
    before = observe.api_snapshot(sys.executable, tmp_path / "a", "pkg.big")
    after = observe.api_snapshot(sys.executable, tmp_path / "b", "pkg.big")
    assert verify.compare_snapshots("pkg.big", before, after, set()) == []


def test_values_that_change_between_imports_of_the_original_are_not_compared(
    tmp_path: Path,
) -> None:
    # boltons.ecoutils.INSTANCE_ID is a fresh uuid on every import, split or not.
    fresh = "import uuid\nINSTANCE_ID = uuid.uuid4().hex\nLIMIT = 5\n"
    write_tree(tmp_path / "a", {"pkg/__init__.py": "", "pkg/big.py": fresh})
    write_tree(
        tmp_path / "b", {"pkg/__init__.py": "", "pkg/big/__init__.py": fresh.replace("5", "6")}
    )
    before = observe.stable_snapshot(sys.executable, tmp_path / "a", "pkg.big")
    after = observe.api_snapshot(sys.executable, tmp_path / "b", "pkg.big")
    assert before["unstable"] == ["INSTANCE_ID"]
    assert verify.compare_snapshots("pkg.big", before, after, set()) == [
        "pkg.big.LIMIT was int 5, is int 6"
    ]


def test_api_snapshot_records_items_in_order_introspection_and_doctests(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/big.py": '''
                class A:
                    """
                    >>> A.__name__
                    'A'
                    >>> 1 + 1
                    3
                    """
                REG = [A, "x", 2]
                KINDS = {"b", "a"}
            ''',
        },
    )
    snap = observe.api_snapshot(sys.executable, tmp_path, "pkg.big")
    names = snap["names"]
    assert names["REG"]["preview"] == ["<A>", "'x'", "2"]
    assert names["KINDS"]["preview"] == ["'a'", "'b'"]  # sets by content only
    assert names["A"]["getsource"] is True
    assert snap["doctests"] == [{"module": "pkg.big", "test": "A", "outcome": "1 of 2 failed"}]


def test_star_import_names_follow_all_else_public_names(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/listed.py": "__all__ = ['B']\nA = B = 1\n",
            "pkg/plain.py": "import os\nA = 1\n_hidden = 2\n",
        },
    )
    names = observe.star_import_names(
        sys.executable, tmp_path, "pkg.big", [".listed", "pkg.plain", ".missing"]
    )
    assert names == {".listed": ("B",), "pkg.plain": ("A", "os")}
