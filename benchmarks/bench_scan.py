"""Time ``modularize scan`` against ``ruff check --select E501`` on a copy of the stdlib.

Both tools read every ``.py`` file of the same tree; ruff is the yardstick for "as fast as a
linter". ``scan --no-plan`` (what a pre-commit or CI gate runs) is always timed; ``--plan N``
also times the default scan, which asks the split planner about every big file, with N workers.
Usage: ``python benchmarks/bench_scan.py [--repeat N] [--tree DIR] [--plan WORKERS]``.
"""

from __future__ import annotations

import argparse
import os
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


def timed(command: list[str], cwd: Path) -> float:
    """Seconds for one run; the exit code is ignored (both tools report findings with 1)."""
    start = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - start


def tree_size(tree: Path) -> tuple[int, int]:
    """(Python files, lines) in the tree."""
    files = [p for p in tree.rglob("*.py") if p.is_file()]
    return len(files), sum(p.read_bytes().count(b"\n") for p in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool (median is used)")
    parser.add_argument("--tree", type=Path, help="scan this tree instead of a stdlib copy")
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=os.cpu_count() or 1,
        help="scan workers (ruff uses every core; default: all cores)",
    )
    parser.add_argument(
        "--plan", action="store_true", help="also time the scan with plans (run once, it is slow)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        tree = args.tree.resolve() if args.tree else copy_stdlib(Path(tmp))
        files, lines = tree_size(tree)
        scan = [sys.executable, "-m", "modularize", "scan", "--format", "json", str(tree)]
        jobs = ["-j", str(args.jobs)]
        ruff = [
            find_ruff_bin(),
            "check",
            "--isolated",
            "--no-cache",
            "--select",
            "E501",
            "--exit-zero",
            "--quiet",
            str(tree),
        ]
        timed(ruff, Path(tmp))  # warm the file cache once so neither tool pays for the disk
        serial_s = statistics.median(
            timed([*scan, "--no-plan"], Path(tmp)) for _ in range(args.repeat)
        )
        scan_s = statistics.median(
            timed([*scan, "--no-plan", *jobs], Path(tmp)) for _ in range(args.repeat)
        )
        ruff_s = statistics.median(timed(ruff, Path(tmp)) for _ in range(args.repeat))
        plan_s = timed([*scan, *jobs], Path(tmp)) if args.plan else None
    print(f"tree: {tree.name} ({files} Python files, {lines} lines)")
    print(f"ruff check --select E501:  {ruff_s:7.2f} s (median of {args.repeat})")
    print(f"modularize scan --no-plan: {serial_s:7.2f} s (median of {args.repeat}, 1 process)")
    print(f"modularize scan --no-plan -j {args.jobs}: {scan_s:7.2f} s (median of {args.repeat})")
    print(f"ratio scan/ruff: {scan_s / ruff_s:.1f}x")
    if plan_s is not None:
        print(
            f"modularize scan -j {args.jobs} (with plans): {plan_s:.2f} s (one run), "
            f"{plan_s / ruff_s:.1f}x ruff"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
