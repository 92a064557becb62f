"""What every agent is given (a Task) and what it gives back (an AgentResult).

Results, not exceptions, cross the process boundary: an agent never raises into the pool.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Protocol

from modularize.agents.core.config import VERIFY_TIMEOUT

if TYPE_CHECKING:
    from modularize.agents.breaker import KeyValueStore
    from modularize.agents.core.config import Config


class Status(str, enum.Enum):
    SPLIT = "split"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclasses.dataclass(frozen=True)
class Task:
    """One file to split, as handed to one agent in one worker process."""

    description: str
    subagent_type: str
    prompt: str
    path: str  # POSIX path of the file, relative to ``root``
    root: str  # absolute path of the repository (git top level, or the run's directory)
    module: str  # dotted module name of the file, e.g. ``pkg.big``
    import_root: str  # absolute directory that goes on sys.path to import ``module``
    dry_run: bool = False
    python: str | None = None  # interpreter used to verify imports (None: decide later)
    verify_cmd: str | None = None
    verify_timeout: float = VERIFY_TIMEOUT  # seconds --verify-cmd may take
    plan_file: str | None = None  # a person-edited plan to use instead of planning


@dataclasses.dataclass(frozen=True)
class ModuleOutput:
    path: str  # POSIX path relative to root, e.g. ``pkg/big/base.py``
    lines: int


@dataclasses.dataclass(frozen=True)
class AgentResult:
    """Small, frozen and picklable: success, skipped (with an actionable reason), or failed."""

    path: str
    status: Status
    agent: str
    reason: str = ""
    modules: tuple[ModuleOutput, ...] = ()
    warnings: tuple[str, ...] = ()
    traceback: str = ""
    plan_by: str = ""  # whose plan was used ("libcst", "claude") and why, for the report
    lines_before: int = 0
    seconds: float = 0.0
    # Where each top-level name of the old module now lives: (name, dotted submodule), so that
    # mock.patch("pkg.big.X") targets elsewhere in the repository can be retargeted.
    locations: tuple[tuple[str, str], ...] = ()
    # New file contents keyed by root-relative POSIX path ("" means: file deleted).
    # Filled for dry runs, so that the report and the patch can be built without the disk.
    files: tuple[tuple[str, str | None], ...] = ()
    # The compatibility layer: each piece of machinery with the finding that required it,
    # imports no longer re-exported, visible changes (one sentence each).
    compat: tuple[str, ...] = ()
    # Names whose assignment on the package reaches the modules that read them: patches of
    # these already work and are not retargeted.
    forwarded: tuple[str, ...] = ()


class Agent(Protocol):
    """One module per agent type implements this and registers under its ``subagent_type``."""

    subagent_type: ClassVar[str]

    def run(self, task: Task, config: Config, store: KeyValueStore | None = None) -> AgentResult:
        """Split ``task.path``; never raise: every outcome is a result.

        ``store`` is the run's shared state (the orchestrator opens it and passes it in; agents
        never import the orchestrator). None: nothing is shared beyond this process.
        """
        ...


# Where an agent's "I am now at stage X of file P" goes in this process: the progress display
# when agents run in the main process, the state store in a worker. None: nobody is watching.
StageListener = Callable[[str, str], None]
_stage_listener: StageListener | None = None


def listen_for_stages(listener: StageListener | None) -> None:
    """Send this process's stage reports to ``listener`` (None stops them)."""
    global _stage_listener
    _stage_listener = listener


def report_stage(path: str, stage: str) -> None:
    """Tell whoever shows progress that the agent on ``path`` is now at ``stage``."""
    if _stage_listener is not None:
        _stage_listener(path, stage)
