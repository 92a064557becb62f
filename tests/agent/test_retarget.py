"""Retargeting mock.patch / monkeypatch targets after a split: tables, readers, the repo walk."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from modularize.agents.engine.retarget import call_time_globals, retarget_source
from modularize.orchestrator.retarget import build_lookups, retarget_repo
from tests.agent.helpers import write_tree

LOOKUPS = {
    "pkg.big": {
        "helper": frozenset({"pkg.big.manager"}),
        "shared": frozenset({"pkg.big.manager", "pkg.big.strategies"}),
        "local": frozenset({"pkg.big.utils"}),
        "unused": frozenset(),
        "in_init": frozenset({"pkg.big"}),
    },
}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            'mock.patch("pkg.big.helper")', 'mock.patch("pkg.big.manager.helper")', id="mock.patch"
        ),
        pytest.param(
            "@patch('pkg.big.local', return_value=1)\ndef t(): pass",
            "@patch('pkg.big.utils.local', return_value=1)\ndef t(): pass",
            id="decorator",
        ),
        pytest.param(
            'unittest.mock.patch(target="pkg.big.helper")',
            'unittest.mock.patch(target="pkg.big.manager.helper")',
            id="target-keyword",
        ),
        pytest.param(
            'mocker.patch("pkg.big.helper")',
            'mocker.patch("pkg.big.manager.helper")',
            id="pytest-mock",
        ),
        pytest.param(
            'monkeypatch.setattr("pkg.big.helper", lambda: 1)',
            'monkeypatch.setattr("pkg.big.manager.helper", lambda: 1)',
            id="setattr-str",
        ),
        pytest.param(
            'monkeypatch.delattr("pkg.big.local")',
            'monkeypatch.delattr("pkg.big.utils.local")',
            id="delattr-str",
        ),
        pytest.param(
            'from pkg import big\nmock.patch.object(big, "helper")',
            'from pkg import big\nmock.patch.object(big.manager, "helper")',
            id="patch.object-alias",
        ),
        pytest.param(
            'import pkg.big\nmonkeypatch.setattr(pkg.big, "local", None)',
            'import pkg.big\nmonkeypatch.setattr(pkg.big.utils, "local", None)',
            id="setattr-object-dotted",
        ),
        pytest.param(
            'import pkg.big as b\nmocker.patch.object(b, "helper", autospec=True)',
            'import pkg.big as b\nmocker.patch.object(b.manager, "helper", autospec=True)',
            id="patch.object-as",
        ),
        pytest.param(
            'patch.multiple("pkg.big", helper=DEFAULT, create=True)',
            'patch.multiple("pkg.big.manager", helper=DEFAULT, create=True)',
            id="multiple",
        ),
        pytest.param(
            'mock.patch("pkg.big.unused")', 'mock.patch("pkg.big.unused")', id="nobody-reads-it"
        ),
        pytest.param(
            'mock.patch("pkg.big.in_init")', 'mock.patch("pkg.big.in_init")', id="read-by-init"
        ),
        pytest.param(
            'mock.patch("pkg.big.Client.send")',
            'mock.patch("pkg.big.Client.send")',
            id="attribute-of-a-name",
        ),
        pytest.param(
            'mock.patch("pkg.bigger.helper")', 'mock.patch("pkg.bigger.helper")', id="other-module"
        ),
        pytest.param(
            'setattr(big, "helper", 1)', 'setattr(big, "helper", 1)', id="builtin-setattr"
        ),
        pytest.param(
            'client.patch("/pkg.big.helper")', 'client.patch("/pkg.big.helper")', id="http-patch"
        ),
        pytest.param(
            "mock.patch(r'pkg.big.helper')",
            "mock.patch(r'pkg.big.manager.helper')",
            id="raw-string-quotes-kept",
        ),
    ],
)
def test_retarget_source(before: str, after: str) -> None:
    new, notes = retarget_source(before + "\n", LOOKUPS)
    assert (new, notes) == (after + "\n", [])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        pytest.param(
            'x = 1\nmock.patch("pkg.big.shared")',
            "cannot retarget patch of pkg.big.shared: read in pkg.big.manager and "
            "pkg.big.strategies",
            id="two-readers",
        ),
        pytest.param(
            'from pkg import big\nmock.patch.object(big, "shared")',
            "cannot retarget patch of pkg.big.shared: read in pkg.big.manager and "
            "pkg.big.strategies",
            id="two-readers-object",
        ),
        pytest.param(
            'x = 1\npatch.multiple("pkg.big", helper=1, local=2)',
            "cannot retarget patch.multiple of pkg.big: names are read in "
            "pkg.big.manager and pkg.big.utils",
            id="multiple-split-apart",
        ),
    ],
)
def test_ambiguous_targets_are_reported_not_guessed(source: str, message: str) -> None:
    new, notes = retarget_source(source + "\n", LOOKUPS)
    assert new == source + "\n"
    assert [(n.line, n.message) for n in notes] == [(2, message)]


def test_relative_imports_resolve_with_the_package() -> None:
    source = 'from .. import big\nmock.patch.object(big, "helper")\n'
    assert retarget_source(source, LOOKUPS)[0] == source, "unknown package: left alone"
    new, _ = retarget_source(source, LOOKUPS, package="pkg.tests")
    assert new == 'from .. import big\nmock.patch.object(big.manager, "helper")\n'


MANAGER = """
from .utils import helper, LIMIT
import os

