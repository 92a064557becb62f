"""Helpers: a real git repository holding a module to "split", and a simulated split of it."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

from modularize.agents.core.config import Config
from modularize.orchestrator.options import RunOptions

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


def git(repo: Path, *args: str) -> str:
    """Run real git in ``repo`` and return its stdout."""
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return proc.stdout


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


def make_repo(root: Path, extra: dict[str, str] | None = None) -> Split:
    """A git repository with pkg/big.py (and ``extra`` files) committed on main."""
    root.mkdir(parents=True, exist_ok=True)
    files = {"pkg/__init__.py": "", "pkg/big.py": ORIGINAL, **(extra or {})}
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test User")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return Split(
        root, [root / "pkg/big/__init__.py", root / "pkg/big/base.py"], [root / "pkg/big.py"]
    )


def options(root: Path, **flags: object) -> RunOptions:
    """RunOptions for a run over ``root``."""
    return RunOptions(paths=(root,), **flags)


CONFIG = Config()
