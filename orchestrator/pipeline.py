"""``modularize run``: discover, claim and split files in parallel, then retarget, ruff, commit.

The order is fixed: refuse a dirty tree before any work; open the state store (a new run, a run
other live processes are on, or the last run with ``--resume``); split what this process can
claim; wait for files other processes hold; retarget patch strings; finalize (ruff, noqa,
commit) or, in a dry run, build the patch; write the reports. An interrupt at any point leaves
finished files finished, gives back unfinished claims and exits 130.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path
from typing import Any

from modularize.agents.base import AgentResult, Status, Task, listen_for_stages
from modularize.agents.core.config import Config
from modularize.agents.core.discovery import repo_root, split_candidates
from modularize.agents.core.errors import ExitCode, UsageError, exit_code_for
from modularize.orchestrator import console, reports
from modularize.orchestrator.markdown import append_step_summary
from modularize.orchestrator.options import RunOptions
from modularize.orchestrator.scheduler import (
    STAGES,
    Hooks,
    InterruptGuard,
    build_task,
    close_shared_stores,
    execute,
    stage_key,
)
from modularize.orchestrator.state import StateStore, open_store
from modularize.orchestrator.state.runs import RunLedger, StoredResult, repo_key
from modularize.orchestrator.workers import collect_less, start_workers

_WAIT_POLL = 0.5  # seconds between looks at files another process is still splitting
_HEARTBEAT = 10.0  # seconds between "still alive" marks while pool workers run


@dataclasses.dataclass
class _Context:
    root: Path
    config: Config
    options: RunOptions
    store: StateStore
    ledger: RunLedger
    progress: console.RunProgress
    guard: InterruptGuard
    beat: float = 0.0
    # outside git, the texts of the files this process splits, read before it splits them:
    # ruff must not "fix" what they already had (git's HEAD tells that in a repository)
    originals: dict[Path, str] = dataclasses.field(default_factory=dict)


def run_command(config: Config, options: RunOptions) -> ExitCode:
    """Run the whole pipeline; the exit code says split/skipped (0), failed (1), interrupted."""
    if options.patch is not None and not options.dry_run:
        raise UsageError("--patch: a patch is what a dry run would write; add --dry-run")
    root = repo_root(options.paths[0])
    collect_less()  # a serial run splits in this process
    if not options.dry_run:
        from modularize.orchestrator.preflight import ensure_git_ready

        ensure_git_ready(root, options)  # before anything is touched, even a recovery
    if not options.dry_run and not _others_running(config, root):
        from modularize.agents.journal import recover_tree

        # Undo splits a killed run left half-applied (agents/apply.py), but never while another
        # live process of a shared run may be writing its own temporary package next to ours.
        for named in options.paths:
            recover_tree(named if named.is_dir() else named.parent)
    candidates = split_candidates(options.paths, config)
    _preflight(config)
    if not candidates and not options.resume:
        if not options.quiet:
            console.make_console().print(f"No Python file over {config.threshold} lines to split.")
        return ExitCode.OK
    if not options.dry_run:
        from modularize.orchestrator.preflight import ensure_clean

        ensure_clean(root, candidates, options.allow_dirty)
    start_workers(min(config.parallel, len(candidates)), config.agent)  # they load while we prepare
    guard = InterruptGuard()
    with guard.installed():
        store = open_store(config.state, root, options.dry_run)
        try:
            return _run(root, config, options, store, candidates, guard)
        finally:
            close_shared_stores()
            store.close()


def _others_running(config: Config, root: Path) -> bool:
    """Is a live process working on this repository's run right now (shared run)?"""
    try:
        store = open_store(config.state, root, False, create=False, on_fallback=lambda _: None)
    except UsageError:
        return False  # no state yet: nobody has run here
    try:
        record = RunLedger(store, repo_key(root)).current()
        return bool(
            record and record.get("status") == "running" and RunLedger(store, "").live(record)
        )
    finally:
        store.close()


def _preflight(config: Config) -> None:
    """Fail in one line before any work: unknown agent, or the claude agent without a key."""
    from modularize.agents import check_agent

    check_agent(config.agent)
    if config.agent == "claude":
        from modularize.agents.claude_agent import preflight

        preflight(config)


