"""Configuration: defaults, ``[tool.modularize]`` in the nearest pyproject.toml, then flags.

Command-line flags win over the file; the file wins over the defaults. Unknown keys are an
error naming the key, so a typo never silently falls back to a default.
"""

from __future__ import annotations

import dataclasses
import enum
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from modularize.agents.core.errors import UsageError

if sys.version_info >= (3, 11):
    import tomllib as tomllib  # re-exported: the one TOML reader of every layer
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

VERIFY_TIMEOUT = 600.0  # seconds --verify-cmd may take before it is stopped (--verify-timeout)


class Compat(str, enum.Enum):
    """How much of the old module's behaviour the package's ``__init__.py`` reproduces."""

    # plain re-exports of what the original defined, plus machinery only where the repository
    # needs it (names rebound with ``global``, names the repository assigns on the package)
    MINIMAL = "minimal"
    # the whole layer: every import re-exported, ``__module__`` kept, assignments forwarded
    FULL = "full"


DEFAULT_BUDGETS: Mapping[str, int] = {
    "base": 200,
    "manager": 400,
    "strategies": 300,
    "handlers": 300,
    "utils": 200,
}


@dataclasses.dataclass(frozen=True)
class ClaudeSettings:
    model: str = "claude-sonnet-4-6"
    max_tokens: int = 4096
    timeout: float = 60.0
    send_source: bool = False
    failure_threshold: int = 5
    cooldown: float = 60.0
    max_attempts: int = 3
    backoff: float = 1.0  # seconds before the first retry; doubles per attempt, with jitter


@dataclasses.dataclass(frozen=True)
class Config:
    """Everything a command needs to know, frozen and picklable (it crosses into workers)."""

    threshold: int = 400
    exclude: tuple[str, ...] = ()
    parallel: int = 1
    budgets: Mapping[str, int] = dataclasses.field(default_factory=lambda: dict(DEFAULT_BUDGETS))
    state: str | None = None
    agent: str = "libcst"
    include_tests: bool = False
    keep_logger_names: bool = True
    compat: Compat = Compat.MINIMAL
    mypy: bool = True  # verification runs mypy when the project configures it
    claude: ClaudeSettings = dataclasses.field(default_factory=ClaudeSettings)
    pyproject: Path | None = None  # the file the settings came from, if any

    def with_overrides(self, **flags: Any) -> Config:
        """Return a copy with every flag that was actually given (not None) applied."""
        given = {k: v for k, v in flags.items() if v is not None}
        claude_keys = {f.name for f in dataclasses.fields(ClaudeSettings)}
        claude = {
            k.removeprefix("claude_"): given.pop(k)
            for k in list(given)
            if k.startswith("claude_") and k.removeprefix("claude_") in claude_keys
        }
        cfg = dataclasses.replace(self, **given)
        if claude:
            cfg = dataclasses.replace(cfg, claude=dataclasses.replace(cfg.claude, **claude))
        return cfg


_SIMPLE_KEYS: Mapping[str, type | tuple[type, ...]] = {
    "threshold": int,
    "exclude": list,
    "parallel": int,
    "budgets": dict,
    "state": str,
    "agent": str,
    "include_tests": bool,
    "keep_logger_names": bool,
    "compat": str,
    "mypy": bool,
    "claude": dict,
}


def find_pyproject(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above ``start`` (a file or a directory)."""
    here = start.resolve()
    if here.is_file():
        here = here.parent
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_config(start: Path) -> Config:
    """Defaults overlaid with ``[tool.modularize]`` from the nearest pyproject.toml."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        return Config()
    try:
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{pyproject}: cannot read it: {exc}") from None
    table = data.get("tool", {}).get("modularize", {})
    return config_from_table(table, pyproject)


def config_from_table(table: Mapping[str, Any], source: Path) -> Config:
    """Validate a ``[tool.modularize]`` table; any unknown key or wrong type is an error."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        expected = _SIMPLE_KEYS.get(name)
        if expected is None:
            raise UsageError(f"{source}: unknown key {key!r} in [tool.modularize]")
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise UsageError(f"{source}: [tool.modularize] {key} has the wrong type")
        values[name] = value
    if "exclude" in values:
        from modularize.agents.core.discovery import anchor_glob

        # Globs in the file are relative to the file's folder, wherever the command runs.
        values["exclude"] = tuple(anchor_glob(str(g), source.parent) for g in values["exclude"])
    if "budgets" in values:
        values["budgets"] = _budgets(values["budgets"], source)
    if "claude" in values:
        values["claude"] = _claude(values["claude"], source)
    if "compat" in values:
        values["compat"] = parse_compat(values["compat"], f"{source}: [tool.modularize] compat")
    _check_positive(values, source)
    return dataclasses.replace(Config(), pyproject=source, **values)


def _budgets(table: Mapping[str, Any], source: Path) -> dict[str, int]:
    budgets = dict(DEFAULT_BUDGETS)
    for role, limit in table.items():
        if role not in DEFAULT_BUDGETS:
            raise UsageError(f"{source}: unknown key {role!r} in [tool.modularize.budgets]")
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 20:
            raise UsageError(f"{source}: budget for {role!r} must be a whole number >= 20")
        budgets[role] = limit
    return budgets


def _claude(table: Mapping[str, Any], source: Path) -> ClaudeSettings:
    fields = {f.name: f for f in dataclasses.fields(ClaudeSettings)}
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = key.replace("-", "_")
        if name not in fields:
            raise UsageError(f"{source}: unknown key {key!r} in [tool.modularize.claude]")
        values[name] = value
    try:
        return ClaudeSettings(**values)
    except TypeError as exc:  # pragma: no cover - dataclass signature mismatch
        raise UsageError(f"{source}: [tool.modularize.claude]: {exc}") from None


def _check_positive(values: Mapping[str, Any], source: Path) -> None:
    for key in ("threshold", "parallel"):
        if key in values and values[key] < 1:
            raise UsageError(f"{source}: [tool.modularize] {key} must be at least 1")


def parse_compat(value: str, where: str) -> Compat:
    """``minimal`` or ``full``; anything else is a usage error naming ``where``."""
    try:
        return Compat(value)
    except ValueError:
        choices = ", ".join(c.value for c in Compat)
        raise UsageError(f"{where}: expected one of {choices}, not {value!r}") from None
