"""Frozen options of one ``modularize run``: what the flags asked for, beyond the Config."""

from __future__ import annotations

import dataclasses
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
