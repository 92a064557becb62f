"""The only module that uses Rich: the console factory, one-line messages, and the tables.

Sections: console factory and messages; the scan table; (run progress and the run summary are
added below by the orchestrator). Everything else in the project returns data and lets these
functions draw it. Colour and live progress are off when the output is not a terminal.
"""

from __future__ import annotations

import re
from typing import IO, TYPE_CHECKING

from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:
    from rich.progress import TaskID

    from modularize.orchestrator.scanning import ScanReport

# --- console factory and messages ----------------------------------------------------------


def make_console(
    *, stderr: bool = False, file: IO[str] | None = None, width: int | None = None
) -> Console:
    """A Console for stdout (or stderr, or ``file`` in tests); no colour when not a terminal."""
    # highlight=False: Rich would otherwise colour numbers and paths inside our own sentences.
    return Console(stderr=stderr, file=file, width=width, highlight=False, soft_wrap=False)


def print_error(message: str, console: Console | None = None) -> None:
    """One line on stderr, ``modularize: error: ...``, the same shape as the CLI edge prints."""
    target = console or make_console(stderr=True)
    target.print(f"[bold red]modularize: error:[/] {escape(message)}")


def print_warning(message: str, console: Console | None = None) -> None:
    """One line on stderr for something the user should know but that does not stop us."""
    target = console or make_console(stderr=True)
    target.print(f"[yellow]modularize: warning:[/] {escape(message)}")


# --- the scan table ------------------------------------------------------------------------


def _plan_cell(skip: str | None, refused: str | None, plan: tuple[tuple[str, int], ...]) -> str:
    if skip:
        return f"[dim]skipped: {escape(skip)}[/]"
    if refused:
        return f"[yellow]refused: {escape(refused)}[/]"
    if not plan:
        return "[dim]-[/]"
    return "\n".join(f"{escape(name)} {lines}" for name, lines in plan)


def scan_table(report: ScanReport) -> Table:
    """The files over the limit, one row each, with the planned modules and a warning count."""
    table = Table(
        title=f"Python files over {report.threshold} lines", title_justify="left", expand=False
    )
    widest = max((len(f.path) for f in report.files), default=10)
    # Short headers so that six columns still fit an 80-column terminal or CI log.
    table.add_column("File", overflow="fold", min_width=min(widest, 20))
    table.add_column("Lines", justify="right")
    table.add_column("Classes", justify="right")
    table.add_column("Funcs", justify="right")
    table.add_column("Planned modules", overflow="fold")
    table.add_column("Warns", justify="right")
    for entry in report.files:
        table.add_row(
            escape(entry.path),
            str(entry.lines),
            str(entry.classes),
            str(entry.functions),
            _plan_cell(entry.skip, entry.refused, entry.plan),
            str(len(entry.warnings)) if entry.warnings else "[dim]-[/]",
        )
    return table


_LINE_PREFIX = re.compile(r"^line (\d+): ")


def warning_lines(report: ScanReport) -> list[str]:
    """Each warning as ``path:line: text``, the shape editors and CI logs turn into links."""
    out = []
    for entry in report.files:
        for warning in entry.warnings:
            match = _LINE_PREFIX.match(warning)
            where = f"{entry.path}:{match.group(1)}" if match else entry.path
            out.append(f"{where}: {warning[match.end() :] if match else warning}")
    return out


def tests_table(report: ScanReport) -> Table:
    """Test files over the limit, listed apart: they are split only with --include-tests."""
    table = Table(
        title="Test files over the limit (split only with --include-tests)",
        title_justify="left",
        expand=False,
    )
    table.add_column("File", overflow="fold")
    table.add_column("Lines", justify="right")
    table.add_column("Classes", justify="right")
    table.add_column("Functions", justify="right")
    for entry in report.tests:
        table.add_row(
            escape(entry.path), str(entry.lines), str(entry.classes), str(entry.functions)
        )
    return table


def print_scan(report: ScanReport, console: Console) -> None:
    """Draw a scan report: the table, the test files, the errors, then the summary line."""
    if report.files:
        console.print(scan_table(report))
        for line in warning_lines(report):
            console.print(f"[yellow]warning:[/] {escape(line)}", soft_wrap=True)
    if report.tests:
        console.print(tests_table(report))
    for error in report.errors:
        console.print(f"[red]error:[/] {escape(error.path)}: {escape(error.error)}", soft_wrap=True)
    console.print(report.summary_line())


# --- run progress and the run summary ------------------------------------------------------


def emit(text: str) -> None:
    """Write text (a rendered report) to stdout exactly as it is, no markup, no wrapping."""
    import sys

    sys.stdout.write(text)
    sys.stdout.flush()


