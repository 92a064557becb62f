"""Functions for grouping and partitioning: do_batch and do_groupby."""

from __future__ import annotations

import typing as t
from itertools import groupby

from .attributes import make_attrgetter


def do_groupby(value: t.Iterable[t.Any], attribute: str) -> list[tuple[t.Any, list[t.Any]]]:
    expr = make_attrgetter(attribute)
    return [(key, list(values)) for key, values in groupby(sorted(value, key=expr), expr)]


def do_batch(value: t.Iterable[t.Any], linecount: int) -> t.Iterator[list[t.Any]]:
    tmp: list[t.Any] = []
    for item in value:
        if len(tmp) == linecount:
            yield tmp
            tmp = []
        tmp.append(item)
    if tmp:
        yield tmp
