"""Which Python files a command looks at: listing, line counts, skip rules, module names.

Inside a git repository the listing is what git sees (tracked files plus untracked files it does
not ignore); outside git it is a directory walk that skips virtualenvs and build output. Symlinks
are never followed out of the tree. Exclude globs are anchored absolute patterns (see
``anchor_glob``), so a glob from a pyproject.toml means the same wherever the command runs.
"""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from modularize.agents.core.source import count_file_lines

if TYPE_CHECKING:
    from modularize.agents.core.config import Config

# Directory names a walk outside git never enters (virtualenvs are found by their pyvenv.cfg).
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "build",
        "dist",
        "node_modules",
        "__pycache__",
        ".tox",
        ".nox",
        "site-packages",
    }
)
TEST_DIRS = frozenset({"tests", "test"})
GENERATED_MARKER = "@generated"
GENERATED_HEAD_LINES = 10  # the marker counts only near the top, where generators put it


def repo_root(path: Path) -> Path:
    """The git top level above ``path``, else the directory of ``path`` (absolute, resolved)."""
    start = Path(path).resolve()
    if not start.is_dir():
        start = start.parent
    # Not cached: a test (or a user) may run `git init` in a folder between two calls.
    for folder in (start, *start.parents):
        if (folder / ".git").exists():  # a directory, or a file in worktrees and submodules
            return folder
    return start


def in_git(folder: Path) -> bool:
    """Is ``folder`` in a git checkout (a ``.git`` here or in a folder above)?"""
    return any((p / ".git").exists() for p in (folder, *folder.parents))


def anchor_glob(glob: str, base: Path) -> str:
    """Make an exclude glob absolute: ``a/*.py`` means ``<base>/a/*.py``; ``name`` means any
    file or directory called ``name`` at any depth under ``base`` (ruff and gitignore style)."""
    glob = glob.strip().removeprefix("./").rstrip("/")
    if glob.startswith("/") or PurePath(glob).is_absolute():
        return glob
    prefix = Path(base).resolve().as_posix().rstrip("/")
    if "/" in glob:
        return f"{prefix}/{glob}"
    return f"{prefix}/**/{glob}"


@lru_cache(maxsize=256)
def _glob_regex(glob: str) -> re.Pattern[str]:
    """``**/`` spans any number of directories, ``*`` and ``?`` stay within one name."""
    out: list[str] = []
    i = 0
    while i < len(glob):
        if glob.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif glob.startswith("**", i):
            out.append(".*")
            i += 2
        elif glob[i] == "*":
            out.append("[^/]*")
            i += 1
        elif glob[i] == "?":
            out.append("[^/]")
            i += 1
        elif glob[i] == "[" and "]" in glob[i + 1 :]:
            end = glob.index("]", i + 1)
            out.append(fnmatch.translate(glob[i : end + 1])[4:-3])  # reuse fnmatch's class syntax
            i = end + 1
        else:
            out.append(re.escape(glob[i]))
            i += 1
    return re.compile("".join(out) + r"\Z")


def is_excluded(path: Path, root: Path, globs: Sequence[str]) -> bool:
    """True when an anchored glob matches ``path`` or one of its folders below ``root``.

    ``root`` itself and its parents are never tested: a folder you name is scanned even when a
    glob such as ``examples`` would leave it out of a scan of the whole repository.
    """
    if not globs:
        return False
    patterns = [_glob_regex(g) for g in globs]
    candidate = path
    while candidate != root and candidate != candidate.parent:
        text = candidate.as_posix()
        if any(p.match(text) for p in patterns):
            return True
        candidate = candidate.parent
    return False


def _excludes(config: Config, root: Path) -> tuple[str, ...]:
    # Globs from pyproject.toml arrive anchored; relative ones came from flags: the scanned root.
    return tuple(anchor_glob(g, root) for g in config.exclude)


class _GitUnavailable(Exception):
    """git is missing or refused the folder (e.g. "dubious ownership"): walk instead."""


def _git_lines(folder: Path, *args: str) -> list[str]:
    try:
        done = subprocess.run(
            ["git", "ls-files", "-z", *args], cwd=folder, capture_output=True, check=False
        )
    except OSError as exc:
        raise _GitUnavailable(str(exc)) from None
    if done.returncode != 0:
        raise _GitUnavailable(os.fsdecode(done.stderr).strip())
    return [p for p in os.fsdecode(done.stdout).split("\0") if p]


def _git_python_files(folder: Path) -> list[Path]:
    """Tracked files plus untracked ones git does not ignore; untracked virtualenvs left out."""
    tracked = [folder / rel for rel in _git_lines(folder, "--cached", "--", "*.py")]
    untracked = [
        folder / rel for rel in _git_lines(folder, "--others", "--exclude-standard", "--", "*.py")
    ]
    venvs: dict[Path, bool] = {}
    return tracked + [p for p in untracked if not _under_skipped_dir(p, folder, venvs)]


def _under_skipped_dir(path: Path, top: Path, seen: dict[Path, bool]) -> bool:
    for parent in path.parents:
        if parent == top or top not in parent.parents:
            return False
        if parent not in seen:
            seen[parent] = parent.name in SKIPPED_DIRS or (parent / "pyvenv.cfg").exists()
        if seen[parent]:
            return True
    return False


