"""Run reports: one ``RunReport`` built from the state store, rendered as Markdown or JSON.

``modularize run`` writes them (``--report``, ``--json``, ``$GITHUB_STEP_SUMMARY``);
``modularize report`` and ``modularize status`` render them later from the store.
"""

from __future__ import annotations

import dataclasses
import json
import time
from pathlib import Path
from typing import Any

from modularize import templates
from modularize.agents.base import AgentResult, Status
from modularize.agents.core.config import Config
from modularize.agents.core.errors import ExitCode
from modularize.orchestrator.state import NoState, StateStore, open_store
from modularize.orchestrator.state.runs import RunLedger, RunSnapshot, repo_key

REPORT_VERSION = 1


@dataclasses.dataclass(frozen=True)
class RunReport:
    """Everything a person or a CI job wants to know about one run."""

    run_id: str
    status: str
    dry_run: bool
    results: tuple[AgentResult, ...]
    follow_ups: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    commit_sha: str | None = None
    branch: str | None = None
    running: tuple[str, ...] = ()
    pending: tuple[str, ...] = ()

    def count(self, status: Status) -> int:
        """How many files ended with ``status``."""
        return sum(r.status == status for r in self.results)


def build_report(snapshot: RunSnapshot, extras: dict[str, Any]) -> RunReport:
    """The report of the run in ``snapshot`` with the run-level ``extras`` saved by the pipeline."""
    order = {p: i for i, p in enumerate(snapshot.record.get("paths", []))}
    stored = sorted(snapshot.results.values(), key=lambda s: order.get(s.result.path, len(order)))
    final = extras.get("finalize", {})
    noqa = [
        f"{p}:{line}: added `# noqa: {code}` (the original already had this finding)"
        for p, line, code in final.get("noqa", [])
    ]
    follow = [*final.get("follow_ups", []), *extras.get("retarget", {}).get("notes", []), *noqa]
    remaining = [p for p in snapshot.remaining]
    failure = snapshot.record.get("failure")
    failed = (f"the run failed: {failure}",) if failure else ()
    return RunReport(
        run_id=snapshot.record.get("id", ""),
        status=snapshot.record.get("status", "unknown"),
        dry_run=bool(snapshot.record.get("dry_run")),
        results=tuple(s.result for s in stored),
        follow_ups=tuple(follow),
        notices=tuple(final.get("notices", [])) + failed,
        commit_sha=final.get("commit_sha"),
        branch=final.get("branch"),
        running=tuple(p for p in remaining if p in snapshot.claims),
        pending=tuple(p for p in remaining if p not in snapshot.claims),
    )


def totals(report: RunReport) -> dict[str, Any]:
    """The numbers at the bottom of every report."""
    split = [r for r in report.results if r.status == Status.SPLIT]
    module_lines = [m.lines for r in split for m in r.modules]
    return {
        "files": len(report.results),
        "split": len(split),
        "skipped": report.count(Status.SKIPPED),
        "failed": report.count(Status.FAILED),
        "modules": len(module_lines),
        "lines_before": sum(r.lines_before for r in split),
        "lines_after": sum(module_lines),
        "largest_module": max(module_lines, default=0),
        "seconds": round(sum(r.seconds for r in report.results), 3),
    }


def to_json(report: RunReport) -> dict[str, Any]:
    """The versioned JSON report (schema: templates/reports/run.schema.json)."""
    files = [
        {
            "path": r.path,
            "status": r.status.value,
            "reason": r.reason,
            "agent": r.agent,
            "modules": [{"path": m.path, "lines": m.lines} for m in r.modules],
            "compat": list(r.compat),
        }
        for r in report.results
    ]
    return {"version": REPORT_VERSION, "files": files, "totals": totals(report)}


def _row(result: AgentResult) -> str:
    largest = max((m.lines for m in result.modules), default=0)
    return (
        f"| `{result.path}` | {result.status.value} | {len(result.modules)} | "
        f"{result.lines_before} | {largest or ''} | {result.agent} | {result.seconds:.1f} s |"
    )


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items) if items else "None."


def _plans(report: RunReport) -> str:
    blocks = []
    for r in report.results:
        if r.status != Status.SPLIT:
            continue
        by = f", plan by {r.plan_by}" if r.plan_by else ""
        head = f"#### `{r.path}` ({r.lines_before} lines -> {len(r.modules)} modules{by})"
        block = head + "\n\n" + _bullets([f"`{m.path}`: {m.lines} lines" for m in r.modules])
        if r.compat:  # the compatibility layer: each piece with the finding behind it
            block += "\n\nCompatibility layer (`__init__.py`):\n\n" + _bullets(list(r.compat))
        blocks.append(block)
    return "\n\n".join(blocks) or "No file was split."


