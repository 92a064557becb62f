"""Benchmark ``modularize run`` on the standard library's big top-level modules.

Copies every top-level ``*.py`` of the running interpreter's stdlib over 400 lines into a
package in a temp dir (a package, so a copied ``typing.py`` never shadows the real one), then
measures, each on a fresh copy and in its own process:

- the floor: parsing every file with LibCST alone;
- ``run --dry-run --parallel 1`` and ``run --dry-run --parallel 2`` (split + verify each file);
- wall time and CPU time (user + system of the whole process tree, child interpreters
  included: on a shared machine the wall time swings with the load, the CPU time much less);
- the peak memory of the largest single process (a worker, or the main process).

It prints the ratios: dry run over the parse floor (goal <= 6), the speed-up of 2 workers over
1 as a share of what the CPU allows (a calibration with pure-Python work; goal >= 90%).
On a shared machine one run can land on a busy moment: each measurement (the calibration, the
floor, each run) is taken ``--repeat`` times, interleaved, and the medians are compared.
modularize's own modules are compiled to bytecode first, as ``pip install`` does: where
PYTHONDONTWRITEBYTECODE is set, every measured process would otherwise compile them anew.
``--big`` also splits a generated 50,000-line module (big_module.py) for real and checks that
every file it writes, ``__init__.py`` included, is within the limit (goal: 60 s, 400 MB).
Usage: ``python benchmarks/bench_run.py [--limit N] [--parallel 2] [--big] [--json out.json]``
"""

from __future__ import annotations

import argparse
import compileall
import json
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # big_module beside this file
PACKAGE = "stdlib_copy"

# Runs one command as a child: its wall time, the CPU time of the children it waited for, and
# each process's own peak memory (VmHWM in /proc, sampled by a thread every 0.2 s while the
# run lasts), so that pool workers (children of the forkserver, which nobody waits for) are
# measured too. The wall time ends when the child does, not at the sample after it.
MEASURE = """
import json, os, resource, subprocess, sys, threading, time

def tree(root):
    parents = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open("/proc/%s/stat" % pid) as handle:
                parents[int(pid)] = int(handle.read().rpartition(")")[2].split()[1])
        except OSError:
            pass
    found, grew = {root}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found

def peak_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0

def is_worker(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            line = handle.read()
    except OSError:
        return False
    return b"multiprocessing" in line and b"resource_tracker" not in line

def parent_of(pid):
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return int(handle.read().rpartition(")")[2].split()[1])
    except OSError:
        return 0

def sample(child, done):
    while not done.wait(0.2):
        for pid in tree(child.pid):
            peaks[pid] = max(peaks.get(pid, 0), peak_kib(pid))
            if pid not in workers and is_worker(pid):
                workers.add(pid)
                forkers.add(parent_of(pid))  # the forkserver: the parent of workers, not one

start = time.perf_counter()
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peaks, workers, forkers, done = {}, set(), set(), threading.Event()
sampler = threading.Thread(target=sample, args=(child, done))
sampler.start()
child.wait()  # the end to the microsecond, not to the next sample
seconds = time.perf_counter() - start
done.set()
sampler.join()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
worker_peaks = [peaks[p] for p in workers - forkers if peaks.get(p)]
print(json.dumps({
    "code": child.returncode, "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
    "peak_mib": max(usage.ru_maxrss, *peaks.values()) / 1024,
    "main_mib": peaks.get(child.pid, usage.ru_maxrss) / 1024,
    "worker_mib": [round(k / 1024) for k in sorted(worker_peaks)],
}))
"""

PARSE = """
import sys, libcst
from pathlib import Path
from typing import Any
for path in sorted(Path(sys.argv[1]).glob("*.py")):
    libcst.parse_module(path.read_bytes())
"""


def _spin(_: int) -> None:
    total = 0
    for i in range(20_000_000):  # long enough (about 1 s) that start-up noise does not count
        total += i