def _run(
    root: Path,
    config: Config,
    options: RunOptions,
    store: StateStore,
    candidates: list[Path],
    guard: InterruptGuard,
) -> ExitCode:
    ledger = RunLedger(store, repo_key(root, options.dry_run))
    paths = [p.resolve().relative_to(root).as_posix() for p in candidates]
    record = ledger.start(paths, resume=options.resume, dry_run=options.dry_run, agent=config.agent)
    done = len(ledger.snapshot().results)
    progress = console.RunProgress(len(record["paths"]), done, quiet=options.quiet)
    if ledger.joined:
        progress.note(f"joined run {ledger.run_id}: {done} of {len(record['paths'])} files done")
    ctx = _Context(root, config, options, store, ledger, progress, guard)
    interrupted = False
    try:
        with progress:
            listen_for_stages(progress.stage)  # agents running in this process report here
            try:
                _split_all(ctx)
            finally:
                listen_for_stages(None)
        _after_splits(ctx)
    except KeyboardInterrupt:
        interrupted = True
    except Exception as exc:  # a failed commit or a crash: the run must not read "finished"
        why = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        ledger.leave(interrupted=False, failure=why)
        raise
    except BaseException:
        ledger.leave(interrupted=True)  # must not keep the run "live" for others
        raise
    final = ledger.leave(interrupted=interrupted)
    return _report(ctx, final, interrupted)


def _hooks(ctx: _Context) -> Hooks:
    def finished(task: Task, result: AgentResult) -> None:
        ctx.ledger.record(result, task.module)
        ctx.store.kv_delete(STAGES, stage_key(task))
        detail = (
            result.reason if result.status != Status.SPLIT else f"{len(result.modules)} modules"
        )
        ctx.progress.finished(task.path, result.status.value, detail, result.seconds)

    def aborted(task: Task) -> None:
        ctx.ledger.release(task.path)
        ctx.progress.aborted(task.path)

    def claim(task: Task) -> bool:
        if time.monotonic() - ctx.beat > _HEARTBEAT:
            ctx.beat = time.monotonic()
            ctx.ledger.touch()
        return ctx.ledger.claim(task.path)

    return Hooks(
        claim=claim,
        started=lambda task: ctx.progress.started(task.path, task.subagent_type),
        finished=finished,
        aborted=aborted,
        interrupted=lambda n: console.print_warning(
            f"interrupted: letting {n} running file(s) finish; interrupt again to abort them"
        ),
        # Workers reopen the store (the claude agent's circuit breaker) from its descriptor.
        config_for=lambda: ctx.config.with_overrides(state=ctx.store.descriptor()),
        guard=ctx.guard,
        poll=lambda running: _show_stages(ctx, running),
    )


def _show_stages(ctx: _Context, running: list[Task]) -> None:
    """Workers leave their agents' stages in the store; show them next to each file."""
    for task in running:
        stage = ctx.store.kv_get(STAGES, stage_key(task))
        if stage:
            ctx.progress.stage(task.path, stage)


def _split_all(ctx: _Context) -> None:
    """Split every file of the run this process can claim; wait for those others hold."""
    hooks = _hooks(ctx)  # one for the whole run: it remembers files whose worker died
    waiting_said = False
    while True:
        remaining = ctx.ledger.snapshot().remaining
        if not remaining:
            return
        tasks = [build_task(ctx.root / p, ctx.root, ctx.config, ctx.options) for p in remaining]
        _remember_originals(ctx, [ctx.root / p for p in remaining])
        if execute(tasks, ctx.config.parallel, hooks):
            continue
        held = ctx.ledger.held_by_others(remaining)
        if held and not waiting_said:
            ctx.progress.note(f"waiting for {len(held)} file(s) another process is splitting")
            waiting_said = True
        time.sleep(_WAIT_POLL)


def _remember_originals(ctx: _Context, paths: list[Path]) -> None:
    if (ctx.root / ".git").exists():
        return
    for path in paths:
        if path.resolve() not in ctx.originals and path.suffix in (".py", ".pyi"):
            try:
                with path.open(encoding="utf-8", newline="") as handle:
                    ctx.originals[path.resolve()] = handle.read()
            except (OSError, UnicodeDecodeError):
                continue  # the agent reports what is wrong with it


def _local_results(ctx: _Context) -> list[StoredResult]:
    """Results whose files are in this working tree: ours, and those of processes of this run
    that are gone (an interrupted run we resumed). Live peers finalize their own."""
    snapshot = ctx.ledger.snapshot()
    peers = set(snapshot.record.get("participants", {})) - {ctx.ledger.owner}
    return [s for s in snapshot.results.values() if s.owner not in peers]


