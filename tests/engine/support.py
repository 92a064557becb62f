"""Test helpers: write an original module and its split into temp dirs, run the same probe."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from modularize.agents.core.config import Compat
from modularize.agents.engine import EngineConfig, plan_split, split

SMALL = EngineConfig(
    module="pkg.big",
    threshold=30,
    budgets={"base": 25, "manager": 30, "strategies": 25, "handlers": 25, "utils": 25},
)


# the whole compatibility layer of ``--compat full``
FULL = dataclasses.replace(SMALL, compat=Compat.FULL)


def dedent(text: str) -> str:
    """Source text of a test case."""
    return textwrap.dedent(text).lstrip("\n")


def write_original(root: Path, source: str, extra: dict[str, str] | None = None) -> None:
    """``root/pkg/big.py`` plus ``pkg/__init__.py`` and any extra files of the package."""
    (root / "pkg").mkdir(parents=True)
    (root / "pkg" / "__init__.py").write_text("")
    (root / "pkg" / "big.py").write_text(source)
    for name, text in (extra or {}).items():
        (root / "pkg" / name).write_text(text)


def write_split(
    root: Path, source: str, config: EngineConfig = SMALL, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """The split of ``source`` written as ``root/pkg/big/``; returns {file name: text}."""
    write_original(root, "", extra)
    (root / "pkg" / "big.py").unlink()
    files = split(source, plan_split(source, config), config)
    (root / "pkg" / "big").mkdir()
    for path, text in files.items():
        (root / "pkg" / "big" / str(path)).write_text(text)
    return {str(p): t for p, t in files.items()}


def run(root: Path, *args: str) -> str:
    """stdout+stderr of ``python *args`` run in ``root`` (exit status appended)."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, *args],
        cwd=root,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    return proc.stdout.replace(str(root), "<root>") + proc.stderr[-2000:] + f"rc={proc.returncode}"


def before_after(
    tmp_path: Path,
    source: str,
    probe: str,
    config: EngineConfig = SMALL,
    extra: dict[str, str] | None = None,
) -> tuple[str, str, dict[str, str]]:
    """Output of ``probe`` against the original and against the split package; the probe is
    the repository's code that uses the module (its uses go to the engine, as a run's scan
    of the repository would)."""
    from modularize.agents.repo_uses import uses_in_python

    config = dataclasses.replace(config, uses=uses_in_python(dedent(probe), config.module))
    write_original(tmp_path / "before", source, extra)
    files = write_split(tmp_path / "after", source, config, extra)
    probe = dedent(probe)
    return run(tmp_path / "before", "-c", probe), run(tmp_path / "after", "-c", probe), files
