"""Import-time effects on shared objects, and the order a split runs them in (pure).

Registries filled while the module imports (``@register`` on classes, ``HANDLERS.append(f)``,
``register(X)`` near the end), ``atexit``/``signal`` handlers, logging configuration and
``sys.modules`` entries keep the order of the statements that made them. After a split those
statements run module by module; ``out_of_order`` finds the first pair that would run the other
way round, so that the planner can put them in one module or refuse the file.

A statement affects a shared object when, while the module imports (decorators, class bodies,
module-level code, not function bodies), it
  - calls a mutating method of a module-level container or registry object
    (``HANDLERS.append``, ``@registry.register``) or stores into it (``TABLE[k] = v``);
  - calls a function of the module whose body does one of those (``@register``);
  - registers with the interpreter: ``atexit``, ``signal``, ``logging`` configuration,
    ``warnings`` filters, ``copyreg``, ``codecs``, ``sys.modules`` and ``sys.path``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

import libcst as cst

from modularize.agents.engine.cstwalk import Below, closed, nodes
from modularize.agents.engine.graph import Layout
from modularize.agents.engine.roles import _dotted  # ``a.b.c`` of an expression: one reader
from modularize.agents.engine.units import Unit

_MUTATORS = frozenset(
    {
        "append",
        "appendleft",
        "extend",
        "extendleft",
        "insert",
        "add",
        "update",
        "setdefault",
        "pop",
        "popitem",
        "remove",
        "discard",
        "clear",
        "sort",
        "reverse",
        "__setitem__",
        "__delitem__",
    }
)
_CONTAINERS = frozenset(
    {
        "dict",
        "list",
        "set",
        "deque",
        "defaultdict",
        "OrderedDict",
        "Counter",
        "WeakValueDictionary",
        "WeakKeyDictionary",
        "WeakSet",
    }
)
# Interpreter-wide registries: dotted call prefix -> the key its effects share.
_EXTERNAL = {
    "atexit.register": "atexit",
    "atexit.unregister": "atexit",
    "signal.signal": "signal",
    "warnings.filterwarnings": "warnings filters",
    "warnings.simplefilter": "warnings filters",
    "copyreg.pickle": "copyreg",
    "codecs.register": "codecs",
    "sys.path.insert": "sys.path",
    "sys.path.append": "sys.path",
    "mimetypes.add_type": "mimetypes",
}
_LOGGING = frozenset(
    {
        "basicConfig",
        "dictConfig",
        "fileConfig",
        "addHandler",
        "removeHandler",
        "addFilter",
        "setLevel",
        "addLevelName",
        "setLoggerClass",
        "captureWarnings",
        "disable",
    }
)


class _Effects:
    """Calls and stores of one statement; function bodies only when ``bodies``."""

    def __init__(self, bodies: bool) -> None:
        self.bodies = bodies
        self.calls: list[str] = []
        self.stores: list[str] = []

    def read(self, root: cst.CSTNode) -> None:
        """Collect the calls and stores under ``root`` (in no particular order).

        Types are compared, not ``isinstance``-checked: these node types have no subclasses,
        and ``isinstance`` of a LibCST node goes through ``abc`` for every node that is not one.
        """
        for node in nodes(root, self._below):
            if type(node) is cst.Decorator:
                if type(node.decorator) is not cst.Call:  # ``@register``: called all the same
                    self.calls.append(_dotted(node.decorator))
            elif type(node) is cst.Call:
                self.calls.append(_dotted(node.func))
            elif (
                type(node) is cst.AssignTarget
                or type(node) is cst.AugAssign
                or type(node) is cst.Del
            ):
                if type(node.target) is cst.Subscript:
                    self.stores.append(_dotted(node.target.value))

    @property
    def _below(self) -> Below:
        """A function's decorators run at import time, its body only when called."""
        if self.bodies:
            return {cst.FunctionDef: lambda node: [*node.decorators, node.body]}
        return {cst.FunctionDef: lambda node: node.decorators, **closed(cst.Lambda)}


