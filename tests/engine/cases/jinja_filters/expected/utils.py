"""The make_attrgetter, do_sort, ignore_case and do_groupby functions.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import typing as t
from itertools import groupby


def ignore_case(value: t.Any) -> t.Any:
    """For use as a key: lower-case strings, leave the rest."""
    if isinstance(value, str):
        return value.lower()
    return value


def make_attrgetter(attribute: str | None, default: t.Any = None) -> t.Callable[[t.Any], t.Any]:
    parts = (attribute or "").split(".") if attribute else []

    def getter(item: t.Any) -> t.Any:
        for part in parts:
            item = getattr(item, part, default)
        return item

    return getter


# Sorting and grouping ---------------------------------------------------------


def do_sort(value: t.Iterable[t.Any], reverse: bool = False, attribute: str | None = None) -> list[t.Any]:
    key = make_attrgetter(attribute)
    return sorted(value, key=lambda x: ignore_case(key(x)), reverse=reverse)


def do_groupby(value: t.Iterable[t.Any], attribute: str) -> list[tuple[t.Any, list[t.Any]]]:
    expr = make_attrgetter(attribute)
    return [(key, list(values)) for key, values in groupby(sorted(value, key=expr), expr)]
