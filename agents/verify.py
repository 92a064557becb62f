"""Observe a split in fresh interpreters: the original's and the package's import surface,
and the user's ``--verify-cmd``. The engine's ``verify`` judges what is observed here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from modularize.agents.engine.verify import VALUE_FIELDS
from modularize.agents.snapshot_script import SNAPSHOT_SCRIPT

SNAPSHOT_TIMEOUT = 60.0


def choose_python(explicit: str | None, root: str | Path) -> str:
    """The interpreter that verifies imports: --python, the active venv, .venv, else ours."""
    if explicit:
        return explicit
    candidates = []
    if os.environ.get("VIRTUAL_ENV"):
        candidates.append(Path(os.environ["VIRTUAL_ENV"]) / "bin" / "python")
    candidates.append(Path(root) / ".venv" / "bin" / "python")
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return sys.executable


class SnapshotError(Exception):
    """The module did not import; the message is the last line of the traceback."""


def api_snapshot(
    python: str,
    import_root: str | Path,
    module: str,
    probe: Iterable[str] = (),
    extra_path: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """Import ``module`` in a fresh ``python`` and describe every name it exposes.

    Returns ``{"names": {name: {"kind", "qualname"}}, "star": [names of import *]}``; names in
    ``probe`` are looked up even when ``dir()`` does not list them (PEP 562 ``__getattr__``).
    Raises SnapshotError when the import fails or times out.
    """
    paths = [str(import_root), *map(str, extra_path)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="modularize-api-") as scratch:
        out = Path(scratch) / "snapshot.json"
        argv = [python, "-c", SNAPSHOT_SCRIPT, str(out), module, json.dumps(sorted(probe))]
        try:
            done = subprocess.run(
                argv,
                cwd=str(import_root),
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=SNAPSHOT_TIMEOUT,
                errors="replace",
            )
        except subprocess.TimeoutExpired:
            raise SnapshotError(f"importing {module} took over {SNAPSHOT_TIMEOUT:.0f}s") from None
        except OSError as exc:
            raise SnapshotError(f"cannot run {python}: {exc}") from None
        if done.returncode != 0 or not out.exists():
            tail = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
            raise SnapshotError(tail)
        return json.loads(out.read_text(encoding="utf-8"))


def stable_snapshot(
    python: str,
    import_root: str | Path,
    module: str,
    extra_path: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """The original's snapshot, taken twice at once: values that differ between two imports
    of the original itself (a uuid, the pid, a timestamp string) are marked unstable and never
    compared with the split's."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:  # two processes: the threads only wait for them
        first, second = pool.map(
            lambda _: api_snapshot(python, import_root, module, extra_path=extra_path), (1, 2)
        )
    unstable = sorted(
        name
        for name, entry in first["names"].items()
        if any(entry.get(f) != second["names"].get(name, {}).get(f) for f in VALUE_FIELDS)
    )
    members = second.get("members", {})  # classes whose members differ between two imports
    unstable += sorted(c for c, m in first.get("members", {}).items() if members.get(c) != m)
    return {**first, "unstable": unstable}


def run_verify_cmd(command: str, cwd: str | Path, timeout: float | None = None) -> str | None:
    """Run ``--verify-cmd`` in ``cwd``; None when it passes, else why (its last lines)."""
    try:
        done = subprocess.run(
            command,
            shell=True,
            cwd=str(cwd),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            errors="replace",
        )
    except subprocess.TimeoutExpired:
        return f"--verify-cmd {command!r} did not finish within {timeout:.0f}s"
    if done.returncode == 0:
        return None
    tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-5:])
    return f"--verify-cmd {command!r} failed (exit {done.returncode}): {tail}"
