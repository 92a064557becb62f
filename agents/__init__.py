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


def get_agent(subagent_type: str) -> Agent:
    """An instance of the agent registered under ``subagent_type``."""
    import importlib

    from modularize.agents.core.errors import UsageError

    try:
        target = REGISTRY[subagent_type]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise UsageError(f"unknown agent {subagent_type!r} (known: {known})") from None
    module_name, _, class_name = target.partition(":")
    agent: Agent = getattr(importlib.import_module(module_name), class_name)()
    return agent
