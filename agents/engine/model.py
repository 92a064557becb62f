"""The engine's data: its configuration, the refusal it raises, and the plan a person can edit."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from modularize.agents.core.config import DEFAULT_BUDGETS, Compat

PLAN_VERSION = 1
ROLES = ("base", "manager", "strategies", "handlers", "utils")


@dataclasses.dataclass(frozen=True)
class RepoUses:
    """What the rest of the repository does with the module being split."""

    read: frozenset[str] = frozenset()  # names imported or read through the module
    # name -> where it is set on the module in a way no rewrite can move ("README.md:40:
    # tabulate.PRESERVE_WHITESPACE = True", a plain assignment in code)
    assigned: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # name -> where a mock.patch / monkeypatch.setattr sets it (the run retargets those)
    patched: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # name -> where a longer string shows its old dotted path (a repr a test matches)
    shown: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # where code reads modules' ``__package__`` (toolz's tlz mirrors modules by it), or ""
    package_read: str = ""


@dataclasses.dataclass(frozen=True)
class InitLayer:
    """The compatibility layer's decisions, for the writer, verification and the report."""

    kept_imports: frozenset[str]  # names the original imported that __init__ re-exports
    dropped: frozenset[str]  # names the original imported that the package no longer has
    forwarded: frozenset[str]  # names whose assignment on the package reaches the readers
    notes: tuple[str, ...] = ()  # each piece of machinery, with the finding that required it
    # of ``dropped``, private names the original defined (a star-form ``__init__``: starinit.py)
    private_dropped: frozenset[str] = frozenset()


@dataclasses.dataclass(frozen=True)
class EngineConfig:
    """What the engine needs to know about the file it splits."""

    module: str  # dotted name of the file being split ("pkg.big"; a package init: "pkg")
    is_package_init: bool = False  # splitting pkg/__init__.py: new modules go next to it
    budgets: Mapping[str, int] = dataclasses.field(default_factory=lambda: dict(DEFAULT_BUDGETS))
    threshold: int = 400
    keep_logger_names: bool = True
    # Module names already present in the package (package-init splits must not collide with them).
    existing_names: frozenset[str] = frozenset()
    compat: Compat = Compat.MINIMAL
    uses: RepoUses = dataclasses.field(default_factory=RepoUses)  # the repository's scan
    # ``from x import *`` of the file (x as written) -> the names it binds, resolved by the
    # agent in the project's interpreter (see starimports.py); unresolved ones are refused.
    star_names: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    @property
    def package(self) -> str:
        """The dotted package the generated modules live in."""
        return self.module


@dataclasses.dataclass(frozen=True)
class SplitOutput:
    """The new files (keyed by path relative to the package directory) and the layer's
    decisions, which verification and the report need."""

    files: dict[PurePosixPath, str]
    layer: InitLayer


class Refusal(Exception):
    """The file cannot be split with behaviour preserved; ``reason`` says why, for a person."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclasses.dataclass(frozen=True)
class ModulePlan:
    """One generated module: its file name (without .py), role and the units it holds."""

    name: str
    role: str
    units: tuple[str, ...]
    lines: int = 0
    doc: str = ""  # the first line of the module's docstring ("" : the writer describes it)
    # names the module imports from each sibling (informational: the writer recomputes them)
    imports: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclasses.dataclass(frozen=True)
class SplitPlan:
    """Which unit goes to which module. Unit ids are the names a unit binds, or ``stmt@L<n>``."""

    module: str
    modules: tuple[ModulePlan, ...]
    init_units: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    # unit id -> every top-level name it binds, for units whose names are not just their id
    bindings: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    version: int = PLAN_VERSION

    def locations(self) -> dict[str, str]:
        """Each top-level name defined by a moved unit -> the dotted module that now defines it."""
        found: dict[str, str] = {}
        for mod in self.modules:
            if mod.name == "__main__":
                continue
            for unit in mod.units:
                for name in self.bindings.get(unit, (unit,)):
                    if not name.startswith("stmt@"):
                        found[name] = f"{self.module}.{mod.name}"
        return found

    def to_json(self) -> str:
        """The plan as indented JSON, stable for a given plan."""
        data: dict[str, Any] = {
            "version": self.version,
            "module": self.module,
            "modules": [_module_json(m) for m in self.modules],
            "init_units": list(self.init_units),
            "warnings": list(self.warnings),
            "bindings": {k: list(v) for k, v in sorted(self.bindings.items())},
        }
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def from_json(cls, text: str) -> SplitPlan:
        """Read a plan written by ``to_json`` (possibly edited); raise Refusal when malformed."""
        try:
            data = json.loads(text)
            if data.get("version") != PLAN_VERSION:
                raise Refusal(f"plan version {data.get('version')!r} is not {PLAN_VERSION}")
            modules = tuple(
                ModulePlan(
                    str(m["name"]),
                    str(m.get("role", "strategies")),
                    tuple(str(u) for u in m["units"]),
                    int(m.get("lines", 0)),
                    doc=str(m.get("doc", "")),
                )
                for m in data["modules"]
            )
            bindings = {
                str(k): tuple(str(n) for n in v) for k, v in dict(data.get("bindings", {})).items()
            }
            return cls(
                module=str(data["module"]),
                modules=modules,
                init_units=tuple(str(u) for u in data.get("init_units", ())),
                warnings=tuple(str(w) for w in data.get("warnings", ())),
                bindings=bindings,
            )
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise Refusal(f"the plan is not valid plan JSON: {exc}") from None


def _module_json(mod: ModulePlan) -> dict[str, Any]:
    data: dict[str, Any] = {"name": mod.name, "role": mod.role}
    if mod.doc:
        data["doc"] = mod.doc
    data.update(units=list(mod.units), lines=mod.lines)
    if mod.imports:
        data["imports"] = {target: list(names) for target, names in mod.imports}
    return data