DEFAULT = helper(1)  # import time: a later patch cannot reach it


class Manager:
    size = LIMIT

    def run(self):
        return helper(2) + len(os.sep) + open_count()


def open_count():
    return len([x for x in range(3)])
"""


def test_call_time_globals_sees_only_lookups_a_patch_reaches() -> None:
    assert call_time_globals(MANAGER) == {"helper", "os", "open_count", "len", "range"}


def test_build_lookups_from_locations_and_sources() -> None:
    sources = {
        "pkg.big": "from .manager import Manager\nfrom .utils import helper, LIMIT\n",
        "pkg.big.manager": MANAGER,
        "pkg.big.utils": "LIMIT = 3\ndef helper(n):\n    return n * LIMIT\n",
    }
    mapping = {
        "pkg.big": {
            "Manager": "pkg.big.manager",
            "open_count": "pkg.big.manager",
            "helper": "pkg.big.utils",
            "LIMIT": "pkg.big.utils",
        }
    }
    lookups = build_lookups(mapping, sources)["pkg.big"]
    assert lookups["helper"] == {"pkg.big.manager"}
    assert lookups["LIMIT"] == {"pkg.big.utils"}
    assert lookups["Manager"] == frozenset()
    assert lookups["len"] == {"pkg.big.manager"}, "a builtin shadowed with create=True"


REPO = {
    "src/pkg/__init__.py": "",
    "src/pkg/big/__init__.py": "from .utils import helper\nfrom .manager import run\n",
    "src/pkg/big/utils.py": "def helper():\n    return 1\n",
    "src/pkg/big/manager.py": "from .utils import helper\n\ndef run():\n    return helper()\n",
    "tests/test_big.py": 'from unittest import mock\n\n\n@mock.patch("pkg.big.helper")\n'
    "def test_run(m):\n    pass\n",
    "tests/test_other.py": "def test_nothing():\n    pass\n",
}
MAPPING = {"pkg.big": {"helper": "pkg.big.utils", "run": "pkg.big.manager"}}


def test_retarget_repo_rewrites_in_place_in_git(tmp_path: Path) -> None:
    write_tree(tmp_path, REPO)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    result = retarget_repo(tmp_path, MAPPING, dry_run=False)
    expected = REPO["tests/test_big.py"].replace("pkg.big.helper", "pkg.big.manager.helper")
    assert result.changed == {"tests/test_big.py": expected}
    assert result.notes == ()
    assert (tmp_path / "tests" / "test_big.py").read_text() == expected


def test_retarget_repo_dry_run_reads_the_overlay_and_writes_nothing(tmp_path: Path) -> None:
    on_disk = {k: v for k, v in REPO.items() if not k.startswith("src/pkg/big/")}
    write_tree(tmp_path, {**on_disk, "src/pkg/big.py": "old\n"})
    overlay = {k: v for k, v in REPO.items() if k.startswith("src/pkg/big/")}
    overlay["src/pkg/big.py"] = None
    result = retarget_repo(tmp_path, MAPPING, dry_run=True, overlay=overlay)
    assert list(result.changed) == ["tests/test_big.py"]
    assert (tmp_path / "tests" / "test_big.py").read_text() == REPO["tests/test_big.py"]


@pytest.mark.parametrize("dry_run", [False, True], ids=["in-place", "dry-run"])
def test_retarget_repo_whose_root_is_the_package_itself(tmp_path: Path, dry_run: bool) -> None:
    """Run on a package folder with no repository above it: its files are named from inside
    the package (``big/__init__.py``), and the new modules are still found."""
    inside = {k.removeprefix("src/pkg/"): v for k, v in REPO.items() if k.startswith("src/pkg/")}
    inside["test_big.py"] = REPO["tests/test_big.py"]
    root = tmp_path / "pkg"
    overlay: dict[str, str | None] = {}
    if dry_run:
        write_tree(root, {k: v for k, v in inside.items() if not k.startswith("big/")})
        (root / "big.py").write_text("old\n")
        overlay = {k: v for k, v in inside.items() if k.startswith("big/")}
        overlay["big.py"] = None
    else:
        write_tree(root, inside)
    result = retarget_repo(root, MAPPING, dry_run=dry_run, overlay=overlay)
    expected = REPO["tests/test_big.py"].replace("pkg.big.helper", "pkg.big.manager.helper")
    assert result.changed == {"test_big.py": expected}


def test_retarget_repo_reports_file_and_line(tmp_path: Path) -> None:
    files = dict(REPO)
    files["src/pkg/big/utils.py"] = (
        "def helper():\n    return 1\n\ndef twice():\n    return helper()\n"
    )
    write_tree(tmp_path, files)
    mapping = {"pkg.big": {**MAPPING["pkg.big"], "twice": "pkg.big.utils"}}
    result = retarget_repo(tmp_path, mapping, dry_run=False)
    assert result.changed == {}
    assert result.notes == (
        "tests/test_big.py:4: cannot retarget patch of pkg.big.helper: "
        "read in pkg.big.manager and pkg.big.utils",
    )


def test_forwarded_names_need_no_retarget() -> None:
    # the agent's result says which names the new __init__ forwards
    sources = {
        "pkg.big": "from .utils import helper as helper\n",
        "pkg.big.manager": MANAGER,
        "pkg.big.utils": "def helper(n):\n    return round(n)\n",
    }
    mapping = {"pkg.big": {"helper": "pkg.big.utils", "Manager": "pkg.big.manager"}}
    lookups = build_lookups(mapping, sources, {"pkg.big": frozenset({"helper"})})
    assert lookups["pkg.big"]["helper"] == frozenset(), "forwarding already reaches readers"
    unforwarded = build_lookups(mapping, sources)
    assert unforwarded["pkg.big"]["helper"] == {"pkg.big.manager"}
    assert lookups["pkg.big"]["round"] == {"pkg.big.utils"}, "a builtin is not forwarded"
    source = 'mock.patch("pkg.big.helper")\nmock.patch("pkg.big.round", create=True)\n'
    assert retarget_source(source, lookups) == (
        'mock.patch("pkg.big.helper")\nmock.patch("pkg.big.utils.round", create=True)\n',
        [],
    )
