"""The project's own type checker, when it has one: a split must not add mypy errors.

Runs only when the project configures mypy (``[tool.mypy]`` in pyproject.toml, a ``mypy.ini``
or ``.mypy.ini``, a ``[mypy]`` section in setup.cfg) and its interpreter can run it; the run's
``--no-mypy`` turns it off. Errors are counted in the split files only (imports followed
silently), before and after, with the project's configuration.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

MYPY_TIMEOUT = 300.0
_ERROR = re.compile(r"^(?P<path>[^:\n]+):\d+:(?:\d+:)? error: ", re.MULTILINE)


_PROJECT_ROOTS = ("pyproject.toml", "setup.cfg", "setup.py", ".git")


def mypy_config(start: Path) -> Path | None:
    """The file configuring mypy for ``start``'s project, or None. The search stops at the
    project's root (the first folder with a pyproject.toml, setup.cfg, setup.py or .git): a
    configuration further up belongs to another project."""
    here = start.resolve()
    for folder in (here, *here.parents):
        for name in ("mypy.ini", ".mypy.ini"):
            if (folder / name).is_file():
                return folder / name
        for name, section in (("pyproject.toml", "[tool.mypy]"), ("setup.cfg", "[mypy]")):
            path = folder / name
            if path.is_file() and section in path.read_text(encoding="utf-8", errors="replace"):
                return path
        if any((folder / name).exists() for name in _PROJECT_ROOTS):
            return None
    return None


def mypy_errors(python: str, config: Path, paths: Sequence[Path]) -> list[str] | None:
    """mypy's error lines for ``paths`` (None: this interpreter has no mypy, or it crashed)."""
    argv = [python, "-m", "mypy", "--config-file", str(config), "--follow-imports=silent"]
    argv += ["--no-incremental", "--no-error-summary", "--hide-error-context"]
    try:
        done = subprocess.run(
            [*argv, *map(str, paths)],
            cwd=str(config.parent),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=MYPY_TIMEOUT,
            errors="replace",
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode not in (0, 1) or "No module named mypy" in done.stderr:
        return None
    return [m.group(0) + _rest(done.stdout, m.end()) for m in _ERROR.finditer(done.stdout)]


def _rest(text: str, start: int) -> str:
    end = text.find("\n", start)
    return text[start : end if end >= 0 else len(text)]


def added_errors(before: list[str] | None, after: list[str] | None) -> str | None:
    """Why a split is refused: it adds mypy errors (None: it does not, or mypy did not run)."""
    if before is None or after is None or len(after) <= len(before):
        return None
    first = after[0] if len(after[0]) <= 160 else after[0][:157] + "..."
    return f"mypy: {len(before)} errors before the split, {len(after)} after (e.g. {first})"
