"""Safe writes: a split package appears atomically, and any failure restores the original.

The one module of the agent that writes into the user's tree. Every change is announced in a
journal file next to it before it is made, so that a process killed half-way (SIGKILL, power
loss) is undone by the next run (``recover_stale``) instead of leaving a half-applied split.
Module split ``big.py -> big/``: the package is written into ``.big.modularize-tmp-XXXX/`` in
the same folder, fsynced, then renamed to ``big/`` in one step; ``big.py`` is removed only
after verification. Package-init split ``pkg/__init__.py``: new siblings and the new
``__init__.py`` arrive via temp files and ``os.replace``; a byte copy of the old one is kept.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import signal
import socket
import tempfile
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

from modularize.agents.core.source import encode_source

TMP_TAG = ".modularize-tmp-"
JOURNAL_SUFFIX = ".modularize-journal"
BACKUP_SUFFIX = ".modularize-bak"


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every platform lets a directory be opened
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: a reader sees the old or the new file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}{TMP_TAG}", dir=path.parent)
    os.close(fd)
    try:
        _write_synced(Path(tmp), data)
        if path.exists():
            shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    """``atomic_write_bytes`` of source text in its declared encoding."""
    atomic_write_bytes(Path(path), encode_source(text))


@dataclasses.dataclass(frozen=True)
class Blocked:
    """A split that was not written: something in the way, ``reason`` says what to move."""

    reason: str


@dataclasses.dataclass(frozen=True)
class Applied:
    """A split written in place but not final yet: ``commit()`` keeps it, ``rollback()`` undoes.

    ``created`` are names in ``folder`` that did not exist before; ``backup`` is the byte copy
    of a replaced ``__init__.py``. The journal lists both until one of the two calls ends.
    """

    original: Path
    folder: Path
    created: list[str]
    backup: Path | None
    journal: Path

    def commit(self) -> None:
        """Keep the split: drop the original module (module splits) and the journal."""
        if self.backup is None:
            self.original.unlink()
        else:
            self.backup.unlink()
        self.journal.unlink()
        _fsync_dir(self.folder)

    def rollback(self) -> None:
        """Undo everything: the folder holds exactly what it held before, byte for byte."""
        _undo(self.folder, self.created, self.backup, self.original)
        with contextlib.suppress(FileNotFoundError):
            self.journal.unlink()
        _fsync_dir(self.folder)


def _undo(folder: Path, created: list[str], backup: Path | None, original: Path) -> None:
    if backup is not None and backup.exists():
        os.replace(backup, original)  # the copy kept every byte and the mode (copy2)
    for name in created:
        target = folder / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()


def _journal_path(original: Path) -> Path:
    return original.parent / f".{original.name}{JOURNAL_SUFFIX}"


def _start_journal(original: Path, created: list[str], backup: Path | None) -> Path:
    journal = _journal_path(original)
    entry = {
        "original": original.name,
        "created": created,
        "backup": backup.name if backup else None,
        "pid": os.getpid(),
        "host": socket.gethostname(),
    }
    _write_synced(journal, json.dumps(entry).encode("utf-8"))
    _fsync_dir(original.parent)
    return journal


def _still_running(entry: dict[str, object]) -> bool:
    """Whether the process that wrote a journal may still be applying it (another run
    sharing the work): then it is not stale. Another host's process cannot be checked."""
    if entry.get("host") != socket.gethostname():
        return "host" in entry
    pid = entry.get("pid")
    if not isinstance(pid, int) or pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover_stale(original: Path) -> bool:
    """Undo a split of ``original`` that a killed process left half-done; True if it did.

    A journal whose process is still alive belongs to a concurrent run and is left alone."""
    folder = original.parent
    for leftover in folder.glob(f".{original.stem}{TMP_TAG}*"):
        shutil.rmtree(leftover, ignore_errors=True)
    journal = _journal_path(original)
    if not journal.exists():
        return False
    entry = json.loads(journal.read_text(encoding="utf-8"))
    if _still_running(entry):
        return False
    backup = folder / entry["backup"] if entry.get("backup") else None
    _undo(folder, list(entry.get("created", [])), backup, original)
    journal.unlink()
    _fsync_dir(folder)
    return True


