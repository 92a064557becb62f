"""Helpers: a real git repository holding a module to "split", and a simulated split of it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from modularize.agents.core.config import Config
from modularize.orchestrator.options import RunOptions
from tests.support import make_repo

# The original module: line 9 ("l = 1") is an E741 finding that was already there.
ORIGINAL = '''"""A module that grew too big."""

import os


class Base:
    def path(self):
        """Where things live."""
        l = 1
        return os.path.join("a", str(l))


def helper(value):
    return value * 2
'''

# What a split writes: the package __init__ re-exports through __all__, base.py carries the
# class (with an import the generator should not have left: ruff --fix removes it).
INIT = '''"""A module that grew too big."""

from pkg.big.base import Base, helper

__all__ = ["Base", "helper"]
'''

BASE = '''import os
import sys


class Base:
    def path(self):
        """Where things live."""
        l = 1
        return os.path.join('a', str(l))


def helper(value):
    return value * 2
'''


@dataclasses.dataclass
class Split:
    """A repository and the files a split of pkg/big.py wrote and removed."""

    root: Path
    changed: list[Path]
    deleted: list[Path]

    def apply(self) -> Split:
        """Do what the engine would: remove pkg/big.py, write pkg/big/{__init__,base}.py."""
        (self.root / "pkg" / "big.py").unlink()
        (self.root / "pkg" / "big").mkdir()
        (self.root / "pkg" / "big" / "__init__.py").write_text(INIT)
        (self.root / "pkg" / "big" / "base.py").write_text(BASE)
        return self


def split_repo(root: Path, extra: dict[str, str] | None = None) -> Split:
    """A git repository with pkg/big.py (and ``extra`` files) committed on main."""
    make_repo(root, {"pkg/__init__.py": "", "pkg/big.py": ORIGINAL, **(extra or {})})
    return Split(
        root, [root / "pkg/big/__init__.py", root / "pkg/big/base.py"], [root / "pkg/big.py"]
    )


def options(root: Path, **flags: object) -> RunOptions:
    """RunOptions for a run over ``root``."""
    return RunOptions(paths=(root,), **flags)


CONFIG = Config()
