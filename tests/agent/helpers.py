"""Build small real packages on disk and Tasks pointing at them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from modularize.agents.base import Task


def write_tree(root: Path, files: dict[str, str]) -> None:
    """Write ``{relative path: text}`` under ``root`` (text is dedented)."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")


def snapshot_tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (relative path -> bytes), to compare before/after."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def make_task(root: Path, path: str, module: str, **extra: object) -> Task:
    """A libcst Task for ``root/path`` importable from ``root``."""
    return Task(
        description=f"split {path}",
        subagent_type="libcst",
        prompt="",
        path=path,
        root=str(root),
        module=module,
        import_root=str(root),
        **extra,
    )
