"""Judge the import surface of a split against the original's (pure).

The snapshots are taken in fresh forks of a clean interpreter by ``modularize.agents.verify``
(the script is ``modularize.agents.snapshot_script``). Each check names what failed and on
which name: a name's kind, value, or the content and order of a container; finding the source
(``inspect.getsource``) and ``typing.get_type_hints`` of a class or function that worked
before; the outcome of each doctest example of the package and its submodules; what
``from module import *`` binds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

MAX_LISTED = 5  # problems listed per check; the rest are counted
# Module attributes that differ between a module and a package by nature, not by behaviour.
_IMPORT_SYSTEM_NAMES = frozenset(
    {
        "__builtins__",
        "__cached__",
        "__file__",
        "__loader__",
        "__path__",
        "__spec__",
        "__package__",
        "__annotations__",
        # Bookkeeping of the warnings module: which module a warning is charged to, not an API.
        "__warningregistry__",
    }
)
VALUE_FIELDS = ("value", "size", "items")  # differ between two imports of an unstable name
INTROSPECTION = ("getsource", "get_type_hints")  # must keep working where they worked
_SHOWN_ONLY = ("preview", "rehomed")
_NOT_RUN = "not run"  # the doctest time budget ran out before this one


def _comparable(entry: Mapping[str, Any], unstable: bool) -> Mapping[str, Any]:
    skipped = (*INTROSPECTION, *_SHOWN_ONLY, *(VALUE_FIELDS if unstable else ()))
    return {k: v for k, v in entry.items() if k not in skipped}


def compare_snapshots(
    module: str,
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    submodules: Iterable[str],
    dropped: frozenset[str] = frozenset(),
) -> list[str]:
    """Problems where the split's import surface differs from the original's.

    ``dropped``: names the original only imported that the package no longer re-exports (the
    default layer's contract, ``compat.py``); they may be missing, and may leave ``import *``,
    which must gain nothing."""
    submodules = set(submodules)
    old, new = before["names"], after["names"]
    unstable = set(before.get("unstable", ()))
    allowed_new = {*submodules, "__getattr__", "__dir__", "__all__"} - set(old)
    problems: list[str] = []
    for name in sorted(set(old) | set(new)):
        if name in _IMPORT_SYSTEM_NAMES:
            continue
        if name not in new:
            if name not in dropped:
                problems.append(f"{module}.{name} is missing after the split")
        elif name not in old:
            if name not in allowed_new:
                problems.append(f"{module}.{name} is new after the split")
        elif _comparable(old[name], name in unstable) != _comparable(new[name], name in unstable):
            problems.append(_difference(module, name, old[name], new[name]))
        else:
            problems += _introspection(module, name, old[name], new[name])
    if _star_differs(before["star"], after["star"], dropped):
        problems.append(f"`from {module} import *` differs: {_star_delta(before, after)}")
    problems += _doctest_problems(module, before, after, submodules)
    return bounded(problems)


def _star_differs(old: list[str] | str, new: list[str] | str, dropped: frozenset[str]) -> bool:
    if isinstance(old, str) or isinstance(new, str):
        return old != new
    return bool(set(new) - set(old)) or bool(set(old) - set(new) - dropped)


def _difference(module: str, name: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> str:
    if "items" in old and old.get("size") == new.get("size") and old["kind"] == new["kind"]:
        return (
            f"{module}.{name}: the content or order of its items differs after the split "
            f"(it began {old.get('preview')}, now {new.get('preview')})"
        )
    return f"{module}.{name} was {_describe(old)}, is {_describe(new)}"


def _introspection(
    module: str, name: str, old: Mapping[str, Any], new: Mapping[str, Any]
) -> list[str]:
    calls = {"getsource": "inspect.getsource", "get_type_hints": "typing.get_type_hints"}
    # A class whose ``__module__`` the compatibility layer sets back to the package: on
    # Python < 3.13 getsource looks for it in __init__.py, a cost initgen.py documents.
    waived = {"getsource"} if new.get("rehomed") else set()
    return [
        f"{calls[check]}({module}.{name}) fails after the split"
        for check in INTROSPECTION
        if old.get(check) and new.get(check) is False and check not in waived
    ]


def _describe(entry: Mapping[str, Any]) -> str:
    qual = entry.get("qualname")
    text = f"{entry['kind']} {qual}" if qual else str(entry["kind"])
    if "value" in entry:
        text += f" {entry['value']}"
    if "size" in entry:
        text += f" of {entry['size']} items"
    return text


def _star_delta(before: Mapping[str, Any], after: Mapping[str, Any]) -> str:
    old, new = before["star"], after["star"]
    if isinstance(old, str) or isinstance(new, str):
        return f"{old!r} became {new!r}"
    lost, gained = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    return f"lost {lost[:MAX_LISTED]}, gained {gained[:MAX_LISTED]}"


def doctest_outcomes(
    module: str, snapshot: Mapping[str, Any], submodules: Iterable[str] = ()
) -> dict[str, str]:
    """Doctest name -> outcome. A test of the module, or of a module the split made, is named
    by its object's qualified name; a test of any other submodule also by that module."""
    own = {module, *(f"{module}.{s}" for s in submodules)}
    outcomes: dict[str, str] = {}
    for entry in snapshot.get("doctests", ()):
        key = entry["test"] if entry["module"] in own else f"{entry['module']}:{entry['test']}"
        if key in outcomes and outcomes[key] != entry["outcome"]:
            outcomes[key] = f"{outcomes[key]}; {entry['outcome']}"
        else:
            outcomes[key] = entry["outcome"]
    return outcomes


def _doctest_problems(
    module: str, before: Mapping[str, Any], after: Mapping[str, Any], submodules: set[str]
) -> list[str]:
    if "doctests" not in before or "doctests" not in after:
        return []  # an import that took too long to leave time for them: not compared
    old = doctest_outcomes(module, before)
    new = doctest_outcomes(module, after, submodules)
    unstable = set(before.get("unstable_doctests", ()))
    problems = []
    for key, outcome in sorted(old.items()):
        label = "doctest " + ".".join(filter(None, key.split(":") if ":" in key else (module, key)))
        key_after = key if key in new else _in_mixin(key, new)
        if key in unstable or _NOT_RUN in (outcome, new.get(key_after)):
            continue
        if key_after not in new:
            problems.append(f"{label} is no longer collected after the split")
        elif new[key_after] != outcome:
            problems.append(f"{label}: {outcome} before the split, {new[key_after]} after")
    return problems


def _in_mixin(key: str, new: Mapping[str, str]) -> str:
    """The name ``Class.method``'s doctest has after a class split moved the method into a
    private mixin of the class (``_ClassConcern.method``), when exactly one fits."""
    cls, dot, rest = key.partition(".")
    if not dot or ":" in key:
        return key
    found = [
        k for k in new if k.partition(".")[2] == rest and k.partition(".")[0].startswith(f"_{cls}")
    ]
    return found[0] if len(found) == 1 else key


def unstable_doctests(
    module: str, first: Mapping[str, Any], second: Mapping[str, Any]
) -> list[str]:
    """Doctests whose outcome differs between two imports of the original itself."""
    one, two = doctest_outcomes(module, first), doctest_outcomes(module, second)
    return sorted(k for k in set(one) | set(two) if one.get(k) != two.get(k))


def bounded(problems: list[str]) -> list[str]:
    """At most MAX_LISTED problems, then how many more there are."""
    if len(problems) <= MAX_LISTED:
        return problems
    return [*problems[:MAX_LISTED], f"... and {len(problems) - MAX_LISTED} more"]
