"""Everything that runs ruff: which configuration applies, fixing, formatting, checking.

The only module that starts ruff. The binary comes from the ``ruff`` package
(``ruff.find_ruff_bin()``), falling back to ``python -m ruff``.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from modularize.agents.core.config import tomllib
from modularize.agents.core.errors import ExitCode, ModularizeError

DEFAULT_SELECT = "F,E9"  # the floor when the repository has no ruff configuration of its own
_CONFIG_FILES = ("ruff.toml", ".ruff.toml")
_RUFF_HOOK = re.compile(r"""^\s*-?\s*id:\s*["']?(ruff(?:-check|-format)?)["']?\s*$""", re.MULTILINE)
_RULE_CODE = re.compile(r"^[A-Z]+[0-9]+$")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # ruff's idea of a line: no \f split
_NOQA = re.compile(r"#\s*noqa(?P<codes>:\s*[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)?", re.IGNORECASE)


@dataclasses.dataclass(frozen=True)
class RuffSettings:
    """How ruff should run in one repository."""

    own_config: bool  # the repository configures ruff itself: use that, and its excludes
    format: bool  # the repository already formats with ruff
    hook: bool  # a pre-commit hook runs ruff, so its findings would stop a commit

    def check_args(self) -> list[str]:
        """Arguments choosing the rule set: the repository's, or an isolated default."""
        if self.own_config:
            return ["--force-exclude"]
        # --isolated: a user-level ruff.toml must not leak into a repository that has none.
        if self.hook:  # the hook runs ruff's defaults (a superset of F,E9): match what it checks
            return ["--isolated"]
        return ["--isolated", "--select", DEFAULT_SELECT]


@dataclasses.dataclass(frozen=True)
class Diagnostic:
    """One ruff finding; ``noqa_row`` is the line where a ``# noqa`` for it must go."""

    path: Path
    row: int
    noqa_row: int
    code: str | None
    message: str

    @property
    def suppressible(self) -> bool:
        """Syntax errors have no rule code and no ``# noqa`` can hide them."""
        return self.code is not None and bool(_RULE_CODE.match(self.code))


def ruff_command() -> list[str]:
    """The ruff executable shipped with the ``ruff`` package, else ``python -m ruff``."""
    try:
        from ruff import find_ruff_bin

        return [str(find_ruff_bin())]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "ruff"]


def detect_settings(top: Path, files: Iterable[Path]) -> RuffSettings:
    """Look between each file and ``top`` for ruff configuration and for a ruff pre-commit hook."""
    folders: set[Path] = set()
    for file in files:
        for folder in file.resolve().parents:
            folders.add(folder)
            if folder == top:
                break
    folders.add(top)
    tables = [t for t in (_ruff_table(f) for f in sorted(folders)) if t is not None]
    hooks = _ruff_hooks(top / ".pre-commit-config.yaml")
    uses_format = any("format" in t for t in tables) or "ruff-format" in hooks
    return RuffSettings(own_config=bool(tables), format=uses_format, hook=bool(hooks))


def _ruff_table(folder: Path) -> dict[str, object] | None:
    """The ruff settings in ``folder`` (ruff.toml, .ruff.toml, or pyproject's [tool.ruff])."""
    for name in _CONFIG_FILES:
        if (folder / name).is_file():
            return _read_toml(folder / name)
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file():
        table = _read_toml(pyproject).get("tool", {})
        ruff = table.get("ruff") if isinstance(table, dict) else None
        return ruff if isinstance(ruff, dict) else None
    return None