def summary_line(report: RunReport) -> str:
    """One sentence: how many files split, skipped, failed; lines before and after."""
    t = totals(report)
    mode = "Dry run (nothing written): " if report.dry_run else ""
    text = (
        f"{mode}{t['split']} split into {t['modules']} modules, {t['skipped']} skipped, "
        f"{t['failed']} failed; {t['lines_before']} lines in split files, largest new "
        f"module {t['largest_module']} lines; {t['seconds']:.1f} s of agent time."
    )
    if report.commit_sha:
        text += f" Committed {report.commit_sha[:12]} on `{report.branch or 'the current branch'}`."
    if report.running or report.pending:
        text += f" Not finished: {len(report.running)} running, {len(report.pending)} waiting."
    return text


def to_markdown(report: RunReport) -> str:
    """The Markdown report: summary, per-file plan, warnings, skipped, failed, follow-ups."""
    return templates.render(
        "reports/run.md",
        title=f"run {report.run_id} ({report.status})",
        summary=summary_line(report),
        table="\n".join(_row(r) for r in report.results) or "| (no file) | | | | | | |",
        plans=_plans(report),
        warnings=_bullets([f"`{r.path}`: {w}" for r in report.results for w in r.warnings]),
        skipped=_bullets(
            [f"`{r.path}`: {r.reason}" for r in report.results if r.status == Status.SKIPPED]
        ),
        failed=_bullets(
            [f"`{r.path}`: {r.reason}" for r in report.results if r.status == Status.FAILED]
        ),
        follow_ups=_bullets([*report.follow_ups, *report.notices]),
    )


def write_text(path: Path, text: str) -> None:
    """Write a report file (creating its folder)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        handle.write(text)


def _last_run(config: Config, root: Path) -> tuple[StateStore, RunLedger, dict[str, Any]]:
    """The most recent run of ``root``, real or dry (dry runs keep their state elsewhere)."""
    from modularize.agents.core.discovery import repo_root
    from modularize.agents.core.errors import UsageError

    top = repo_root(root)
    candidates: list[tuple[float, StateStore, RunLedger, dict[str, Any]]] = []
    for dry_run in (False, True):
        try:
            store = open_store(config.state, top, dry_run, create=False)
        except NoState:
            continue
        ledger = RunLedger(store, repo_key(top, dry_run), owner="reader")
        record = ledger.current()
        if record is None:
            store.close()
            continue
        candidates.append((record.get("started", 0.0), store, ledger, record))
    if not candidates:
        raise UsageError(f"{top}: no run recorded (run `modularize run` first)")
    _, store, ledger, record = max(candidates, key=lambda c: c[0])
    for _, other, _, _ in candidates:
        if other is not store:
            other.close()
    return store, ledger, record


def load_report(config: Config, root: Path) -> RunReport:
    """The last run of ``root`` as a RunReport, read from the state store."""
    store, ledger, _ = _last_run(config, root)
    try:
        return build_report(ledger.snapshot(), ledger.extras())
    finally:
        store.close()


def status_command(config: Config, root: Path) -> ExitCode:
    """``modularize status``: the progress of the current or last run, from any shell."""
    from modularize.orchestrator import console

    store, ledger, _ = _last_run(config, root)
    try:
        snapshot = ledger.snapshot()
    finally:
        store.close()
    report = build_report(snapshot, {})
    record = snapshot.record
    now = time.time()
    remaining = set(snapshot.remaining)
    running = [
        (p, str(c.get("owner", "")), now - float(c.get("at", now)))
        for p, c in sorted(snapshot.claims.items())
        if p in remaining
    ]
    total = len(snapshot.record.get("paths", []))
    line = f"{len(snapshot.results)}/{total} files done. {summary_line(report)}"
    if record.get("failure"):
        line += f" It failed: {record['failure']}"
    elif record.get("status") == "stopped":
        line += " No process is working on it: `modularize run --resume` completes it."
    console.print_status(record, line, running)
    return ExitCode.OK


def report_command(config: Config, root: Path, fmt: str) -> ExitCode:
    """``modularize report``: the last run rendered as Markdown or JSON on stdout."""
    from modularize.orchestrator import console

    report = load_report(config, root)
    text = json.dumps(to_json(report), indent=2) + "\n" if fmt == "json" else to_markdown(report)
    console.emit(text)
    return ExitCode.OK
