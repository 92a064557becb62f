"""The final names of a plan's modules: a module over the threshold is named for its
definition (with a warning), the largest module of a role takes the role's name, the rest are
named for their content (``naming.py``)."""

from __future__ import annotations

from modularize.agents.engine import naming, topics
from modularize.agents.engine.cycles import Group
from modularize.agents.engine.model import ROLES, EngineConfig
from modularize.agents.engine.units import Unit

_ROLE_ORDER = {r: i for i, r in enumerate(ROLES)}


def name_modules(
    groups: list[Group], config: EngineConfig, taken: set[str], ctx_units: list[Unit]
) -> tuple[list[Group], list[str]]:
    """Final module names: a group over the threshold is named for its definition (with a
    warning), the largest group of a role takes the role's name, the rest their content's."""
    names: dict[int, str] = {}
    warnings = []
    ctx_units = naming.FileUnits(ctx_units)  # read for every module: what it finds, found once
    for i, (_, _role, units) in enumerate(groups):
        if sum(u.lines for u in units) + naming.overhead(units) > config.threshold:
            biggest = max(units, key=lambda u: u.lines)
            candidates = [naming.snake(biggest.id), naming.own_module_name(biggest)]
            names[i] = naming.choose(candidates, taken)
            warnings.append(
                f"`{biggest.id}` is {biggest.lines} lines on its own (module "
                f"{names[i]}.py): it needs a class split to get under {config.threshold}"
            )
    about = topics.unit_topics(ctx_units)
    themes = {
        i: [n for n in naming.content_names(g[2], ctx_units, g[1], about) if naming.free(n, taken)]
        for i, g in enumerate(groups)
    }
    for role in ROLES:  # the role's name: its largest module with no theme of its own
        plain = [i for i, g in enumerate(groups) if g[1] == role and i not in names]
        # (constants, types and exceptions make a ``base``, unless they clearly share more)
        plain = [
            i for i in plain if not _role_theme(i, role, groups, themes, ctx_units, about, taken)
        ]
        if plain and naming.free(role, taken):
            largest = max(plain, key=lambda i: (sum(u.lines for u in groups[i][2]), -i))
            names[largest] = naming.choose([role], taken)
    by_size = sorted(range(len(groups)), key=lambda i: -sum(u.lines for u in groups[i][2]))
    for i in by_size:
        if i not in names:
            role, units = groups[i][1], groups[i][2]
            tail = config.module.rpartition(".")[2]
            fallback = naming.fallback_names(units, role, tail)
            names[i] = naming.choose(themes[i] + fallback, taken)
    named = [(names[i], role, units) for i, (_, role, units) in enumerate(groups)]
    order = {name: min(u.first for u in units) for name, _, units in named}
    return sorted(named, key=lambda g: (_ROLE_ORDER.get(g[1], 9), order[g[0]])), warnings


def _role_theme(
    i: int,
    role: str,
    groups: list[Group],
    themes: dict[int, list[str]],
    ctx_units: list[Unit],
    about: dict[str, topics.Topic],
    taken: set[str],
) -> list[str]:
    if role != "base":
        return themes[i]
    units = groups[i][2]
    topic = topics.dominant(units, about)
    # the largest of the definitions is no theme: base holds definitions the others share
    largest = {naming.snake(u.id) for u in naming.named_units(units)[:1]}
    strong = [n for n in naming.strong_names(units, ctx_units) if n not in largest]
    sure = strong + list(topic.names if topic else ())
    return [n for n in sure if naming.free(n, taken)]
