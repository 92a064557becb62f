"""Rich-free Markdown: the scan as GitHub-flavoured Markdown, and the step-summary append.

GitHub renders ``$GITHUB_STEP_SUMMARY`` as Markdown on the run page, so CI gets the same table a
terminal shows, without ANSI codes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modularize.orchestrator.scanning import FileScan, ScanReport

STEP_SUMMARY_VAR = "GITHUB_STEP_SUMMARY"


def cell(text: object) -> str:
    """A table cell: pipes escaped and line breaks as ``<br>`` so the row stays one line."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", "<br>")


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric: set[int]) -> str:
    """A Markdown table; columns whose index is in ``numeric`` are right-aligned."""
    align = ["---:" if i in numeric else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(align) + " |"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def plan_text(entry: FileScan) -> str:
    """What a run would do with the file, in one short cell."""
    if entry.skip:
        return f"skipped: {entry.skip}"
    if entry.refused:
        return f"refused: {entry.refused}"
    if not entry.plan:
        return "-"
    return ", ".join(f"{name} ({lines})" for name, lines in entry.plan)


def _files_table(files: Sequence[FileScan], *, detailed: bool, tests: bool = False) -> str:
    """Files over the limit; without ``detailed`` (the gate parsed nothing) lines only."""
    headers = ["File", "Lines"]
    rows: list[list[object]] = [[f"`{f.path}`", f.lines] for f in files]
    if detailed:
        headers += ["Classes", "Functions"]
        for row, entry in zip(rows, files, strict=True):
            row += [entry.classes, entry.functions]
    if not tests and not detailed:  # the gate: no plan was asked for, only skip reasons
        headers.append("Skipped")
        for row, entry in zip(rows, files, strict=True):
            row.append(entry.skip or "-")
    elif not tests:
        headers += ["Planned modules", "Warnings"]
        for row, entry in zip(rows, files, strict=True):
            row += [plan_text(entry), "\n".join(entry.warnings) or "-"]
    return table(headers, rows, set(range(1, 4 if detailed else 2)))


def scan_markdown(report: ScanReport) -> str:
    """The scan report as Markdown (a heading, the files, test files apart, then errors)."""
    over = len(report.files)
    noun = "file" if over == 1 else "files"
    parts = [
        f"### modularize scan: {over} {noun} over {report.threshold} lines "
        f"({report.scanned} scanned)\n"
    ]
    if report.files:
        parts.append(_files_table(report.files, detailed=report.parsed))
    if report.tests:
        parts.append("**Test files** over the limit (split only with `--include-tests`):\n")
        parts.append(_files_table(report.tests, detailed=report.parsed, tests=True))
    if report.errors:
        parts.append("**Errors** (files that could not be read as Python):\n")
        parts.append("".join(f"- `{e.path}`: {e.error}\n" for e in report.errors))
    return "\n".join(parts)


def append_step_summary(text: str, environ: Mapping[str, str]) -> bool:
    """Append ``text`` to the file named by ``$GITHUB_STEP_SUMMARY``; False when it is unset."""
    target = environ.get(STEP_SUMMARY_VAR)
    if not target:
        return False
    with Path(target).open("a", encoding="utf-8") as handle:
        handle.write(text.rstrip("\n") + "\n\n")  # a blank line keeps appended reports apart
    return True