def _read_toml(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ModularizeError(f"{path}: cannot read it: {exc}") from None


def _ruff_hooks(config: Path) -> set[str]:
    """Ids of ruff hooks in a pre-commit configuration (a scan of the text: no YAML needed)."""
    try:
        return set(_RUFF_HOOK.findall(config.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError):
        return set()


def _run(top: Path, args: Sequence[str], stdin: str | None = None) -> str:
    argv = [*ruff_command(), *args]
    try:
        proc = subprocess.run(
            argv, cwd=top, input=stdin, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise ModularizeError(f"cannot start ruff: {exc}", ExitCode.FINDINGS) from None
    if proc.returncode not in (0, 1):  # 1 only means findings remain
        detail = proc.stderr.strip() or proc.stdout.strip()
        raise ModularizeError(f"ruff {args[0]} failed: {detail}", ExitCode.FINDINGS)
    return proc.stdout


def check(
    top: Path,
    files: Sequence[Path],
    settings: RuffSettings,
    *,
    fix: bool = False,
    fixable: Sequence[str] = (),
) -> list[Diagnostic]:
    """``ruff check`` (with ``--fix`` if asked, of the ``fixable`` rules only when given) on
    ``files``; returns what remains."""
    if not files:
        return []
    args = ["check", "--no-cache", "--output-format", "json", *settings.check_args()]
    # Explicit either way: a project's own `fix = true` must not turn a report into an edit.
    args.append("--fix" if fix else "--no-fix")
    if fix and fixable:
        args += ["--fixable", ",".join(fixable)]
    out = _run(top, [*args, "--", *(str(f) for f in files)])
    return _parse(out, top)


def check_text(top: Path, text: str, filename: Path, settings: RuffSettings) -> list[Diagnostic]:
    """``ruff check`` on source text that is no longer on disk, as if it lived at ``filename``."""
    # --no-fix: with the project's `fix = true`, ruff would print the fixed source, not JSON.
    args = [
        "check",
        "--no-cache",
        "--no-fix",
        "--output-format",
        "json",
        *settings.check_args(),
        "--stdin-filename",
        str(filename),
        "-",
    ]
    return _parse(_run(top, args, stdin=text), top)


def format_files(top: Path, files: Sequence[Path], settings: RuffSettings) -> list[str]:
    """``ruff format`` on ``files``; returns ruff's complaints (e.g. a file it cannot parse)."""
    if not files or not settings.format:
        return []
    extra = ["--force-exclude"] if settings.own_config else ["--isolated"]
    argv = [*ruff_command(), "format", "--no-cache", *extra, "--", *(str(f) for f in files)]
    proc = subprocess.run(argv, cwd=top, capture_output=True, text=True, check=False)
    if proc.returncode == 0:
        return []
    return [line for line in proc.stderr.splitlines() if line.strip()] or ["ruff format failed"]


def _parse(out: str, top: Path) -> list[Diagnostic]:
    try:
        items = json.loads(out or "[]")
    except json.JSONDecodeError:
        raise ModularizeError(
            f"ruff printed something that is not JSON: {out[:200]}", ExitCode.FINDINGS
        ) from None
    found = []
    for item in items:
        row = int(item["location"]["row"])
        found.append(
            Diagnostic(
                path=(top / item["filename"]).resolve(),
                row=row,
                noqa_row=int(item.get("noqa_row") or row),
                code=item.get("code"),
                message=str(item.get("message", "")),
            )
        )
    return found


def add_noqa(source: str, codes_by_row: Mapping[int, Iterable[str]]) -> tuple[str, list[int]]:
    """``source`` with ``# noqa: CODE`` on each row (merged into an existing noqa comment).

    Returns the new text and the rows that could not take a comment (a backslash continuation).
    """
    lines = split_lines(source)
    refused: list[int] = []
    for row, codes in sorted(codes_by_row.items()):
        if not 1 <= row <= len(lines):
            refused.append(row)
            continue
        line = lines[row - 1]
        body = line.rstrip("\r\n")
        new_body = _with_noqa(body, sorted(set(codes)))
        if new_body is None:
            refused.append(row)
            continue
        lines[row - 1] = new_body + line[len(body) :]
    return "".join(lines), refused


def split_lines(text: str) -> list[str]:
    """``text`` cut into lines (ends kept) the way ruff numbers rows: only at \\n, \\r\\n, \\r."""
    return _LINE.findall(text)


def _with_noqa(body: str, codes: list[str]) -> str | None:
    existing = _NOQA.search(body)
    if existing is None:
        if body.rstrip().endswith("\\"):
            return None
        return f"{body.rstrip()}  # noqa: {', '.join(codes)}"
    if existing.group("codes") is None:  # a blanket noqa comment already hides every code
        return body
    have = re.findall(r"[A-Z]+[0-9]+", existing.group("codes").upper())
    merged = have + [c for c in codes if c not in have]
    return body[: existing.start()] + f"# noqa: {', '.join(merged)}" + body[existing.end() :]