@functools.lru_cache(maxsize=4096)  # the planner and the writer read the same statements
def _calls_and_stores(root: cst.CSTNode, bodies: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``_Effects(bodies).read(root)``'s calls and stores."""
    effects = _Effects(bodies)
    effects.read(root)
    return tuple(effects.calls), tuple(effects.stores)


def _containers(units: Sequence[Unit]) -> dict[str, Unit]:
    """Module-level names bound to a container or an object that may act as a registry."""
    found: dict[str, Unit] = {}
    for unit in units:
        for stmt in unit.stmts:
            node = stmt.node
            if not isinstance(node, cst.SimpleStatementLine):
                continue
            for small in node.body:
                value = getattr(small, "value", None)
                if isinstance(small, (cst.Assign, cst.AnnAssign)) and _container_value(value):
                    found.update((n, unit) for n in stmt.binds)
    return found


def _container_value(value: cst.BaseExpression | None) -> bool:
    if isinstance(value, (cst.List, cst.Dict, cst.Set)):
        return True
    return isinstance(value, cst.Call) and _dotted(value.func).rpartition(".")[2] in _CONTAINERS


def _keys(calls: Iterable[str], stores: Iterable[str], containers: Mapping[str, Unit]) -> set[str]:
    keys: set[str] = set()
    for dotted in calls:
        base, _, rest = dotted.partition(".")
        method = dotted.rpartition(".")[2]
        if base in containers and rest and (method in _MUTATORS or method.startswith("register")):
            keys.add(base)
        elif dotted.startswith("logging.") and method in _LOGGING:
            keys.add("logging")
        else:
            keys.update(k for prefix, k in _EXTERNAL.items() if dotted == prefix)
    keys.update(s for s in stores if s in containers or s == "sys.modules")
    return keys


def effect_keys(units: Sequence[Unit]) -> dict[str, set[str]]:
    """Unit id -> the shared objects its import-time code acts on (directly, or by calling
    a function of the module that does)."""
    containers = _containers(units)
    functions: dict[str, set[str]] = {}
    for unit in units:
        for stmt in unit.stmts:
            if isinstance(stmt.node, cst.FunctionDef):
                calls, stores = _calls_and_stores(stmt.node.body, bodies=True)
                functions[stmt.node.name.value] = _keys(calls, stores, containers)
    found: dict[str, set[str]] = {}
    for unit in units:
        keys: set[str] = set()
        for stmt in unit.stmts:
            calls, stores = _calls_and_stores(stmt.node, bodies=False)
            keys |= _keys(calls, stores, containers)
            for call in calls:
                keys |= functions.get(call, set())
        keys -= {n for n in keys if containers.get(n) is unit}  # one unit keeps its order
        if keys:
            found[unit.id] = keys
    return found


def execution_order(layout: Layout, init_order: Sequence[str] | None = None) -> list[str]:
    """The generated modules in the order their bodies run when the package is imported:
    ``__init__`` imports them in load order (or ``init_order``), and each first imports its
    siblings at the top."""
    ran: list[str] = []
    started: set[str] = set()

    def load(mod: str) -> None:
        if mod in started:
            return
        started.add(mod)
        for target, _ in layout.top_imports(mod):
            load(target)
        ran.append(mod)

    for mod in layout.arrangement.order if init_order is None else init_order:
        load(mod)
    return ran


def out_of_order(
    units: Sequence[Unit],
    keys: Mapping[str, set[str]],
    placement: Mapping[str, str],
    layout: Layout,
) -> tuple[str, Unit, Unit] | None:
    """The first shared object whose import-time effects (``keys``, from ``effect_keys``)
    would run in another order after the split: (object, the unit that ran first, the unit
    that would now run before it)."""
    position = {m: i for i, m in enumerate(execution_order(layout))}
    by_key: dict[str, list[Unit]] = {}
    for unit in units:  # original order
        for key in sorted(keys.get(unit.id, ())):
            by_key.setdefault(key, []).append(unit)
    for key, acting in sorted(by_key.items()):
        runs = [(position.get(placement.get(u.id, ""), -1), u.first) for u in acting]
        for i in range(1, len(acting)):
            if runs[i] < runs[i - 1]:
                return key, acting[i - 1], acting[i]
    return None
