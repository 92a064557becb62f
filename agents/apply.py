"""Safe writes: a split package appears atomically, and any failure restores the original.

The one module of the agent that writes into the user's tree. Each step of a replacement is
recorded in a journal next to the file first (``agents/journal.py``), so that a process killed
half-way (SIGKILL, power loss) is finished or undone by the next run, never half-applied.
Module split ``big.py -> big/``: the package is written into a temporary folder next to it,
read back, then renamed to ``big/`` in one step; ``big.py`` is removed only after verification.
Package-init split ``pkg/__init__.py``: a whole copy of it is kept; new siblings (with its file
mode) and the new ``__init__.py`` arrive via temporary files and ``os.replace``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from modularize.agents.core.source import encode_source
from modularize.agents.journal import (
    BACKUP_SUFFIX,
    crash_point,
    deferred_signals,
    finish,
    fsync_dir,
    journal_path,
    scratch_writes,
    start_journal,
    sync,
    temp_prefix,
    write_journal,
    write_synced,
)


def _via_temp(path: Path, fill: Callable[[Path], None]) -> None:
    """Make ``path`` in one step: ``fill`` writes a temporary file next to it, which then
    replaces it; a reader sees the old file or the new one, never a part."""
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path.name), dir=path.parent)
    os.close(fd)
    try:
        fill(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Replace ``path`` with ``data`` in one step: a reader sees the old or the new file.

    The file keeps its mode; a new one gets ``mode``, else what ``open`` would give it."""

    def fill(tmp: Path) -> None:
        write_synced(tmp, data)
        if path.exists():
            shutil.copymode(path, tmp)
        else:
            os.chmod(tmp, 0o666 & ~_umask() if mode is None else mode)

    _via_temp(path, fill)


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """``atomic_write_bytes`` of source text in its declared encoding."""
    atomic_write_bytes(Path(path), encode_source(text), mode)


@dataclasses.dataclass(frozen=True)
class Blocked:
    """A split that was not written: something in the way, ``reason`` says what to move."""

    reason: str


@dataclasses.dataclass(frozen=True)
class Applied:
    """A split written in place but not final yet: ``commit()`` keeps it, ``rollback()`` undoes.

    ``entry`` is the journal's record (what was created, the backup of a replaced
    ``__init__.py``); the journal stays until one of the two calls ends.
    """

    original: Path
    entry: dict[str, Any]

    @property
    def folder(self) -> Path:
        return self.original.parent

    def commit(self) -> None:
        """Keep the split (it passed verification): the journal says so first, then the
        original (or its copy) goes."""
        crash_point("verified")
        with deferred_signals():
            committed = {**self.entry, "state": "committed"}
            write_journal(self.original, committed)
            crash_point("committed")
            finish(self.folder, committed)
            crash_point("original-deleted")
            self._clear()
            crash_point("journal-cleared")

    def rollback(self) -> None:
        """Undo everything: the folder holds exactly what it held before, byte for byte."""
        with deferred_signals():
            if finish(self.folder, self.entry):
                self._clear()

    def _clear(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            journal_path(self.original).unlink()
        fsync_dir(self.folder)


def apply_split(
    original: Path, outputs: Mapping[PurePosixPath, str], verify: Callable[[], str | None]
) -> str | None:
    """Write the split of ``original`` (a module, or a package's ``__init__.py``) in place, run
    ``verify`` on it there, then keep it (None) or restore the original (why not).

    Signals wait while files are written, kept or restored, so the journal is the only thing
    a kill can leave; an interrupt during ``verify`` restores the original, then propagates.
    """
    write = write_init_split if original.name == "__init__.py" else write_module_split
    with deferred_signals() as deferral:
        applied = write(original, outputs)
        if isinstance(applied, Blocked):
            return applied.reason
        try:
            with deferral.allowed():
                reason = verify()
        except BaseException:
            applied.rollback()
            raise
        if reason:
            applied.rollback()
        else:
            applied.commit()
        return reason


def _write_tree(top: Path, outputs: Mapping[PurePosixPath, str]) -> None:
    for rel, text in sorted(outputs.items()):
        target = top.joinpath(*PurePosixPath(rel).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_synced(target, encode_source(text))
    for rel, text in outputs.items():  # read back: only a whole package may be swapped in
        if top.joinpath(*PurePosixPath(rel).parts).read_bytes() != encode_source(text):
            raise OSError(f"{rel} did not read back as written")
    for folder in sorted({p.parent for p in top.rglob("*")} | {top}, reverse=True):
        fsync_dir(folder)


def write_module_split(original: Path, outputs: Mapping[PurePosixPath, str]) -> Applied | Blocked:
    """Write ``big/`` next to ``big.py`` atomically (Blocked: nothing was written)."""
    folder, package = original.parent, original.parent / original.stem
    if package.exists() or package.is_symlink():
        return Blocked(
            f"{package.name}/ already exists next to {original.name}; move it away first"
        )
    applied = Applied(original, start_journal(original, [package.name], None))
    tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(original.stem), dir=folder))
    try:
        _write_tree(tmp, outputs)
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp makes 0700; a package dir is normally 0755
        crash_point("temp")
        os.rename(tmp, package)  # the package appears whole or not at all
        fsync_dir(folder)
        crash_point("swap")
    except BaseException:
        with deferred_signals():
            shutil.rmtree(tmp, ignore_errors=True)
            applied.rollback()
        raise
    return applied


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _keep_copy(original: Path, backup: Path) -> None:
    """A whole copy of ``original`` (bytes, mode, times) at ``backup``, or none at all."""

    def fill(tmp: Path) -> None:
        shutil.copy2(original, tmp)
        with open(tmp, "rb+") as handle:
            sync(handle.fileno())

    _via_temp(backup, fill)


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
    mode = stat.S_IMODE(original.stat().st_mode)  # new siblings look like the file they left
    applied = Applied(original, start_journal(original, created, backup))
    try:
        _keep_copy(original, backup)
        crash_point("backup")
        for rel in sorted(new):  # siblings first: the old __init__ does not use them
            target = folder.joinpath(*PurePosixPath(rel).parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(target, outputs[rel], mode)
        crash_point("temp")
        if PurePosixPath("__init__.py") in outputs:
            atomic_write_text(original, outputs[PurePosixPath("__init__.py")])
        crash_point("swap")
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

    Yields the copy's import root; everything in it is deleted on exit, and nothing written in
    it is flushed to the disk (``scratch_writes``). Nothing is written under ``import_root``.
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
        with scratch_writes():
            yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