def _walk_python_files(folder: Path) -> Iterator[Path]:
    """A walk that enters no symlinked directory, virtualenv or build output."""
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(
            d
            for d in dirnames
            if d not in SKIPPED_DIRS and not os.path.isfile(os.path.join(dirpath, d, "pyvenv.cfg"))
        )
        for name in filenames:
            if name.endswith(".py"):
                yield Path(dirpath, name)


def _files_under(root: Path) -> Iterable[Path]:
    if in_git(root):
        try:
            return _git_python_files(root)
        except _GitUnavailable:
            pass
    return _walk_python_files(root)


def _named_file(named: Path, config: Config) -> Path | None:
    """A file named on the command line: taken unless excluded or a symlink out of the repo."""
    path = named.parent.resolve() / named.name  # keep the name itself: it may be a symlink
    if path.suffix != ".py" or not path.is_file():
        return None
    top = repo_root(path.parent)
    if path.is_symlink() and top not in path.resolve().parents:
        return None
    globs = _excludes(config, Path.cwd())
    return None if is_excluded(path, top, globs) else path


def list_python_files(paths: Iterable[Path], config: Config) -> list[Path]:
    """Every ``.py`` file under ``paths`` that a command may look at, excludes applied.

    Returned paths are absolute, sorted and unique. Symlinked files and folders met while
    listing are never followed (a symlink inside the tree would only list its target twice).
    A named file is subject to the excludes, so that a pre-commit hook honours them.
    """
    found: dict[Path, None] = {}
    for named in map(Path, paths):
        if not named.is_dir():
            chosen = _named_file(named, config)
            if chosen is not None:
                found[chosen] = None
            continue
        root = named.resolve()
        globs = _excludes(config, root)
        for path in _files_under(root):
            if not path.is_symlink() and path.is_file() and not is_excluded(path, root, globs):
                found[path] = None
    return sorted(found)


def find_big_files(paths: Iterable[Path], config: Config) -> list[Path]:
    """Python files under ``paths`` with more lines than ``config.threshold``."""
    return [p for p in list_python_files(paths, config) if count_file_lines(p) > config.threshold]


def is_test_file(relpath: str | PurePath) -> bool:
    """Whether pytest would collect the file by its name or place (test_*.py, *_test.py,
    conftest.py, or anything under a ``tests``/``test`` folder). Give a repo-relative path."""
    parts = PurePath(relpath).parts
    if not parts:
        return False
    name = parts[-1]
    if name == "conftest.py" or (name.startswith("test_") and name.endswith(".py")):
        return True
    if name.endswith("_test.py"):
        return True
    return any(part in TEST_DIRS for part in parts[:-1])


def repo_relative(path: Path) -> PurePath:
    """``path`` relative to its repository root (relative paths are taken as they are)."""
    return repo_relative_paths([path])[0]


def repo_relative_paths(paths: Sequence[Path]) -> list[PurePath]:
    """``repo_relative`` of each path, looking for the repository once per folder."""
    roots: dict[Path, Path] = {}
    relative: list[PurePath] = []
    for path in paths:
        if not path.is_absolute():
            relative.append(path)
            continue
        resolved = path.resolve()
        folder = resolved if resolved.is_dir() else resolved.parent
        if folder not in roots:
            roots[folder] = repo_root(folder)
        try:
            relative.append(resolved.relative_to(roots[folder]))
        except ValueError:
            relative.append(PurePath(resolved.name))
    return relative


def skip_reason(
    path: Path, source: str, config: Config, relpath: PurePath | None = None
) -> str | None:
    """Why a big file is left alone (a sentence a person can act on), or None to split it.

    ``relpath`` is the file's ``repo_relative`` path when the caller already knows it.
    """
    name = Path(path).name
    relpath = repo_relative(Path(path)) if relpath is None else relpath
    if not config.include_tests and is_test_file(relpath):
        return "test file: pytest collects it by name; pass --include-tests to split it"
    if name == "setup.py":
        return "setup.py is packaging code and is left alone"
    if name.endswith("_pb2.py"):
        return "generated protobuf module (_pb2.py); regenerate it instead"
    head = source.splitlines()[:GENERATED_HEAD_LINES]
    if any(GENERATED_MARKER in line for line in head):
        return f"generated file ({GENERATED_MARKER} marker); change its generator instead"
    return None


def read_head(path: Path, size: int = 4096) -> str:
    """The first bytes of a file as text, enough for the ``@generated`` check."""
    with open(path, "rb") as handle:
        return handle.read(size).decode("utf-8", errors="replace")


def split_candidates(paths: Iterable[Path], config: Config) -> list[Path]:
    """Big files that a run should split: those with no skip reason."""
    return [
        p for p in find_big_files(paths, config) if skip_reason(p, read_head(p), config) is None
    ]


def module_name_for(path: Path) -> tuple[str, Path]:
    """The dotted module name of a file and the folder that must be on sys.path to import it.

    Walks up while the parent folder has an ``__init__.py``: ``/r/pkg/big.py`` with
    ``/r/pkg/__init__.py`` gives ``("pkg.big", /r)``; ``/r/pkg/__init__.py`` gives ``("pkg", /r)``.
    """
    path = Path(path).resolve()
    folder = path.parent
    parts = [] if path.name == "__init__.py" else [path.stem]
    if path.name == "__init__.py":
        parts.append(folder.name)
        folder = folder.parent
    while (folder / "__init__.py").is_file() and folder != folder.parent:
        parts.append(folder.name)
        folder = folder.parent
    return ".".join(reversed(parts)), folder
