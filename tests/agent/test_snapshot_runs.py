"""How the import snapshots run: the original's two imports in one process and a fork of it,
a fixed hash seed, the module imported before anything else of the project, doctest only when
needed."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from modularize.agents import verify as observe
from modularize.agents.engine import verify
from tests.agent.helpers import write_tree
from tests.support import alive

FORK = pytest.param(True, id="fork", marks=pytest.mark.skipif(not hasattr(os, "fork"), reason="-"))
TWO_PROCESSES = pytest.param(False, id="two-processes")

# Values that differ between two imports of the module, split or not.
CHANGING = """
    import os, time, uuid
    RUN_ID = uuid.uuid4().hex
    PID = os.getpid()
    STAMP = repr(time.time())
    TOKEN = "%x" % id(object())
    MARK = repr(object())
    IDS = [id(object()), 1]
    LIMIT = 5
"""


def _split(root: Path, source: str) -> None:
    write_tree(root, {"pkg/__init__.py": "", "pkg/big/__init__.py": source})


def _original(root: Path, source: str) -> None:
    write_tree(root, {"pkg/__init__.py": "", "pkg/big.py": source})


@pytest.mark.parametrize("fork", [FORK, TWO_PROCESSES])
def test_values_that_change_at_each_import_are_unstable_not_differences(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fork: bool
) -> None:
    if not fork:
        monkeypatch.delattr(os, "fork", raising=False)
    _original(tmp_path / "a", CHANGING)
    _split(tmp_path / "b", CHANGING.replace("LIMIT = 5", "LIMIT = 6"))
    before = observe.stable_snapshot(sys.executable, tmp_path / "a", "pkg.big")
    after = observe.api_snapshot(sys.executable, tmp_path / "b", "pkg.big")
    assert before["unstable"] == ["IDS", "MARK", "PID", "RUN_ID", "STAMP", "TOKEN"]
    assert verify.compare_snapshots("pkg.big", before, after, set()) == [
        "pkg.big.LIMIT was int 5, is int 6"  # what is stable is still compared
    ]


def test_string_hashes_and_set_order_are_the_same_in_every_snapshot(tmp_path: Path) -> None:
    source = """
        WORDS = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"}
        ORDER = tuple(WORDS)
        SEED = hash("modularize")
    """
    _original(tmp_path / "a", source)
    _split(tmp_path / "b", source)
    before = observe.stable_snapshot(sys.executable, tmp_path / "a", "pkg.big")
    after = observe.api_snapshot(sys.executable, tmp_path / "b", "pkg.big")
    assert before["unstable"] == []
    assert before["names"]["SEED"] == after["names"]["SEED"]
    assert verify.compare_snapshots("pkg.big", before, after, set()) == []


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the original's two imports fork")
def test_the_original_is_imported_twice_by_one_interpreter(tmp_path: Path) -> None:
    imports = tmp_path / "imports.log"
    record = f"import os\nwith open({str(imports)!r}, 'a') as f:\n    f.write('%d %d;' % "
    _original(tmp_path, record + "(os.getpid(), os.getppid()))\n")
    observe.stable_snapshot(sys.executable, tmp_path, "pkg.big")
    (first, first_parent), (second, second_parent) = sorted(
        tuple(map(int, pair.split())) for pair in imports.read_text().split(";")[:-1]
    )
    assert first != second
    assert second_parent == first or first_parent == second  # one forked the other


def test_the_module_is_imported_before_anything_else_of_the_project(tmp_path: Path) -> None:
    seen = (
        "import sys\nSEEN = tuple(sorted(m for m in sys.modules if m == 'doctest'"
        " or m.split('.')[0] == 'pkg'))\n"
    )
    _original(tmp_path, seen)
    write_tree(tmp_path, {"pkg/other.py": "import pkg.big\n"})
    snap = observe.stable_snapshot(sys.executable, tmp_path, "pkg.big")
    assert snap["names"]["SEEN"]["value"] == "('pkg', 'pkg.big')"  # no doctest, no pkg.other
    assert snap["unstable"] == []


@pytest.mark.parametrize(
    ("source", "tests"),
    [
        pytest.param("def f():\n    '''No example.'''\n", [], id="no-example"),
        pytest.param("from fractions import Fraction\n", [], id="examples-of-another-module"),
        pytest.param(
            "class A:\n    @property\n    def p(self):\n        '''\n        >>> 1\n        1\n"
            "        '''\n",
            ["A.p"],
            id="property",
        ),
        pytest.param(
            "class A:\n    @staticmethod\n    def s():\n        '''\n        >>> 1\n        2\n"
            "        '''\n    class B:\n        '''\n        >>> 2\n        2\n        '''\n",
            ["A.B", "A.s"],
            id="staticmethod-nested-class",
        ),
        pytest.param("__test__ = {'t': '>>> 1\\n1\\n'}\n", ["__test__.t"], id="__test__"),
        pytest.param(
            "from fractions import Fraction\ndef limit():\n    pass\n"
            "limit.__doc__ = Fraction.limit_denominator.__doc__\n",
            ["limit"],
            id="docstring-from-elsewhere",
        ),
    ],
)
def test_doctests_are_collected_where_doctest_finds_them(
    tmp_path: Path, source: str, tests: list[str]
) -> None:
    flag = tmp_path / "doctest-imported"
    atexit = f"import atexit, sys\natexit.register(lambda: open({str(flag)!r}, 'w').write("
    _original(tmp_path, source + atexit + "str('doctest' in sys.modules)))\n")
    snap = observe.api_snapshot(sys.executable, tmp_path, "pkg.big")
    assert sorted(t["test"] for t in snap["doctests"]) == tests
    assert flag.read_text() == str(bool(tests))  # doctest is imported only to run examples


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_a_timeout_stops_both_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids"
    source = (
        f"import os, time\nopen({str(pids)!r}, 'a').write('%d ' % os.getpid())\ntime.sleep(60)\n"
    )
    _original(tmp_path, source)
    monkeypatch.setattr(observe, "SNAPSHOT_TIMEOUT", 2.0)
    with pytest.raises(observe.SnapshotError, match="took over 2s"):
        observe.stable_snapshot(sys.executable, tmp_path, "pkg.big")
    started = [int(pid) for pid in pids.read_text().split()]
    assert len(started) == 2
    deadline = time.monotonic() + 5
    while any(map(alive, started)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(alive, started))


def test_introspection_and_members_of_several_classes(tmp_path: Path) -> None:
    source = """
        class A:
            def run(self, n=1):
                return n
        class Outer:
            class Inner:
                pass
        Made = type("Made", (), {"__module__": __name__})
    """
    _original(tmp_path, source)
    names = observe.api_snapshot(sys.executable, tmp_path, "pkg.big")["names"]
    members = observe.stable_snapshot(sys.executable, tmp_path, "pkg.big")["members"]
    assert [names[c].get("getsource") for c in ("A", "Outer", "Made")] == [True, True, False]
    assert members["A"]["run"] == "function run(self, n=1)"
    for built_in in ("__eq__", "__new__", "__subclasshook__"):  # the same routine in each
        assert members["A"][built_in] == members["Outer"][built_in] == members["Made"][built_in]
    assert members["A"]["__eq__"] == "wrapper_descriptor __eq__(self, value, /)"


def test_the_source_of_each_definition_is_found_where_inspect_finds_it(tmp_path: Path) -> None:
    source = """
        import functools
        try:
            import no_such_module
        except ImportError:
            class InHandler:
                pass
        else:
            class InElse:
                pass
        if True:
            class InIf:
                class Nested:
                    pass
        def deco(f):
            @functools.wraps(f)
            def wrapper(*a):
                return f(*a)
            return wrapper
        @deco
        def wrapped(x):
            return x
        handlers = dict(
            first=lambda x: (x +
                1))
        class Renamed:
            pass
        Renamed.__qualname__ = "Elsewhere"
        Made = type("Made", (), {"__module__": __name__})
        Nested = InIf.Nested
        first = handlers["first"]
    """
    _original(tmp_path, source)
    names = observe.api_snapshot(sys.executable, tmp_path, "pkg.big")["names"]
    found = {k: v["getsource"] for k, v in names.items() if "getsource" in v}
    assert found == {
        "InHandler": True,
        "InIf": True,
        "Nested": True,
        "deco": True,
        "wrapped": True,
        "first": True,
        "Renamed": False,  # no class of that qualified name in the file
        "Made": False,
    }
