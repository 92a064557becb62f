"""The journal of a file replacement: a split cut short by a kill is finished or undone.

Every replacement announces itself in ``.NAME.modularize-journal`` next to the file before it
touches anything, and walks through these steps (``STEPS``; ``crash_point`` names them):

- ``journal``: the journal is written (state "writing", the original's SHA-256, the owner);
- ``backup``: a package ``__init__.py`` is copied whole to ``.__init__.py.modularize-bak``;
- ``temp``: the new package is written in a temporary folder and read back (a module split),
  or the new sibling modules are written (a package-init split);
- ``swap``: the temporary folder becomes ``big/``, or the new ``__init__.py`` replaces the old;
- ``verified``: the import check passed;
- ``committed``: the journal says "committed": from here on the split is the truth;
- ``original-deleted``: ``big.py`` (or the backup) is deleted;
- ``journal-cleared``: the journal is gone, the replacement is over.

Recovery of a journal whose owner is dead (``recover_stale``): "committed" finishes the job;
anything earlier first puts the original back (from the backup) and checks it byte for byte
against the journal, and only then removes the new package or modules. Temporary files carry
their owner's pid, and nothing a live process owns is touched.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import multiprocessing
import os
import shutil
import signal
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

TMP_TAG = ".modularize-tmp-"
JOURNAL_SUFFIX = ".modularize-journal"
BACKUP_SUFFIX = ".modularize-bak"
KILL_ENV = "MODULARIZE_TEST_KILL_AT"  # tests only: SIGKILL the run when it reaches this step
STEPS = (
    "journal",
    "backup",
    "temp",
    "swap",
    "verified",
    "committed",
    "original-deleted",
    "journal-cleared",
)


def crash_point(step: str) -> None:
    """Tests only: when ``$MODULARIZE_TEST_KILL_AT`` names ``step``, SIGKILL the whole run
    (the main process, then this one) as a power cut or the OOM killer would."""
    if os.environ.get(KILL_ENV) != step:
        return
    parent = multiprocessing.parent_process()
    if parent is not None and parent.pid:
        os.kill(parent.pid, signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)


# False inside ``scratch_writes``: what is written there is thrown away, crash or not.
_DURABLE: contextvars.ContextVar[bool] = contextvars.ContextVar("durable", default=True)


@contextlib.contextmanager
def scratch_writes() -> Iterator[None]:
    """Writes in this block go to a throwaway folder (a dry run's copy): nothing there has to
    survive a crash, so they are not flushed to the disk (about 250 fsyncs for 30 stdlib
    modules; seconds on a busy disk). Renames still make each file appear whole."""
    token = _DURABLE.set(False)
    try:
        yield
    finally:
        _DURABLE.reset(token)


def sync(fd: int) -> None:
    """Flush the file ``fd`` to the disk, unless inside ``scratch_writes``."""
    if _DURABLE.get():
        os.fsync(fd)


def fsync_dir(folder: Path) -> None:
    """Make a rename or delete in ``folder`` durable (where directories can be opened)."""
    if not _DURABLE.get():
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_synced(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` and flush it to the disk."""
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        sync(handle.fileno())


def temp_prefix(name: str) -> str:
    """The prefix of a temporary file or folder for ``name``, owned by this process."""
    return f".{name}{TMP_TAG}{os.getpid()}-"


def sha256_of(path: Path) -> str | None:
    """The SHA-256 of a file's bytes, None when it does not exist."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


class SignalDeferral:
    """Holds SIGINT and SIGTERM back while files are written, kept or restored, and lets them
    through (``allowed``) where an interrupt is safe, such as during verification."""

    def __init__(self, active: bool) -> None:
        self.active = active
        self._caught: list[int] = []
        self._saved: dict[int, Any] = {}

    def _catch(self, signum: int, frame: object) -> None:
        self._caught.append(signum)

    def hold(self) -> None:
        """From now on a signal is remembered, not acted on."""
        if self.active:
            self._saved = {sig: signal.signal(sig, self._catch) for sig in _DEFERRED}

    def release(self) -> None:
        """The old handlers again, and each remembered signal delivered to them once."""
        saved, self._saved = self._saved, {}
        for sig, handler in saved.items():
            signal.signal(sig, handler)
        pending, self._caught = dict.fromkeys(self._caught), []
        for sig in pending:
            _deliver(sig, saved[signal.Signals(sig)])

    @contextlib.contextmanager
    def allowed(self) -> Iterator[None]:
        """Signals act normally inside the block (one that waited is delivered first)."""
        self.release()
        try:
            yield
        finally:
            self.hold()


@contextlib.contextmanager
def deferred_signals() -> Iterator[SignalDeferral]:
    """SIGINT and SIGTERM wait until the block ends (a rollback or a commit is never cut in
    half by them; only SIGKILL can, and the journal covers that). Main thread only."""
    deferral = SignalDeferral(threading.current_thread() is threading.main_thread())
    deferral.hold()
    try:
        yield deferral
    finally:
        deferral.release()


_DEFERRED = (signal.SIGINT, signal.SIGTERM)


def _deliver(sig: int, handler: Any) -> None:
    if callable(handler):
        handler(sig, None)
    elif handler == signal.SIG_DFL:
        os.kill(os.getpid(), sig)


def journal_path(original: Path) -> Path:
    """Where the journal of a replacement of ``original`` lives."""
    return original.parent / f".{original.name}{JOURNAL_SUFFIX}"


def write_journal(original: Path, entry: dict[str, Any]) -> Path:
    """Write the journal in one step (a reader sees the old entry or the new, never half)."""
    journal = journal_path(original)
    tmp = journal.with_name(temp_prefix(journal.name) + "j")
    write_synced(tmp, json.dumps(entry).encode("utf-8"))
    os.replace(tmp, journal)
    fsync_dir(original.parent)
    return journal


def start_journal(original: Path, created: list[str], backup: Path | None) -> dict[str, Any]:
    """The first step of a replacement: what will be created, and whose it is (the entry)."""
    entry = {
        "original": original.name,
        "sha256": sha256_of(original),
        "created": created,
        "backup": backup.name if backup else None,
        "state": "writing",
        **owner(),
    }
    write_journal(original, entry)
    crash_point("journal")
    return entry


def owner() -> dict[str, Any]:
    """This process, as a journal names it: pid, host and start time (pids get reused)."""
    return {"pid": os.getpid(), "host": socket.gethostname(), "started": _start_time(os.getpid())}


def _start_time(pid: int) -> int | None:
    stat = _proc_stat(pid)
    return int(stat[19]) if stat else None  # field 22: start time in clock ticks


def _proc_stat(pid: int) -> list[str] | None:
    """The fields of ``/proc/PID/stat`` after the command name (Linux), None elsewhere."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` is running (a zombie nobody reaped has ended)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    stat = _proc_stat(pid)
    return stat is None or stat[0] not in ("Z", "X")


def owner_alive(entry: dict[str, Any]) -> bool:
    """Whether the process that wrote a journal may still be applying it (another run sharing
    the work): then it is not stale. Another host's process cannot be checked."""
    if entry.get("host") != socket.gethostname():
        return "host" in entry
    pid = entry.get("pid")
    if not isinstance(pid, int) or pid == os.getpid() or not process_alive(pid):
        return False
    started = entry.get("started")
    return started is None or started == _start_time(pid)


def sweep_temps(folder: Path) -> None:
    """Remove temporary files and folders in ``folder`` whose owner process is gone."""
    for entry in folder.iterdir() if folder.is_dir() else ():
        if not entry.name.startswith(".") or TMP_TAG not in entry.name:
            continue
        pid = entry.name.split(TMP_TAG, 1)[1].split("-", 1)[0]
        if pid.isdigit() and (int(pid) == os.getpid() or process_alive(int(pid))):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()


def finish(folder: Path, entry: dict[str, Any]) -> bool:
    """Carry a journal's replacement to its end: keep a committed split, or undo it.

    An undo restores the original first and removes new files only when the original is back
    byte for byte; False when it is not (nothing is removed then)."""
    original = folder / entry["original"]
    backup = folder / entry["backup"] if entry.get("backup") else None
    if entry.get("state") == "committed":
        with contextlib.suppress(FileNotFoundError):
            (backup or original).unlink()
        return True
    if backup is not None and backup.exists():
        os.replace(backup, original)  # written whole before the journal named it usable
        fsync_dir(folder)
    expected = entry.get("sha256")
    if not original.exists() or (expected and sha256_of(original) != expected):
        return False
    for name in entry.get("created", []):
        target = folder / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        else:
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
    return True


def read_journal(journal: Path) -> dict[str, Any] | None:
    """The journal's entry; None when it is gone or unreadable."""
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) and "original" in entry else None


