"""``modularize scan``: which files are over the limit, what is in them, and how they would split.

Every file is read once and line-counted; only files over the threshold are decoded and parsed
(with ``ast``, in scan_analysis.py), and the gate (``--check --no-plan``) parses nothing. A
file that does not decode or parse becomes an entry under ``errors`` and never stops the scan.
The output is data (``ScanReport``); rendering lives in console.py (terminal table) and
markdown.py (CI summaries); JSON is ``ScanReport.to_json``, the gate's text ``gate_text``.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePath
from typing import Any

from modularize.agents.core import discovery
from modularize.agents.core.config import Config
from modularize.agents.core.errors import ExitCode, SourceError, exit_code_for
from modularize.agents.core.source import count_lines, decode_source

SCHEMA_VERSION = 1
HEAD_BYTES = 4096  # what the gate keeps of a big file for the ``@generated`` check


@dataclasses.dataclass(frozen=True)
class FileScan:
    """One file over the threshold."""

    path: str
    lines: int
    classes: int = 0
    functions: int = 0
    warnings: tuple[str, ...] = ()
    plan: tuple[tuple[str, int], ...] = ()  # (module file name, lines) from the split planner
    skip: str | None = None  # why a run leaves it alone by rule (test, setup.py, generated)
    refused: str | None = None  # why the split planner would not split it

    def to_json(self) -> dict[str, Any]:
        """The entry as documented in templates/scan.schema.json."""
        return {
            "path": self.path,
            "lines": self.lines,
            "classes": self.classes,
            "functions": self.functions,
            "warnings": list(self.warnings),
            "plan": [{"module": name, "lines": lines} for name, lines in self.plan],
            "skip": self.skip,
            "refused": self.refused,
        }


@dataclasses.dataclass(frozen=True)
class ScanError:
    path: str
    error: str


@dataclasses.dataclass(frozen=True)
class ScanReport:
    """Everything a scan found; ``files`` holds non-test files, ``tests`` the test files."""

    threshold: int
    scanned: int
    files: tuple[FileScan, ...] = ()
    tests: tuple[FileScan, ...] = ()
    errors: tuple[ScanError, ...] = ()
    parsed: bool = True  # False for the gate: classes, functions and warnings were not counted

    @property
    def over(self) -> tuple[FileScan, ...]:
        """Files that fail ``--check``: over the limit and not skipped by rule (refused count)."""
        return tuple(f for f in self.files if f.skip is None)

    def summary_line(self) -> str:
        """One sentence: how many files are over, of how many scanned, plus tests and errors."""
        over = len(self.files)
        text = (
            f"{over} {'file' if over == 1 else 'files'} over {self.threshold} lines "
            f"({self.scanned} Python files scanned)"
        )
        if self.tests:
            text += f", {len(self.tests)} test file(s) listed apart"
        if self.errors:
            text += f", {len(self.errors)} could not be read"
        return text + "."

    def gate_text(self) -> str:
        """Plain text for the gate: ``path: N lines`` for each file over, errors, the summary."""
        rows = []
        for entry in self.files:
            why = f" (skipped: {entry.skip})" if entry.skip else ""
            rows.append(f"{entry.path}: {entry.lines} lines, over {self.threshold}{why}\n")
        rows += [f"error: {e.path}: {e.error}\n" for e in self.errors]
        return "".join(rows) + self.summary_line() + "\n"

    def to_json(self) -> dict[str, Any]:
        """Version 1 of the documented JSON output."""
        return {
            "version": SCHEMA_VERSION,
            "threshold": self.threshold,
            "scanned": self.scanned,
            "files": [f.to_json() for f in self.files],
            "tests": [f.to_json() for f in self.tests],
            "errors": [{"path": e.path, "error": e.error} for e in self.errors],
        }


def plan_modules(
    path: Path, source: str, config: Config
) -> tuple[tuple[tuple[str, int], ...], str | None, tuple[str, ...]]:
    """The planned modules ``(file name, lines)``, the planner's refusal reason (or None) and
    its warnings (class splits: mixins, their methods and sizes).

    Empty when the split engine is not part of this build.
    """
    try:
        from modularize.agents.engine import Refusal
        from modularize.agents.libcst_agent import plan_for
    except ImportError as exc:
        if exc.name not in ("agents", "agents.engine"):
            raise  # the engine exists but is broken: that is a bug to report
        return (), None, ()
    module, _ = discovery.module_name_for(path)
    try:  # the same planner call as ``run``: the preview names the modules the run writes
        plan = plan_for(path.resolve(), module, source, config)
    except Refusal as refusal:
        return (), refusal.reason, ()
    names = [(m.name if m.name.endswith(".py") else f"{m.name}.py", m.lines) for m in plan.modules]
    return tuple(names), None, plan.warnings


def display_path(path: Path) -> str:
    """POSIX path relative to the current directory when below it, else absolute."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def scan_file(path: Path, shown: str, config: Config, plan: bool = True) -> FileScan | ScanError:
    """One file over the threshold: its entry, or its error (``shown`` is its display path).

    Runs in a worker process when scanning in parallel, so it returns data and never prints.
    """
    from modularize.orchestrator.scan_analysis import analyse  # ast: not needed by the gate

    try:
        data = path.read_bytes()
        source = decode_source(data)
        classes, functions, warnings = analyse(source, config.threshold)
    except OSError as exc:
        return ScanError(shown, f"cannot read: {exc.strerror or exc}")
    except SourceError as exc:
        return ScanError(shown, str(exc))
    entry = FileScan(shown, count_lines(data), classes, functions, warnings)
    skip = discovery.skip_reason(path, source, config)
    if skip is None and plan:
        modules, refused, notes = plan_modules(path, source, config)
        entry = dataclasses.replace(
            entry, plan=modules, refused=refused, warnings=(*entry.warnings, *notes)
        )
    return dataclasses.replace(entry, skip=skip)


