"""`modularize run` end to end on real git repositories: the details a user trips over.

Newline style and file mode survive a split, a file that does not parse is an error (exit 1),
reports name files by repository paths, ``--verify-cmd`` is stopped after ``--verify-timeout``,
and ``--resume`` of a finished run adds no branch.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.orchestrator.conftest import big_source
from tests.support import git

pytestmark = pytest.mark.slow


def _repo(root: Path, files: dict[str, bytes]) -> Path:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    if (root / "pkg" / "__init__.py").exists():
        (root / "pkg" / "__init__.py").chmod(0o664)  # not what a umask of 022 would give
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    return root


def _run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "modularize", "run", ".", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


def _branches(repo: Path) -> list[str]:
    return git(repo, "branch", "--format=%(refname:short)").split()


def test_newlines_modes_unparsable_files_and_resume(tmp_path: Path) -> None:
    repo = _repo(
        tmp_path / "repo",
        {
            "crlf.py": big_source(110, prefix="f1").replace("\n", "\r\n").encode(),
            "pkg/__init__.py": big_source(110, prefix="f2").encode(),
            "broken.py": ("def broken(:\n" + big_source(110, prefix="f3")).encode(),
        },
    )
    done = _run(repo, "--parallel", "2", "--json", "report.json", "--report", "report.md")
    assert done.returncode == 1, done.stdout + done.stderr  # broken.py is an error, as in scan
    files = {f["path"]: f for f in json.loads((repo / "report.json").read_text())["files"]}
    assert files["broken.py"]["status"] == "failed"
    assert "line 1: syntax error" in files["broken.py"]["reason"]
    assert files["crlf.py"]["status"] == files["pkg/__init__.py"]["status"] == "split"
    for module in (repo / "crlf").glob("*.py"):
        data = module.read_bytes()
        assert data.count(b"\n") == data.count(b"\r\n"), f"{module.name} mixes line endings"
    siblings = [p for p in (repo / "pkg").glob("*.py") if p.name != "__init__.py"]
    assert siblings and {p.stat().st_mode & 0o777 for p in siblings} == {0o664}
    for report in ("report.json", "report.md"):
        assert str(tmp_path) not in (repo / report).read_text(), f"{report} has machine paths"
    branches = _branches(repo)
    for _ in range(2):
        again = _run(repo, "--resume")
        assert again.returncode == 1, again.stdout + again.stderr
    assert _branches(repo) == branches, "--resume of a finished run adds no branch"


def test_verify_cmd_stops_at_its_timeout_and_reasons_use_repository_paths(
    tmp_path: Path,
) -> None:
    repo = _repo(tmp_path / "repo", {"big.py": big_source(110, prefix="f1").encode()})
    original = (repo / "big.py").read_bytes()
    started = time.monotonic()
    slow = _run(repo, "--verify-cmd", "pwd; sleep 120", "--verify-timeout", "2", "--json", "r.json")
    assert time.monotonic() - started < 100, "--verify-cmd ran past its timeout"
    assert slow.returncode == 0, slow.stdout + slow.stderr
    (entry,) = json.loads((repo / "r.json").read_text())["files"]
    assert entry["status"] == "skipped"
    assert "did not finish within 2s" in entry["reason"]
    assert (repo / "big.py").read_bytes() == original and not (repo / "big").exists()
    failing = _run(repo, "--verify-cmd", "ls -d $PWD/big; exit 3", "--json", "r.json")
    assert failing.returncode == 0, failing.stdout + failing.stderr
    (entry,) = json.loads((repo / "r.json").read_text())["files"]
    assert "failed (exit 3): big;" in entry["reason"]  # its output, `ls -d /tmp/.../big`
    assert str(tmp_path) not in entry["reason"]
