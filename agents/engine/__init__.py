"""The split engine (pure): plan how to split one module, then write the package.

    plan = plan_split(source, EngineConfig(module="pkg.big"))   # may raise Refusal
    files = split(source, plan, EngineConfig(module="pkg.big"))  # {PurePosixPath: text}

No file I/O (templates are read through ``templates.load``), no subprocess, no printing.
"""

from __future__ import annotations

from modularize.agents.engine.model import EngineConfig, ModulePlan, Refusal, SplitPlan
from modularize.agents.engine.planner import plan_split
from modularize.agents.engine.writer import split, split_package


def release_caches() -> None:
    """Forget the analyses kept for planning and writing again (a big module's trees take
    hundreds of MB): for once a file is split, before its checks parse it all again."""
    from modularize.agents.engine import analysis, classsplit, compat, headers

    for cached in (analysis.analyse, classsplit._expand, compat._strings, headers.file_pragmas):
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