def _over_threshold(
    files: list[Path], config: Config
) -> tuple[list[tuple[Path, int, bytes]], list[ScanError]]:
    """Files over the limit as ``(path, lines, head)``, found by counting newlines only.

    Each file is read once and nothing is decoded or parsed; the head (the first bytes) is
    kept for the ``@generated`` check of the files over the limit.
    """
    big: list[tuple[Path, int, bytes]] = []
    errors: list[ScanError] = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            errors.append(ScanError(display_path(path), f"cannot read: {exc.strerror or exc}"))
            continue
        lines = count_lines(data)
        if lines > config.threshold:
            big.append((path, lines, data[:HEAD_BYTES]))
    return big, errors


def _line_counts_only(
    big: list[tuple[Path, int, bytes]], relative: list[PurePath], config: Config
) -> list[FileScan]:
    """Entries for the gate: path, lines and skip reason, from what the count already read."""
    return [
        FileScan(
            display_path(path),
            lines,
            skip=discovery.skip_reason(path, head.decode("utf-8", "replace"), config, rel),
        )
        for (path, lines, head), rel in zip(big, relative, strict=True)
    ]


def _scan_all(big: list[Path], config: Config, plan: bool) -> list[FileScan | ScanError]:
    shown = [display_path(p) for p in big]  # here: a worker's current directory may differ
    if config.parallel <= 1 or len(big) <= 1:
        return [scan_file(p, s, config, plan) for p, s in zip(big, shown, strict=True)]
    from modularize.orchestrator.scheduler import executor_for

    with executor_for(config.parallel, len(big)) as pool:
        futures = [
            pool.submit(scan_file, p, s, config, plan) for p, s in zip(big, shown, strict=True)
        ]
        return [f.result() for f in futures]


def scan_paths(
    paths: Iterable[Path], config: Config, *, plan: bool = True, parse: bool = True
) -> ScanReport:
    """Scan every Python file under ``paths``; never raises for a bad file.

    ``plan=False`` leaves out the split planner (the slow part) for quick gates;
    ``parse=False`` (the gate) also leaves out the parse: entries carry lines and skip
    reasons only, and a file that would not decode or parse is not an error.
    """
    files = discovery.list_python_files(paths, config)
    big, errors = _over_threshold(files, config)
    relative = discovery.repo_relative_paths([path for path, _, _ in big])
    results: Sequence[FileScan | ScanError]
    if parse:
        results = _scan_all([path for path, _, _ in big], config, plan)
    else:
        results = _line_counts_only(big, relative, config)
    found: list[FileScan] = []
    tests: list[FileScan] = []
    for rel, result in zip(relative, results, strict=True):
        if isinstance(result, ScanError):
            errors.append(result)
            continue
        is_test = discovery.is_test_file(rel)
        (tests if is_test and not config.include_tests else found).append(result)
    errors.sort(key=lambda e: e.path)
    return ScanReport(
        config.threshold, len(files), tuple(found), tuple(tests), tuple(errors), parsed=parse
    )


def scan_command(
    roots: tuple[Path, ...],
    config: Config,
    *,
    fmt: str | None = None,
    check: bool = False,
    summary: bool = False,
    plan: bool = True,
) -> ExitCode:
    """Scan, print in the chosen format, append the Markdown summary if asked; the exit code.

    ``--check --no-plan`` without a ``--format`` is the gate: line counts only, plain text,
    no parse (the speed of a linter on a whole tree). A format named explicitly parses the
    files over the limit for its counts and warnings.
    """
    gate = check and not plan and fmt is None
    report = scan_paths(roots, config, plan=plan, parse=not gate)
    if gate:
        sys.stdout.write(report.gate_text())
    elif fmt == "json":
        sys.stdout.write(json.dumps(report.to_json(), indent=2) + "\n")
    elif fmt == "markdown":
        from modularize.orchestrator import markdown

        sys.stdout.write(markdown.scan_markdown(report))
    else:
        from modularize.orchestrator import console

        console.print_scan(report, console.make_console())
    if summary:
        from modularize.orchestrator import markdown

        markdown.append_step_summary(markdown.scan_markdown(report), os.environ)
    return exit_code_for(failed=len(report.errors), findings=len(report.over) if check else 0)
