"""What we send Claude (outline, tool, prompt) and how its proposal is checked (pure).

A proposal is untrusted input. ``plan_from_proposal`` accepts it only when it is a valid plan
for this file: every movable unit assigned exactly once, module names that are identifiers and
neither keywords, dunders, names bound in the original nor existing modules, units that must
share a module kept together, no import-time cycle between the new modules, and every
generated module within its role's budget. The engine's own ``split`` has the last word.
Units that stay in ``__init__`` and the ``__main__`` block are not Claude's to move.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from modularize.agents.claude_names import ProposalRejected, check_names, proposal_docs
from modularize.agents.engine.kinds import Edge

if TYPE_CHECKING:
    from modularize.agents.base import Task
    from modularize.agents.core.config import Config
    from modularize.agents.engine import EngineConfig, SplitPlan
    from modularize.agents.engine.context import SourceContext

TOOL_NAME = "propose_split_plan"
SYSTEM = (
    "You plan module splits for a refactoring tool. You never write code; you only "
    "assign the listed units to new modules, by calling the tool."
)


def context(source: str, engine: EngineConfig) -> SourceContext:
    """The engine's analysis of ``source`` with roles assigned (compute once, pass around)."""
    from modularize.agents.engine.context import prepare
    from modularize.agents.engine.roles import assign_roles

    ctx = prepare(source, engine)
    assign_roles(ctx.units)
    return ctx


def outline(source: str, engine: EngineConfig, ctx: SourceContext | None = None) -> dict[str, Any]:
    """The file's units in order: kind, size, suggested role, what each needs and calls."""
    ctx = ctx or context(source, engine)
    units = []
    for unit in ctx.units:
        entry: dict[str, Any] = {
            "id": unit.id,
            "kind": unit.kind,
            "line": unit.stmts[0].line,
            "lines": unit.lines,
            "role": unit.role,
        }
        if unit.names and unit.names != (unit.id,):
            entry["binds"] = list(unit.names)
        entry["needs"] = sorted(t for t, k in unit.refs.items() if k is Edge.IMPORT)
        entry["calls"] = sorted(t for t, k in unit.refs.items() if k is Edge.CALL)
        units.append(entry)
    return {
        "module": engine.module,
        "units": units,
        "stay_in_init": [u.id for u in ctx.init_units],
        "shared_globals": sorted(ctx.analysis.live),
    }


def tool_definition() -> dict[str, Any]:
    """The one tool Claude must call; its input schema is the plan."""
    from modularize.agents.engine.model import ROLES

    module = {
        "type": "object",
        "properties": {
            "name": {
                "type": "string",
                "description": "file name without .py saying what the module holds, e.g. pricing",
            },
            "doc": {
                "type": "string",
                "description": "the module docstring's one line: what it holds, e.g. "
                "'Choice, DateTime and the number-range parameter types.'",
            },
            "role": {"type": "string", "enum": list(ROLES)},
            "units": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "description": "unit ids from the outline, in any order",
            },
        },
        "required": ["name", "doc", "role", "units"],
        "additionalProperties": False,
    }
    return {
        "name": TOOL_NAME,
        "description": "Propose which new module each unit of the file goes to.",
        "input_schema": {
            "type": "object",
            "properties": {
                "modules": {"type": "array", "items": module, "minItems": 1},
                "rationale": {"type": "string", "description": "one or two sentences"},
            },
            "required": ["modules"],
            "additionalProperties": False,
        },
    }


def build_request(
    task: Task,
    config: Config,
    source: str,
    plan: SplitPlan,
    engine: EngineConfig,
    ctx: SourceContext | None = None,
    *,
    send_source: bool | None = None,
) -> dict[str, Any]:
    """The keyword arguments of ``messages.create``: prompt, the tool, and forcing its use.

    The source goes along only when ``send_source`` (default: ``--send-source``) says so.
    """
    from modularize import templates
    from modularize.agents.core.source import count_lines
    from modularize.agents.engine.model import ROLES
    from modularize.agents.engine.naming import taken_names
    from modularize.agents.secrets import secret_in_name

    ctx = ctx or context(source, engine)
    proposal_view = {
        "modules": [
            {"name": m.name, "doc": m.doc, "role": m.role, "units": list(m.units)}
            for m in plan.modules
            if m.name != "__main__"
        ]
    }
    section = ""
    if config.claude.send_source if send_source is None else send_source:
        section = f"\nThe source of the module:\n\n```python\n{source}\n```\n"
    prompt = templates.render(
        "prompts/claude_plan.md",
        tool=TOOL_NAME,
        path=task.path,
        module=task.module,
        lines=count_lines(source),
        threshold=engine.threshold,
        # (the names of files beside it that look like secrets are nobody else's business)
        bound_names=", ".join(
            sorted(n for n in taken_names(ctx, engine) if not secret_in_name(f"{n}.py"))
        )
        or "(none)",
        roles=", ".join(ROLES),
        budgets=", ".join(f"{r} < {engine.budgets.get(r, engine.threshold)}" for r in ROLES),
        outline=json.dumps(outline(source, engine, ctx), indent=1),
        plan=json.dumps(proposal_view, indent=1),
        source_section=section,
    )
    return {
        "model": config.claude.model,
        "max_tokens": config.claude.max_tokens,
        "system": SYSTEM,
        "messages": [{"role": "user", "content": prompt}],
        "tools": [tool_definition()],
        "tool_choice": {"type": "tool", "name": TOOL_NAME},
    }


