"""The pre-commit hook we ship and the CI script: valid, and doing what the README says."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pre_commit.clientlib import load_manifest

from modularize.agents.core.config import load_config
from tests.support import big_source, git, write

REPO_ROOT = Path(__file__).resolve().parents[2]


def _hook() -> dict:
    [hook] = load_manifest(str(REPO_ROOT / ".pre-commit-hooks.yaml"))
    return hook


def test_manifest_declares_the_check_hook() -> None:
    hook = _hook()
    assert hook["id"] == "modularize-check"
    assert (hook["entry"], hook["language"], hook["types"]) == (
        "modularize scan --check --no-plan",
        "python",
        ["python"],
    )


def test_hook_entry_under_pre_commit_fails_only_on_big_files(repo: Path, tmp_path: Path) -> None:
    hook = _hook()
    # Same entry and file filter as the shipped hook; language "system" so nothing is installed.
    write(
        repo / ".pre-commit-config.yaml",
        (
            "repos:\n- repo: local\n  hooks:\n"
            f"  - id: {hook['id']}\n    name: {hook['name']}\n    entry: {hook['entry']}\n"
            "    language: system\n    types: [python]\n"
        ),
    )
    write(repo / "small.py", big_source(10))
    write(repo / "notes.md", "x\n" * 900)
    git(repo, "add", "-A")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pc-home"),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
    }

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files"],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run().returncode == 0, run().stdout
    write(repo / "big.py", big_source(90))
    git(repo, "add", "big.py")
    failed = run()
    assert failed.returncode == 1
    assert "big.py" in failed.stdout and "Failed" in failed.stdout


def test_ci_script_runs_the_readme_test_command() -> None:
    script = (REPO_ROOT / ".ci" / "run").read_text()
    readme = (REPO_ROOT / "README.md").read_text()
    commands = re.findall(r"^\s*2\. `([^`]+)`", readme, flags=re.MULTILINE)
    assert commands == [
        "pip install '.[test]' && ruff check . && ruff format --check . && mypy && pytest"
    ]
    assert f'{commands[0]} "$@"' in script.splitlines()
    assert "set -euo pipefail" in script
    assert "export MODULARIZE_REQUIRE_REDIS=1" in script
    assert os.access(REPO_ROOT / ".ci" / "run", os.X_OK)


def test_ci_script_is_valid_bash() -> None:
    done = subprocess.run(
        ["bash", "-n", str(REPO_ROOT / ".ci" / "run")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_readme_configuration_example_is_valid(tmp_path: Path) -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    [block] = re.findall(r"```toml\n(\[tool\.modularize\].*?)```", readme, flags=re.DOTALL)
    (tmp_path / "pyproject.toml").write_text(block)
    config = load_config(tmp_path)
    assert (config.threshold, config.agent, config.budgets["utils"]) == (400, "libcst", 200)
    assert config.exclude[0] == f"{tmp_path.resolve().as_posix()}/**/vendor"


def test_our_pre_commit_config_runs_what_ci_runs() -> None:
    from pre_commit.clientlib import load_config as load_pre_commit_config

    config = load_pre_commit_config(str(REPO_ROOT / ".pre-commit-config.yaml"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    assert {"ruff", "ruff-format", "mypy", "modularize"} <= set(hooks)
    script = (REPO_ROOT / ".ci" / "run").read_text()
    assert f"&& {hooks['mypy']['entry']} &&" in script
    assert not hooks["mypy"]["pass_filenames"]  # pyproject.toml names the files, once each
    gate = subprocess.run(
        hooks["modularize"]["entry"].split(),
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert gate.returncode == 0, gate.stdout + gate.stderr
