"""Dry-run output: what a real run would write, as a git-style patch.

``preview`` replays the after-split steps (ruff fix, context fixes) on a temporary copy of the
repository, so the patch holds exactly the bytes a real ``run --no-commit`` leaves behind;
``unified_patch`` turns original and new texts into a diff that ``git apply`` accepts.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import shutil
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from modularize.agents.core.config import Config
from modularize.orchestrator.options import RunOptions

# Never copied into the preview: git internals, our own state, environments, caches.
_SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".modularize",
        "__pycache__",
        "node_modules",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
    }
)


def _ignore(folder: str, names: list[str]) -> set[str]:
    here = Path(folder)
    return {n for n in names if n in _SKIP_DIRS or (here / n / "pyvenv.cfg").is_file()}


def preview(
    root: Path,
    changes: Mapping[str, str | None],
    options: RunOptions,
    config: Config,
    originals: Mapping[str, str] | None,
) -> dict[str, str | None]:
    """The final text of every changed file after the ruff and context-fix steps.

    ``changes`` maps root-relative POSIX paths to new text (None: deleted); ``originals`` maps
    paths to their text before the run (None: outside git, where no ``# noqa`` is added).
    """
    from modularize.orchestrator.commit import finalize

    with tempfile.TemporaryDirectory(prefix="modularize-preview-") as scratch:
        copy = Path(scratch) / root.name
        shutil.copytree(root, copy, symlinks=True, ignore=_ignore)
        for rel, text in changes.items():
            target = copy / rel
            if text is None:
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with target.open("w", encoding="utf-8", newline="") as handle:
                handle.write(text)
        written = [copy / rel for rel, text in changes.items() if text is not None]
        deleted = [copy / rel for rel, text in changes.items() if text is None]
        given = None if originals is None else {copy / r: t for r, t in originals.items()}
        quiet = dataclasses.replace(options, no_commit=True, dry_run=False)
        finalize(copy, written, deleted, quiet, config, "", originals=given)
        return {rel: None if text is None else _read(copy / rel) for rel, text in changes.items()}


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _blob_id(text: str) -> str:
    data = text.encode("utf-8")
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _mode(path: Path) -> str:
    try:
        executable = path.stat().st_mode & stat.S_IXUSR
    except OSError:
        return "100644"
    return "100755" if executable else "100644"


def _hunks(old: str, new: str, old_name: str, new_name: str) -> list[str]:
    lines = list(
        difflib.unified_diff(
            old.splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=old_name,
            tofile=new_name,
            lineterm="\n",
        )
    )
    out = []
    for line in lines:
        out.append(line)
        if not line.endswith("\n"):
            out[-1] = line + "\n\\ No newline at end of file\n"
    return out


def file_diff(rel: str, old: str | None, new: str | None, mode: str = "100644") -> str:
    """One file's section of a git patch: creation, deletion or modification."""
    header = [f"diff --git a/{rel} b/{rel}\n"]
    if old is None:
        header += [f"new file mode {mode}\n", f"index 0000000..{_blob_id(new or '')[:7]}\n"]
    elif new is None:
        header += [f"deleted file mode {mode}\n", f"index {_blob_id(old)[:7]}..0000000\n"]
    else:
        header += [f"index {_blob_id(old)[:7]}..{_blob_id(new)[:7]} {mode}\n"]
    old_name = "/dev/null" if old is None else f"a/{rel}"
    new_name = "/dev/null" if new is None else f"b/{rel}"
    body = _hunks(old or "", new or "", old_name, new_name)
    return "".join(header + body)


def unified_patch(root: Path, changes: Mapping[str, str | None]) -> str:
    """A patch for ``git apply`` (at ``root``) turning the current files into ``changes``."""
    sections = []
    for rel in sorted(changes):
        path = root / rel
        old = _read(path) if path.is_file() else None
        new = changes[rel]
        if old == new:
            continue
        sections.append(file_diff(rel, old, new, _mode(path) if old is not None else "100644"))
    return "".join(sections)
