"""A crash of ours exits 3 and says where its traceback went; findings stay 1, usage errors 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from modularize.orchestrator import cli, options, workers

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


# The entry point ends the process without the interpreter's teardown, after the exit handlers,
# with everything printed; a thread that is still running is joined as Python would.
ENDING = """
import atexit, sys, threading, time
from modularize.orchestrator.cli import main

class Marker:
    def __del__(self):
        print("torn down", file=sys.stderr)

marker = Marker()
atexit.register(lambda: print("exit handler ran", file=sys.stderr))
if sys.argv[1] == "thread":
    threading.Thread(target=lambda: (time.sleep(0.3), print("thread done", file=sys.stderr))).start()
sys.argv = ["modularize", "scan", "--check", "--format", "json", "--no-plan", "."]
main()
"""


def test_the_end_skips_the_teardown_but_not_exit_handlers_or_output(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("x = 1\n" * 500)
    fast = _run(tmp_path, "plain", code=ENDING)
    joined = _run(tmp_path, "thread", code=ENDING)
    assert (fast.returncode, joined.returncode) == (1, 1)  # a file over the limit
    assert json.loads(fast.stdout)["files"][0]["path"] == "big.py"  # flushed through a pipe
    assert json.loads(joined.stdout) == json.loads(fast.stdout)
    assert fast.stderr.splitlines() == ["exit handler ran"]
    assert joined.stderr.splitlines() == ["thread done", "exit handler ran", "torn down"]


@pytest.mark.parametrize(
    ("argv", "started"),
    [
        (["run", "--parallel", "4", "."], (4, "libcst")),
        (["run", ".", "-j2", "--dry-run"], (2, "libcst")),
        (["run", "--parallel=3", "--agent", "claude"], (3, "claude")),
        (["run", "-j", "2", "--agent=claude"], (2, "claude")),
        (["run", "-j", "16"], (8, "libcst")),  # capped at the CPUs, as the run will be
        (["run", "."], None),
        (["scan", "-j", "4"], None),
        (["run", "--parallel"], None),
        (["run", "-j", "\u00b2"], None),  # a digit to str.isdigit, not to int()
        (["run", "--", "--parallel", "4"], None),
    ],
)
def test_workers_start_before_the_command_line_is_parsed(
    argv: list[str], started: tuple[int, str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, str]] = []
    monkeypatch.setattr(options, "usable_cpus", lambda: 8)
    monkeypatch.setattr(workers, "start_workers", lambda n, agent: calls.append((n, agent)))
    cli._start_workers_early(argv)
    assert calls == ([started] if started else [])


def test_an_unknown_agent_starts_nothing_early_and_the_run_says_why(tmp_path: Path) -> None:
    cli._start_workers_early(["run", "-j", "2", "--agent", "nope"])  # no exception here
    done = _run(tmp_path, "run", ".", "-j", "2", "--agent", "nope")
    assert done.returncode == 2 and "nope" in done.stderr


def test_a_command_started_with_its_output_closed_still_ends_cleanly(tmp_path: Path) -> None:
    command = 'exec "$0" -m modularize run -q --dry-run . >&-'  # stdout closed, as cron may
    done = subprocess.run(
        ["sh", "-c", command, sys.executable],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, "")


def test_the_entry_point_loads_the_cli_only_when_called() -> None:
    """Each worker of a parallel run imports the command's script again as it starts: the
    module it names must not bring Typer and the CLI with it."""
    code = "import sys, modularize.__main__; print('typer' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout == "False\n"
