"""Test helpers: write an original module and its split into temp dirs, run the same probe."""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import io
import os
import subprocess
import sys
import textwrap
import traceback
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


def run_here(root: Path, probe: str) -> str:
    """What ``run(root, "-c", probe)`` prints, from this interpreter: ``root`` first on the
    path, and the modules the probe imported from ``root`` forgotten afterwards (``pkg`` is
    imported fresh by each probe, the original's and the split's alike). Much cheaper than a
    process, for probes that need no fresh interpreter (no ``-m``, no interpreter flags)."""
    assert "pkg" not in sys.modules, "a probe would see another tree's package"
    saved_path, saved_modules = list(sys.path), set(sys.modules)
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    out, code = io.StringIO(), 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            exec(compile(probe, "<string>", "exec"), {"__name__": "__main__"})
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # noqa: BLE001 - the probe's failure is its output
        out.write("".join(traceback.format_exception_only(type(exc), exc)))
        code = 1
    finally:
        sys.path[:] = saved_path
        # judged before any is removed: a namespace package's __path__ asks for its parent
        loaded = [n for n in set(sys.modules) - saved_modules if _loaded_from(root, sys.modules[n])]
        for name in loaded:
            del sys.modules[name]
    return out.getvalue().replace(str(root), "<root>") + f"rc={code}"


def _loaded_from(root: Path, module: object) -> bool:
    places = [getattr(module, "__file__", None) or "", *getattr(module, "__path__", [])]
    return any(str(place).startswith(str(root)) for place in places)


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
    return run_here(tmp_path / "before", probe), run_here(tmp_path / "after", probe), files
