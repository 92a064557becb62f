"""A crash of ours exits 3 and says where its traceback went; findings stay 1, usage errors 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# A real process whose scan crashes: the library function the command calls raises.
CRASHING_SCAN = """
import sys
from modularize.orchestrator import scanning

def broken(*args, **kwargs):
    raise RuntimeError("the scan broke")

scanning.scan_command = broken
from modularize.orchestrator.cli import main

sys.argv = ["modularize", *sys.argv[1:]]
main()
"""


def _run(tmp_path: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "modularize"]
    return subprocess.run(
        [*command, *args],
        cwd=tmp_path,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_crash_exits_3_and_points_to_the_traceback(tmp_path: Path) -> None:
    done = _run(tmp_path, "scan", ".", code=CRASHING_SCAN)
    assert done.returncode == 3
    [log] = tmp_path.glob("modularize-crash-*.log")
    first, second = done.stderr.splitlines()
    assert first == "modularize: internal error: RuntimeError: the scan broke"
    assert second.startswith(f"modularize: details in {log}; please report it")
    details = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in details
    assert "RuntimeError: the scan broke" in details and "command: modularize scan ." in details


def test_findings_and_usage_errors_keep_their_codes(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("x = 1\n" * 500)
    findings = _run(tmp_path, "scan", "--check", "--no-plan", ".")
    usage = _run(tmp_path, "scan", "nowhere")
    assert (findings.returncode, usage.returncode) == (1, 2)
    assert usage.stderr == "modularize: error: nowhere: no such file or directory\n"
    assert not list(tmp_path.glob("modularize-crash-*.log"))