class RunProgress:
    """Progress of ``modularize run``: a bar plus one line per running agent on a terminal,
    one plain line per finished file otherwise, nothing with ``--quiet``."""

    def __init__(
        self, total: int, done: int = 0, *, quiet: bool = False, console: Console | None = None
    ) -> None:
        from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self.console = console or make_console()
        self.quiet = quiet
        self.live = not quiet and self.console.is_terminal
        self._rows: dict[str, TaskID] = {}
        self._agents: dict[str, str] = {}
        # Agent rows have no total: the count column is blank for them, "done/total" overall.
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            TimeElapsedColumn(),
            console=self.console,
            transient=True,
        )
        self._total = total
        self._done = done
        self._overall = self._progress.add_task(
            "files", total=total, completed=done, count=f"{done}/{total}"
        )

    def __enter__(self) -> RunProgress:
        if self.live:
            self._progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live:
            self._progress.stop()

    def started(self, path: str, agent: str) -> None:
        """A worker took ``path``."""
        if self.live:
            self._agents[path] = agent
            self._rows[path] = self._progress.add_task(
                self._label(path, "start"), total=None, count=""
            )
            self._progress.refresh()

    def stage(self, path: str, stage: str) -> None:
        """The agent on ``path`` reached ``stage`` (plan, split, verify, ...)."""
        row = self._rows.get(path)
        if row is not None:
            self._progress.update(row, description=self._label(path, stage))

    def _label(self, path: str, stage: str) -> str:
        return f"  {escape(path)} [dim]{escape(self._agents.get(path, ''))}: {escape(stage)}[/]"

    def finished(self, path: str, status: str, detail: str, seconds: float) -> None:
        """``path`` ended with ``status``; ``detail`` is the reason or the module count."""
        row = self._rows.pop(path, None)
        if row is not None:
            self._progress.remove_task(row)
        self._done += 1
        self._progress.update(self._overall, advance=1, count=f"{self._done}/{self._total}")
        if self.quiet:
            return
        colour = {"split": "green", "skipped": "yellow", "failed": "red"}.get(status, "white")
        self.console.print(
            f"[{colour}]{status:<7}[/] {escape(path)}: {escape(detail)} [dim]({seconds:.1f} s)[/]",
            soft_wrap=True,
        )

    def aborted(self, path: str) -> None:
        """``path`` was given back unfinished (interrupt)."""
        row = self._rows.pop(path, None)
        if row is not None:
            self._progress.remove_task(row)

    def note(self, message: str) -> None:
        """A line above the bar (e.g. waiting for another process)."""
        if not self.quiet:
            self.console.print(f"[dim]{escape(message)}[/]")


def run_summary_table(rows: list[tuple[str, str, int, int, int, float, str]]) -> Table:
    """One row per file: path, status, modules, lines before, largest module, seconds."""
    table = Table(title="modularize run", title_justify="left", expand=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("File", "left"),
        ("Status", "left"),
        ("Modules", "right"),
        ("Lines before", "right"),
        ("Largest", "right"),
        ("Time", "right"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify, overflow="fold")
    for path, status, modules, before, largest, seconds, _reason in rows:
        table.add_row(
            escape(path),
            status,
            str(modules or ""),
            str(before or ""),
            str(largest or ""),
            f"{seconds:.1f} s",
        )
    return table


def print_run_summary(
    rows: list[tuple[str, str, int, int, int, float, str]],
    line: str,
    follow_ups: tuple[str, ...] = (),
    console: Console | None = None,
) -> None:
    """The end-of-run summary: the table, the reasons (unwrapped: they are long sentences),
    one sentence with the totals, the follow-ups."""
    target = console or make_console()
    if rows:
        target.print(run_summary_table(rows))
    for path, status, *_, reason in rows:
        if reason:
            target.print(f"[yellow]{status}[/] {escape(path)}: {escape(reason)}", soft_wrap=True)
    target.print(escape(line), soft_wrap=True)
    for item in follow_ups:
        target.print(f"[yellow]follow-up:[/] {escape(item)}", soft_wrap=True)


def print_status(
    record: dict[str, object],
    line: str,
    running: list[tuple[str, str, float]],
    console: Console | None = None,
) -> None:
    """``modularize status``: the run, its counts, and who is working on what."""
    target = console or make_console()
    target.print(
        f"run {escape(str(record.get('id')))}: {escape(str(record.get('status')))}"
        f"{' (dry run)' if record.get('dry_run') else ''}"
    )
    target.print(escape(line), soft_wrap=True)
    if running:
        table = Table(title="Running now", title_justify="left", expand=False)
        for name in ("File", "Owner", "Elapsed"):
            table.add_column(name)
        for path, owner, elapsed in running:
            table.add_row(escape(path), escape(owner), f"{elapsed:.0f} s")
        target.print(table)
