"""Single-module distributions: a top-level ``big.py`` that packaging installs as one file.

Splitting it into the package ``big/`` would leave the package out of the built wheel, so the
split is refused with the place to change (``py_modules``/``py-modules``, flit's module, a
hatch ``include`` naming the file) until the project lists it as a package.
"""

from __future__ import annotations

import re
from pathlib import Path

_FILES = ("setup.py", "setup.cfg", "pyproject.toml")


def single_module_blocker(module: str, folders: tuple[Path, ...]) -> str | None:
    """Why splitting top-level ``module`` would break its distribution, or None."""
    if "." in module:
        return None
    for folder in dict.fromkeys(folders):
        for name in _FILES:
            path = folder / name
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            how = _how_listed(module, text)
            if how:
                return (
                    f"{path.name} installs {module} as a single-file module ({how}); as the "
                    f"package {module}/ it would be left out of the wheel: list {module} as a "
                    "package there, then run again"
                )
    return None


def _how_listed(module: str, text: str) -> str:
    named = re.compile(rf"""["']?\b{re.escape(module)}\b(\.py)?["']?""")
    for key in ("py_modules", "py-modules"):
        at = text.find(key)
        if at >= 0 and named.search(text, at, at + 300):
            return key
    if "flit_core" in text and re.search(
        rf"""(?m)^\s*name\s*=\s*["']{re.escape(module)}["']""", text
    ):
        return "a flit module"
    if "hatchling" in text and re.search(rf"""["']/?{re.escape(module)}\.py["']""", text):
        return "a hatch include of the file"
    return ""
