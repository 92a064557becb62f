"""The split engine (pure): plan how to split one module, then write the package.

    plan = plan_split(source, EngineConfig(module="pkg.big"))   # may raise Refusal
    files = split(source, plan, EngineConfig(module="pkg.big"))  # {PurePosixPath: text}

No file I/O (templates are read through ``templates.load``), no subprocess, no printing.
"""

from __future__ import annotations

from modularize.agents.engine.model import EngineConfig, ModulePlan, Refusal, SplitPlan
from modularize.agents.engine.planner import plan_split
from modularize.agents.engine.writer import split, split_package

__all__ = [
    "EngineConfig",
    "ModulePlan",
    "Refusal",
    "SplitPlan",
    "plan_split",
    "split",
    "split_package",
]
