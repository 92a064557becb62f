"""Observe a split: the original's and the package's import surface, and the user's
``--verify-cmd``. The engine's ``verify`` judges what is observed here.

The original and the split are each imported in a fresh fork of a clean interpreter that has
loaded nothing of the project (``snapshot_server``: one per process, reused across files),
where there is no fork in a fresh interpreter; the user's command runs in a shell."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from modularize.agents import snapshot_server
from modularize.agents.engine.snapshots import VALUE_FIELDS, unstable_doctests
from modularize.agents.snapshot_script import SNAPSHOT_SCRIPT, STAR_SCRIPT

SNAPSHOT_TIMEOUT = 60.0
# Every snapshot interpreter hashes strings alike: a set's order is the same in each import of
# the original and in the split's (forks share the seed of the server they come from).
SNAPSHOT_HASH_SEED = "1"


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
    """Import ``module`` in a fresh fork of a clean ``python``; describe every name it exposes.

    Returns ``{"names": {name: {"kind", "qualname", ...}}, "star": [names of import *],
    "doctests": [{"module", "test", "outcome"}]}`` (see snapshot_script.py); names in
    ``probe`` are looked up even when ``dir()`` does not list them (PEP 562 ``__getattr__``).
    Raises SnapshotError when the import fails or times out.
    """
    (snapshot,) = _snapshots(python, import_root, module, sorted(probe), 1, extra_path)
    return snapshot


def original_snapshot(
    python: str,
    import_root: str | Path,
    module: str,
    extra_path: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """The original's snapshot from one import, with nothing marked unstable.

    A split that matches it matches ``stable_snapshot``'s too (an unstable value is only ever
    left out of the comparison), so the second import is needed only when this one differs."""
    (snapshot,) = _snapshots(python, import_root, module, [], 1, extra_path)
    return {**snapshot, "unstable": [], "unstable_doctests": []}


def stable_snapshot(
    python: str,
    import_root: str | Path,
    module: str,
    extra_path: Sequence[str | Path] = (),
) -> dict[str, Any]:
    """The original's snapshot, taken twice at once: values that differ between two imports
    of the original itself (a uuid, the pid, a timestamp string, a doctest's outcome) are
    marked unstable and never compared with the split's. Taken when the split differs from
    ``original_snapshot``'s one import.

    One child of the snapshot server imports it twice, in itself and in a fork (two
    interpreters where there is no fork); the hash seed is the same for every snapshot, the
    split's included, so that the order of a set of strings is too."""
    if hasattr(os, "fork"):
        first, second = _snapshots(python, import_root, module, [], 2, extra_path)
    else:
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
    flaky = unstable_doctests(module, first, second)
    return {**first, "unstable": unstable, "unstable_doctests": flaky}


def _snapshots(
    python: str,
    import_root: str | Path,
    module: str,
    probe: list[str],
    count: int,
    extra_path: Sequence[str | Path],
) -> list[dict[str, Any]]:
    """``count`` snapshots of ``module`` from one process (the script forks for two)."""
    with tempfile.TemporaryDirectory(prefix="modularize-api-") as scratch:
        outs = [Path(scratch) / f"snapshot-{i}.json" for i in range(count)]
        argv = [module, json.dumps(probe), *map(str, outs)]
        return _run_script(python, import_root, SNAPSHOT_SCRIPT, argv, outs, module, extra_path)


def _run_script(
    python: str,
    import_root: str | Path,
    script: str,
    argv: list[str],
    outs: list[Path],
    module: str,
    extra_path: Sequence[str | Path],
) -> list[dict[str, Any]]:
    """Run ``script`` as ``python -c`` would, importing from ``import_root``: in a fork of
    the snapshot server (a clean interpreter), else in a fresh interpreter. Its results are
    the JSON it writes to ``outs``. It runs in a session of its own, so that a timeout stops
    it and whatever it forked or started."""
    paths = [str(import_root), *map(str, extra_path)]
    if os.environ.get("PYTHONPATH"):
        paths.append(os.environ["PYTHONPATH"])
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(paths),
        # no bytecode, not even under a PYTHONPYCACHEPREFIX of ours: the import system checks a
        # .pyc by its source's mtime in seconds and size, which a file we rewrite within the
        # second at the same length keeps, and the .pyc would serve the old code
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": SNAPSHOT_HASH_SEED,
    }
    project = tuple(os.path.abspath(p) for p in (import_root, *extra_path))
    cwd, stderr_file = project[0], os.path.abspath(_stderr_file(outs))
    request = snapshot_server.Request(
        script, tuple(argv), cwd, env["PYTHONPATH"], stderr_file, project
    )
    try:
        returncode = snapshot_server.run(python, env, request, SNAPSHOT_TIMEOUT)
        stderr = ""
        if returncode:
            with contextlib.suppress(OSError):
                stderr = Path(stderr_file).read_text(errors="replace")
    except snapshot_server.Unavailable:
        returncode, stderr = _run_fresh(python, import_root, script, argv, env)
    if returncode is None:
        if all(out.exists() for out in outs):  # the names were written, not the doctests
            return [_read_json(out) for out in outs]
        raise SnapshotError(f"importing {module} took over {SNAPSHOT_TIMEOUT:.0f}s")
    if returncode != 0 or not all(out.exists() for out in outs):
        tail = (stderr.strip().splitlines() or [f"exit code {returncode}"])[-1]
        raise SnapshotError(tail)
    return [_read_json(out) for out in outs]