def compile_ours() -> None:
    """Compile modularize's modules to bytecode, as installing the wheel does."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / ".dev"))
    import modularize.agents
    import modularize.orchestrator
    import modularize.templates

    for package in (modularize.agents, modularize.orchestrator, modularize.templates):
        folder = Path(package.__file__ or "").resolve().parent  # a symlinked folder in .dev
        compileall.compile_dir(str(folder), quiet=1)


def median_of(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median wall and CPU time of ``runs`` (each apart), the largest memory peaks."""
    merged = dict(runs[len(runs) // 2])
    for key in ("seconds", "cpu", "split_phase", "after_splits"):
        values = [r[key] for r in runs if key in r]
        if values:
            merged[key] = statistics.median(values)
    for key in ("peak_mib", "main_mib"):
        merged[key] = max(r[key] for r in runs)
    merged["worker_mib"] = max(
        (r.get("worker_mib") or [] for r in runs), key=lambda w: max(w, default=0)
    )
    merged["runs"] = len(runs)
    return merged


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


def big_case(scratch: Path, threshold: int, size: int) -> dict[str, Any]:
    """Split a generated module of ``size`` lines for real (no commit), then scan what it wrote."""
    from big_module import generate

    root = scratch / "big"
    package = root / "warehouse"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    source = generate(size)
    (package / "orders.py").write_text(source, encoding="utf-8")
    numbers = measure(
        [sys.executable, "-m", "modularize", "run", str(package), "--no-commit", "--quiet"]
        + ["--allow-dirty", "--no-branch", "--parallel", "1", "--state", "memory://"]
    )
    written = (
        [p for p in (package / "orders").rglob("*.py")] if (package / "orders").is_dir() else []
    )
    sizes = {p.relative_to(package).as_posix(): p.read_bytes().count(b"\n") for p in written}
    numbers.update(
        lines=source.count("\n"),
        files=len(sizes),
        largest=max(sizes.items(), key=lambda kv: kv[1], default=("-", 0)),
        init_lines=sizes.get("orders/__init__.py", 0),
        over=sorted(name for name, lines in sizes.items() if lines > threshold),
    )
    return numbers


def print_big(big: dict[str, Any]) -> None:
    """The 50,000-line case against its goals (60 s, 400 MB, every file within the limit)."""
    print(
        f"generated module of {big['lines']} lines: {big['seconds']:.1f} s wall, "
        f"{big['cpu']:.1f} s CPU, peak {big['peak_mib']:.0f} MiB (goal 60 s, 400 MB); "
        f"exit code {big['code']}"
    )
    name, lines = big["largest"]
    print(
        f"  {big['files']} files written; largest {name} ({lines} lines); __init__.py "
        f"{big['init_lines']} lines; over the limit: {', '.join(big['over']) or 'none'}"
    )


def print_ratios(results: dict[str, Any], parallel: int) -> None:
    """The three ratios of the issue, each with its goal."""
    print(
        f"dry run (--parallel 1) over the parse floor: {results['dry_run_over_parse']:.1f}x wall, "
        f"{results['dry_run_over_parse_cpu']:.1f}x CPU (goal <= 6)"
    )
    print(
        f"speed-up, --parallel {parallel} over 1: {results['speedup']:.2f}x = "
        f"{100 * results['speedup_share']:.0f}% of the CPU calibration (goal >= 90%)"
    )


def main(argv: list[str] | None = None) -> int:
    """Measure, print the ratios, optionally write them as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="only the N smallest modules")
    parser.add_argument("--parallel", type=int, default=2, help="workers for the parallel run")
    parser.add_argument("--agent", default="libcst")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; medians compared")
    parser.add_argument("--big", action="store_true", help="also split a 50,000-line module")
    parser.add_argument("--big-lines", type=int, default=50_000, help="size of that module")
    parser.add_argument("--json", type=Path, default=None, help="also write the numbers here")
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # a long run: show progress
    files = big_stdlib_modules(400, args.limit)
    lines = sum(p.read_bytes().count(b"\n") for p in files)
    print(
        f"{len(files)} stdlib modules over 400 lines, {lines} lines in all "
        f"(Python {sys.version.split()[0]})"
    )
    compile_ours()
    runs: dict[str, list[dict[str, Any]]] = {"parse": [], "serial": [], "pooled": []}
    ceilings, totals = [], {}
    with tempfile.TemporaryDirectory(prefix="modularize-bench-") as tmp:
        for round_ in range(args.repeat):
            ceilings.append(calibrate(args.parallel))
            for name, parallel in (("parse", None), ("serial", 1), ("pooled", args.parallel)):
                scratch = Path(tmp) / f"{name}-{round_}"
                numbers, outcome = run_once(files, scratch, name, parallel, args.agent)
                runs[name].append(numbers)
                totals = outcome or totals
    # more than N times as fast is a busy moment during the one-process part, not the CPU
    ceiling = min(statistics.median(ceilings), float(args.parallel))
    print(
        f"CPU calibration: {args.parallel} processes do pure-Python work {ceiling:.2f}x as fast "
        f"as one (the ceiling for the speed-up below; median of {args.repeat})"
    )
    parse, serial, pooled = (median_of(runs[name]) for name in ("parse", "serial", "pooled"))
    speedup = serial["seconds"] / pooled["seconds"]
    results = {
        "files": len(files),
        "lines": lines,
        "totals": totals,
        "cpu_ceiling": ceiling,
        "cpu_ceilings": ceilings,
        "repeat": args.repeat,
        "parse": parse,
        "serial": serial,
        "pooled": pooled,
        "parallel": args.parallel,
        "speedup": speedup,
        "speedup_share": speedup / ceiling,
        "dry_run_over_parse": serial["seconds"] / parse["seconds"],
        "dry_run_over_parse_cpu": serial["cpu"] / parse["cpu"],
    }
    print(
        f"outcome: {totals.get('split', 0)} split, {totals.get('skipped', 0)} skipped, "
        f"{totals.get('failed', 0)} failed (exit codes {serial['code']}, {pooled['code']})"
    )
    for label, numbers in (
        ("LibCST parse alone", parse),
        ("run --dry-run --parallel 1", serial),
        (f"run --dry-run --parallel {args.parallel}", pooled),
    ):
        workers = numbers.get("worker_mib") or []
        memory = f"peak {numbers['main_mib']:4.0f} MiB" + (
            f" main, {max(workers)} MiB per worker ({len(workers)} workers)" if workers else ""
        )
        # Pool workers are the forkserver's children: their CPU is not in the main's rusage.
        cpu = f"{numbers['cpu']:7.2f} s CPU" if not workers else " " * 14
        print(f"{label:28} {numbers['seconds']:7.2f} s wall {cpu}   {memory}")
        if "split_phase" in numbers:
            print(
                f"  {numbers['split_phase']:.2f} s splitting, "
                f"{numbers['after_splits']:.2f} s after the splits (retargeting, reports)"
            )
    print_ratios(results, args.parallel)
    if args.big:
        with tempfile.TemporaryDirectory(prefix="modularize-bench-") as tmp:
            results["big"] = big_case(Path(tmp), 400, args.big_lines)
        print_big(results["big"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=list) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
