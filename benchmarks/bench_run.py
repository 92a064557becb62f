"""Benchmark ``modularize run`` on the standard library's big top-level modules.

Copies every top-level ``*.py`` of the running interpreter's stdlib over 400 lines into a
package in a temp dir (a package, so a copied ``typing.py`` never shadows the real one), then
measures, each on a fresh copy and in its own process:

- the floor: parsing every file with LibCST alone;
- ``run --dry-run --parallel 1`` and ``run --dry-run --parallel 2`` (split + verify each file);
- the peak memory of each (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``).

It prints the ratios: speed-up of 2 workers over 1, dry run over the parse floor.
Usage: ``python benchmarks/bench_run.py [--limit N] [--parallel 2] [--json out.json]``
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

PACKAGE = "stdlib_copy"

# Runs one command as a child and reports its wall time and the peak RSS of its process tree.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
seconds = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"code": code, "seconds": seconds, "peak_mib": peak_kib / 1024}))
"""

PARSE = """
import sys, libcst
from pathlib import Path
for path in sorted(Path(sys.argv[1]).glob("*.py")):
    libcst.parse_module(path.read_bytes())
"""


def _spin(_: int) -> None:
    total = 0
    for i in range(20_000_000):  # long enough (about 1 s) that start-up noise does not count
        total += i


def calibrate(parallel: int) -> float:
    """How much faster ``parallel`` processes do pure CPU work than one, on this machine now:
    the ceiling for the run's speed-up (other load on the cores lowers it)."""
    from concurrent.futures import ProcessPoolExecutor

    jobs = parallel * 2
    start = time.perf_counter()
    for i in range(jobs):
        _spin(i)
    alone = time.perf_counter() - start
    with ProcessPoolExecutor(parallel) as pool:
        list(pool.map(_spin, range(parallel)))  # start the workers before timing
        start = time.perf_counter()
        list(pool.map(_spin, range(jobs)))
        return alone / (time.perf_counter() - start)


def big_stdlib_modules(threshold: int, limit: int | None) -> list[Path]:
    """Top-level stdlib modules over ``threshold`` lines, smallest first."""
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    sized = []
    for path in stdlib.glob("*.py"):
        lines = path.read_bytes().count(b"\n")
        if lines > threshold:
            sized.append((lines, path))
    chosen = [p for _, p in sorted(sized)]
    return chosen[:limit] if limit else chosen


def make_copy(files: list[Path], where: Path) -> Path:
    """A fresh package holding copies of ``files``; returns the package folder."""
    package = where / PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    for path in files:
        shutil.copy2(path, package / path.name)
    return package


def measure(command: list[str]) -> dict[str, float]:
    """Wall time and peak memory of ``command`` run in a process of its own."""
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out)


def run_once(
    files: list[Path], scratch: Path, name: str, parallel: int | None, agent: str
) -> tuple[dict[str, float], dict[str, int]]:
    """One measured configuration on a fresh copy: parse only (``parallel`` None) or a run."""
    package = make_copy(files, scratch / name)
    if parallel is None:
        return measure([sys.executable, "-c", PARSE, str(package)]), {}
    report = scratch / f"{name}.json"
    state = f"sqlite://{(scratch / f'{name}.db').as_posix()}"
    numbers = measure(
        [
            sys.executable,
            "-m",
            "modularize",
            "run",
            str(package),
            "--dry-run",
            "--quiet",
            "--parallel",
            str(parallel),
            "--agent",
            agent,
            "--state",
            state,
            "--json",
            str(report),
        ]
    )
    numbers.update(phases(state, package))
    totals = json.loads(report.read_text())["totals"] if report.exists() else {}
    return numbers, totals