def _after_splits(ctx: _Context) -> None:
    """Retarget patch strings, then finalize (real run) or build the patch (dry run)."""
    if ctx.options.dry_run:
        local = [s for s in _local_results(ctx) if s.result.status == Status.SPLIT]
        if local:
            _write_patch(ctx, local, _retarget(ctx, local))
        return
    from modularize.orchestrator.commit import checkout_lock, uncommitted

    with checkout_lock(ctx.root):  # another process of this checkout may be committing
        split = [s for s in _local_results(ctx) if s.result.status == Status.SPLIT]
        pending = {r.path for r in uncommitted(ctx.root, [s.result for s in split])}
        local = [s for s in split if s.result.path in pending]
        if local:
            _finalize(ctx, local, _retarget(ctx, local))


def _finalize(ctx: _Context, local: list[StoredResult], retargeted: dict[str, str]) -> None:
    """Ruff, noqa and one commit of exactly these splits and the retargeted files."""
    from modularize.orchestrator.commit import commit_message, finalize

    changed = [*{m.path for s in local for m in s.result.modules}, *retargeted]
    deleted = [s.result.path for s in local if s.result.path not in changed]
    summary = commit_message([s.result for s in local])
    result = finalize(
        ctx.root,
        [Path(p) for p in changed],
        [Path(p) for p in deleted],
        ctx.options,
        ctx.config,
        summary,
        originals=ctx.originals or None,
    )
    ctx.ledger.save_extra("finalize", _jsonable(dataclasses.asdict(result)))


def _retarget(ctx: _Context, local: list[StoredResult]) -> dict[str, str]:
    """Rewrite mock.patch targets through the old module paths; returns {path: new text}."""
    from modularize.orchestrator.retarget import retarget_repo

    mapping = {s.module: dict(s.result.locations) for s in local if s.result.locations}
    if not mapping:
        return {}
    # A dry run's new files exist only in the results: the retargeter reads them from there.
    overlay = {p: t for s in local for p, t in s.result.files} if ctx.options.dry_run else None
    forwarded = {s.module: frozenset(s.result.forwarded) for s in local if s.result.forwarded}
    outcome = retarget_repo(
        ctx.root, mapping, ctx.options.dry_run, overlay=overlay, forwarded=forwarded
    )
    changed = {_relative(ctx.root, p): text for p, text in outcome.changed.items()}
    ctx.ledger.save_extra("retarget", {"changed": sorted(changed), "notes": list(outcome.notes)})
    return changed


def _relative(root: Path, path: str | Path) -> str:
    candidate = Path(path)
    return (
        candidate.resolve().relative_to(root).as_posix()
        if candidate.is_absolute()
        else candidate.as_posix()
    )


def _write_patch(ctx: _Context, local: list[StoredResult], retargeted: dict[str, str]) -> None:
    """The dry run's patch: the agents' new files and retargeted tests, after the ruff steps."""
    from modularize.orchestrator.patches import preview, unified_patch

    if ctx.options.patch is None:
        return
    changes: dict[str, str | None] = {p: t for s in local for p, t in s.result.files}
    changes.update(retargeted)
    originals = None
    if (ctx.root / ".git").exists():  # a real run reads originals from git; outside git it has none
        originals = {
            p: (ctx.root / p).read_text(encoding="utf-8")
            for p in changes
            if (ctx.root / p).is_file()
        }
    final = preview(ctx.root, changes, ctx.options, ctx.config, originals)
    reports.write_text(ctx.options.patch, unified_patch(ctx.root, final))


def _jsonable(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))


def _report(ctx: _Context, final: dict[str, Any], interrupted: bool) -> ExitCode:
    """Write --report/--json and the step summary, print the summary, compute the exit code."""
    report = reports.build_report(ctx.ledger.snapshot(), ctx.ledger.extras())
    markdown = reports.to_markdown(report)
    if ctx.options.report_md:
        reports.write_text(ctx.options.report_md, markdown)
    if ctx.options.report_json:
        reports.write_text(
            ctx.options.report_json, json.dumps(reports.to_json(report), indent=2) + "\n"
        )
    if ctx.options.summary:
        append_step_summary(markdown, os.environ)
    if interrupted:
        console.print_warning(
            f"interrupted: run {final.get('id')} stopped; finished files stay finished, "
            "`modularize run --resume` completes the rest"
        )
    elif not ctx.options.quiet:
        rows = [
            (
                r.path,
                r.status.value,
                len(r.modules),
                r.lines_before,
                max((m.lines for m in r.modules), default=0),
                r.seconds,
                r.reason,
            )
            for r in report.results
        ]
        console.print_run_summary(
            rows, reports.summary_line(report), (*report.follow_ups, *report.notices)
        )
    return exit_code_for(failed=report.count(Status.FAILED), interrupted=interrupted)
