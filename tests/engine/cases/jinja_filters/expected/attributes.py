"""Functions for attribute access: make_attrgetter and do_mapping_keys."""

from __future__ import annotations

import typing as t
from collections import abc


def make_attrgetter(attribute: str | None, default: t.Any = None) -> t.Callable[[t.Any], t.Any]:
    parts = (attribute or "").split(".") if attribute else []

    def getter(item: t.Any) -> t.Any:
        for part in parts:
            item = getattr(item, part, default)
        return item

    return getter


def do_mapping_keys(value: abc.Mapping[str, t.Any]) -> list[str]:
    return sorted(value)
