"""Functions for sorting: do_sort and sync_do_first."""

from __future__ import annotations

import typing as t

from .attributes import make_attrgetter
from .text import ignore_case

if t.TYPE_CHECKING:
    from ..environment import Environment


# Sorting and grouping ---------------------------------------------------------


def do_sort(value: t.Iterable[t.Any], reverse: bool = False, attribute: str | None = None) -> list[t.Any]:
    key = make_attrgetter(attribute)
    return sorted(value, key=lambda x: ignore_case(key(x)), reverse=reverse)


def sync_do_first(environment: Environment, seq: t.Iterable[t.Any]) -> t.Any:
    for item in seq:
        return item
    return None