def _stderr_file(outs: list[Path]) -> Path:
    return outs[0].with_name("stderr.txt")  # beside the results, in the caller's scratch


def _run_fresh(
    python: str, import_root: str | Path, script: str, argv: list[str], env: dict[str, str]
) -> tuple[int | None, str]:
    """Run the script in a fresh interpreter: (exit code or None after a timeout, stderr)."""
    try:
        proc = subprocess.Popen(
            [python, "-c", script, *argv],
            cwd=str(import_root),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            errors="replace",
            start_new_session=True,
        )
    except OSError as exc:
        raise SnapshotError(f"cannot run {python}: {exc}") from None
    with proc:
        try:
            _, stderr = proc.communicate(timeout=SNAPSHOT_TIMEOUT)
        except subprocess.TimeoutExpired:
            _stop_group(proc)
            return None, ""
        except BaseException:
            _stop_group(proc)
            raise
    return proc.returncode, stderr


def _read_json(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def star_import_names(
    python: str,
    import_root: str | Path,
    module: str,
    targets: Sequence[str],
    is_package: bool = False,
    extra_path: Sequence[str | Path] = (),
) -> dict[str, tuple[str, ...]]:
    """The names each ``from TARGET import *`` of ``module`` binds (TARGET as written, maybe
    relative), asked of the project's interpreter: the target's ``__all__``, else its public
    names. Targets that do not import are left out. Raises SnapshotError when nothing runs."""
    package = module if is_package else module.rpartition(".")[0]
    with tempfile.TemporaryDirectory(prefix="modularize-star-") as scratch:
        out = Path(scratch) / "names.json"
        argv = [str(out), package, json.dumps(list(targets))]
        (found,) = _run_script(python, import_root, STAR_SCRIPT, argv, [out], module, extra_path)
    return {t: tuple(names) for t, names in found.items() if isinstance(names, list)}


def run_verify_cmd(command: str, cwd: str | Path, timeout: float | None = None) -> str | None:
    """Run ``--verify-cmd`` in ``cwd``; None when it passes, else why (its last lines).

    The command runs in a session of its own, so that a timeout or an interrupt stops it and
    everything it started (a shell's children would otherwise keep the output pipe open)."""
    with subprocess.Popen(
        command,
        shell=True,
        cwd=str(cwd),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        errors="replace",
        start_new_session=True,
    ) as proc:
        try:
            output, _ = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop_group(proc)
            return f"--verify-cmd {command!r} did not finish within {timeout:.0f}s (stopped)"
        except BaseException:
            _stop_group(proc)
            raise
    if proc.returncode == 0:
        return None
    tail = " | ".join(output.strip().splitlines()[-5:])
    return f"--verify-cmd {command!r} failed (exit {proc.returncode}): {tail}"


def _stop_group(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # no process groups (Windows): the process alone
            proc.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.communicate(timeout=5)
