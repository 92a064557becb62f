"""A small deterministic agent for orchestrator tests, independent of the split engine.

It turns ``big.py`` into ``big/__init__.py`` (star re-exports) + ``big/partN.py`` (the code),
and a package's ``__init__.py`` into ``partN.py`` siblings, written by the real safe writer
(``agents/apply.py``, journal and all). ``TOY_DELAY`` (seconds) slows each file down so tests
can interrupt a run between files, ``TOY_VERIFY_DELAY`` holds the written split before it is
committed (where the real agent verifies); ``TOY_FAIL`` (a substring of a path) makes matching
files fail, ``TOY_DIE`` kills the worker process on them.

Run as a script it is ``modularize`` with this agent registered as ``toy``; with the
forkserver start method the workers import this file as ``__mp_main__`` and register it too.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path, PurePosixPath
from typing import ClassVar

from modularize import agents
from modularize.agents.apply import apply_split
from modularize.agents.base import AgentResult, ModuleOutput, Status, Task

agents.REGISTRY["toy"] = "tests.orchestrator.toy_agent:ToyAgent"
agents.REGISTRY["crash"] = "tests.orchestrator.toy_agent:CrashAgent"


def _outputs(source: str) -> dict[str, str]:
    """Blocks (split on blank-line pairs) packed into parts of at most 300 lines; paths are
    relative to the new package (or to the package whose ``__init__.py`` is split)."""
    parts: list[str] = [""]
    for block in source.split("\n\n\n"):
        if parts[-1].count("\n") + block.count("\n") > 300:
            parts.append("")
        parts[-1] += block + "\n\n\n"
    init = "".join(f"from .part{i} import *  # noqa: F403\n" for i in range(len(parts)))
    out = {"__init__.py": init}
    out.update({f"part{i}.py": text.rstrip("\n") + "\n" for i, text in enumerate(parts)})
    return out


class ToyAgent:
    """Moves the code into a package; no planning, no verification."""

    subagent_type: ClassVar[str] = "toy"

    def run(self, task: Task, config: object, store: object = None) -> AgentResult:
        """Split ``task.path`` the toy way; failures become results."""
        started = time.monotonic()
        if os.environ.get("TOY_DIE") and os.environ["TOY_DIE"] in task.path:
            os._exit(3)  # a worker killed mid-task (out of memory, segfault)
        time.sleep(float(os.environ.get("TOY_DELAY", "0")))
        path = Path(task.root) / task.path
        if os.environ.get("TOY_FAIL") and os.environ["TOY_FAIL"] in task.path:
            return AgentResult(
                task.path,
                Status.FAILED,
                "toy",
                reason="asked to fail",
                traceback="Traceback: toy failure",
            )
        if not path.is_file():
            return AgentResult(task.path, Status.SKIPPED, "toy", reason="file is gone")
        source = path.read_text(encoding="utf-8")
        is_init = path.name == "__init__.py"
        outputs = _outputs(source)
        package = PurePosixPath(task.path).parent
        package = package if is_init else package / path.stem
        named = {(package / rel).as_posix(): text for rel, text in outputs.items()}
        modules = tuple(ModuleOutput(p, t.count("\n")) for p, t in named.items())
        files: tuple[tuple[str, str | None], ...] = ()
        if task.dry_run:
            files = (*named.items(), *(() if is_init else ((task.path, None),)))
        else:
            reason = _write(path, outputs)
            if reason:
                return AgentResult(task.path, Status.SKIPPED, "toy", reason=reason)
        locations = tuple(
            (line[4:].split("(")[0], f"{task.module}.{Path(rel).stem}")
            for rel, text in named.items()
            if not rel.endswith("__init__.py")
            for line in text.splitlines()
            if line.startswith("def ")
        )
        return AgentResult(
            task.path,
            Status.SPLIT,
            "toy",
            modules=modules,
            files=files,
            locations=locations,
            lines_before=source.count("\n"),
            seconds=time.monotonic() - started,
        )


class CrashAgent:
    """Breaks the agent contract by raising: the scheduler must turn that into a result."""

    subagent_type: ClassVar[str] = "crash"

    def run(self, task: Task, config: object, store: object = None) -> AgentResult:
        """Always raises."""
        raise RuntimeError(f"cannot cope with {task.path}")


def _write(original: Path, outputs: dict[str, str]) -> str | None:
    """Write the split with the real safe writer, hold it, keep it; why not, or None."""

    def verify() -> None:  # where the real agent imports the package
        time.sleep(float(os.environ.get("TOY_VERIFY_DELAY", "0")))

    return apply_split(original, {PurePosixPath(rel): t for rel, t in outputs.items()}, verify)


if __name__ == "__main__":
    from modularize.orchestrator.cli import main

    sys.argv[0] = "modularize"
    main()