def recover_tree(root: Path) -> list[Path]:
    """Undo every half-done split under ``root`` (journals left by killed runs).

    A package-init split replaces ``__init__.py`` with a small one, so the file is no longer a
    candidate and its own run would never see the journal: a run calls this first.
    """
    from modularize.agents.core.discovery import SKIPPED_DIRS

    undone = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [
            d
            for d in dirs
            if d not in SKIPPED_DIRS and not os.path.isfile(os.path.join(folder, d, "pyvenv.cfg"))
        ]
        for name in files:
            if name.startswith(".") and name.endswith(JOURNAL_SUFFIX):
                original = Path(folder) / name[1:].removesuffix(JOURNAL_SUFFIX)
                if recover_stale(original):
                    undone.append(original)
    return sorted(undone)


def _write_tree(top: Path, outputs: Mapping[PurePosixPath, str]) -> None:
    for rel, text in sorted(outputs.items()):
        target = top.joinpath(*PurePosixPath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_synced(target, encode_source(text))
    for folder in sorted({p.parent for p in top.rglob("*")} | {top}, reverse=True):
        _fsync_dir(folder)


def write_module_split(original: Path, outputs: Mapping[PurePosixPath, str]) -> Applied | Blocked:
    """Write ``big/`` next to ``big.py`` atomically (Blocked: nothing was written)."""
    folder, package = original.parent, original.parent / original.stem
    if package.exists() or package.is_symlink():
        return Blocked(
            f"{package.name}/ already exists next to {original.name}; move it away first"
        )
    journal = _start_journal(original, [package.name], None)
    applied = Applied(original, folder, [package.name], None, journal)
    tmp = Path(tempfile.mkdtemp(prefix=f".{original.stem}{TMP_TAG}", dir=folder))
    try:
        _write_tree(tmp, outputs)
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; a package dir is normally 0755
        os.rename(tmp, package)  # the package appears whole or not at all
        _fsync_dir(folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        applied.rollback()
        raise
    return applied


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_init_split(original: Path, outputs: Mapping[PurePosixPath, str]) -> Applied | Blocked:
    """Write new modules next to ``pkg/__init__.py`` and replace it; keep a copy for rollback
    (Blocked: nothing was written)."""
    folder = original.parent
    new = [rel for rel in outputs if str(rel) != "__init__.py"]
    clash = [str(rel) for rel in new if (folder / PurePosixPath(rel).parts[0]).exists()]
    if clash:
        names = ", ".join(sorted(clash))
        return Blocked(f"{names} already exist(s) in {folder.name}/; rename it first")
    created = sorted({PurePosixPath(rel).parts[0] for rel in new})
    backup = folder / f".{original.name}{BACKUP_SUFFIX}"
    shutil.copy2(original, backup)
    journal = _start_journal(original, created, backup)
    applied = Applied(original, folder, created, backup, journal)
    try:
        for rel in sorted(new):  # siblings first: the old __init__ does not use them
            target = folder.joinpath(*PurePosixPath(rel).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(target, outputs[rel])
        if PurePosixPath("__init__.py") in outputs:
            atomic_write_text(original, outputs[PurePosixPath("__init__.py")])
    except BaseException:
        applied.rollback()
        raise
    return applied


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """While writing and verifying, SIGTERM raises KeyboardInterrupt so the rollback runs.

    Only when nobody else handles SIGTERM (its default would kill the process mid-swap) and
    only in the main thread, where Python delivers signals; the old handler comes back after.
    """
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def dry_run_copy(import_root: Path, module: str) -> Iterator[Path]:
    """A throwaway copy of the top-level package (or module) holding ``module``.

    Yields the copy's import root; everything in it is deleted on exit. Nothing is written
    under ``import_root``.
    """
    top = module.split(".")[0]
    scratch = Path(tempfile.mkdtemp(prefix="modularize-dry-"))
    try:
        source = Path(import_root) / top
        if source.is_dir():
            shutil.copytree(
                source,
                scratch / top,
                symlinks=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )
        else:
            shutil.copy2(source.with_name(f"{top}.py"), scratch / f"{top}.py")
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
