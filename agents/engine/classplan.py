"""The planner's last two steps: say which classes were split (or why not), and refuse a plan
that would leave a module over the limit (a package that is no smaller helps nobody)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from pathlib import PurePosixPath

from modularize.agents.core.source import count_lines
from modularize.agents.engine.classsplit import expand_classes
from modularize.agents.engine.context import SourceContext
from modularize.agents.engine.model import EngineConfig, Refusal, SplitPlan


def class_roles(ctx: SourceContext, source: str, config: EngineConfig) -> None:
    """A split class stays a main class (``manager``) however small it became; its mixins are
    logic (``strategies``) unless their methods made them handlers."""
    split = {c.name for c in expand_classes(source, config).splits}
    for unit in ctx.units:
        if unit.id in split:
            unit.role = "manager"
        elif unit.id in ctx.mixins and unit.role not in ("strategies", "handlers"):
            unit.role = "strategies"


def with_class_splits(plan: SplitPlan, source: str, config: EngineConfig) -> SplitPlan:
    """``plan`` with one warning per class split (its mixins, methods and sizes) or refused."""
    if not plan.modules:
        return plan
    notes = expand_classes(source, config).warnings()
    return dataclasses.replace(plan, warnings=(*notes, *plan.warnings)) if notes else plan


def within_limit(
    plan: SplitPlan,
    ctx: SourceContext,
    config: EngineConfig,
    files: Mapping[PurePosixPath, str],
    source: str,
) -> SplitPlan:
    """``plan`` when every module holding the original's code (``files``: the plan written) is
    within the threshold; else Refusal naming the largest unit left over the limit and what
    blocks it. (``__init__.py`` is the generated compatibility layer: its size is initgen's
    business, and tiny test thresholds are below its fixed part.)"""
    if not plan.modules:
        return plan
    over = {
        rel: count_lines(text)
        for rel, text in files.items()
        if count_lines(text) > config.threshold and rel.name != "__init__.py"
    }
    if not over:
        return plan
    rel, lines = max(over.items(), key=lambda kv: kv[1])
    refused = {r.name: r.reason for r in expand_classes(source, config).refusals}
    raise Refusal(_over_reason(plan, ctx, config, refused, PurePosixPath(rel), lines))


def _over_reason(
    plan: SplitPlan,
    ctx: SourceContext,
    config: EngineConfig,
    refused: dict[str, str],
    rel: PurePosixPath,
    lines: int,
) -> str:
    mod = next((m for m in plan.modules if f"{m.name}.py" == rel.name), None)
    units = [ctx.by_id[u] for u in mod.units if u in ctx.by_id] if mod else []
    head = f"the split would leave {rel} at {lines} lines (over {config.threshold})"
    if not units:
        return head
    biggest = max(units, key=lambda u: u.lines)
    why = refused.get(biggest.id)
    if why:
        return f"{head}; its largest unit, class `{biggest.id}` ({biggest.lines} lines), {why}"
    kind = biggest.kind
    return (
        f"{head}; its largest unit is {kind} `{biggest.id}` ({biggest.lines} lines), "
        "which no split of the module can make smaller"
    )
