"""Agents: one module per agent type, registered by ``subagent_type``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modularize.agents.base import Agent

# subagent_type -> "module:Class"; imported lazily so the claude agent's SDK loads only when used.
REGISTRY: dict[str, str] = {
    "libcst": "modularize.agents.libcst_agent:LibCSTAgent",
    "claude": "modularize.agents.claude_agent:ClaudeAgent",
}


def check_agent(subagent_type: str) -> str:
    """The "module:Class" registered under ``subagent_type``; UsageError for an unknown one.
    Imports nothing: the main process of a parallel run never runs an agent itself."""
    from modularize.agents.core.errors import UsageError

    try:
        return REGISTRY[subagent_type]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UsageError(f"unknown agent {subagent_type!r} (known: {known})") from None


def agent_modules(subagent_type: str) -> tuple[str, ...]:
    """The modules a process that runs the agent ``subagent_type`` loads: the agent's own, and
    the engine's planner and writer (LibCST with them), which every agent splits with."""
    module_name = check_agent(subagent_type).partition(":")[0]
    return (module_name, "modularize.agents.engine.planner", "modularize.agents.engine.writer")


def get_agent(subagent_type: str) -> Agent:
    """An instance of the agent registered under ``subagent_type``."""
    import importlib

    module_name, _, class_name = check_agent(subagent_type).partition(":")
    agent: Agent = getattr(importlib.import_module(module_name), class_name)()
    return agent
