"""Time ``modularize scan`` against ``ruff check --select E501`` on a copy of the stdlib.

Both tools read every ``.py`` file of the same tree; ruff is the yardstick for "as fast as a
linter". Usage: ``python benchmarks/bench_scan.py [--repeat N] [--tree DIR]``.
"""

from __future__ import annotations

import argparse
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
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - start


def tree_size(tree: Path) -> tuple[int, int]:
    """(Python files, lines) in the tree."""
    files = [p for p in tree.rglob("*.py") if p.is_file()]
    return len(files), sum(p.read_bytes().count(b"\n") for p in files)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per tool (median is used)")
    parser.add_argument("--tree", type=Path, help="scan this tree instead of a stdlib copy")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scan-") as tmp:
        tree = args.tree.resolve() if args.tree else copy_stdlib(Path(tmp))
        files, lines = tree_size(tree)
        scan = [sys.executable, "-m", "orchestrator", "scan", "--format", "json", str(tree)]
        ruff = [find_ruff_bin(), "check", "--isolated", "--no-cache", "--select", "E501",
                "--exit-zero", "--quiet", str(tree)]
        timed(ruff, Path(tmp))  # warm the file cache once so neither tool pays for the disk
        scan_times = [timed(scan, Path(tmp)) for _ in range(args.repeat)]
        ruff_times = [timed(ruff, Path(tmp)) for _ in range(args.repeat)]
    scan_s, ruff_s = statistics.median(scan_times), statistics.median(ruff_times)
    print(f"tree: {tree} ({files} Python files, {lines} lines)")
    print(f"modularize scan: {scan_s:.2f} s (median of {args.repeat})")
    print(f"ruff check --select E501: {ruff_s:.2f} s (median of {args.repeat})")
    print(f"ratio scan/ruff: {scan_s / ruff_s:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
