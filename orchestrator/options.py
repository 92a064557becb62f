"""Frozen options of one ``modularize run``: what the flags asked for, beyond the Config."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from modularize.agents.core.config import VERIFY_TIMEOUT


@dataclasses.dataclass(frozen=True)
class RunOptions:
    paths: tuple[Path, ...]
    plan_file: Path | None = None
    dry_run: bool = False
    no_commit: bool = False
    python: str | None = None
    verify_cmd: str | None = None
    verify_timeout: float = VERIFY_TIMEOUT
    resume: bool = False
    quiet: bool = False
    report_md: Path | None = None
    report_json: Path | None = None
    patch: Path | None = None
    allow_dirty: bool = False
    branch: str | None = None
    no_branch: bool = False
    allow_no_verify: bool = False
    summary: bool = True  # append to $GITHUB_STEP_SUMMARY when it is set


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(len(os.sched_getaffinity(0)), 1)
    return os.cpu_count() or 1


def capped_workers(parallel: int, cpus: int) -> tuple[int, str | None]:
    """Worker processes for ``--parallel``: at most one per CPU, and the sentence saying so.

    Splitting is CPU work; more workers than CPUs only add memory and switching.
    """
    if parallel <= cpus:
        return parallel, None
    noun = "CPU" if cpus == 1 else "CPUs"
    return cpus, f"--parallel {parallel} is more than the {cpus} {noun} here: using {cpus}"
