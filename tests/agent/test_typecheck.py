"""The project's mypy, when it configures one: a split must not add errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from modularize.agents.typecheck import added_errors, mypy_config, mypy_errors
from tests.agent.helpers import write_tree

pytest.importorskip("mypy")


def test_config_is_found_only_when_the_project_has_one(tmp_path: Path) -> None:
    write_tree(tmp_path, {"a/pkg/big.py": "", "b/pkg/big.py": "", "b/setup.cfg": "[mypy]\n"})
    (tmp_path / "a" / ".git").mkdir()
    assert mypy_config(tmp_path / "a" / "pkg" / "big.py") is None
    assert mypy_config(tmp_path / "b" / "pkg" / "big.py") == (tmp_path / "b" / "setup.cfg")


def test_a_configuration_above_the_project_is_another_projects(tmp_path: Path) -> None:
    # a project (its own pyproject.toml, no [tool.mypy]) inside a folder of another one that
    # configures mypy (the bundled example inside this repository): not this project's checker
    write_tree(
        tmp_path,
        {
            "pyproject.toml": "[tool.mypy]\nstrict = true\n",
            "examples/shop/pyproject.toml": "[project]\nname = 'shop'\n",
            "examples/shop/shop/big.py": "",
        },
    )
    assert mypy_config(tmp_path / "examples" / "shop" / "shop" / "big.py") is None
    assert mypy_config(tmp_path / "examples" / "x.py") == tmp_path / "pyproject.toml"


@pytest.mark.slow
def test_errors_counted_in_the_given_files_only(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "mypy.ini": "[mypy]\n",
            "pkg/__init__.py": "",
            "pkg/other.py": "x: int = 'not checked here'\n",
            "pkg/big.py": "from pkg.other import x\n\ndef f() -> int:\n    return x\n",
            "pkg/bad.py": "def g() -> int:\n    return undefined_name\n",
        },
    )
    config = tmp_path / "mypy.ini"
    clean = mypy_errors(sys.executable, config, [tmp_path / "pkg" / "big.py"])
    broken = mypy_errors(sys.executable, config, [tmp_path / "pkg" / "bad.py"])
    assert clean == [] and broken is not None and len(broken) == 1
    assert "undefined_name" in broken[0]
    assert added_errors(clean, broken) == (
        f"mypy: 0 errors before the split, 1 after (e.g. {broken[0]})"
    )
    assert added_errors(broken, clean) is None and added_errors(None, broken) is None
