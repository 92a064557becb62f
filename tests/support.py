"""Helpers every test area shares: real git, files on disk, and modules over the limit."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path


def git(cwd: Path, *args: str) -> str:
    """Run real git in ``cwd`` and return its stdout; a git error fails the test."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


def write(path: Path, text: str | bytes) -> Path:
    """Write ``text`` (or bytes, exactly) to ``path``, creating its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def make_repo(root: Path, files: Mapping[str, str] | None = None, *, commit: bool = True) -> Path:
    """A git repository on ``main`` with its own identity, holding ``files`` (relative path ->
    text), committed unless ``commit`` is False."""
    root.mkdir(parents=True, exist_ok=True)
    for name, text in (files or {}).items():
        write(root / name, text)
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test User")
    git(root, "config", "user.email", "test@example.com")
    git(root, "config", "commit.gpgsign", "false")
    if commit:
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
    return root


def big_source(functions: int = 100, *, extra: str = "", prefix: str = "handler") -> str:
    """A plausible module of ``5 * functions`` lines (plus ``extra``), every function small:
    over the limit as a file, with nothing in it over the limit by itself."""
    body = "".join(
        f"def {prefix}_{i}(event):\n    value = event.get({i!r}, 0)\n    return value * 2\n\n\n"
        for i in range(functions)
    )
    return '"""Generated for a test."""\n' + extra + body


def alive(pid: int) -> bool:
    """The process is running (a zombie, ended but not waited for, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"