def phases(state: str, package: Path) -> dict[str, float]:
    """From the run's state: seconds splitting (first claim to last result) and after it
    (retargeting patch strings, reports) until the run was closed."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from modularize.orchestrator.state import open_store
    from modularize.orchestrator.state.runs import RunLedger, repo_key

    store = open_store(state, package, True)
    snapshot = RunLedger(store, repo_key(package, True), owner="bench").snapshot()
    store.close()
    record, finished = snapshot.record, [s.finished_at for s in snapshot.results.values()]
    if not finished or not record.get("finished"):
        return {}
    last = max(finished)
    return {"split_phase": last - record["started"], "after_splits": record["finished"] - last}


def main(argv: list[str] | None = None) -> int:
    """Measure, print the ratios, optionally write them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the N smallest modules")
    parser.add_argument("--parallel", type=int, default=2, help="workers for the parallel run")
    parser.add_argument("--agent", default="libcst")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = parser.parse_args(argv)
    files = big_stdlib_modules(400, args.limit)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(
        f"{len(files)} stdlib modules over 400 lines, {lines} lines in all "
        f"(Python {sys.version.split()[0]})"
    )
    ceiling = calibrate(args.parallel)
    print(
        f"CPU calibration: {args.parallel} processes do pure-Python work {ceiling:.2f}x as fast "
        "as one (the ceiling for the speed-up below)"
    )
    with tempfile.TemporaryDirectory(prefix="modularize-bench-") as tmp:
        scratch = Path(tmp)
        parse, _ = run_once(files, scratch, "parse", None, args.agent)
        serial, totals = run_once(files, scratch, "serial", 1, args.agent)
        pooled, _ = run_once(files, scratch, "pooled", args.parallel, args.agent)
    results = {
        "files": len(files),
        "lines": lines,
        "totals": totals,
        "cpu_ceiling": ceiling,
        "parse_seconds": parse["seconds"],
        "serial_seconds": serial["seconds"],
        "parallel_seconds": pooled["seconds"],
        "parallel": args.parallel,
        "speedup": serial["seconds"] / pooled["seconds"],
        "dry_run_over_parse": serial["seconds"] / parse["seconds"],
        "phases": {
            "serial": {k: serial[k] for k in ("split_phase", "after_splits") if k in serial},
            "parallel": {k: pooled[k] for k in ("split_phase", "after_splits") if k in pooled},
        },
        "peak_mib": {
            "parse": parse["peak_mib"],
            "serial": serial["peak_mib"],
            "parallel": pooled["peak_mib"],
        },
        "exit_codes": {"serial": serial["code"], "parallel": pooled["code"]},
    }
    print(
        f"outcome: {totals.get('split', 0)} split, {totals.get('skipped', 0)} skipped, "
        f"{totals.get('failed', 0)} failed (exit codes {serial['code']}, {pooled['code']})"
    )
    print(
        f"LibCST parse alone:        {parse['seconds']:8.2f} s   peak {parse['peak_mib']:6.0f} MiB"
    )
    print(
        f"run --dry-run --parallel 1: {serial['seconds']:7.2f} s   "
        f"peak {serial['peak_mib']:6.0f} MiB"
    )
    print(
        f"run --dry-run --parallel {args.parallel}: {pooled['seconds']:7.2f} s   "
        f"peak {pooled['peak_mib']:6.0f} MiB (largest single process)"
    )
    for label, numbers in (("1", serial), (str(args.parallel), pooled)):
        if "split_phase" in numbers:
            print(
                f"  --parallel {label}: {numbers['split_phase']:.2f} s splitting, "
                f"{numbers['after_splits']:.2f} s after the splits (retargeting, reports)"
            )
    if "split_phase" in serial and "split_phase" in pooled:
        results["split_phase_speedup"] = serial["split_phase"] / pooled["split_phase"]
        print(f"speed-up of the splitting phase alone: {results['split_phase_speedup']:.2f}x")
    print(f"speed-up, --parallel {args.parallel} over 1: {results['speedup']:.2f}x")
    print(f"dry run (--parallel 1) over the parse floor: {results['dry_run_over_parse']:.1f}x")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