def _shape(tool_input: Any) -> list[tuple[str, str, list[str]]]:
    """(name, role, units) per proposed module; anything else is rejected."""
    from modularize.agents.engine.model import ROLES

    modules = tool_input.get("modules") if isinstance(tool_input, dict) else None
    if not isinstance(modules, list) or not modules:
        raise ProposalRejected("the proposal has no list of modules")
    found = []
    for i, mod in enumerate(modules):
        if (
            not isinstance(mod, dict)
            or not isinstance(mod.get("name"), str)
            or not isinstance(mod.get("units"), list)
            or not all(isinstance(u, str) for u in mod["units"])
        ):
            raise ProposalRejected(f"module #{i + 1} is not {{name, role, units: [ids]}}")
        if mod.get("role") not in ROLES:
            raise ProposalRejected(
                f"module {mod['name']!r}: role {mod.get('role')!r} is not one of {', '.join(ROLES)}"
            )
        found.append((mod["name"], mod["role"], list(mod["units"])))
    return found


def _check_budgets(
    outputs: Mapping[PurePosixPath, str], plan: SplitPlan, fallback: SplitPlan, engine: EngineConfig
) -> None:
    """Each new module stays under its role's budget, unless it cannot be cut smaller."""
    from modularize.agents.core.source import count_lines

    accepted = {frozenset(m.units) for m in fallback.modules}
    for mod in plan.modules:
        text = outputs.get(PurePosixPath(f"{mod.name}.py"))
        if text is None or mod.name == "__main__":
            continue
        lines = count_lines(text)
        budget = min(int(engine.budgets.get(mod.role, engine.threshold)), engine.threshold + 1)
        indivisible = len(mod.units) == 1 or frozenset(mod.units) in accepted
        if lines >= budget and not indivisible:
            raise ProposalRejected(
                f"module {mod.name} would be {lines} lines; {mod.role} "
                f"modules must stay under {budget}"
            )


def plan_from_proposal(
    tool_input: Any,
    fallback: SplitPlan,
    source: str,
    engine: EngineConfig,
    ctx: SourceContext | None = None,
) -> SplitPlan:
    """Claude's proposal as a SplitPlan, or ProposalRejected with the first problem found."""
    from modularize.agents.engine import Refusal
    from modularize.agents.engine.model import ModulePlan, SplitPlan
    from modularize.agents.engine.naming import taken_names
    from modularize.agents.engine.writer import write_files

    proposed = _shape(tool_input)
    docs = proposal_docs(tool_input)
    ctx = ctx or context(source, engine)
    fixed = [m for m in fallback.modules if m.name == "__main__"]
    check_names([name for name, _, _ in proposed], taken_names(ctx, engine))
    order = {u.id: u.first for u in ctx.units}  # unknown units: check_plan names them
    modules = tuple(
        ModulePlan(
            name,
            role,
            tuple(sorted(units, key=lambda u: order.get(u, len(order)))),
            sum(ctx.by_id[u].lines for u in units if u in ctx.by_id),
            doc=docs.get(name, ""),
        )
        for name, role, units in proposed
    )
    warnings = tuple(
        f"`{m.units[0]}` is {m.lines} lines on its own (module {m.name}.py): it "
        f"needs a class split to get under {engine.threshold}"
        for m in modules
        if m.lines > engine.threshold
    )
    plan = SplitPlan(
        module=fallback.module,
        modules=modules + tuple(fixed),
        init_units=fallback.init_units,
        warnings=warnings,
        bindings=fallback.bindings,
    )
    try:  # write_files runs the checks every plan passes: units, names, import order
        outputs = write_files(ctx, plan, engine)
    except Refusal as exc:
        raise ProposalRejected(exc.reason) from None
    except Exception as exc:  # noqa: BLE001 - untrusted input must not crash the agent
        raise ProposalRejected(
            f"the engine could not split by it: {type(exc).__name__}: {exc}"
        ) from None
    _check_budgets(outputs, plan, fallback, engine)
    return plan
