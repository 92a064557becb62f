"""Throwaway projects for the end-to-end scan tests: real git, real files, real processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modularize.orchestrator.cli import app
from tests.support import make_repo


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository with a pyproject.toml, as the current directory."""
    root = make_repo(
        tmp_path / "proj",
        {"pyproject.toml": '[project]\nname = "proj"\nversion = "0"\n'},
        commit=False,
    )
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    return root


def invoke(*args: str, env: dict[str, str] | None = None):
    """``modularize ARGS`` in-process through Typer's CliRunner."""
    return CliRunner().invoke(app, list(args), env=env)


def scan_json(*args: str, plan: bool = False) -> dict:
    """``scan --format json`` parsed; the (slow) split planner only when ``plan`` is asked for."""
    result = invoke("scan", "--format", "json", *args, *(() if plan else ("--no-plan",)))
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m orchestrator ARGS`` in a real subprocess (exit codes and stderr as a user sees)."""
    return subprocess.run(
        [sys.executable, "-m", "modularize", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )
