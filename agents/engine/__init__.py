"""The split engine (pure): plan how to split one module, then write the package.

    plan = plan_split(source, EngineConfig(module="pkg.big"))   # may raise Refusal
    files = split(source, plan, EngineConfig(module="pkg.big"))  # {PurePosixPath: text}

No file I/O (templates are read through ``templates.load``), no subprocess, no printing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from modularize.agents.engine.model import EngineConfig, ModulePlan, Refusal, SplitPlan
    from modularize.agents.engine.planner import plan_split
    from modularize.agents.engine.writer import split, split_package

# Loaded on first use: a process that only retargets (the main one of a parallel run) or
# reads call-time globals never loads LibCST and the planner.
_HOMES = {
    "EngineConfig": "model",
    "ModulePlan": "model",
    "Refusal": "model",
    "SplitPlan": "model",
    "plan_split": "planner",
    "split": "writer",
    "split_package": "writer",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_HOMES[name]}"), name)
    globals()[name] = value
    return value


def release_caches() -> None:
    """Forget the analyses kept for planning and writing again (a big module's trees take
    hundreds of MB): for once a file is split, before its checks parse it all again."""
    from modularize.agents.engine import analysis, classsplit, effects, headers, strings

    for cached in (
        analysis.analyse,
        classsplit._expand,
        effects._calls_and_stores,
        strings.module_strings,
        headers.file_pragmas,
    ):
        cached.cache_clear()


__all__ = [
    "EngineConfig",
    "ModulePlan",
    "Refusal",
    "SplitPlan",
    "plan_split",
    "release_caches",
    "split",
    "split_package",
]
