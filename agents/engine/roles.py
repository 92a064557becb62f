"""Roles: which of base / manager / strategies / handlers / utils each unit belongs to.

Each unit gets points per role from its shape and its place in the dependency graph; the role
with most points wins (ties go to the earlier role in ``ROLES``). The rules:
  base        data and vocabulary: constants, type aliases, TypeVars, enums, exceptions,
              TypedDict / NamedTuple / Protocol / dataclasses, import fallbacks; strongly
              favoured when many units depend on it and it depends on few.
  manager     the main class or classes: the largest classes that reach many other units.
  strategies  the business logic: other classes and non-trivial functions (the default).
  handlers    event, error and callback handling: functions or classes whose methods are
              mostly ``on_*`` / ``handle_*`` / ``*_callback``, or that take an exception.
  utils       small helpers (under ~25 lines) used by at least two other units.
"""

from __future__ import annotations

import re

import libcst as cst

from modularize.agents.engine.model import ROLES
from modularize.agents.engine.units import Unit

_BASE_CLASS_BASES = re.compile(
    r"^(Enum|IntEnum|StrEnum|Flag|IntFlag|TypedDict|NamedTuple|Protocol|Generic|ABC"
    r"|\w*(Error|Exception|Warning))$"
)
_HANDLER_NAME = re.compile(
    r"^_?(on_|handle_?|\w+_(handler|callback|hook)$)|(Handler|Callback|Hook|Listener)$"
)
_DATA_DECORATORS = ("dataclass", "attr.s", "attrs.define", "define", "frozen", "total_ordering")


def assign_roles(units: list[Unit]) -> None:
    """Set ``unit.role`` on every unit."""
    dependents: dict[str, int] = {u.id: 0 for u in units}
    for unit in units:
        for target in unit.refs:
            if target != unit.id and target in dependents:
                dependents[target] += 1
    managers = _manager_ids(units, dependents)
    for unit in units:
        scores = _scores(unit, dependents.get(unit.id, 0), unit.id in managers)
        unit.role = max(ROLES, key=lambda r: (scores[r], -ROLES.index(r)))


def _manager_ids(units: list[Unit], dependents: dict[str, int]) -> set[str]:
    """The main classes: classes of at least 60 lines, the biggest first, up to 2 of them."""
    classes = [u for u in units if _is_class(u) and u.lines >= 60 and len(u.refs) >= 2]
    classes.sort(key=lambda u: (-(u.lines * (1 + len(u.refs) + dependents.get(u.id, 0))), u.first))
    return {u.id for u in classes[:2]}


def _scores(unit: Unit, dependents: int, is_manager: bool) -> dict[str, float]:
    scores = dict.fromkeys(ROLES, 0.0)
    scores["strategies"] = 1.0
    node = unit.stmts[-1].node
    if _is_class(unit):
        cls = _class_node(unit)
        bases = {_dotted(a.value).rpartition(".")[2] for a in cls.bases}
        if bases & _base_names(bases) or _decorated_as_data(cls):
            scores["base"] += 3
        if is_manager:
            scores["manager"] += 4
        if _handler_methods(cls) or _HANDLER_NAME.search(cls.name.value):
            scores["handlers"] += 2.5
    elif isinstance(node, cst.FunctionDef):
        if _HANDLER_NAME.search(node.name.value) or _takes_exception(node):
            scores["handlers"] += 2
        if unit.lines <= 25 and dependents >= 2:
            scores["utils"] += 2
        elif unit.lines <= 12 and dependents >= 1:
            scores["utils"] += 1.5
    else:
        scores["base"] += 2  # constants, aliases, TypeVars, import fallbacks, registries
        if any(isinstance(s.node, (cst.FunctionDef, cst.ClassDef)) for s in unit.stmts):
            scores["base"] -= 1
    if dependents >= 3 and len(unit.refs) <= 1:
        scores["base"] += 1
    return scores


def _base_names(bases: set[str]) -> set[str]:
    return {b for b in bases if _BASE_CLASS_BASES.match(b)}


def _is_class(unit: Unit) -> bool:
    return any(isinstance(s.node, cst.ClassDef) for s in unit.stmts)


def _class_node(unit: Unit) -> cst.ClassDef:
    return next(s.node for s in unit.stmts if isinstance(s.node, cst.ClassDef))


def _dotted(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        return f"{_dotted(node.value)}.{node.attr.value}"
    if isinstance(node, cst.Subscript):
        return _dotted(node.value)
    if isinstance(node, cst.Call):
        return _dotted(node.func)
    return ""


def _decorated_as_data(cls: cst.ClassDef) -> bool:
    return any(_dotted(d.decorator).endswith(_DATA_DECORATORS) for d in cls.decorators)


def _handler_methods(cls: cst.ClassDef) -> bool:
    methods = [s.name.value for s in cls.body.body if isinstance(s, cst.FunctionDef)]
    handlers = [n for n in methods if _HANDLER_NAME.search(n)]
    return len(methods) >= 2 and len(handlers) * 2 > len(methods)


def _takes_exception(func: cst.FunctionDef) -> bool:
    for param in func.params.params:
        ann = _dotted(param.annotation.annotation) if param.annotation else ""
        if param.name.value in ("exc", "exception", "error", "err") or ann.endswith(
            ("Exception", "Error")
        ):
            return True
    return False
