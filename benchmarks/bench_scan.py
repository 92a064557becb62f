"""Time the ``modularize scan`` gate against ``ruff check --select E501`` on a stdlib copy.

Both tools read every ``.py`` file of the same tree; ruff is the yardstick for "as fast as a
linter". The gate is ``scan --check --no-plan -j 1`` (what a pre-commit hook or CI runs: line
counts, no parse). Each command is timed as wall time and as CPU time (user + system of the
process tree): on a shared machine the wall time swings with the load, the CPU time much less.
``--detail`` also times ``scan --no-plan --format json`` (which parses the big files with
``ast``) and ``--plan`` the default scan with the split planner (slow; run once).
Usage: ``python benchmarks/bench_scan.py [--repeat N] [--tree DIR] [--detail] [--plan]``.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

from ruff.__main__ import find_ruff_bin

SKIP = shutil.ignore_patterns("__pycache__", "site-packages", "*.pyc")


def copy_stdlib(target: Path) -> Path:
    """A private copy of this interpreter's standard library (no caches, no site-packages)."""
    tree = target / "stdlib"
    shutil.copytree(sysconfig.get_paths()["stdlib"], tree, ignore=SKIP, symlinks=True)
    return tree


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """(wall, CPU) seconds for one run; the exit code is ignored (findings exit 1)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall, cpu


def median_of(command: list[str], cwd: Path, repeat: int) -> tuple[float, float]:
    """Median wall and median CPU seconds of ``repeat`` runs."""
    runs = [timed(command, cwd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def tree_size(tree: Path) -> tuple[int, int]:
    """(Python files, lines) in the tree."""
    files = [p for p in tree.rglob("*.py") if p.is_file()]
    return len(files), sum(p.read_bytes().count(b"\n") for p in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per tool (median is used)")
    parser.add_argument("--tree", type=Path, help="scan this tree instead of a stdlib copy")
    parser.add_argument("--detail", action="store_true", help="also time --format json")
    parser.add_argument("--plan", action="store_true", help="also time the scan with plans")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        tree = args.tree.resolve() if args.tree else copy_stdlib(Path(tmp))
        files, lines = tree_size(tree)
        scan = [sys.executable, "-m", "modularize", "scan", "-j", "1", str(tree)]
        ruff = [find_ruff_bin(), "check", "--isolated", "--no-cache", "--select", "E501"]
        ruff += ["--exit-zero", "--quiet", str(tree)]
        timed(ruff, Path(tmp))  # warm the file cache once so neither tool pays for the disk
        timed([*scan, "--check", "--no-plan"], Path(tmp))
        rows = {
            "ruff check --select E501": median_of(ruff, Path(tmp), args.repeat),
            "modularize scan --check --no-plan -j 1": median_of(
                [*scan, "--check", "--no-plan"], Path(tmp), args.repeat
            ),
            "python -c pass (interpreter start-up)": median_of(
                [sys.executable, "-c", "pass"], Path(tmp), args.repeat
            ),
        }
        if args.detail:
            rows["modularize scan --no-plan --format json -j 1"] = median_of(
                [*scan, "--no-plan", "--format", "json"], Path(tmp), args.repeat
            )
        if args.plan:
            rows["modularize scan -j 2 (with plans, one run)"] = timed(
                [*scan[:-1], "2", str(tree)], Path(tmp)
            )
    print(f"tree: {tree.name} ({files} Python files, {lines} lines)")
    ruff_wall, ruff_cpu = rows["ruff check --select E501"]
    for label, (wall, cpu) in rows.items():
        print(
            f"{label:46} wall {wall:6.2f} s ({wall / ruff_wall:4.1f}x ruff)   "
            f"CPU {cpu:6.2f} s ({cpu / ruff_cpu:4.1f}x ruff)"
        )
    gate_wall, gate_cpu = rows["modularize scan --check --no-plan -j 1"]
    print(
        f"ratio gate/ruff: {gate_wall / ruff_wall:.1f}x wall, {gate_cpu / ruff_cpu:.1f}x CPU "
        f"(goal <= 3; medians of {args.repeat})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
