"""The repository scan: what other code and the docs do with the module being split."""

from __future__ import annotations

from pathlib import Path

import pytest

from modularize.agents import repo_uses
from modularize.agents.repo_uses import project_root, scan_repo_uses, uses_in_python
from tests.agent.helpers import write_tree


@pytest.mark.parametrize(
    ("code", "read"),
    [
        pytest.param("from pkg.big import os, Item as I\n", {"os", "Item"}, id="from-import"),
        pytest.param("import pkg.big\npkg.big.helper()\n", {"helper"}, id="dotted"),
        pytest.param("import pkg.other\npkg.big.helper()\n", {"helper"}, id="via-package"),
        pytest.param("import pkg.big as m\nm.LIMIT\n", {"LIMIT"}, id="alias"),
        pytest.param("from pkg import big\nbig.sys\n", {"sys"}, id="from-package"),
        pytest.param("import pkg.bigger\npkg.bigger.x\n", set(), id="another-module"),
    ],
)
def test_names_read_through_the_module(code: str, read: set[str]) -> None:
    assert uses_in_python(code, "pkg.big").read == read


def test_assignments_patches_and_shown_paths() -> None:
    code = (
        "import pkg.big as big\n"
        "big.WIDTH = 3\n"
        'mock.patch("pkg.big.helper")\n'
        'monkeypatch.setattr(big, "_", str)\n'
        'setattr(big, "FLAG", True)\n'
        'pytest.raises(match=r"<pkg\\.big\\.Tuple object")\n'
        '"""See :class:`~pkg.big.Other`."""\n'
    )
    uses = uses_in_python(code, "pkg.big")
    assert set(uses.assigned) == {"WIDTH", "FLAG"}, "no rewrite can move these"
    assert set(uses.patched) == {"helper", "_"}, "the run retargets these"
    assert set(uses.shown) == {"Tuple"}, "a docstring naming the path is not a repr"


def test_scan_reads_tests_and_readme_of_the_project(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "src/pkg/__init__.py": "",
            "src/pkg/big.py": "import os\n",
            "src/pkg/other.py": "from .big import os\n",
            "tests/test_big.py": 'def test(m):\n    m.setattr("pkg.big.CACHE", {})\n',
            "README.md": "```python\nimport pkg.big\npkg.big.PRESERVE = True\n```\n",
        },
    )
    run_root = tmp_path / "src" / "pkg"
    assert project_root(run_root) == tmp_path.resolve()
    uses = scan_repo_uses(tmp_path, "pkg.big", run_root / "big.py", run_root)
    assert {"os", "CACHE", "PRESERVE"} <= uses.read
    # the test file is outside the run's root: the run cannot retarget it, so it is forwarded
    assert set(uses.assigned) == {"CACHE", "PRESERVE"} and not uses.patched
    assert uses.assigned["PRESERVE"].startswith("README.md:3:")


@pytest.mark.parametrize(
    ("code", "mirrors"),
    [
        pytest.param(
            "from importlib import import_module\nmod = import_module(name)\nmod.__package__\n",
            True,
            id="loader-mirroring-modules",
        ),
        pytest.param(
            'import sys\n_main = sys.modules["__main__"]\n_main.__package__\n',
            False,
            id="how-python-was-called",
        ),
        pytest.param("import tlz\nassert tlz.curried.__package__\n", True, id="a-module"),
    ],
)
def test_package_reads_count_only_in_code_that_imports_modules_by_name(
    code: str, mirrors: bool
) -> None:
    assert bool(uses_in_python(code, "pkg.big").package_read) is mirrors


def test_a_file_that_cannot_reach_the_module_is_not_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only files naming the top-level package, or inside it (relative imports), can use
    ``pkg.big``; another file that merely says "big" is not parsed for every split."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            "pkg/big.py": "X = 1\n",
            "pkg/sibling.py": "from . import big\nbig.X\n",
            "tools/other.py": "import big  # another module of that name\nbig.X = 2\n",
            "tests/test_it.py": "import pkg.big\npkg.big.Y\n",
        },
    )
    indexed = _count_indexing(monkeypatch)
    for _ in range(2):  # a run scans the repository again for every module it splits
        uses = scan_repo_uses(tmp_path, "pkg.big", tmp_path / "pkg" / "big.py", tmp_path / "pkg")
        assert uses.read == {"X", "Y"} and not uses.assigned
    assert len(indexed) == 2  # sibling.py and test_it.py, once each


def test_a_read_of_package_counts_in_any_file_that_names_the_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A loader mirroring modules by name reads ``__package__`` of whatever it imports: it
    counts even when the file does not name the package being split."""
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "",
            "pkg/__init__.py": "",
            "pkg/utils.py": "X = 1\n",
            "tools/mirror.py": (
                "import importlib\n\nfor name in ('utils',):\n"
                "    mod = importlib.import_module(name)\n    print(mod.__package__)\n"
            ),
        },
    )
    _count_indexing(monkeypatch)
    uses = scan_repo_uses(tmp_path, "pkg.utils", tmp_path / "pkg" / "utils.py", tmp_path / "pkg")
    assert uses.package_read == "tools/mirror.py:5"


def _count_indexing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """An empty index cache, and the texts indexed from now on."""
    indexed: list[str] = []
    real = repo_uses._index
    monkeypatch.setattr(repo_uses, "_INDEXES", {})
    monkeypatch.setattr(repo_uses, "_index", lambda text: indexed.append(text) or real(text))
    return indexed
