"""The ruff steps of finalizing a run: ``ruff check --fix`` (and ``ruff format`` where the
repository uses it), then the fixes that need context: a targeted ``# noqa: CODE`` only on a
line whose finding the original already had, and only when a ruff gate would stop the merge.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from modularize.orchestrator import ruffing
from modularize.orchestrator.preflight import display_path


@dataclasses.dataclass(frozen=True)
class NoqaLine:
    """A ``# noqa`` we added to a line that was already in the original code."""

    path: str  # POSIX, relative to the repository's top level (or the run's directory)
    line: int
    code: str


Known = set[tuple[str | None, str]]  # (code, stripped line) of the originals' findings


def known_findings(top: Path, originals: dict[Path, str], settings: ruffing.RuffSettings) -> Known:
    """(code, stripped line) of every finding ruff reports on the original texts."""
    known: Known = set()
    for path, text in originals.items():
        for diag in ruffing.check_text(top, text, path, settings):
            known.add((diag.code, _row_text(text, diag.row)))
    return known


def autofix(
    top: Path, files: list[Path], settings: ruffing.RuffSettings, known: Known | None
) -> tuple[int, list[str]]:
    """Step 1: ``ruff check --fix`` for what the split brought, then ``ruff format`` if the
    repository uses it. A finding the original already had is not the split's to fix: a fix
    would edit the user's code (ruff's F841 fix drops a used ``except ... as exc``). With the
    originals unknown (``known`` None), every fixable finding is fixed."""
    before = ruffing.check(top, files, settings)
    plan = _fix_plan(before, known)
    for codes, paths in plan.items():
        ruffing.check(top, paths, settings, fix=True, fixable=codes)
    after = ruffing.check(top, files, settings) if plan else before
    notices = [f"ruff format: {line}" for line in ruffing.format_files(top, files, settings)]
    return max(len(before) - len(after), 0), notices


def _fix_plan(
    found: list[ruffing.Diagnostic], known: Known | None
) -> dict[tuple[str, ...], list[Path]]:
    """Rule codes to fix -> the files to fix them in: per file, the codes of the split's own
    findings, less any code the original's text also has there (ruff fixes by code, so it
    would fix the user's finding too)."""
    new: dict[Path, set[str]] = {}
    old: dict[Path, set[str]] = {}
    for diag in found:
        if diag.code and diag.suppressible:
            mine = known is None or (diag.code, _line(diag)) not in known
            (new if mine else old).setdefault(diag.path, set()).add(diag.code)
    plan: dict[tuple[str, ...], list[Path]] = {}
    for path, codes in sorted(new.items()):
        fixable = tuple(sorted(codes - old.get(path, set())))
        if fixable:
            plan.setdefault(fixable, []).append(path)
    return plan


def context_fixes(
    top: Path, files: list[Path], settings: ruffing.RuffSettings, known: Known | None
) -> tuple[tuple[NoqaLine, ...], list[str]]:
    """Step 2: ``# noqa`` what the original already had, if ruff would stop the merge."""
    remaining = ruffing.check(top, files, settings)
    if not remaining:
        return (), []
    # Without a ruff configuration or hook nothing would fail on these: leave the lines alone.
    gate = settings.own_config or settings.hook
    by_file: dict[Path, dict[int, set[str]]] = {}
    notices = []
    for diag in remaining:
        where = f"{display_path(top, diag.path)}:{diag.row}: {diag.code} {diag.message}"
        if not diag.suppressible:
            notices.append(f"{where} (not valid Python: a bug in the split)")
        elif known is None:
            notices.append(f"{where} (the original text is unknown here; not suppressed)")
        elif (diag.code, _line(diag)) not in known:
            notices.append(f"{where} (caused by the generated code; not suppressed)")
        elif gate:
            by_file.setdefault(diag.path, {}).setdefault(diag.noqa_row, set()).add(str(diag.code))
        else:
            notices.append(f"{where} (already in the original; left as it was)")
    return _apply_noqa(top, by_file, notices), notices


def _line(diag: ruffing.Diagnostic) -> str:
    try:
        return _row_text(_read(diag.path), diag.row)
    except (OSError, UnicodeDecodeError):
        return ""


def _row_text(text: str, row: int) -> str:
    lines = ruffing.split_lines(text)
    return lines[row - 1].strip() if 0 < row <= len(lines) else ""


def _read(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as handle:  # keep the file's own line endings
        return handle.read()


def _apply_noqa(
    top: Path, by_file: dict[Path, dict[int, set[str]]], notices: list[str]
) -> tuple[NoqaLine, ...]:
    added: list[NoqaLine] = []
    for path, codes_by_row in sorted(by_file.items()):
        source = _read(path)
        new_source, refused = ruffing.add_noqa(source, codes_by_row)
        if new_source != source:
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(new_source)
        for row, codes in sorted(codes_by_row.items()):
            if row in refused:
                notices.append(f"{display_path(top, path)}:{row}: cannot take a # noqa comment")
                continue
            added.extend(NoqaLine(display_path(top, path), row, code) for code in sorted(codes))
    return tuple(added)