def recover_stale(original: Path) -> bool:
    """Finish or undo a replacement of ``original`` that a killed process left half-done;
    True if it did. A journal whose process is still alive is left alone."""
    folder = original.parent
    sweep_temps(folder)
    journal = journal_path(original)
    entry = read_journal(journal)
    if entry is None or owner_alive(entry):
        return False
    with deferred_signals():
        if not finish(folder, entry):
            return False
        journal.unlink()
        fsync_dir(folder)
    return True


def recover_tree(root: Path) -> list[Path]:
    """Finish or undo every half-done replacement under ``root`` (journals of killed runs).

    A package-init split replaces ``__init__.py`` with a small one, so the file is no longer a
    candidate and its own run would never see the journal: a run calls this first.
    """
    from modularize.agents.core.discovery import SKIPPED_DIRS

    undone = []
    for folder, dirs, files in os.walk(root):
        if any(TMP_TAG in name for name in (*dirs, *files)):
            sweep_temps(Path(folder))
        dirs[:] = [
            d
            for d in dirs
            if d not in SKIPPED_DIRS
            and TMP_TAG not in d
            and not os.path.isfile(os.path.join(folder, d, "pyvenv.cfg"))
        ]
        for name in files:
            if name.startswith(".") and name.endswith(JOURNAL_SUFFIX):
                original = Path(folder) / name[1:].removesuffix(JOURNAL_SUFFIX)
                if recover_stale(original):
                    undone.append(original)
    return sorted(undone)
