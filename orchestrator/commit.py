"""After a run writes packages: ruff fixes, context fixes, then one commit a reviewer can merge.

``orchestrator.preflight`` checks the repository before any work; ``finalize`` runs after the
splits (never on a dry run).
Ruff runs through ``orchestrator.ruffing`` and git through ``orchestrator.gitops``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from modularize.agents.core.errors import ExitCode, ModularizeError
from modularize.agents.repo_uses import project_root
from modularize.orchestrator import lintfix, ruffing
from modularize.orchestrator.gitops import GitRepo, HookRun, pre_commit_command, run_pre_commit
from modularize.orchestrator.lintfix import NoqaLine
from modularize.orchestrator.preflight import absolute_path, check_branch_option

if TYPE_CHECKING:
    from modularize.agents.base import AgentResult
    from modularize.agents.core.config import Config
    from modularize.orchestrator.options import RunOptions

_TAIL_LINES = 15  # enough of a hook's output to act on, short enough for a report line


@dataclasses.dataclass(frozen=True)
class FinalizeResult:
    """What the ruff and commit steps did, for the report."""

    ruff_fixed: int = 0
    noqa: tuple[NoqaLine, ...] = ()
    follow_ups: tuple[str, ...] = ()
    commit_sha: str | None = None
    branch: str | None = None
    committed: bool = False
    notices: tuple[str, ...] = ()
    hook_output: str = ""


@contextlib.contextmanager
def checkout_lock(root: Path) -> Iterator[None]:
    """One process of a checkout at a time between here and its commit (none outside git)."""
    repo = GitRepo.find(root)
    if repo is None:
        yield
        return
    try:
        with repo.exclusive():
            yield
    finally:
        repo.close()


def uncommitted(root: Path, results: Sequence[AgentResult]) -> list[AgentResult]:
    """Those of ``results`` whose files still differ from HEAD: another process of this
    checkout may have committed the others already, and a commit names only what it holds."""
    repo = GitRepo.find(root)
    if repo is None:
        return list(results)
    try:
        groups = [
            [
                repo.relpath(absolute_path(root, Path(p)))
                for p in (r.path, *(m.path for m in r.modules))
            ]
            for r in results
        ]
        changed = set(repo.changed_paths([p for group in groups for p in group]))
    finally:
        repo.close()
    return [r for r, group in zip(results, groups, strict=True) if changed.intersection(group)]


def commit_message(results: Sequence[AgentResult]) -> str:
    """The body of the commit message for these agent results: each split file, its modules."""
    blocks = []
    for result in results:
        if result.status.value != "split":
            continue
        modules = "\n".join(f"  - {m.path} ({m.lines} lines)" for m in result.modules)
        blocks.append(f"- {result.path} ({result.lines_before} lines) ->\n{modules}")
    return "\n".join(blocks)


def finalize(
    root: Path,
    changed: Sequence[Path],
    deleted: Sequence[Path],
    options: RunOptions,
    config: Config,
    summary: str = "",
    *,
    originals: Mapping[Path, str] | None = None,
) -> FinalizeResult:
    """Ruff fix, context fixes, then commit ``changed`` and ``deleted`` (and nothing else).

    ``summary`` is the commit message body (see ``commit_message``). ``originals`` maps a
    path to its text before the run; by default it is read from git's HEAD. Raises
    ModularizeError (exit 1) when pre-commit hooks keep failing without --allow-no-verify,
    leaving the split applied and staged.
    """
    del config  # every setting this step needs is in the repository or in ``options``
    repo = GitRepo.find(root)
    try:
        return _finalize(repo, root, changed, deleted, options, summary, originals)
    finally:
        if repo is not None:
            repo.close()


def _finalize(
    repo: GitRepo | None,
    root: Path,
    changed: Sequence[Path],
    deleted: Sequence[Path],
    options: RunOptions,
    summary: str,
    originals: Mapping[Path, str] | None,
) -> FinalizeResult:
    # outside git, the project's folder (where its ruff configuration is), not the path given
    top = repo.top if repo else project_root(Path(root))
    changed_abs = [absolute_path(root, p) for p in changed]
    deleted_abs = [absolute_path(root, p) for p in deleted]
    python = [p for p in changed_abs if p.suffix in (".py", ".pyi") and p.is_file()]
    settings = ruffing.detect_settings(top, python)
    texts = _original_texts(repo, [*deleted_abs, *changed_abs], originals)
    known = lintfix.known_findings(top, texts, settings) if texts else None
    fixed, notices = lintfix.autofix(top, python, settings, known)
    noqa, more = lintfix.context_fixes(top, python, settings, known)
    result = FinalizeResult(ruff_fixed=fixed, noqa=noqa, notices=(*notices, *more))
    if options.no_commit:
        return result
    if repo is None:
        note = "not a git repository: the split is written, nothing was committed"
        return dataclasses.replace(result, notices=(*result.notices, note))
    return _commit(
        repo,
        [*changed_abs, *deleted_abs],
        len(deleted_abs) or len(changed_abs),
        options,
        summary,
        result,
    )


def _original_texts(
    repo: GitRepo | None, paths: list[Path], given: Mapping[Path, str] | None
) -> dict[Path, str]:
    if given is not None:
        return {p.resolve(): text for p, text in given.items()}
    if repo is None:
        return {}
    texts = {}
    for path in paths:
        text = repo.head_text(repo.relpath(path))
        if text is not None and path.suffix in (".py", ".pyi"):
            texts[path] = text
    return texts


def _commit(
    repo: GitRepo,
    paths: list[Path],
    n_split: int,
    options: RunOptions,
    summary: str,
    result: FinalizeResult,
) -> FinalizeResult:
    """Step 3: a branch, the hooks, one commit of exactly our paths, and proof it landed."""
    ours = sorted({repo.relpath(p) for p in paths})
    repo.stage(ours)
    if not repo.staged_differs(ours):  # e.g. --resume of a finished run: no new, empty branch
        note = "nothing to commit: the files the run wrote match HEAD"
        branch = repo.current_branch()
        return dataclasses.replace(result, branch=branch, notices=(*result.notices, note))
    branch = _choose_branch(repo, options, n_split)
    hooks, follow_ups, notices = _run_hooks(repo, ours, options, branch)
    before = repo.head_sha()
    message = _message(summary or _default_body(repo, paths), n_split)
    sha = repo.commit_only(ours, message, no_verify=bool(follow_ups))
    if sha == before or repo.parent_sha() != before:
        raise ModularizeError(f"git commit did not land: HEAD is still {before}", ExitCode.FINDINGS)
    left = repo.changed_paths(ours)
    if left:
        follow_ups.append(f"after the commit these files still differ from it: {', '.join(left)}")
    return dataclasses.replace(
        result,
        commit_sha=sha,
        branch=branch,
        committed=True,
        follow_ups=(*result.follow_ups, *follow_ups),
        notices=(*result.notices, *notices),
        hook_output=hooks.output,
    )


def _choose_branch(repo: GitRepo, options: RunOptions, n_split: int) -> str | None:
    """Switch to the branch the commit goes on, creating it; None when HEAD is detached."""
    if options.no_branch:
        return repo.current_branch()
    name = options.branch
    if name is not None:
        check_branch_option(repo, name)
    else:
        name = _free_branch_name(repo, f"{datetime.date.today().isoformat()}-{n_split}-files")
    repo.switch_to_new_branch(name)
    return name


def _free_branch_name(repo: GitRepo, stem: str) -> str:
    """``modularize/<stem>``, or ``-2``, ``-3``... when taken; ``modularize-<stem>`` when a
    branch called ``modularize`` leaves no room for a ``modularize/`` folder of branches."""
    base = f"modularize/{stem}"
    if repo.branch_clash(base) == "modularize":
        base = f"modularize-{stem}"
    name, suffix = base, 2
    while repo.branch_clash(name) is not None:  # a second run on the same day, or base/sub
        name, suffix = f"{base}-{suffix}", suffix + 1
    return name


def _run_hooks(
    repo: GitRepo, ours: list[str], options: RunOptions, branch: str | None
) -> tuple[HookRun, list[str], list[str]]:
    """Run pre-commit on our files, re-stage what hooks changed, once more; then decide."""
    if not (repo.top / ".pre-commit-config.yaml").is_file():
        return HookRun(ok=True, output=""), [], []
    command = pre_commit_command()
    if command is None:
        return (
            HookRun(ok=True, output=""),
            [],
            [".pre-commit-config.yaml exists but pre-commit is not installed: hooks were not run"],
        )
    run = run_pre_commit(command, repo.top, ours)
    if not run.ok:
        repo.stage(ours)  # hooks that fix files fail once; take their fixes and try again
        run = run_pre_commit(command, repo.top, ours)
    if run.ok:
        return run, [], []
    tail = _tail(run.output)
    if not options.allow_no_verify:
        where = f"on branch {branch}" if branch else "in the index"
        raise ModularizeError(
            f"pre-commit hook {', '.join(run.failed)} failed; the split is applied and staged "
            f"{where} but not committed (fix it and commit, or pass --allow-no-verify):\n{tail}",
            ExitCode.FINDINGS,
        )
    follow_ups = [
        f"fix before opening the PR: hook {hook} failed: {_tail(run.detail(hook))}"
        for hook in run.failed
    ]
    return run, follow_ups, []


def _default_body(repo: GitRepo, paths: list[Path]) -> str:
    """Without a summary from the caller: the removed modules, then the files written."""
    gone = [repo.relpath(p) for p in paths if not p.exists()]
    written = [repo.relpath(p) for p in paths if p.exists()]
    lines = ["Split files:", *(f"- {p}" for p in gone)] if gone else []
    lines += ["", "Modules written:", *(f"- {p}" for p in written)] if written else []
    return "\n".join(lines).strip()


def _tail(output: str) -> str:
    return "\n".join(output.strip().splitlines()[-_TAIL_LINES:])


def _message(summary: str, n_split: int) -> str:
    plural = "" if n_split == 1 else "s"
    subject = f"Split {n_split} oversized module{plural} into packages (modularize)"
    return f"{subject}\n\n{summary.strip()}\n" if summary.strip() else f"{subject}\n"
