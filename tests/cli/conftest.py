"""Throwaway projects for the end-to-end scan tests: real git, real files, real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from modularize.orchestrator.cli import app


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a fixed identity; fail the test on a git error."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    done = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def big_source(functions: int = 100, *, extra: str = "") -> str:
    """A plausible module of ``5 * functions`` lines (plus ``extra``), all under any limit."""
    body = "".join(
        f"def handler_{i}(event):\n    value = event.get({i!r}, 0)\n    return value * 2\n\n\n"
        for i in range(functions)
    )
    return '"""Generated for a test."""\n' + extra + body


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty git repository with a pyproject.toml, as the current directory."""
    root = tmp_path / "proj"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(root / "pyproject.toml", '[project]\nname = "proj"\nversion = "0"\n')
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
