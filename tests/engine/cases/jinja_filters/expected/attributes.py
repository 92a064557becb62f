"""Functions for attribute access: make_attrgetter and do_sort.

Split out of ``big.py``; ``pkg.big`` re-exports
every name defined here.
"""

from __future__ import annotations

import typing as t

from .text import ignore_case


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
