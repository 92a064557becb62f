"""``modularize run`` end to end in-process (``--parallel 1``) with the toy agent: reports,
exit codes, dry runs and their patch, ``status`` and ``report``."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import tests.orchestrator.toy_agent  # noqa: F401 - registers the "toy" agent
from modularize import templates
from modularize.orchestrator.cli import app
from tests.orchestrator.conftest import make_tree

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` except git's and our state, with its bytes."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
        and not {".git", ".modularize", "__pycache__", ".ruff_cache"}
        & set(p.relative_to(root).parts)
    }


def test_run_splits_every_file_and_writes_both_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_tree(tmp_path / "repo", 3)
    summary = tmp_path / "step-summary.md"
    summary.write_text("# earlier step\n")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, output = invoke(
        "run",
        str(repo),
        "--agent",
        "toy",
        "--report",
        str(tmp_path / "r.md"),
        "--json",
        str(tmp_path / "r.json"),
    )
    assert code == 0, output
    assert sorted(p.name for p in repo.iterdir()) == [".modularize", "big1", "big2", "big3"]
    # every connection to the state is closed (the agents' too): SQLite drops its log with the last
    assert [p.name for p in (repo / ".modularize").glob("*-wal")] == []
    data = json.loads((tmp_path / "r.json").read_text())
    jsonschema.validate(data, json.loads(templates.load("reports/run.schema.json")))
    assert [f["path"] for f in data["files"]] == ["big1.py", "big2.py", "big3.py"]
    assert data["files"][0]["modules"] == [
        {"path": "big1/__init__.py", "lines": 2},
        {"path": "big1/part0.py", "lines": 299},
        {"path": "big1/part1.py", "lines": 258},
    ]
    assert data["totals"]["split"] == 3 and data["totals"]["failed"] == 0
    markdown = (tmp_path / "r.md").read_text()
    assert "#### `big2.py` (561 lines -> 3 modules)" in markdown
    assert summary.read_text().startswith("# earlier step\n## modularize: run ")
    assert "split   big1.py: 3 modules" in output  # plain progress line: not a terminal
    assert "3 split into 9 modules, 0 skipped, 0 failed" in output


def test_a_failed_file_makes_the_exit_code_1_and_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = make_tree(tmp_path / "repo", 2)
    monkeypatch.setenv("TOY_FAIL", "big2")
    code, output = invoke(
        "run",
        str(repo),
        "--agent",
        "toy",
        "--json",
        str(tmp_path / "r.json"),
        "--report",
        str(tmp_path / "r.md"),
    )
    assert code == 1, output
    files = json.loads((tmp_path / "r.json").read_text())["files"]
    assert [(f["path"], f["status"], f["reason"]) for f in files] == [
        ("big1.py", "split", ""),
        ("big2.py", "failed", "asked to fail"),
    ]
    assert "### Failed\n\n- `big2.py`: asked to fail" in (tmp_path / "r.md").read_text()


def test_quiet_prints_nothing_and_nothing_to_split_says_so(tmp_path: Path) -> None:
    repo = make_tree(tmp_path / "repo", 1)
    assert invoke("run", str(repo), "--agent", "toy", "--quiet") == (0, "")
    code, output = invoke("run", str(repo), "--agent", "toy")
    assert (code, output) == (0, "No Python file over 400 lines to split.\n")


def test_unknown_agent_and_resume_without_a_run_are_usage_errors(tmp_path: Path) -> None:
    repo = make_tree(tmp_path / "repo", 1)
    result = runner.invoke(app, ["run", str(repo), "--agent", "nope"])
    assert result.exit_code == 2 and "unknown agent 'nope'" in result.output
    result = runner.invoke(app, ["run", str(repo), "--agent", "toy", "--resume"])
    assert result.exit_code == 2 and "--resume: no earlier run" in result.output
    assert (repo / "big1.py").is_file()


def test_status_and_report_read_the_last_run_from_the_store(tmp_path: Path) -> None:
    repo = make_tree(tmp_path / "repo", 2)
    assert invoke("status", str(repo))[0] == 2  # no run yet: one line, exit 2
    assert not (repo / ".modularize").exists()  # and reading created nothing
    invoke("run", str(repo), "--agent", "toy", "--json", str(tmp_path / "r.json"), "-q")
    code, output = invoke("status", str(repo))
    assert code == 0 and ": finished" in output and "2/2 files done." in output
    code, output = invoke("report", str(repo), "--format", "json")
    assert code == 0 and json.loads(output) == json.loads((tmp_path / "r.json").read_text())
    code, output = invoke("report", str(repo))
    assert output.startswith("## modularize: run ") and "### Follow-ups" in output


def test_dry_run_writes_nothing_and_its_patch_reproduces_the_real_run(tmp_path: Path) -> None:
    dry = make_tree(tmp_path / "dry", 3, git=True)
    (dry / "test_keep.py").write_text(  # a test that patches through the old module path
        "from unittest import mock\n\nimport big1\n\n\ndef test_f():\n"
        '    with mock.patch("big1.f1_3", return_value=7):\n        assert big1.f1_3(1) == 7\n'
    )
    subprocess.run(["git", "add", "test_keep.py"], cwd=dry, check=True)
    subprocess.run(
        ["git", "-c", "user.name=T", "-c", "user.email=t@e", "commit", "-qm", "k"],
        cwd=dry,
        check=True,
    )
    real = tmp_path / "real"
    shutil.copytree(dry, real)
    before = tree(dry)
    patch = tmp_path / "out.patch"
    code, output = invoke(
        "run",
        str(dry),
        "--agent",
        "toy",
        "--dry-run",
        "--patch",
        str(patch),
        "--json",
        str(tmp_path / "dry.json"),
    )
    assert code == 0, output
    assert tree(dry) == before and not (dry / ".modularize").exists()
    assert "Dry run (nothing written)" in output
    code, output = invoke("run", str(real), "--agent", "toy", "--no-branch")
    assert code == 0, output
    subprocess.run(["git", "apply", "--check", str(patch)], cwd=dry, check=True)
    subprocess.run(["git", "apply", str(patch)], cwd=dry, check=True)
    assert tree(dry) == tree(real)
    assert json.loads((tmp_path / "dry.json").read_text())["totals"]["split"] == 3
