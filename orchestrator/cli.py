"""The command line: thin commands that build a frozen config and call library code."""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import sys
import tempfile
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer

from modularize.agents.core.config import VERIFY_TIMEOUT, Config, load_config, parse_compat
from modularize.agents.core.errors import ExitCode, ModularizeError, UsageError
from modularize.orchestrator import __version__

app = typer.Typer(
    name="modularize",
    help="Split oversized Python modules into small, focused packages, preserving behaviour.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """The one handler at the edge: expected errors are one line, the rest a bug report."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ModularizeError as exc:
            typer.echo(f"modularize: error: {exc}", err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo("modularize: interrupted", err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except (typer.Exit, typer.Abort, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the one place that reports unexpected errors
            typer.echo(f"modularize: internal error: {type(exc).__name__}: {exc}", err=True)
            typer.echo(_crash_details(), err=True)
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper


def _crash_details() -> str:
    """Where the traceback of the exception being handled went: a file in the temp dir (or
    the traceback itself when no file can be written), with where to report it."""
    text = (
        f"modularize {__version__}, Python {sys.version.split()[0]} on {sys.platform}\n"
        f"command: {' '.join(sys.argv)}\n\n{traceback.format_exc()}"
    )
    report = "please report it at https://github.com/modularize/modularize/issues"
    try:
        fd, name = tempfile.mkstemp(prefix="modularize-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError:
        return f"{text}modularize: {report} with the traceback above"
    return f"modularize: details in {name}; {report} with that file"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"modularize {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Split oversized Python modules into small, focused packages, preserving behaviour."""


def _existing(paths: list[Path] | None) -> tuple[Path, ...]:
    chosen = tuple(paths or [Path(".")])
    for path in chosen:
        if not path.exists():
            raise UsageError(f"{path}: no such file or directory")
    return chosen


def _config(paths: tuple[Path, ...], **flags: object) -> Config:
    config = load_config(paths[0]).with_overrides(**flags)
    from modularize.orchestrator.options import capped_workers, usable_cpus

    workers, note = capped_workers(config.parallel, usable_cpus())
    if note is not None:
        typer.echo(f"modularize: warning: {note}", err=True)
        config = config.with_overrides(parallel=workers)
    return config


PathsArg = Annotated[list[Path] | None, typer.Argument(help="Files or directories.")]
ThresholdOpt = Annotated[
    int | None, typer.Option("--threshold", min=1, help="Line limit (default 400).")
]
ExcludeOpt = Annotated[
    list[str] | None, typer.Option("--exclude", help="Glob of paths to leave out (repeatable).")
]
TestsOpt = Annotated[
    bool | None, typer.Option("--include-tests/--no-include-tests", help="Split test files too.")
]


@app.command()
@handle_errors
def scan(
    paths: PathsArg = None,
    threshold: ThresholdOpt = None,
    exclude: ExcludeOpt = None,
    include_tests: TestsOpt = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="table (the default), json or markdown; --check --no-plan without it is the "
            "gate: line counts only, no parse.",
        ),
    ] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a file is over.")] = False,
    summary: Annotated[
        bool, typer.Option("--summary", help="Append Markdown to $GITHUB_STEP_SUMMARY.")
    ] = False,
    plan: Annotated[
        bool, typer.Option("--plan/--no-plan", help="Ask the split planner (slower).")
    ] = True,
    parallel: Annotated[int | None, typer.Option("--parallel", "-j", min=1)] = None,
) -> None:
    """Find Python files over the line limit and show the split each would get."""
    from modularize.orchestrator.scanning import scan_command

    roots = _existing(paths)
    if fmt not in (None, "table", "json", "markdown"):
        raise UsageError(f"--format: expected table, json or markdown, not {fmt!r}")
    extra = tuple(exclude) if exclude else None
    config = _config(roots, threshold=threshold, include_tests=include_tests, parallel=parallel)
    if extra:
        config = config.with_overrides(exclude=config.exclude + extra)
    code = scan_command(roots, config, fmt=fmt, check=check, summary=summary, plan=plan)
    raise typer.Exit(int(code))


@app.command()
@handle_errors
def plan(
    file: Annotated[Path, typer.Argument(help="The Python file to plan a split for.")],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the plan JSON here.")
    ] = None,
    keep_logger_names: Annotated[
        bool | None, typer.Option("--keep-logger-names/--no-keep-logger-names")
    ] = None,
) -> None:
    """Show the split plan for one file as JSON that a person can read and edit."""
    from modularize.orchestrator.planning import plan_command

    roots = _existing([file])
    config = _config(roots, keep_logger_names=keep_logger_names)
    raise typer.Exit(int(plan_command(file, config, output)))


@app.command()
@handle_errors
def run(
    paths: PathsArg = None,
    parallel: Annotated[int | None, typer.Option("--parallel", "-j", min=1)] = None,
    plan_file: Annotated[Path | None, typer.Option("--plan", help="Use this plan.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write nothing in the repo.")] = False,
    no_commit: Annotated[bool, typer.Option("--no-commit", help="Stop before git.")] = False,
    python: Annotated[str | None, typer.Option("--python", help="Interpreter.")] = None,
    verify_cmd: Annotated[str | None, typer.Option("--verify-cmd")] = None,
    verify_timeout: Annotated[
        float, typer.Option("--verify-timeout", min=1, help="Seconds --verify-cmd may take.")
    ] = VERIFY_TIMEOUT,
    agent: Annotated[str | None, typer.Option("--agent", help="libcst or claude.")] = None,
    state: Annotated[str | None, typer.Option("--state", envvar="MODULARIZE_STATE_URL")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue the last run.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q")] = False,
    report_md: Annotated[Path | None, typer.Option("--report", help="Markdown report.")] = None,
    report_json: Annotated[Path | None, typer.Option("--json", help="JSON report.")] = None,
    patch: Annotated[Path | None, typer.Option("--patch", help="Write a git patch.")] = None,
    threshold: ThresholdOpt = None,
    exclude: ExcludeOpt = None,
    include_tests: TestsOpt = None,
    keep_logger_names: Annotated[
        bool | None, typer.Option("--keep-logger-names/--no-keep-logger-names")
    ] = None,
    allow_dirty: Annotated[bool, typer.Option("--allow-dirty")] = False,
    branch: Annotated[str | None, typer.Option("--branch")] = None,
    no_branch: Annotated[bool, typer.Option("--no-branch")] = False,
    allow_no_verify: Annotated[bool, typer.Option("--allow-no-verify")] = False,
    send_source: Annotated[bool | None, typer.Option("--send-source/--no-send-source")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Claude model.")] = None,
    max_tokens: Annotated[int | None, typer.Option("--max-tokens", min=1)] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", min=0.1)] = None,
    compat: Annotated[
        str | None, typer.Option("--compat", help="minimal (default) or full __init__.py.")
    ] = None,
    mypy: Annotated[
        bool | None, typer.Option("--mypy/--no-mypy", help="Verify with the project's mypy.")
    ] = None,
) -> None:
    """Split every file over the limit into a package, verify it, then ruff and commit."""
    from modularize.orchestrator.options import RunOptions
    from modularize.orchestrator.pipeline import run_command

    roots = _existing(paths)
    config = _config(
        roots,
        parallel=parallel,
        agent=agent,
        state=state,
        threshold=threshold,
        include_tests=include_tests,
        keep_logger_names=keep_logger_names,
        claude_send_source=send_source,
        claude_model=model,
        claude_max_tokens=max_tokens,
        claude_timeout=timeout,
        compat=parse_compat(compat, "--compat") if compat is not None else None,
        mypy=mypy,
    )
    if exclude:
        config = config.with_overrides(exclude=config.exclude + tuple(exclude))
    options = RunOptions(
        paths=roots,
        plan_file=plan_file,
        dry_run=dry_run,
        no_commit=no_commit,
        python=python,
        verify_cmd=verify_cmd,
        verify_timeout=verify_timeout,
        resume=resume,
        quiet=quiet,
        report_md=report_md,
        report_json=report_json,
        patch=patch,
        allow_dirty=allow_dirty,
        branch=branch,
        no_branch=no_branch,
        allow_no_verify=allow_no_verify,
    )
    raise typer.Exit(int(run_command(config, options)))


@app.command()
@handle_errors
def status(
    state: Annotated[str | None, typer.Option("--state", envvar="MODULARIZE_STATE_URL")] = None,
    path: Annotated[Path, typer.Argument(help="The repository.")] = Path("."),
) -> None:
    """Show the progress of the current or last run, from any shell."""
    from modularize.orchestrator.reports import status_command

    roots = _existing([path])
    raise typer.Exit(int(status_command(_config(roots, state=state), roots[0])))


@app.command()
@handle_errors
def report(
    fmt: Annotated[str, typer.Option("--format", help="markdown or json.")] = "markdown",
    state: Annotated[str | None, typer.Option("--state", envvar="MODULARIZE_STATE_URL")] = None,
    path: Annotated[Path, typer.Argument(help="The repository.")] = Path("."),
) -> None:
    """Render the last run's report from the state store."""
    from modularize.orchestrator.reports import report_command

    if fmt not in ("markdown", "json"):
        raise UsageError(f"--format: expected markdown or json, not {fmt!r}")
    roots = _existing([path])
    raise typer.Exit(int(report_command(_config(roots, state=state), roots[0], fmt)))


def main() -> None:
    """Console-script entry point: the command, then an exit without the interpreter's teardown.

    A run leaves some 300,000 objects behind (the agents' modules, LibCST and ``ast`` trees in
    the engine's caches). Freeing them one by one at exit took 0.35 s after a serial run of 30
    stdlib modules, for a process that ends anyway. So once the command is done and no other
    thread needs joining, the exit handlers run, the streams are flushed and the process ends
    (mypy ends the same way): calling ``main`` ends the calling process."""
    _start_workers_early(sys.argv[1:])
    try:
        app()
        code: str | int | None = 0
    except SystemExit as done:
        code = done.code
    others = (t for t in threading.enumerate() if t is not threading.current_thread())
    if any(not t.daemon for t in others):
        sys.exit(code)  # the interpreter joins them first
    if code is None or isinstance(code, int):
        status = code or 0
    else:
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()  # the snapshot servers, multiprocessing's, logging's
    for stream in (sys.stdout, sys.stderr):
        if stream is None:  # started with the descriptor closed
            continue
        try:
            stream.flush()
        except (OSError, ValueError):
            status = status or 120  # what Python exits with when it cannot flush stdout
    os._exit(status)


_EARLY_OPTIONS = {"--parallel": "parallel", "-j": "parallel", "--agent": "agent"}


def _start_workers_early(argv: list[str]) -> None:
    """``run --parallel N`` (or ``-j N``) with N > 1: start the workers' forkserver before Typer
    parses the command line and the pipeline is imported (about 0.1 s), so that LibCST and the
    planner load in it while this process gets the run ready (``workers.start_workers``).

    Only an optimisation, so a guess: a wrong one (one file to split, a bad option) leaves an
    idle process that ends with this one. Without ``--agent`` it loads the default agent's
    modules; an agent set in pyproject.toml loads in each worker at its first file. A pool that
    only pyproject.toml asks for starts when the pipeline knows of it."""
    if argv[:1] != ["run"]:
        return
    found: dict[str, str] = {}
    rest = iter(argv[1:])
    for arg in rest:
        if arg == "--":
            break
        name, equals, value = arg.partition("=")
        if name in _EARLY_OPTIONS:
            found[_EARLY_OPTIONS[name]] = value if equals else next(rest, "")
        elif arg.startswith("-j"):
            found["parallel"] = arg[2:]  # -j4
    parallel = found.get("parallel", "")
    if not parallel.isdecimal() or not parallel.isascii():
        return  # Typer says what is wrong with it
    from modularize.orchestrator.options import capped_workers, usable_cpus
    from modularize.orchestrator.workers import start_workers

    # Whatever fails here (an unknown agent, no process to spare) fails again in the run, which
    # reports it the way it reports everything.
    with contextlib.suppress(Exception):
        workers, _ = capped_workers(int(parallel), usable_cpus())  # the run says it caps
        start_workers(workers, found.get("agent") or Config().agent)
