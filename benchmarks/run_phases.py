"""Where a run's time goes, file by file: parse, analysis, planning, writing, verification.

Runs the libcst agent in this process (as ``run --dry-run --parallel 1`` does in its one
worker) on the same stdlib modules as bench_run.py (or on ``--file``), with a timer around each
phase. Times are CPU seconds of this process (a shared machine's load swings wall time), and
exclusive: a parse inside the planner counts as parse, not planning. The import snapshots run
in forks of a snapshot server (a child interpreter); their CPU time is reported apart.
Usage: ``python benchmarks/run_phases.py [--limit N] [--file PATH ...]``.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import resource
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_run import big_stdlib_modules, make_copy  # noqa: E402

SECONDS: dict[str, float] = defaultdict(float)
CALLS: dict[str, int] = defaultdict(int)
_STACK: list[list[Any]] = []  # [label, started, time spent in nested phases]


@contextlib.contextmanager
def phase(label: str) -> Iterator[None]:
    """Time the block, minus the phases nested in it; only the main thread is timed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if any(frame[0] == "second planning (idempotence)" for frame in _STACK):
        label = "second planning (idempotence)"
    frame = [label, time.process_time(), 0.0]
    _STACK.append(frame)
    try:
        yield
    finally:
        _STACK.pop()
        spent = time.process_time() - frame[1]
        SECONDS[label] += spent - frame[2]
        CALLS[label] += 1
        if _STACK:
            _STACK[-1][2] += spent


def timed(owner: Any, name: str, label: str) -> None:
    """Replace ``owner.name`` with a version that runs inside ``phase(label)``."""
    original: Callable[..., Any] = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with phase(label):
            return original(*args, **kwargs)

    setattr(owner, name, wrapper)


def instrument() -> None:
    """Put a timer around each phase of the libcst agent."""
    import libcst

    from modularize.agents import apply, engine, libcst_agent, repo_uses
    from modularize.agents import verify as observe
    from modularize.agents.engine import context, verify

    for owner, name, label in (
        (libcst, "parse_module", "LibCST parse"),
        (context, "analyse", "analysis (scopes, references)"),
        (engine, "plan_split", "planning"),
        (engine, "split_package", "writing the package text"),
        (repo_uses, "scan_repo_uses", "the repository's uses of the module"),
        (libcst_agent, "_task_engine", "engine settings (star imports)"),
        (libcst_agent, "mixin_problems", "static checks (ast)"),
        (verify, "static_problems", "static checks (ast)"),
        (verify, "output_trees", "static checks (ast)"),  # the outputs parsed for the checks
        (verify, "second_run_problems", "second planning (idempotence)"),
        (libcst_agent, "load_source", "read + ast check"),
        (observe, "original_snapshot", "original's import snapshot (child interpreter)"),
        (observe, "stable_snapshot", "original imported twice, after a difference"),
        (observe, "api_snapshot", "split's import snapshot (child interpreter)"),
        (apply, "write_module_split", "writing files (fsync)"),
        (apply, "write_init_split", "writing files (fsync)"),
        (shutil, "copytree", "dry-run copy of the package"),
        (shutil, "rmtree", "dry-run copy of the package"),
    ):
        timed(owner, name, label)


def run_files(package: Path) -> tuple[float, float, dict[str, int]]:
    """Split every module of ``package`` (dry run); (CPU seconds, children's CPU, outcomes)."""
    from modularize.agents import snapshot_server
    from modularize.agents.core.config import Config
    from modularize.agents.libcst_agent import LibCSTAgent
    from modularize.orchestrator.options import RunOptions
    from modularize.orchestrator.scheduler import build_task

    config, options = Config(), RunOptions(paths=(package,), dry_run=True)
    outcomes: dict[str, int] = defaultdict(int)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.process_time()
    for path in sorted(package.glob("*.py")):
        if path.name == "__init__.py":
            continue
        task = build_task(path, package.parent, config, options)
        with phase("other (agent glue)"):
            result = LibCSTAgent().run(task, config)
        outcomes[result.status.value] += 1
    wall = time.process_time() - start
    snapshot_server.close_all()  # waited for, the snapshot server's CPU (its forks') counts
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime, outcomes


def parse_floor(package: Path) -> float:
    """CPU seconds to parse every module with LibCST alone (warm: libcst already imported)."""
    import libcst

    start = time.process_time()
    for path in sorted(package.glob("*.py")):
        libcst.parse_module(path.read_bytes())
    return time.process_time() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the N smallest modules")
    parser.add_argument("--file", type=Path, action="append", help="profile these files instead")
    args = parser.parse_args()
    files = args.file or big_stdlib_modules(400, args.limit)
    with tempfile.TemporaryDirectory(prefix="modularize-phases-") as tmp:
        package = make_copy(files, Path(tmp))
        floor = parse_floor(package)
        instrument()
        wall, child_cpu, outcomes = run_files(package)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(f"{len(files)} files, {lines} lines; outcomes: {dict(outcomes)}")
    print(f"LibCST parse floor (parse each file once): {floor:.2f} s")
    print(f"agent, all files: {wall:.2f} s CPU = {wall / floor:.1f}x the floor")
    for label, seconds in sorted(SECONDS.items(), key=lambda kv: -kv[1]):
        print(
            f"  {label:50} {seconds:7.2f} s {100 * seconds / wall:5.1f}%  "
            f"{seconds / floor:5.2f}x floor  ({CALLS[label]} calls)"
        )
    print(f"CPU of the child interpreters (import snapshots): {child_cpu:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
